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
