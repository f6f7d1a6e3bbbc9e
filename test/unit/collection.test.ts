/**
 * The collection page from reports on disk that editio did not write: hostile titles and
 * paths, characters XML forbids, reports that are not JSON, an edition without outputs.
 * The page must stay well-formed XHTML, carry no markup from a report, and read the same
 * way as HTML (no empty element written "<ol/>").
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { SaxesParser } from 'saxes';

import { collectionPage, writeCollectionPage } from '../../src/batch/collection';

let dir: string;

function report(stem: string, rep: unknown): void {
  fs.mkdirSync(path.join(dir, stem), { recursive: true });
  fs.writeFileSync(
    path.join(dir, stem, 'report.json'),
    typeof rep === 'string' ? rep : JSON.stringify(rep),
  );
}

/** The page's elements (name and attributes, in order) and its text, as an XML parser reads them. */
function parse(page: string): {
  elements: { name: string; attrs: Record<string, string> }[];
  text: string;
} {
  const elements: { name: string; attrs: Record<string, string> }[] = [];
  let text = '';
  const p = new SaxesParser({ xmlns: true });
  p.on('opentag', (t) => {
    const attrs: Record<string, string> = {};
    for (const [k, a] of Object.entries(t.attributes)) attrs[k] = (a as { value: string }).value;
    elements.push({ name: t.local, attrs });
  });
  p.on('text', (t) => (text += t));
  p.on('doctype', () => undefined);
  p.write(page).close();
  return { elements, text };
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'editio-collection-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('titles and paths from reports arrive escaped, in well-formed XHTML', () => {
  const title = '<script>alert("x")</script> & \'q\' > "dq"\ttab\nline\u0001 \ud800 𝔸';
  report('a', {
    title,
    ok: true,
    outputs: [
      { path: 'index.html', format: 'html', bytes: 1234 },
      { path: 'a b<&>".epub', format: 'epub', bytes: 5e6 },
      { path: '../a-bag.zip', format: 'archive', bytes: 12 },
      { path: '../a-bag/', format: 'archive', bytes: 1 },
    ],
    diagnostics: [{ severity: 'warning' }, { severity: 'error' }],
  });
  report('b c&d', {
    title: '  ',
    ok: false,
    outputs: [{ path: 'x.xml', format: 'odd"<', bytes: 0 }],
  });
  report('not-json', '{ title: <nope>');
  fs.mkdirSync(path.join(dir, '.hidden'));

  const page = collectionPage(dir);
  expect(page.startsWith('<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml"')).toBe(true);
  const { elements, text } = parse(page);
  // no element but the page's own: the script in the title is text
  expect(new Set(elements.map((e) => e.name))).toEqual(
    new Set([
      'html',
      'head',
      'meta',
      'title',
      'style',
      'body',
      'main',
      'h1',
      'p',
      'ol',
      'li',
      'h2',
      'a',
      'span',
      'ul',
    ]),
  );
  expect(page).not.toMatch(/<script/i);
  // the title comes back as it was, less what XML cannot carry (a C0 control, a lone surrogate)
  const clean = title.replace('\u0001', '').replace('\ud800', '');
  expect(text).toContain(clean);
  const list = elements.find((e) => e.name === 'ul' && e.attrs['aria-label']?.includes('script'));
  expect(list?.attrs['aria-label']).toBe(`Formats of ${clean}`);
  // links: the folder's name and each path encoded; the bag's folder not linked, its zip is
  const hrefs = elements.filter((e) => e.name === 'a').map((e) => e.attrs.href);
  expect(hrefs).toEqual([
    'a/index.html',
    'a/index.html',
    'a/a%20b%3C&%3E%22.epub',
    'a-bag.zip',
    'b%20c%26d/x.xml',
  ]);
  // two editions (the report that is not JSON and the hidden folder are not), sorted;
  // an empty title falls back to the folder's name
  expect(text).toContain('2 editions in this folder.');
  expect(elements.filter((e) => e.name === 'h2')).toHaveLength(2);
  expect(text).toContain('b c&d');
  expect(text).toContain('1 warning: see the build report.');
});

test('an edition without outputs, and an empty folder, close their lists as HTML reads them', () => {
  expect(collectionPage(dir)).toContain('<ol class="editions"></ol>');
  expect(collectionPage(dir)).toContain('<p>0 editions in this folder.</p>');
  report('e', {});
  const page = collectionPage(dir);
  expect(page).toContain('<ul class="formats" aria-label="Formats of e"></ul>');
  expect(page).not.toMatch(/<(?!meta\b)[a-z0-9]+\b[^>]*\/>/);
  // the void elements stay XHTML's empty tags
  expect(page).toContain('<meta charset="utf-8" />');
});

test('the page is written whole, and the same reports give the same bytes', () => {
  report('a', {
    title: 'A',
    ok: true,
    outputs: [{ path: 'index.html', format: 'html', bytes: 9 }],
  });
  const target = writeCollectionPage(dir);
  expect(target).toBe(path.join(dir, 'index.html'));
  expect(fs.readFileSync(target, 'utf8')).toBe(collectionPage(dir));
  expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
});
