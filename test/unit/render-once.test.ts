/**
 * One rendering for several formats (src/xslt/editions.xsl, src/writers/shared.ts):
 * when a build makes two or more of the HTML page, the EPUB and print.html, one
 * transform renders the page once (with the core's marks) and writes each of them. Each
 * must be, to the byte, what its own stylesheet writes (the HTML page once the writer has
 * dropped the marks it keeps from the rendering); no mark may reach any other output; the
 * diagnostics must not change; and the writers must ask for the same one job.
 *
 * Needs the compiled stylesheets (`npm run build`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadXmlFile } from '../../src/load';
import { jobKey, parseSource, runXslt, type XsltJob } from '../../src/render/xslt';
import { epubJob, epubWriter } from '../../src/writers/epub';
import { htmlJob } from '../../src/writers/html';
import { htmlWriter } from '../../src/writers/html-writer';
import { DEFAULT_PRINT_SEF, printJob, printWriter } from '../../src/writers/print';
import {
  DEFAULT_EDITIONS_SEF,
  dropMarks,
  pageOutput,
  PAGE_HREFS,
  RESULT_BASE,
} from '../../src/writers/shared';
import type { WriterContext } from '../../src/writers/types';
import { teiDocument } from '../helpers/tei-doc';
import { corpusDir } from '../helpers/corpus';

const repoRoot = path.resolve(__dirname, '..', '..');
const flagship = path.join(repoRoot, 'source', 'serge-1940.xml');
const fixtureDirs = ['xslt', 'epub'].map((d) => path.join(repoRoot, 'test', 'fixtures', d));
// varied corpus texts: an apparatus, verse with notes, drama, a manuscript with many page
// breaks, a corpus of texts
const corpusPicks = [
  'teic-stylesheets-testapp2-apparatus.xml',
  'whitman-leaves-of-grass-1855.xml',
  'perseus-cicero-pro-tullio-lat.xml',
  'teic-tei-testcorpus.xml',
  'sga-frankenstein-notebook-a-xinclude.xml',
];

function sources(): string[] {
  const files = [flagship];
  for (const d of fixtureDirs)
    for (const f of fs.readdirSync(d).sort()) if (f.endsWith('.xml')) files.push(path.join(d, f));
  if (fs.existsSync(corpusDir)) {
    for (const f of corpusPicks)
      if (fs.existsSync(path.join(corpusDir, f))) files.push(path.join(corpusDir, f));
  } else {
    console.warn(`render-once: ${corpusDir} not found; corpus texts are skipped`);
  }
  return files;
}

function editions(
  name: string,
  formats: { html: boolean; epub: boolean; print: boolean },
): XsltJob {
  return {
    sef: DEFAULT_EDITIONS_SEF,
    params: {
      'source-file': name,
      'page-size': 'A5',
      'with-html': formats.html,
      'with-epub': formats.epub,
      'with-print': formats.print,
    },
    resultBase: RESULT_BASE,
  };
}

/** The core's diagnostics of a run, without the book's own (epub.*), in a stable order. */
const own = (m: string[]) => m.filter((x) => !x.includes('"code":"epub.')).sort();

describe('one rendering for the HTML page, the EPUB and print.html', () => {
  for (const file of sources()) {
    const name = path.relative(repoRoot, file);
    test(`${name}: each output is its own stylesheet's`, async () => {
      const text = fs.readFileSync(file, 'utf8');
      const doc = await parseSource(text);
      const page = runXslt({ doc }, htmlJob({ file: name }));
      const book = runXslt({ doc }, epubJob({ file: name }));
      const print = runXslt(
        { doc },
        htmlJob({ file: name, sefPath: DEFAULT_PRINT_SEF, params: { 'page-size': 'A5' } }),
      );
      const all = runXslt({ doc }, editions(name, { html: true, epub: true, print: true }));
      expect([page.ok, book.ok, print.ok, all.ok]).toEqual([true, true, true, true]);

      const docs = new Map(all.documents);
      expect(dropMarks(docs.get(PAGE_HREFS.html)!)).toBe(page.principal);
      expect(pageOutput(all, PAGE_HREFS.html).principal).toBe(page.principal);
      expect(docs.get(PAGE_HREFS.print)).toBe(print.principal);
      docs.delete(PAGE_HREFS.html);
      docs.delete(PAGE_HREFS.print);
      expect(docs).toEqual(new Map(book.documents));
      expect(all.principal).toBe(book.principal);
      for (const [href, content] of all.documents) {
        if (href !== PAGE_HREFS.html)
          expect([href, /data-editio-/.test(content)]).toEqual([href, false]);
      }
      expect(/data-editio-/.test(page.principal)).toBe(false);
      // the rendering's diagnostics come out once, as from each stylesheet alone
      expect(own(all.messages)).toEqual(own(page.messages));
      expect(own(print.messages)).toEqual(own(page.messages));
      // the EPUB rendered alone, straight from the TEI, reports what the page reports
      expect(own(book.messages)).toEqual(own(page.messages));
      expect(book.messages.sort()).toEqual(all.messages.sort());
    });
  }

  // The EPUB's two ways (its own stylesheet renders each file straight from the TEI; with
  // other formats, the files come from the shared page) give the same book, with every
  // placement of notes and depth of split.
  const variants: Record<string, string | number>[] = [
    { 'notes-placement': 'chapter', 'split-depth': 2 },
    { 'split-depth': 0 },
    { 'notes-placement': 'chapter', 'split-depth': 3 },
  ];
  for (const file of sources()) {
    const name = path.relative(repoRoot, file);
    test(`${name}: the book is the same either way, with other parameters`, async () => {
      const doc = await parseSource(fs.readFileSync(file, 'utf8'));
      for (const v of variants) {
        const job = epubJob({ file: name });
        const book = runXslt({ doc }, { ...job, params: { ...job.params, ...v } });
        const shared = editions(name, { html: false, epub: true, print: false });
        const all = runXslt({ doc }, { ...shared, params: { ...shared.params, ...v } });
        expect([v, book.ok, all.ok]).toEqual([v, true, true]);
        expect([v, all.principal]).toEqual([v, book.principal]);
        expect(new Map(all.documents)).toEqual(new Map(book.documents));
        expect(book.messages.sort()).toEqual(all.messages.sort());
      }
    });
  }

  // A graphic or page break in a secondary copy (the apparatus note's copy of a lemma, a
  // hidden reading) is rendered again for the book without its id, as the book once did:
  // the id stays with the copy in the text.
  test('the book renders a secondary copy again without ids', async () => {
    const tei = teiDocument(
      '<body><div><head>One</head><p>Before <app><lem wit="#A">a lemma <graphic xml:id="g1" url="a.png"/> ' +
        '<pb n="3" xml:id="p3"/> here</lem><rdg wit="#B">a reading</rdg></app> and <choice><sic>bad ' +
        '<graphic xml:id="g2" url="a.png"/></sic><corr>good</corr></choice>.</p></div></body>',
    );
    const doc = await parseSource(tei);
    const book = runXslt({ doc }, epubJob({ file: 'secondary.xml' }));
    expect(book.ok).toBe(true);
    const ids = book.documents.flatMap(([, c]) =>
      [...c.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]),
    );
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(ids).toEqual(expect.arrayContaining(['g1', 'p3']));
    expect(ids).not.toContain('g2');
  });

  // The marks are dropped from the serialised page (dropMarks): text and attribute
  // values that read like a mark must come through as they are.
  test('a text that reads like a mark keeps it', async () => {
    const tei = teiDocument(
      '<body><div><head>Marks <hi rend="x" n=\'data-editio-src="n"\'>in</hi> text</head>' +
        '<p xml:id="p1"> data-editio-src="d1" and &lt;span data-editio-drop="true"&gt; ' +
        '<ref target="#p1">see data-editio-secondary="true"</ref><note>a note ' +
        'data-editio-src="n2"</note><pb n=\' data-editio-src="x"\'/></p></div></body>',
    );
    const doc = await parseSource(tei);
    const page = runXslt({ doc }, htmlJob({ file: 'marks.xml' }));
    const all = runXslt({ doc }, editions('marks.xml', { html: true, epub: false, print: false }));
    const raw = all.documents.find(([h]) => h === PAGE_HREFS.html)![1];
    expect(raw).toMatch(/<[^<>]* data-editio-src="[^"]*"[^<>]*>/);
    expect(dropMarks(raw)).toBe(page.principal);
    expect(page.principal.split(' data-editio-src="d1"').length).toBe(2);
    expect(page.principal).toMatch(/ data-n="data-editio-src=&(?:quot|#34);n&(?:quot|#34);"/);
    expect(page.principal).toContain('&lt;span data-editio-drop="true"&gt;');
  });

  // Comments, CDATA sections and processing instructions (which the core does not write)
  // are passed over whole, whatever they hold; only tags lose their marks.
  test('dropMarks leaves what is not a tag as it is', () => {
    const kept =
      '<!-- <a data-editio-src="c1"> --><![CDATA[<b data-editio-drop="true">]]>' +
      '<?pi <c data-editio-secondary="true">?>';
    const page =
      `<p class="x" data-editio-src="d1e2">${kept}a &lt;i data-editio-src="t"&gt; ` +
      '<span data-editio-drop="true" data-editio-secondary="true" id="s">b</span></p>';
    expect(dropMarks(page)).toBe(
      `<p class="x">${kept}a &lt;i data-editio-src="t"&gt; <span id="s">b</span></p>`,
    );
    expect(dropMarks('<p>no marks</p>')).toBe('<p>no marks</p>');
  });

  test('without the EPUB: the pages alone, and an empty manifest', async () => {
    const doc = await parseSource(fs.readFileSync(flagship, 'utf8'));
    const name = path.relative(repoRoot, flagship);
    const two = runXslt({ doc }, editions(name, { html: true, epub: false, print: true }));
    expect(two.ok).toBe(true);
    expect(two.principal).toBe('{}');
    expect(two.documents.map(([href]) => href).sort()).toEqual(['index.html', 'print.html']);
    expect(dropMarks(two.documents.find(([h]) => h === 'index.html')![1])).toBe(
      runXslt({ doc }, htmlJob({ file: name })).principal,
    );
  });
});

describe('the writers share the transform', () => {
  function ctx(file: string, formats: string[]): WriterContext {
    const loaded = loadXmlFile(file);
    return { loaded, stem: path.basename(file, '.xml'), previous: [], formats };
  }

  const keyOf = (jobs: XsltJob[] | undefined) => jobKey(jobs![0]!);

  test('writers that share a build ask for one job', () => {
    const c = ctx(flagship, ['tei', 'html', 'epub', 'print']);
    const key = keyOf(htmlWriter.jobs!(c));
    expect(keyOf(epubWriter.jobs!(c))).toBe(key);
    expect(keyOf(printWriter.jobs!(c))).toBe(key);
    expect(htmlWriter.jobs!(c)[0]!.sef).toBe(DEFAULT_EDITIONS_SEF);
  });

  test('a build with the PDF renders print.html apart, first, and shares the rest', () => {
    for (const formats of [['html', 'epub', 'print', 'pdf'], ['archive']]) {
      const c = ctx(flagship, formats);
      expect(keyOf(epubWriter.jobs!(c))).toBe(keyOf(htmlWriter.jobs!(c)));
      expect(path.basename(printJob(c).sef)).toBe('print.sef.json');
      expect(printJob(c).params['with-html']).toBeUndefined();
    }
  });

  test('a build of one format renders with its own stylesheet', () => {
    expect(path.basename(htmlWriter.jobs!(ctx(flagship, ['tei', 'html']))[0]!.sef)).toBe(
      'html.sef.json',
    );
    expect(path.basename(epubWriter.jobs!(ctx(flagship, ['epub']))[0]!.sef)).toBe('epub.sef.json');
    expect(path.basename(printJob(ctx(flagship, ['print', 'pdf'])).sef)).toBe('print.sef.json');
  });

  test('the HTML and print writers give the same files and diagnostics either way (hostile input)', async () => {
    const file = path.join(fixtureDirs[0]!, 'hostile.xml');
    const alone = await htmlWriter.write(ctx(file, ['html']));
    const shared = await htmlWriter.write(ctx(file, ['html', 'epub', 'print']));
    expect(shared.files.map((f) => f.data.toString('utf8'))).toEqual(
      alone.files.map((f) => f.data.toString('utf8')),
    );
    expect(shared.diagnostics).toEqual(alone.diagnostics);
    // the book's own warning (an unpackaged image) stays the EPUB writer's
    expect(alone.diagnostics.some((d) => d.code.startsWith('epub.'))).toBe(false);
    const book = await epubWriter.write(ctx(file, ['html', 'epub', 'print']));
    expect(book.diagnostics.some((d) => d.code === 'epub.image-not-packaged')).toBe(true);
    const printAlone = await printWriter.write(ctx(file, ['print']));
    const printShared = await printWriter.write(ctx(file, ['html', 'epub', 'print']));
    expect(printShared.files.map((f) => f.data.toString('utf8'))).toEqual(
      printAlone.files.map((f) => f.data.toString('utf8')),
    );
    expect(printShared.diagnostics).toEqual(printAlone.diagnostics);
  });
});
