/**
 * Rendering once for HTML and EPUB: when a build makes both, the EPUB transform renders
 * the reading edition's page (with marks on what the book renders again from TEI),
 * writes the page without the marks, and derives the book from it. The page must be the
 * one html.xsl writes, to the byte; the book must be the one the EPUB transform writes
 * alone; no mark may reach either; and the writers' diagnostics must not change.
 *
 * Needs the compiled stylesheets (`npm run build`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadXmlFile } from '../../src/load';
import { jobKey, parseSource, runXslt } from '../../src/render/xslt';
import { epubJob, epubWriter, HTML_PAGE_HREF } from '../../src/writers/epub';
import { htmlJob } from '../../src/writers/html';
import { htmlWriter } from '../../src/writers/html-writer';
import type { WriterContext } from '../../src/writers/types';

const repoRoot = path.resolve(__dirname, '..', '..');
const flagship = path.join(repoRoot, 'source', 'serge-1940.xml');
const fixtureDirs = ['xslt', 'epub'].map((d) => path.join(repoRoot, 'test', 'fixtures', d));
const corpusDir = path.resolve(repoRoot, '../shared/corpus');
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

describe('one rendering for the HTML page and the EPUB', () => {
  for (const file of sources()) {
    const name = path.relative(repoRoot, file);
    test(`${name}: the page is html.xsl's and the book is unchanged`, async () => {
      const text = fs.readFileSync(file, 'utf8');
      const doc = await parseSource(text);
      const page = runXslt({ doc }, htmlJob({ file: name }));
      const book = runXslt({ doc }, epubJob({ file: name }));
      const both = runXslt({ doc }, epubJob({ file: name, withHtml: true }));
      expect(page.ok && book.ok && both.ok).toBe(true);

      const docs = new Map(both.documents);
      expect(docs.get(HTML_PAGE_HREF)).toBe(page.principal);
      docs.delete(HTML_PAGE_HREF);
      expect(new Map(book.documents)).toEqual(docs);
      expect(both.principal).toBe(book.principal);
      for (const [href, content] of both.documents) {
        expect([href, /data-editio-/.test(content)]).toEqual([href, false]);
      }
      // the page's own diagnostics come out once, as from html.xsl alone
      const own = (m: string[]) => m.filter((x) => !x.includes('"code":"epub.')).sort();
      expect(own(both.messages)).toEqual(own(page.messages.slice()));
    });
  }
});

describe('the writers share the transform', () => {
  function ctx(file: string, formats: string[]): WriterContext {
    const loaded = loadXmlFile(file);
    return { loaded, stem: path.basename(file, '.xml'), previous: [], formats };
  }

  test('with html and epub (or the archive) both writers ask for the same job', () => {
    for (const formats of [['html', 'epub'], ['tei', 'html', 'epub', 'print'], ['archive']]) {
      const c = ctx(flagship, formats);
      const [h] = htmlWriter.jobs!(c);
      const [e] = epubWriter.jobs!(c);
      expect(jobKey(h!)).toBe(jobKey(e!));
      expect(e!.params['with-html']).toBe(true);
    }
  });

  test('a build of the page alone, or of the book alone, renders only what it needs', () => {
    const [h] = htmlWriter.jobs!(ctx(flagship, ['html', 'print']));
    expect(path.basename(h!.sef)).toBe('html.sef.json');
    const [e] = epubWriter.jobs!(ctx(flagship, ['epub']));
    expect(e!.params['with-html']).toBeUndefined();
  });

  test('the HTML writer gives the same page and diagnostics either way (hostile input)', async () => {
    const file = path.join(fixtureDirs[0]!, 'hostile.xml');
    const alone = await htmlWriter.write(ctx(file, ['html']));
    const shared = await htmlWriter.write(ctx(file, ['html', 'epub']));
    expect(shared.files.map((f) => f.data.toString('utf8'))).toEqual(
      alone.files.map((f) => f.data.toString('utf8')),
    );
    expect(shared.diagnostics).toEqual(alone.diagnostics);
    // the book's own warning (an unpackaged image) stays the EPUB writer's
    expect(alone.diagnostics.some((d) => d.code.startsWith('epub.'))).toBe(false);
    const book = await epubWriter.write(ctx(file, ['html', 'epub']));
    expect(book.diagnostics.some((d) => d.code === 'epub.image-not-packaged')).toBe(true);
  });
});
