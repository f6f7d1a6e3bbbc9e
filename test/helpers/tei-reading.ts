/**
 * Word-level comparison of a plain-text transcript with a TEI edition of it.
 *
 * The TEI side is read "as the manuscript reads": everything inside <text>, in document
 * order, keeping sic/orig/abbr, leaving out corr/reg/expan/supplied and this edition's own
 * (editorial) notes. Author's and translator's notes are read where they stand, i.e. at
 * their call points.
 *
 * The transcript side: the header-only lines are removed (explicitly listed by the caller),
 * the numbered footnotes at the end ("1. …") are read at their call markers ("[1]"), and
 * every other bracketed marker ("[illegible]", "[rest of the sentence illegible]") is
 * removed.
 */
import { SaxesParser } from 'saxes';

export const TEI_NS = 'http://www.tei-c.org/ns/1.0';

/** Elements whose content is not part of the manuscript reading. */
const DROPPED = new Set(['corr', 'reg', 'expan', 'supplied', 'teiHeader', 'standOff']);

/** Elements that begin and end a run of words: a space is read at each boundary. */
const WORD_BOUNDARY = new Set([
  'text',
  'front',
  'body',
  'back',
  'div',
  'head',
  'p',
  'ab',
  'note',
  'label',
  'titlePage',
  'docTitle',
  'titlePart',
  'docAuthor',
  'docDate',
  'list',
  'item',
  'lb',
  'pb',
  'cb',
]);

/** Id of the edition's editor, as declared in the teiHeader. */
export const EDITOR_ID = 'editio';

function isEditorialNote(local: string, attrs: Record<string, string>): boolean {
  if (local !== 'note') return false;
  const resp = (attrs['resp'] ?? '').split(/\s+/);
  return attrs['type'] === 'editorial' || resp.includes(`#${EDITOR_ID}`);
}

/**
 * The text of the TEI <text> element as the manuscript reads, parsed with saxes.
 * Throws on malformed XML.
 */
export function teiManuscriptReading(xml: string): string {
  const parser = new SaxesParser({ xmlns: true });
  const out: string[] = [];
  // For each open element: [is tei:text, is dropped]
  const stack: Array<[boolean, boolean]> = [];
  let textDepth = 0;
  let dropDepth = 0;

  parser.on('opentag', (tag) => {
    const isTei = tag.uri === TEI_NS;
    const attrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) {
      attrs[a.uri ? `${a.prefix}:${a.local}` : a.local] = a.value;
    }
    const isText = isTei && tag.local === 'text';
    const dropped = isTei && (DROPPED.has(tag.local) || isEditorialNote(tag.local, attrs));
    stack.push([isText, dropped]);
    if (isText) textDepth++;
    if (dropped) dropDepth++;
    if (isTei && textDepth > 0 && dropDepth === 0 && WORD_BOUNDARY.has(tag.local)) out.push(' ');
  });
  parser.on('closetag', (tag) => {
    const frame = stack.pop();
    if (!frame) throw new Error(`unbalanced end tag ${tag.name}`);
    const [isText, dropped] = frame;
    if (tag.uri === TEI_NS && textDepth > 0 && dropDepth === 0 && WORD_BOUNDARY.has(tag.local)) {
      out.push(' ');
    }
    if (isText) textDepth--;
    if (dropped) dropDepth--;
  });
  const onText = (t: string): void => {
    if (textDepth > 0 && dropDepth === 0) out.push(t);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('error', (e) => {
    throw e;
  });
  parser.write(xml).close();
  return out.join('');
}

export interface TranscriptOptions {
  /** Lines (exact text) that live in the teiHeader only; each must occur in the transcript. */
  headerOnlyLines: readonly string[];
}

/**
 * The transcript's running text with the footnotes read at their call markers and all
 * other bracketed markers removed.
 */
export function transcriptReading(transcript: string, opts: TranscriptOptions): string {
  let lines = transcript.replace(/\r\n?/g, '\n').split('\n');
  for (const h of opts.headerOnlyLines) {
    const i = lines.indexOf(h);
    if (i < 0) throw new Error(`header-only line not found in transcript: ${JSON.stringify(h)}`);
    lines = [...lines.slice(0, i), ...lines.slice(i + 1)];
  }
  // Footnotes: the block of "N. text" lines at the end of the transcript.
  const footnotes = new Map<string, string>();
  let end = lines.length;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    const m = /^(\d+)\.\s+(.*)$/.exec(line);
    if (!m) break;
    footnotes.set(m[1] as string, m[2] as string);
    end = i;
  }
  let body = lines.slice(0, end).join('\n');
  for (const [n, note] of footnotes) {
    const call = `[${n}]`;
    const at = body.indexOf(call);
    if (at < 0 || body.indexOf(call, at + 1) >= 0) {
      throw new Error(`footnote ${n}: expected exactly one call marker ${call}`);
    }
    body = body.slice(0, at) + ` ${note} ` + body.slice(at + call.length);
  }
  return body.replace(/\[[^\]]*\]/g, ' ');
}

/** Words: NFC, typographic quotes and apostrophes folded, punctuation stripped from edges. */
export function words(text: string): string[] {
  return text
    .normalize('NFC')
    .replace(/[\u2018\u2019\u201A\u201B\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"')
    .split(/\s+/u)
    .map((w) => w.replace(/^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu, ''))
    .filter((w) => w.length > 0);
}

export interface WordDiff {
  /** Transcript words that the TEI reading lacks (or has elsewhere), with their index. */
  missing: Array<{ index: number; word: string; context: string }>;
  /** Words in the TEI reading that the transcript does not have at that point. */
  extra: Array<{ index: number; word: string; context: string }>;
}

function context(ws: readonly string[], i: number): string {
  return `${ws.slice(Math.max(0, i - 4), i).join(' ')} [${ws[i] ?? ''}] ${ws
    .slice(i + 1, i + 5)
    .join(' ')}`;
}

/**
 * Shortest edit script between two word sequences (Myers' O(ND) algorithm), reported as the
 * expected words missing from the actual sequence and the actual words not expected there.
 * A word out of order shows up in both lists.
 */
export function diffWords(
  expected: readonly string[],
  actual: readonly string[],
  maxEdits = 500,
): WordDiff {
  const n = expected.length;
  const m = actual.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= Math.min(max, maxEdits) && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))) {
        x = v[offset + k + 1] as number;
      } else {
        x = (v[offset + k - 1] as number) + 1;
      }
      let y = x - k;
      while (x < n && y < m && expected[x] === actual[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  if (!found) {
    // Too many differences to list them all: report where the sequences first part.
    let i = 0;
    while (i < n && i < m && expected[i] === actual[i]) i++;
    return {
      missing: [
        {
          index: i,
          word: expected[i] ?? '',
          context: `${context(expected, i)} (more than ${maxEdits} differences; first shown)`,
        },
      ],
      extra: i < m ? [{ index: i, word: actual[i] as string, context: context(actual, i) }] : [],
    };
  }
  // Backtrack.
  const missing: WordDiff['missing'] = [];
  const extra: WordDiff['extra'] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const vd = trace[d] as Int32Array;
    const k = x - y;
    const down =
      k === -d || (k !== d && (vd[offset + k - 1] as number) < (vd[offset + k + 1] as number));
    const prevK = down ? k + 1 : k - 1;
    const prevX = vd[offset + prevK] as number;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
    }
    if (down) {
      y--;
      extra.push({ index: y, word: actual[y] as string, context: context(actual, y) });
    } else {
      x--;
      missing.push({ index: x, word: expected[x] as string, context: context(expected, x) });
    }
    x = prevX;
    y = prevY;
  }
  missing.reverse();
  extra.reverse();
  return { missing, extra };
}

/** A readable report of a diff, empty string when the sequences match. */
export function formatDiff(diff: WordDiff): string {
  const lines: string[] = [];
  for (const w of diff.missing) {
    lines.push(`missing transcript word #${w.index} "${w.word}": ${w.context}`);
  }
  for (const w of diff.extra) {
    lines.push(`word not in transcript #${w.index} "${w.word}": ${w.context}`);
  }
  return lines.join('\n');
}
