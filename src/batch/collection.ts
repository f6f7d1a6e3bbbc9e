/**
 * The collection page, `DIR/index.html`: every edition found in the output folder (each
 * `DIR/<stem>/report.json`), with its title and a link to each of its formats. Made
 * from the reports on disk, so it also lists editions built by earlier runs. Every title
 * and path taken from a report is escaped by the small tree below, which prints the page
 * as xmlbuilder2 did (two-space indentation, a text-only element on one line), but for an
 * empty list, which it wrote as "<ol/>" (in a page read as HTML, a list left open). It was
 * xmlbuilder2: loading it cost each one-document build ~0.11 s of CPU, beside the worker's
 * rendering, and the page's first build ~16 ms more at the end, for forty elements.
 * Deterministic (sorted by folder, no date) and written atomically.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { safeXmlAttribute, safeXmlText } from '../xml-escape';

interface Entry {
  stem: string;
  title: string;
  ok: boolean;
  outputs: { path: string; format: string; bytes: number }[];
  warnings: number;
}

const FORMAT_LABELS: Record<string, string> = {
  html: 'Reading edition (HTML)',
  epub: 'E-book (EPUB)',
  print: 'Print edition (HTML)',
  pdf: 'PDF',
  tei: 'TEI source',
  archive: 'Archive (BagIt)',
  report: 'Build report',
};
const ORDER = ['html', 'epub', 'pdf', 'print', 'tei', 'archive', 'report'];

function readEntries(outDir: string): Entry[] {
  const entries: Entry[] = [];
  let dirs: fs.Dirent[] = [];
  try {
    dirs = fs.readdirSync(outDir, { withFileTypes: true });
  } catch {
    return entries;
  }
  for (const d of dirs) {
    if (!d.isDirectory() || d.name.startsWith('.')) continue;
    const file = path.join(outDir, d.name, 'report.json');
    let rep: {
      title?: unknown;
      ok?: unknown;
      outputs?: unknown;
      diagnostics?: unknown;
    };
    try {
      rep = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      continue; // not an edition folder
    }
    const outputs = Array.isArray(rep.outputs)
      ? (rep.outputs as { path?: unknown; format?: unknown; bytes?: unknown }[])
          .filter((o) => typeof o.path === 'string' && typeof o.format === 'string')
          .map((o) => ({
            path: String(o.path),
            format: String(o.format),
            bytes: Number(o.bytes) || 0,
          }))
      : [];
    entries.push({
      stem: d.name,
      title: typeof rep.title === 'string' && rep.title.trim() ? rep.title.trim() : d.name,
      ok: rep.ok === true,
      outputs,
      warnings: Array.isArray(rep.diagnostics)
        ? (rep.diagnostics as { severity?: unknown }[]).filter((x) => x.severity === 'warning')
            .length
        : 0,
    });
  }
  return entries.sort((a, b) => (a.stem < b.stem ? -1 : a.stem > b.stem ? 1 : 0));
}

function size(bytes: number): string {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${bytes} B`;
}

const VOID = new Set(['meta', 'link', 'br', 'img', 'hr']);

/** An element of the page: its attributes and its children, or its text. */
class El {
  private readonly kids: El[] = [];
  private text: string | undefined;
  constructor(
    private readonly name: string,
    private readonly attrs: Record<string, string> = {},
  ) {}
  ele(name: string, attrs?: Record<string, string>): El {
    const e = new El(name, attrs);
    this.kids.push(e);
    return e;
  }
  txt(text: string): this {
    this.text = (this.text ?? '') + text;
    return this;
  }
  print(indent = ''): string {
    const attrs = Object.entries(this.attrs)
      .map(([k, v]) => ` ${k}="${safeXmlAttribute(v)}"`)
      .join('');
    if (this.kids.length)
      return (
        `${indent}<${this.name}${attrs}>\n` +
        this.kids.map((k) => k.print(indent + '  ')).join('') +
        `${indent}</${this.name}>\n`
      );
    if (this.text)
      return `${indent}<${this.name}${attrs}>${safeXmlText(this.text)}</${this.name}>\n`;
    // (an element of HTML's own that is empty ends with </…>, for a browser reading the
    // page as HTML, where "<ol/>" would open a list that never ends)
    return VOID.has(this.name)
      ? `${indent}<${this.name}${attrs} />\n`
      : `${indent}<${this.name}${attrs}></${this.name}>\n`;
  }
}

/** The page's XHTML text. */
export function collectionPage(outDir: string): string {
  const entries = readEntries(outDir);
  const html = new El('html', {
    xmlns: 'http://www.w3.org/1999/xhtml',
    lang: 'en',
    'xml:lang': 'en',
  });
  const head = html.ele('head');
  head.ele('meta', { charset: 'utf-8' });
  head.ele('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' });
  head.ele('meta', { name: 'generator', content: 'editio' });
  head.ele('meta', { name: 'color-scheme', content: 'light dark' });
  head.ele('title').txt('Editions');
  head
    .ele('style')
    .txt(
      'body{font-family:Georgia,"DejaVu Serif",serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5}' +
        'li{margin:.8rem 0}.formats{display:flex;flex-wrap:wrap;gap:.3rem 1rem;padding:0;list-style:none;margin:.2rem 0}' +
        '.stem{font-family:monospace;font-size:.85em;color:#555}a{color:#1a4f8b}' +
        '@media (prefers-color-scheme:dark){body{background:#161616;color:#e6e6e6}a{color:#8fb8ff}.stem{color:#aaa}}',
    );
  const main = html.ele('body').ele('main');
  main.ele('h1').txt('Editions');
  main.ele('p').txt(`${entries.length} edition${entries.length === 1 ? '' : 's'} in this folder.`);
  const list = main.ele('ol', { class: 'editions' });
  for (const e of entries) {
    const li = list.ele('li');
    const h = li.ele('h2');
    const page = e.outputs.find((o) => o.format === 'html');
    if (page)
      h.ele('a', { href: `${encodeURIComponent(e.stem)}/${encodeURI(page.path)}` }).txt(e.title);
    else h.txt(e.title);
    li.ele('span', { class: 'stem' }).txt(`${e.stem}/`);
    const fmts = li.ele('ul', { class: 'formats', 'aria-label': `Formats of ${e.title}` });
    const outs = [...e.outputs].sort(
      (a, b) => ORDER.indexOf(a.format) - ORDER.indexOf(b.format) || (a.path < b.path ? -1 : 1),
    );
    for (const o of outs) {
      // outputs beside the edition folder (an archive's ../<stem>-bag.zip) are linked from here
      const href = o.path.startsWith('../')
        ? encodeURI(o.path.slice(3))
        : `${encodeURIComponent(e.stem)}/${encodeURI(o.path)}`;
      if (o.path.startsWith('../') && o.path.endsWith('/')) continue;
      fmts
        .ele('li')
        .ele('a', { href })
        .txt(`${FORMAT_LABELS[o.format] ?? o.format} (${size(o.bytes)})`);
    }
    if (e.warnings)
      li.ele('p').txt(`${e.warnings} warning${e.warnings === 1 ? '' : 's'}: see the build report.`);
  }
  return '<!DOCTYPE html>\n' + html.print();
}

/** Write DIR/index.html atomically; returns its path. */
export function writeCollectionPage(outDir: string): string {
  const target = path.join(outDir, 'index.html');
  const tmp = path.join(outDir, `.index.html.tmp-${process.pid}`);
  fs.writeFileSync(tmp, collectionPage(outDir));
  fs.renameSync(tmp, target);
  return target;
}
