/**
 * Every word of the Serge 1940 transcript survives, in order, in the flagship TEI edition.
 *
 * The transcript lives outside the repository (../shared/seed beside the repo root), so the
 * comparison is skipped, with a warning, when it is not there.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  diffWords,
  formatDiff,
  teiManuscriptReading,
  transcriptReading,
  words,
} from '../helpers/tei-reading';

const REPO_ROOT = path.resolve(__dirname, '../..');
const TRANSCRIPT = path.resolve(REPO_ROOT, '../shared/seed/serge-1940-manuscript.txt');
const TEI = path.resolve(REPO_ROOT, 'source/serge-1940.xml');

/**
 * Lines at the top of the transcript that this edition keeps in the teiHeader only
 * (sourceDesc/bibl/note): the page heading and the two credit lines. The author, date and
 * title lines ("Victor Serge 1940", "Unpublished Manuscript on Their Morals and Ours") are in
 * the <titlePage> of <text> and are compared like the rest.
 */
const HEADER_ONLY_LINES = [
  'Victor Serge Leon Trotsky',
  'Translated: for Marxists.org 2015 by Mitchell Abidor;',
  'CopyLeft: Creative Commons (Attribute & ShareAlike) marxists.org 2004.',
] as const;

const haveTranscript = fs.existsSync(TRANSCRIPT);
const maybe = haveTranscript ? test : test.skip;
if (!haveTranscript) {
  console.warn(
    `flagship-words: transcript not found at ${TRANSCRIPT}; skipping the word comparison. ` +
      'It is expected in shared/seed/ beside the repository root.',
  );
}

function compare(teiXml: string): ReturnType<typeof diffWords> {
  const transcript = fs.readFileSync(TRANSCRIPT, 'utf8');
  const expected = words(transcriptReading(transcript, { headerOnlyLines: HEADER_ONLY_LINES }));
  const actual = words(teiManuscriptReading(teiXml));
  return diffWords(expected, actual);
}

describe('flagship edition source/serge-1940.xml', () => {
  maybe('contains every word of the transcript, in order, and no other', () => {
    const tei = fs.readFileSync(TEI, 'utf8');
    const transcript = fs.readFileSync(TRANSCRIPT, 'utf8');
    const expected = words(transcriptReading(transcript, { headerOnlyLines: HEADER_ONLY_LINES }));
    // Sanity: the transcript was read, not an empty or truncated file.
    expect(expected.length).toBeGreaterThan(5000);
    expect(expected.slice(0, 3)).toEqual(['Victor', 'Serge', '1940']);
    // Footnotes are read at their call points, so the essay's last word ends the sequence.
    expect(expected[expected.length - 1]).toBe('visible');
    expect(expected).toContain('gangrene'); // last word of footnote 3

    const diff = compare(tei);
    const report = formatDiff(diff);
    if (report) throw new Error(`TEI reading differs from the transcript:\n${report}`);
    expect(diff.missing).toEqual([]);
    expect(diff.extra).toEqual([]);
  });

  maybe('fails, naming the word, when one word is deleted from the TEI', () => {
    const tei = fs.readFileSync(TEI, 'utf8');
    const word = 'bugaboo';
    const needle = ` ${word} `;
    expect(tei.split(needle).length).toBe(2); // the word occurs exactly once
    const mutilated = tei.replace(needle, ' ');
    expect(mutilated).not.toBe(tei);

    const diff = compare(mutilated);
    expect(diff.missing.map((w) => w.word)).toEqual([word]);
    expect(diff.extra).toEqual([]);
    expect(formatDiff(diff)).toContain(`missing transcript word #`);
    expect(formatDiff(diff)).toContain(`"${word}"`);
  });
});
