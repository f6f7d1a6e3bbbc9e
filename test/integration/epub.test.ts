/**
 * The EPUB 3 writer (src/writers/epub.ts + src/xslt/epub.xsl), checked with the real
 * checkers: EPUBCheck (0 fatals, 0 errors, 0 warnings) on the flagship, the fixtures, a
 * 3.5 MB document and every document of ../shared/corpus; DAISY Ace on the flagship.
 * Tests that need a checker or the corpus are skipped, with a warning, when it is absent.
 *
 * Needs lib/xslt/epub.sef.json (`node scripts/compile-xslt.js`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { uuidV5 } from '../../src/metadata/identity';
import {
  BookStream,
  primerBook,
  renderEpub,
  zipBodies,
  type EarlyBody,
  type ZipLike,
} from '../../src/writers/epub';
import { buildDocument } from '../../src/pipeline';
import { workersAllowed } from '../../src/render/session';
import { renderHtml } from '../../src/writers/html';
import { DEFAULT_PRINT_SEF } from '../../src/writers/print';
import { writerFor } from '../../src/writers';
import { editio } from '../helpers/cli';
import { ace, aceMissing, epubcheckMissing, EpubcheckPool } from '../helpers/epubcheck';
import { markupText, teiTextWords, words } from '../helpers/words';
import { corpusDir, corpusNames } from '../helpers/corpus';

const repoRoot = path.resolve(__dirname, '..', '..');
const fixtures = path.join(repoRoot, 'test', 'fixtures', 'epub');
const flagship = path.join(repoRoot, 'source', 'serge-1940.xml');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'editio-epub-test-'));

// jszip comes with epub-gen-memory (it is the zip library the packager uses).
interface ZipEntry {
  name: string;
  dir: boolean;
  async(t: 'string'): Promise<string>;
}
interface Zip {
  files: Record<string, ZipEntry>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const JSZip = require('jszip') as { loadAsync(b: Buffer): Promise<Zip> };

interface Book {
  epub: Buffer;
  files: Map<string, string>;
  names: string[];
  diagnostics: { severity: string; code: string; message: string }[];
}

async function open(epub: Buffer): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(epub);
  const files = new Map<string, string>();
  for (const [name, entry] of Object.entries(zip.files)) {
    if (!entry.dir && !/\.(png|jpe?g|gif|webp)$/.test(name)) {
      files.set(name, await entry.async('string'));
    }
  }
  return files;
}

const cache = new Map<string, Book>();
async function build(file: string, opts: { sourceDateEpoch?: number } = {}): Promise<Book> {
  const key = `${file}\u0000${opts.sourceDateEpoch ?? ''}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const r = await renderEpub(fs.readFileSync(file, 'utf8'), {
    file: path.relative(repoRoot, file),
    absPath: file,
    sourceDateEpoch: opts.sourceDateEpoch,
  });
  if (!r.epub) throw new Error(`no EPUB: ${JSON.stringify(r.diagnostics)}`);
  const files = await open(r.epub);
  const book = { epub: r.epub, files, names: [...files.keys()], diagnostics: r.diagnostics };
  cache.set(key, book);
  return book;
}

function xhtmlDocs(b: Book): string[] {
  return b.names.filter((n) => n.endsWith('.xhtml')).map((n) => b.files.get(n)!);
}

/** The text content of XHTML, element boundaries as spaces (parsed: proves well-formedness). */
function textOf(xml: string): string {
  return markupText(xml, { within: (p) => p.includes('body') });
}

/** Checks run on every EPUB we build, whatever the source. */
function expectSoundPackage(b: Book): void {
  // mimetype first, stored, exactly the media type
  expect(b.names[0]).toBe('mimetype');
  expect(b.epub.subarray(30, 38).toString('latin1')).toBe('mimetype');
  expect(b.epub.readUInt16LE(8)).toBe(0); // compression method: stored
  expect(b.files.get('mimetype')).toBe('application/epub+zip');
  expect(b.files.get('META-INF/container.xml')).toContain('full-path="OEBPS/content.opf"');
  for (const doc of xhtmlDocs(b)) {
    expect(() => textOf(doc)).not.toThrow();
    // no self-closing span/a/div (an HTML parser would swallow what follows)
    expect(doc).not.toMatch(/<(span|a|div|p|i|b|section)\b[^<>]*\/>/);
    // no HTML named entities: only XML's own
    expect(doc).not.toMatch(/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)[A-Za-z]+;/);
  }
}

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('packaging', () => {
  test('the writer is registered after html and names <stem>.epub', () => {
    const w = writerFor('epub');
    expect(w).toBeDefined();
    expect(w!.available()).toEqual({ ok: true });
  });

  test('the flagship: a sound package with the metadata record', async () => {
    const b = await build(flagship);
    expect(b.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expectSoundPackage(b);
    const opf = b.files.get('OEBPS/content.opf')!;
    expect(opf).toMatch(/<dc:identifier id="uid">urn:uuid:[0-9a-f-]{36}<\/dc:identifier>/);
    expect(opf).toContain(
      '<dc:title id="title">Unpublished Manuscript on Their Morals and Ours</dc:title>',
    );
    expect(opf).toContain('<meta refines="#subtitle" property="title-type">subtitle</meta>');
    expect(opf).toMatch(
      /<dc:creator id="agent-1">Victor Serge<\/dc:creator>\s*<meta refines="#agent-1" property="role" scheme="marc:relators">aut<\/meta>/,
    );
    expect(opf).toMatch(
      /<dc:contributor id="(agent-\d+)">Mitchell Abidor<\/dc:contributor>\s*<meta refines="#\1" property="role" scheme="marc:relators">trl<\/meta>/,
    );
    expect(opf).toMatch(/property="role" scheme="marc:relators">edt</);
    expect(opf).toContain('<dc:language>en</dc:language>');
    expect(opf).toContain('<dc:date>2026-11-26</dc:date>');
    expect(opf).toContain('<meta property="dcterms:modified">2026-11-26T00:00:00Z</meta>');
    expect(opf).toMatch(
      /<dc:rights>[^<]*https:\/\/creativecommons.org\/licenses\/by-sa\/4.0\/[^<]*<\/dc:rights>/,
    );
    expect(opf).toMatch(/<dc:source>[^<]+<\/dc:source>/);
    expect(opf).toMatch(/<dc:publisher>the editio project<\/dc:publisher>/);
    expect(opf).toMatch(/<dc:description>[^<]+<\/dc:description>/);
    for (const p of [
      'schema:accessMode">textual',
      'schema:accessModeSufficient">textual',
      'schema:accessibilityFeature">structuralNavigation',
      'schema:accessibilityFeature">tableOfContents',
      'schema:accessibilityFeature">readingOrder',
      'schema:accessibilityFeature">index',
      'schema:accessibilityHazard">none',
      'dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.1 Level AA',
    ]) {
      expect(opf).toContain(p);
    }
    expect(opf).toMatch(/schema:accessibilitySummary">[^<]*notes[^<]*gaps[^<]*</);
    expect(opf).toContain('properties="cover-image"');
    expect(opf).toContain('properties="nav"');
  });

  test('the flagship: cover, title page, front matter, text, endnotes, index, nav', async () => {
    const b = await build(flagship);
    const nav = b.files.get('OEBPS/toc.xhtml')!;
    expect(nav).toContain('epub:type="toc"');
    expect(nav).toContain('epub:type="landmarks"');
    expect(nav).toContain('<a epub:type="bodymatter"');
    expect(nav).toContain('Translator’s note');
    expect(b.files.get('OEBPS/cover.xhtml')).toContain('src="images/cover.svg"');
    expect(b.files.get('OEBPS/images/cover.svg')).toContain('viewBox="0 0 1400 2100"');
    expect(b.files.get('OEBPS/images/cover.svg')).toContain('VICTOR SERGE');
    expect(b.files.get('OEBPS/titlepage.xhtml')).toContain('epub:type="titlepage"');
    const front = xhtmlDocs(b).filter((d) => d.includes('epub:type="frontmatter"'));
    expect(front.some((d) => d.includes('id="translator-note"'))).toBe(true);
    const notes = b.files.get('OEBPS/endnotes.xhtml')!;
    expect(notes).toContain('role="doc-endnotes"');
    expect(notes).toMatch(/<li id="fn1" epub:type="endnote"/);
    // back-links and calls resolve across files
    expect(notes).toMatch(
      /<a class="note-backlink" href="text-\d{3}\.xhtml#ref-fn1" epub:type="backlink" role="doc-backlink"/,
    );
    const body = xhtmlDocs(b).find((d) => d.includes('id="ref-fn1"'))!;
    expect(body).toMatch(
      /<a class="noteref noteref-author" href="endnotes\.xhtml#fn1" epub:type="noteref" role="doc-noteref"/,
    );
    const index = b.files.get('OEBPS/index.xhtml')!;
    expect(index).toContain('role="doc-index"');
    expect(index).toMatch(/href="text-\d{3}\.xhtml#occ-VS-\d+"/);
    // every internal link resolves
    const ids = new Map<string, Set<string>>();
    for (const n of b.names.filter((x) => x.endsWith('.xhtml'))) {
      ids.set(
        n.replace('OEBPS/', ''),
        new Set([...b.files.get(n)!.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!)),
      );
    }
    for (const n of b.names.filter((x) => x.endsWith('.xhtml'))) {
      for (const m of b.files.get(n)!.matchAll(/<a\s[^>]*href="([^"#:]*)#([^"]+)"/g)) {
        const file = m[1] || n.replace('OEBPS/', '');
        expect(ids.get(file)?.has(m[2]!)).toBe(true);
      }
    }
  });

  test('two builds are byte-identical; SOURCE_DATE_EPOCH sets the dates', async () => {
    const text = fs.readFileSync(flagship, 'utf8');
    const a = await renderEpub(text, { file: 'source/serge-1940.xml', absPath: flagship });
    const b = await renderEpub(text, { file: 'source/serge-1940.xml', absPath: flagship });
    expect(a.epub!.equals(b.epub!)).toBe(true);
    const c = await renderEpub(text, {
      file: 'source/serge-1940.xml',
      absPath: flagship,
      sourceDateEpoch: 1700000000,
    });
    expect(c.epub!.equals(a.epub!)).toBe(false);
    const opf = (await open(c.epub!)).get('OEBPS/content.opf')!;
    expect(opf).toContain('<meta property="dcterms:modified">2023-11-14T22:13:20Z</meta>');
    // the identifier depends on the text's identity, not on the date
    const uid = /urn:uuid:([0-9a-f-]+)/.exec(opf)![1];
    const uidA = /urn:uuid:([0-9a-f-]+)/.exec((await open(a.epub!)).get('OEBPS/content.opf')!)![1];
    expect(uid).toBe(uidA);
  });

  test('one edition date: without SOURCE_DATE_EPOCH, the EPUB and print.html take the same date from the header', async () => {
    // the latest revision is the edition's date, in both (one rule, in the core's record)
    const text = fs.readFileSync(flagship, 'utf8');
    const src = text.replace(
      /<revisionDesc>/,
      '<revisionDesc><change when="2031-05-06T07:08:09" who="#MA">a late revision</change>',
    );
    expect(src).not.toBe(text);
    const epub = await renderEpub(src, { file: 'source/serge-1940.xml', absPath: flagship });
    const opf = (await open(epub.epub!)).get('OEBPS/content.opf')!;
    expect(opf).toContain('<meta property="dcterms:modified">2031-05-06T07:08:09Z</meta>');
    const print = renderHtml(src, { file: 'source/serge-1940.xml', sefPath: DEFAULT_PRINT_SEF });
    expect(print.html).toMatch(/<meta name="dcterms\.modified" content="2031-05-06T07:08:09"/);
  });

  test('UUID v5 is RFC 4122 (DNS namespace example)', () => {
    // uuidV5 uses the URL namespace; the shape is what matters here
    expect(uuidV5('x')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(uuidV5('x')).toBe(uuidV5('x'));
    expect(uuidV5('x')).not.toBe(uuidV5('y'));
  });

  test('a body begun early is used only for the file that holds that very text', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const JSZip = require('jszip') as new () => {
      file(name: string, data: string | Buffer, o?: { binary?: boolean }): unknown;
    };
    const zip = new JSZip();
    const greek = '<p>μῆνιν ἄειδε θεὰ</p>'.repeat(4000); // > 16 KB: JSZip reads it in pieces
    zip.file('OEBPS/same.xhtml', greek);
    zip.file('OEBPS/other.xhtml', '<p>changed</p>');
    zip.file('OEBPS/bytes.bin', Buffer.from([0xce, 0xbc, 0xff, 0x00]));
    zip.file('OEBPS/plain.css', 'p { margin: 0 }');
    const early = new Map<string, EarlyBody>();
    for (const [name, text] of [
      ['OEBPS/same.xhtml', greek],
      ['OEBPS/other.xhtml', '<p>as rendered</p>'],
      ['OEBPS/bytes.bin', 'μ'],
    ] as const) {
      const data = Buffer.from(text, 'utf8');
      early.set(name, { text, data, deflated: Promise.resolve(data) });
    }
    // an entry JSZip does not keep as given text is read through JSZip
    const given = '<p>read back</p>';
    const stranger = { name: 'OEBPS/read.xhtml', dir: false, async: async () => given };
    early.set(stranger.name, {
      text: given,
      data: Buffer.from(given),
      deflated: Promise.resolve(Buffer.from(given)),
    });
    const real = zip as unknown as ZipLike & { file(name: string): { async: unknown } };
    const readThrough = jest.spyOn(real.file('OEBPS/same.xhtml') as { async(): unknown }, 'async');
    const both: ZipLike = {
      forEach(cb) {
        real.forEach(cb);
        cb(stranger.name, stranger as never);
      },
    };
    const bodies = await zipBodies(both, early);
    expect([...bodies.keys()].sort()).toEqual([
      'OEBPS/bytes.bin',
      'OEBPS/other.xhtml',
      'OEBPS/plain.css',
      'OEBPS/read.xhtml',
      'OEBPS/same.xhtml',
    ]);
    // the same text: the early body itself, with its deflating; the text as JSZip was
    // given it, not streamed back through JSZip
    expect(bodies.get('OEBPS/same.xhtml')).toBe(early.get('OEBPS/same.xhtml'));
    expect(readThrough).not.toHaveBeenCalled();
    expect(bodies.get('OEBPS/read.xhtml')).toBe(early.get('OEBPS/read.xhtml'));
    // another text, or bytes: what the file holds, deflated at writing
    expect(bodies.get('OEBPS/other.xhtml')).toEqual({ data: Buffer.from('<p>changed</p>') });
    expect(bodies.get('OEBPS/bytes.bin')).toEqual({ data: Buffer.from([0xce, 0xbc, 0xff, 0x00]) });
    expect(bodies.get('OEBPS/plain.css')).toEqual({ data: Buffer.from('p { margin: 0 }') });
  });

  test('every word of the flagship text is in the EPUB, with its notes in one file or in each', async () => {
    const text = fs.readFileSync(flagship, 'utf8');
    const tei = teiTextWords(text);
    const chapterNotes = await renderEpub(text, { file: 'serge-1940.xml', notes: 'chapter' });
    for (const book of [(await build(flagship)).epub, chapterNotes.epub!]) {
      const files = await open(book);
      const docs = [...files].filter(([n]) => n.endsWith('.xhtml')).map(([, d]) => d);
      const epub = words(docs.map(textOf).join(' '));
      const missing: string[] = [];
      for (const [w, n] of tei)
        if ((epub.get(w) ?? 0) < n) missing.push(`${w}×${n - (epub.get(w) ?? 0)}`);
      expect(missing).toEqual([]);
      // every note call leads to its note (a note in a note too: the missing footnote 2
      // holds the translator's)
      const ids = new Set(docs.flatMap((d) => [...d.matchAll(/ id="([^"]+)"/g)].map((m) => m[1])));
      const calls = docs.flatMap((d) =>
        [...d.matchAll(/<a [^>]*epub:type="noteref"[^>]*>/g)].map((m) => m[0]),
      );
      expect(calls.length).toBeGreaterThan(20);
      for (const call of calls) {
        const href = / href="[^"#]*#([^"]+)"/.exec(call)?.[1];
        expect(href && ids.has(href) ? 'linked' : call).toBe('linked');
      }
    }
  });

  test('`editio build` writes dist/<stem>/<stem>.epub', () => {
    const out = path.join(tmp, 'cli');
    const r = editio(
      ['build', 'test/fixtures/epub/no-divs.xml', '--out', out, '--format', 'epub', '--force'],
      {
        timeoutMs: 120000,
      },
    );
    expect(r.stdout + r.stderr).not.toMatch(/epub\.[a-z-]+/);
    expect(fs.existsSync(path.join(out, 'no-divs', 'no-divs.epub'))).toBe(true);
  });
});

describe('fixtures', () => {
  test('a self-closing page break keeps the text after it; a page list leads to it', async () => {
    const b = await build(path.join(fixtures, 'pagebreak.xml'));
    expectSoundPackage(b);
    const all = xhtmlDocs(b).join('\n');
    expect(all).toContain('and after the break it survives intact.');
    expect(all).toMatch(
      /<span class="tei-pb editorial" id="page-12" epub:type="pagebreak" role="doc-pagebreak" title="12" aria-label="Page 12">\[12\]<\/span> and after the break/,
    );
    const nav = b.files.get('OEBPS/toc.xhtml')!;
    expect(nav).toContain('epub:type="page-list"');
    expect(
      [...nav.matchAll(/<li><a href="[^"]+#page-\d+">(\d+)<\/a><\/li>/g)].map((m) => m[1]),
    ).toEqual(['12', '13', '14', '15']);
    expect(b.files.get('OEBPS/content.opf')).toContain('printPageNumbers');
    expect(b.files.get('OEBPS/toc.ncx')).toContain('<pageList>');
  });

  test('page breaks: repeated numbers, breaks without one, ids taken, each id once', async () => {
    const b = await build(path.join(fixtures, 'pagebreak-ids.xml'));
    expectSoundPackage(b);
    const all = xhtmlDocs(b).join('\n');
    const ids = [...all.matchAll(/<span class="tei-pb[^"]*" id="([^"]+)"/g)].map((m) => m[1]);
    // the k-th break numbered n is page-n-k (page-n when k is 1), page-x-k without a
    // number; a number is made a name; an id the document holds gets "-e"
    expect(ids).toEqual([
      'page-1',
      'page-2',
      'page-x-1',
      'page-1-2',
      'page-x-2',
      'page-iv_a',
      'page-Ω',
      'page-1-3-e',
      'own',
      'page-1-4',
    ]);
    expect([...all.matchAll(/ id="([^"]+)"/g)].filter((m) => m[1] === 'page-1-3')).toHaveLength(1);
    // the page list points at those with a number, in order
    const nav = b.files.get('OEBPS/toc.xhtml')!;
    const listed = [...nav.matchAll(/<li><a href="[^"#]+#(page-[^"]+|own)">/g)].map((m) => m[1]);
    expect(listed).toEqual(ids.filter((id) => !id.startsWith('page-x-')));
  });

  test('SVG and MathML pass intact, with their manifest properties', async () => {
    const b = await build(path.join(fixtures, 'svg-mathml.xml'));
    expectSoundPackage(b);
    const opf = b.files.get('OEBPS/content.opf')!;
    expect(opf).toMatch(
      /href="text-\d{3}\.xhtml" media-type="application\/xhtml\+xml" properties="mathml"/,
    );
    expect(opf).toMatch(
      /href="text-\d{3}\.xhtml" media-type="application\/xhtml\+xml" properties="svg"/,
    );
    const all = xhtmlDocs(b).join('\n');
    expect(all).toContain('viewBox="0 0 100 100"');
    expect(all).toMatch(
      /<math xmlns="http:\/\/www.w3.org\/1998\/Math\/MathML"><mrow><msup><mi>e<\/mi>/,
    );
  });

  test('a present image is packaged; a missing one warns and leaves a placeholder', async () => {
    const b = await build(path.join(fixtures, 'images.xml'));
    expectSoundPackage(b);
    const opf = b.files.get('OEBPS/content.opf')!;
    expect(opf).toMatch(/href="images\/img1-present\.png" media-type="image\/png"/);
    expect(opf).toMatch(/href="images\/img2-present\.svg" media-type="image\/svg\+xml"/);
    const zip = await JSZip.loadAsync(b.epub);
    expect(Object.keys(zip.files)).toContain('OEBPS/images/img1-present.png');
    const codes = b.diagnostics.map((d) => `${d.severity}:${d.code}`);
    expect(codes.filter((c) => c === 'warning:epub.image-missing')).toHaveLength(2);
    expect(codes).toContain('warning:epub.image-not-packaged');
    expect(b.diagnostics.find((d) => d.message.includes('missing.png'))?.message).toMatch(
      /not found/,
    );
    const all = xhtmlDocs(b).join('\n');
    expect(all).toContain('[image: A picture that was never there.]');
    expect(all).not.toContain('missing.png');
    expect(all).toContain('[image: Remote.]');
  });

  test('a document with no divisions: one text file, endnotes with back-links', async () => {
    const b = await build(path.join(fixtures, 'no-divs.xml'));
    expectSoundPackage(b);
    expect(b.names.filter((n) => /text-\d{3}\.xhtml$/.test(n))).toHaveLength(1);
    const notes = b.files.get('OEBPS/endnotes.xhtml')!;
    expect(notes).toContain('href="text-001.xhtml#ref-fn1"');
    expect(notes).toContain('Translator’s note');
    const text = b.files.get('OEBPS/text-001.xhtml')!;
    expect(text).toContain('href="endnotes.xhtml#fn1"');
    expect(text).toContain('[illegible: 2 words]');
    const opf = b.files.get('OEBPS/content.opf')!;
    expect(opf).toContain('scheme="marc:relators">trl</meta>');
  });
});

// ---------------------------------------------------------------------------------------
// The checkers

const epubcheckWhy = epubcheckMissing();
const corpusFiles = corpusNames();

function logTimings(
  name: string,
  bytes: number,
  t: { transform: number; assemble: number; zip: number },
): void {
  console.log(
    `EPUB of ${name} (${(bytes / 1e6).toFixed(1)} MB): transform ${Math.round(t.transform)} ms, ` +
      `assemble ${Math.round(t.assemble)} ms, zip ${Math.round(t.zip)} ms`,
  );
}

/** A TEI document of about 3.5 MB: divisions, paragraphs, notes and page breaks. */
function largeDocument(): string {
  const parts: string[] = [];
  let size = 0;
  let page = 1;
  for (let d = 1; size < 3.5e6; d++) {
    let div = `<div type="chapter" xml:id="c${d}"><head>Chapter ${d}</head>`;
    for (let p = 1; p <= 30; p++) {
      div +=
        `<p>Paragraph ${p} of chapter ${d} tells of <persName>Person ${p}</persName> and of the long road` +
        ` they walked together through the valley, counting the stones and the trees${
          p % 10 === 0 ? `<note place="foot">Note on paragraph ${p}, chapter ${d}.</note>` : ''
        }; then the<pb n="${page++}"/> sentence continues with more words about weather, bread and the ` +
        `river that ran beside them, <hi rend="italic">slowly</hi>, all day long.</p>`;
    }
    div += '</div>';
    parts.push(div);
    size += div.length;
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en">' +
    '<teiHeader><fileDesc><titleStmt><title>A long book</title><author>Long Writer</author></titleStmt>' +
    '<publicationStmt><p>Generated for the EPUB tests.</p></publicationStmt><sourceDesc><p>Generated.</p></sourceDesc>' +
    `</fileDesc></teiHeader><text><body>${parts.join('\n')}</body></text></TEI>\n`
  );
}

describe('EPUB options: split depth and note placement', () => {
  const file = path.join(fixtures, 'chapters.xml');
  async function book(opts: { splitDepth?: number; notes?: 'book' | 'chapter' }) {
    const r = await renderEpub(fs.readFileSync(file, 'utf8'), { file: 'chapters.xml', ...opts });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const files = await open(r.epub!);
    const text = [...files.keys()].filter((n) => /text-\d+\.xhtml$/.test(n)).sort();
    return { epub: r.epub!, files, text };
  }

  test('--epub-split: 0 one file for the body, 1 one per part, 2 one per chapter too', async () => {
    const counts = [];
    for (const d of [0, 1, 2]) counts.push((await book({ splitDepth: d })).text.length);
    expect(counts[0]).toBe(1);
    expect(counts[1]).toBe(2);
    // part one keeps its opening in its own file; part two has none before its chapters
    expect(counts[2]).toBe(6);
  });

  test('--epub-notes chapter: each file ends with the notes it calls, and no endnotes file', async () => {
    const b = await book({ notes: 'chapter', splitDepth: 2 });
    expect([...b.files.keys()].some((n) => n.endsWith('endnotes.xhtml'))).toBe(false);
    let notes = 0;
    for (const name of b.text) {
      const doc = b.files.get(name)!;
      const refs = [...doc.matchAll(/<a [^>]*href="#([^"]+)"[^>]*epub:type="noteref"/g)].map(
        (m) => m[1],
      );
      for (const id of refs) expect(doc).toContain(`id="${id}"`); // the note is in the same file
      const listed = [...doc.matchAll(/<li [^>]*id="([^"]+)"[^>]*epub:type="endnote"/g)].length;
      expect(listed).toBe(refs.length);
      notes += listed;
    }
    expect(notes).toBe(4);
    // the default keeps one endnotes document
    const d = await book({});
    expect([...d.files.keys()].some((n) => n.endsWith('endnotes.xhtml'))).toBe(true);
  });
});

describe("the book streamed from the build's worker", () => {
  // (the worker is compiled JavaScript, lib/render/worker.js: `npm run build:code`)
  const withWorker = workersAllowed() ? test : test.skip;
  if (!workersAllowed()) console.warn('EPUB stream: lib/render/worker.js is missing');

  withWorker(
    'each document is final as it comes, and the book is the one resolved at the end',
    async () => {
      // (what was left unresolved when the writer took the stream's book)
      const waiting: string[][] = [];
      const original = BookStream.prototype.finish;
      const finish = jest.spyOn(BookStream.prototype, 'finish');
      finish.mockImplementation(function (this: BookStream, ...args) {
        waiting.push(this.unresolved);
        return original.apply(this, args);
      });
      const chapters = path.join(fixtures, 'chapters.xml');
      try {
        for (const [file, formats, notes] of [
          [flagship, ['epub'], undefined],
          [flagship, ['tei', 'html', 'epub'], undefined], // the rendering shared with HTML
          [flagship, ['epub'], 'chapter'],
          [chapters, ['epub'], undefined],
        ] as const) {
          finish.mockClear();
          waiting.length = 0;
          const r = await buildDocument(file, {
            formats: [...formats],
            sourceDateEpoch: 1700000000,
            writerOptions: { epubNotes: notes },
            force: true, // (the fixture's notes do not say whose they are)
          });
          const epub = r.files.find((f) => f.format === 'epub')?.data;
          expect(r.diagnostics.filter((d) => d.code.startsWith('epub.'))).toEqual([]);
          // the stream gave the book, every document of it resolved before the transform
          // ended (the notes' back-links with the text's last file)
          expect(finish).toHaveBeenCalledTimes(1);
          expect(finish.mock.results[0]!.value).toBeInstanceOf(Map);
          expect(waiting).toEqual([[]]);
          // the same bytes as the book rendered alone and resolved at the end
          const alone = await renderEpub(fs.readFileSync(file, 'utf8'), {
            file,
            absPath: file,
            sourceDateEpoch: 1700000000,
            notes,
          });
          expect(epub && alone.epub && epub.equals(alone.epub)).toBe(true);
        }
      } finally {
        finish.mockRestore();
      }
    },
    180_000,
  );
});

(epubcheckWhy ? describe.skip : describe)('EPUBCheck', () => {
  // EPUBCheck runs in one JVM fed with each book as soon as it is rendered (checking
  // overlaps with rendering the next one); the verdict is read once at the end.
  const pool = new EpubcheckPool();
  let added = 0;

  function check(name: string, epub: Buffer): void {
    const out = path.join(tmp, `${name}.epub`);
    fs.writeFileSync(out, epub);
    added++;
    pool.add(out);
  }

  test('the flagship and the fixtures', async () => {
    check('serge-1940', (await build(flagship)).epub);
    // the small book a build packages while its worker renders (writers/epub.ts)
    check('primer', await primerBook());
    // the flagship with its notes at the end of each file, and split one level deeper
    const alt = await renderEpub(fs.readFileSync(flagship, 'utf8'), {
      file: 'serge-1940.xml',
      notes: 'chapter',
      splitDepth: 2,
    });
    check('serge-1940-chapter-notes', alt.epub!);
    for (const f of fs
      .readdirSync(fixtures)
      .filter((x) => x.endsWith('.xml'))
      .sort()) {
      check(`fixture-${f.replace(/\.xml$/, '')}`, (await build(path.join(fixtures, f))).epub);
    }
  });

  if (corpusFiles.length === 0) {
    console.warn(
      `EPUBCheck: corpus not found at ${corpusDir}; a generated 3.5 MB document stands in`,
    );
    test('a generated 3.5 MB document', async () => {
      const big = largeDocument();
      expect(big.length).toBeGreaterThan(3.5e6);
      const r = await renderEpub(big, { file: 'large.xml' });
      logTimings('generated 3.5 MB document', big.length, r.timings);
      check('large', r.epub!);
    }, 900000);
  }

  test.each(corpusFiles)(
    'corpus: %s',
    async (f) => {
      const file = path.join(corpusDir, f);
      const text = fs.readFileSync(file, 'utf8');
      const r = await renderEpub(text, { file: f, absPath: file });
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      if (text.length > 3e6) logTimings(f, text.length, r.timings);
      // every word of the TEI text is in the book (a word joined to its neighbour counts)
      const docs = [...(await open(r.epub!)).entries()].filter(([n]) => n.endsWith('.xhtml'));
      const flat = docs.map(([, d]) => textOf(d)).join(' ');
      const have = words(flat);
      const lower = flat.normalize('NFC').toLowerCase();
      const missing = [...teiTextWords(text)]
        .filter(([w, n]) => (have.get(w) ?? 0) < n && !lower.includes(w))
        .map(([w]) => w);
      expect(missing).toEqual([]);
      check(`corpus-${f.replace(/\.xml$/, '')}`, r.epub!);
    },
    900000,
  );

  test('0 fatals, 0 errors, 0 warnings on every EPUB', async () => {
    const results = await pool.all();
    expect(results).toHaveLength(added);
    expect(added).toBeGreaterThan(0);
    const bad = results
      .filter((r) => r.fatals + r.errors + r.warnings > 0)
      .map(
        (r) =>
          `${path.basename(r.file)}: ${r.fatals} fatals, ${r.errors} errors, ${r.warnings} warnings\n  ` +
          r.messages.slice(0, 5).join('\n  '),
      );
    expect(bad).toEqual([]);
  }, 900000);
});
if (epubcheckWhy) console.warn(`skipping EPUBCheck tests: ${epubcheckWhy}`);

const aceWhy = aceMissing();
(aceWhy ? describe.skip : describe)('DAISY Ace', () => {
  test('the flagship passes', async () => {
    const file = path.join(tmp, 'ace-serge-1940.epub');
    fs.writeFileSync(file, (await build(flagship)).epub);
    const r = await ace(file);
    expect(r.violations).toEqual([]);
    expect(r.outcome).toBe('pass');
  }, 300000);
});
if (aceWhy) console.warn(`skipping the Ace test: ${aceWhy}`);
