/**
 * xmlbuilder2, loaded on first use. Loading it costs ~90-110 ms, which a build pays only
 * when it writes a bag's metadata records (the archive), not at start-up. (The collection
 * page, which every build writes, has a small printer of its own: src/batch/collection.ts.)
 */
import type { create as Create } from 'xmlbuilder2';

type XmlBuilder2 = { create: typeof Create };

function loadXmlBuilder(): XmlBuilder2 {
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
