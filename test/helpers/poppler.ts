/**
 * The Poppler tools (Debian `poppler-utils`: pdftotext, pdffonts, pdfinfo, pdfdetach) as
 * the PDF tests read PDFs: run with execFile-style arguments (no shell), output parsed.
 */
import { spawnSync } from 'node:child_process';

/** Why the Poppler tools cannot run here, or undefined when they can. */
export function popplerMissing(): string | undefined {
  for (const tool of ['pdftotext', 'pdffonts', 'pdfinfo', 'pdfdetach']) {
    const r = spawnSync(tool, ['-v'], { encoding: 'utf8' });
    if (r.error) return `${tool} is not on PATH (apt-get install -y poppler-utils)`;
  }
  return undefined;
}

function run(tool: string, args: string[]): string {
  const r = spawnSync(tool, args, {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120000,
  });
  if (r.error) throw new Error(`${tool} could not be started: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(`${tool} ${args.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
  }
  return r.stdout;
}

/** pdfinfo's "Key: value" lines as a record (Title, Author, Pages, Page size, ...). */
export function info(pdf: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of run('pdfinfo', [pdf]).split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) out[m[1]!.trim()] = m[2]!.trim();
  }
  return out;
}

export function pageCount(pdf: string): number {
  const n = Number(info(pdf).Pages);
  if (!Number.isInteger(n)) throw new Error(`pdfinfo gives no page count for ${pdf}`);
  return n;
}

/**
 * The text of page n (1-based), `pdftotext -layout`. Not the default (reading order) mode:
 * that one joins a line ending in a hyphen-minus to the next and drops the hyphen, so the
 * text's own hyphens ("Ревунова-Караулова") would be lost when a line breaks after them.
 */
export function pageText(pdf: string, n: number): string {
  return run('pdftotext', [
    '-enc',
    'UTF-8',
    '-layout',
    '-f',
    String(n),
    '-l',
    String(n),
    pdf,
    '-',
  ]).replace(/\f$/, '');
}

/** The text of every page (`pdftotext -layout`, one run; pages end with a form feed). */
export function pagesText(pdf: string): string[] {
  const all = run('pdftotext', ['-enc', 'UTF-8', '-layout', pdf, '-']);
  const pages = all.split('\f');
  if (pages[pages.length - 1] === '') pages.pop();
  return pages;
}

/** The text of the whole PDF. */
export function allText(pdf: string): string {
  return pagesText(pdf).join('\n');
}

export interface BoxWord {
  word: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

export interface BoxPage {
  width: number;
  height: number;
  /** In pdftotext's reading order; y grows downwards from the top of the page. */
  words: BoxWord[];
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-fA-F]+);/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

function parseBbox(xml: string): BoxPage[] {
  const pages: BoxPage[] = [];
  const re =
    /<page width="([\d.]+)" height="([\d.]+)">|<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g;
  for (const m of xml.matchAll(re)) {
    if (m[1] !== undefined) {
      pages.push({ width: Number(m[1]), height: Number(m[2]), words: [] });
    } else {
      pages[pages.length - 1]!.words.push({
        word: unescapeXml(m[7]!),
        xMin: Number(m[3]),
        yMin: Number(m[4]),
        xMax: Number(m[5]),
        yMax: Number(m[6]),
      });
    }
  }
  return pages;
}

/** The words of page n with their boxes (`pdftotext -bbox`), and the page's size in pt. */
export function bboxWords(pdf: string, n: number): BoxPage {
  const pages = parseBbox(
    run('pdftotext', ['-enc', 'UTF-8', '-bbox', '-f', String(n), '-l', String(n), pdf, '-']),
  );
  if (pages.length !== 1) throw new Error(`pdftotext -bbox gave ${pages.length} pages for ${n}`);
  return pages[0]!;
}

/** Every page's words with their boxes, in one run of pdftotext. */
export function bboxPages(pdf: string): BoxPage[] {
  return parseBbox(run('pdftotext', ['-enc', 'UTF-8', '-bbox', pdf, '-']));
}

export interface BoxLine {
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
  words: BoxWord[];
  /** The words joined by single spaces. */
  text: string;
}

export interface LinePage {
  width: number;
  height: number;
  /** In pdftotext's reading order (flow, block, line). */
  lines: BoxLine[];
}

/** Every page's lines of words with their boxes (`pdftotext -bbox-layout`, one run). */
export function bboxLines(pdf: string): LinePage[] {
  const xml = run('pdftotext', ['-enc', 'UTF-8', '-bbox-layout', pdf, '-']);
  const pages: LinePage[] = [];
  const num = '([\\d.-]+)';
  const box = `xMin="${num}" yMin="${num}" xMax="${num}" yMax="${num}"`;
  const re = new RegExp(
    `<page width="([\\d.]+)" height="([\\d.]+)">|<line ${box}>|<word ${box}>([^<]*)</word>`,
    'g',
  );
  let line: BoxLine | undefined;
  for (const m of xml.matchAll(re)) {
    if (m[1] !== undefined) {
      pages.push({ width: Number(m[1]), height: Number(m[2]), lines: [] });
    } else if (m[3] !== undefined) {
      line = {
        xMin: Number(m[3]),
        yMin: Number(m[4]),
        xMax: Number(m[5]),
        yMax: Number(m[6]),
        words: [],
        text: '',
      };
      pages[pages.length - 1]!.lines.push(line);
    } else {
      line!.words.push({
        word: unescapeXml(m[11]!),
        xMin: Number(m[7]),
        yMin: Number(m[8]),
        xMax: Number(m[9]),
        yMax: Number(m[10]),
      });
      line!.text = line!.words.map((w) => w.word).join(' ');
    }
  }
  return pages;
}

export interface FontRow {
  name: string;
  type: string;
  encoding: string;
  emb: boolean;
  sub: boolean;
  uni: boolean;
}

/**
 * pdffonts' table. The columns are fixed-width, sized by the dashes under the header
 * (a type such as "CID Type 0C (OT)" has spaces in it). A name longer than its column
 * (pdffonts prints it whole, "%-36s") pushes every later column right by its excess.
 */
export function fonts(pdf: string): FontRow[] {
  const rows = parsePdffonts(run('pdffonts', [pdf]));
  if (!rows) throw new Error(`pdffonts printed no table for ${pdf}`);
  return rows;
}

/** The rows of a table pdffonts printed (see fonts()), or undefined if it holds none. */
export function parsePdffonts(table: string): FontRow[] | undefined {
  const lines = table.split('\n');
  const rule = lines.findIndex((l) => /^-+( -+)+\s*$/.test(l));
  if (rule < 0) return undefined;
  const cols: [number, number][] = [];
  for (const m of lines[rule]!.matchAll(/-+/g)) cols.push([m.index!, m.index! + m[0].length]);
  const nameEnd = cols[0]![1];
  return lines
    .slice(rule + 1)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const shift = l[nameEnd] === ' ' ? 0 : Math.max(0, l.indexOf(' ', nameEnd) - nameEnd);
      const cell = (i: number): string =>
        i === 0
          ? l.slice(0, nameEnd + shift).trim()
          : l.slice(cols[i]![0] + shift, cols[i]![1] + shift + 1).trim();
      return {
        name: cell(0),
        type: cell(1),
        encoding: cell(2),
        emb: cell(3) === 'yes',
        sub: cell(4) === 'yes',
        uni: cell(5) === 'yes',
      };
    });
}

/** The names of the files embedded in the PDF (`pdfdetach -list`). */
export function attachments(pdf: string): string[] {
  return run('pdfdetach', ['-list', pdf])
    .split('\n')
    .map((l) => /^\s*\d+:\s+(.*)$/.exec(l)?.[1]?.trim())
    .filter((x): x is string => !!x);
}

/**
 * Join the words that line breaking cut with a hyphen at a line end. The typesetter's own
 * hyphen (WeasyPrint prints U+2010 HYPHEN; a soft hyphen U+00AD is treated alike) is not
 * part of the word and goes: "foot‐\nnote" → "footnote". A hyphen-minus at a line end is the
 * text's own hyphen (a line may break after it): it stays and only the line break goes,
 * "Rein-\nAbramovich" → "Rein-Abramovich", so that the words either side of it stay words.
 */
export function joinHyphens(text: string): string {
  return text
    .replace(/([\p{L}\p{N}])[\u2010\u00ad][ \t]*\r?\n\s*(?=[\p{L}\p{N}])/gu, '$1')
    .replace(/([\p{L}\p{N}])-[ \t]*\r?\n\s*(?=[\p{L}\p{N}])/gu, '$1-');
}

/**
 * The words of s in order, by the one definition of a word of test/helpers/words.ts (NFC,
 * lower case, runs of letters and digits): words(s) counts exactly these.
 */
export function wordList(s: string): string[] {
  return (
    s
      .normalize('NFC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}
