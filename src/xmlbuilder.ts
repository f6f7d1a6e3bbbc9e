/**
 * xmlbuilder2, loaded on first use. Loading it costs ~90 ms, which a build pays only when
 * it writes a bag's metadata records or a collection page, not at start-up; a
 * one-document build loads it early, while it waits for the rendering worker
 * (src/cli/build.ts).
 */
import type { create as Create } from 'xmlbuilder2';

type XmlBuilder2 = { create: typeof Create };

export function loadXmlBuilder(): XmlBuilder2 {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('xmlbuilder2') as XmlBuilder2;
}

/** A new XML document (xmlbuilder2's create). */
export function createXml(options: {
  version: '1.0';
  encoding: string;
}): ReturnType<typeof Create> {
  return loadXmlBuilder().create(options);
}
