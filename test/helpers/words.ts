import { SaxesParser } from 'saxes';

/**
 * Word counting shared by the word-coverage checks of every format (HTML, EPUB, ...):
 * one definition of "a word", so formats are held to the same measure.
 */
export function words(s: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const w of s
    .normalize('NFC')
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu) ?? []) {
    m.set(w, (m.get(w) ?? 0) + 1);
  }
  return m;
}

/**
 * The text of an XML document: every text node (and CDATA section) whose element path
 * `within` accepts, outside the elements named in `skip`, with `boundary` at every start
 * and end tag. Parsing it also proves the document well-formed.
 */
export function markupText(
  xml: string,
  opts: { within?: (path: string[]) => boolean; skip?: Set<string>; boundary?: string } = {},
): string {
  const { within = () => true, skip = new Set<string>(), boundary = ' ' } = opts;
  const parser = new SaxesParser({ xmlns: true });
  const stack: string[] = [];
  const out: string[] = [];
  let skipping = 0;
  parser.on('opentag', (t) => {
    stack.push(t.local);
    if (skip.has(t.local)) skipping++;
    out.push(boundary);
  });
  parser.on('closetag', (t) => {
    if (skip.has(t.local)) skipping--;
    stack.pop();
    out.push(boundary);
  });
  const onText = (s: string) => {
    if (skipping === 0 && within(stack)) out.push(s);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.write(xml).close();
  return out.join('');
}

/** The text inside <text> of a TEI document (the header is metadata). */
export function teiText(xml: string, boundary = ' '): string {
  return markupText(xml, { within: (p) => p.includes('text'), boundary });
}

/** The words inside <text> of a TEI document. */
export function teiTextWords(xml: string): Map<string, number> {
  return words(teiText(xml));
}
