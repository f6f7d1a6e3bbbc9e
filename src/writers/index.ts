import { archiveWriter } from './archive';
import { epubWriter } from './epub';
import { htmlWriter } from './html-writer';
import { pdfWriter } from './pdf';
import { printWriter } from './print';
import { teiWriter } from './tei';
import type { Writer } from './types';

/** Every format, in build order (packagers such as the archive come last). */
export const writers: Writer[] = [
  teiWriter,
  htmlWriter,
  epubWriter,
  printWriter,
  pdfWriter,
  archiveWriter,
];

export function writerFor(format: string): Writer | undefined {
  return writers.find((w) => w.format === format);
}

export function knownFormats(): string[] {
  return writers.map((w) => w.format);
}
