/**
 * The EPUB's documents resolved as the worker writes them (BookStream, src/writers/epub.ts):
 * each document is final as soon as every link it has leads to what has come, and the
 * book it gives at the end is the one resolveLinks() gives once the transform has ended,
 * or none (then the writer resolves the book whole).
 */
import { BookStream, resolveLinks, type EarlyBody } from '../../src/writers/epub';

const page = (body: string) =>
  '<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml" ' +
  'xmlns:epub="http://www.idpf.org/2007/ops" lang="en" xml:lang="en"><head><meta charset="utf-8"/>' +
  `<title>t</title></head><body>${body}</body></html>`;

/** A small book: notes called from two files, a cross-reference forward and back, an
 * index, a link outside the book, a page break, and the cover's SVG; `dead`: links to an
 * id and a file that are not in it. */
function book(dead = false): [string, string][] {
  const nowhere = dead ? ' <a href="#nowhere">nothing</a> <a href="missing.xhtml">no file</a>' : '';
  return [
    ['cover.xhtml', page('<img src="images/cover.svg" alt="A"/>')],
    ['titlepage.xhtml', page('<h1 id="title">A</h1><a href="#one">start</a>')],
    [
      'endnotes.xhtml',
      page(
        '<ol><li id="n1"><a href="#c1" epub:type="backlink">1</a> See <a href="#two">two</a>.</li>' +
          '<li id="n2"><a href="#c2" epub:type="backlink">2</a></li></ol>',
      ),
    ],
    [
      'text-001.xhtml',
      page(
        '<section id="one"><p>x<a id="c1" href="#n1" epub:type="noteref">1</a>' +
          '<span id="p-1" epub:type="pagebreak" role="doc-pagebreak" title="1"></span>' +
          ' <a href="#s2">forward</a> <a href="text-002.xhtml#s2">by file</a>' +
          ` <a href="https://example.org/">out</a>${nowhere}</p></section>`,
      ),
    ],
    [
      'text-002.xhtml',
      page(
        '<section id="two"><p id="s2">y<a id="c2" href="#n2" epub:type="noteref">2</a>' +
          ' <a href="#one">back</a></p></section>',
      ),
    ],
    ['index.xhtml', page('<ul><li><a href="#c1">x</a>, <a href="#s2">y</a></li></ul>')],
    [
      'images/cover.svg',
      '<svg xmlns="http://www.w3.org/2000/svg"><title id="cover-title">A</title></svg>',
    ],
  ];
}
const order = [
  'cover.xhtml',
  'titlepage.xhtml',
  'text-001.xhtml',
  'text-002.xhtml',
  'endnotes.xhtml',
  'index.xhtml',
];

function streamed(docs: [string, string][]) {
  const stream = new BookStream();
  for (const [href, text] of docs) stream.add(href, text);
  const all = new Map(docs);
  const early = new Map<string, EarlyBody>();
  const where = stream.finish(all, order, early, new Map());
  return { stream, all, early, where };
}

function resolvedWhole(docs: [string, string][]) {
  const all = new Map(docs);
  const where = resolveLinks(all, order);
  return { all, where };
}

describe('BookStream', () => {
  test('in the order epub-book.xsl writes, all but the notes are final as they come', () => {
    const stream = new BookStream();
    const seen: string[][] = [];
    for (const [href, text] of book()) {
      stream.add(href, text);
      seen.push(stream.unresolved);
    }
    // the title page waits for the text it leads to, the notes for the text's calls
    expect(seen[0]).toEqual([]);
    expect(seen[1]).toEqual(['titlepage.xhtml']);
    expect(seen[2]).toEqual(['titlepage.xhtml', 'endnotes.xhtml']);
    // the first file brings the title page's target, and waits for the second
    expect(seen[3]).toEqual(['endnotes.xhtml', 'text-001.xhtml']);
    // the second file brings what both waited for: every document is final
    expect(seen[4]).toEqual([]);
    expect(seen[5]).toEqual([]);
  });

  test('a link to what never comes keeps a document waiting until the end', () => {
    const stream = new BookStream();
    for (const [href, text] of book(true)) stream.add(href, text);
    expect(stream.unresolved).toEqual(['text-001.xhtml']);
    const other = new BookStream();
    for (const [href, text] of book()) other.add(href, text.replace('#c2', '#c9'));
    expect(other.unresolved).toEqual(['endnotes.xhtml']);
  });

  test('gives the book resolveLinks gives at the end, whatever order the documents come in', () => {
    const expected = resolvedWhole(book(true));
    const docs = book(true);
    // every rotation and its reverse
    for (let k = 0; k < docs.length; k++) {
      for (const turn of [docs.slice(k).concat(docs.slice(0, k))]) {
        for (const sequence of [turn, [...turn].reverse()]) {
          const s = streamed(sequence);
          expect(s.where).toBeDefined();
          expect(new Map(s.where)).toEqual(new Map(expected.where));
          expect([...s.all].sort()).toEqual([...expected.all].sort());
          for (const [href, text] of expected.all) {
            const body = s.early.get(`OEBPS/${href}`)!;
            expect(body.text).toBe(text);
            expect(body.data.toString('utf8')).toBe(text);
          }
        }
      }
    }
    // what resolution did: across files, dropped where it leads nowhere, kept outside
    const text1 = expected.all.get('text-001.xhtml')!;
    expect(text1).toContain('href="endnotes.xhtml#n1"');
    expect(text1).toContain('href="text-002.xhtml#s2">forward');
    expect(text1).toContain('href="text-002.xhtml#s2">by file');
    expect(text1).toContain('href="https://example.org/"');
    expect(text1).toContain('<a>nothing</a>');
    expect(text1).toContain('<a>no file</a>');
  });

  test('an id in two documents leaves the book to be resolved whole', () => {
    const docs = book();
    docs[5] = ['index.xhtml', page('<ul><li id="n1"><a href="#c1">x</a></li></ul>')];
    expect(streamed(docs).where).toBeUndefined();
    // (resolved whole, the first in reading order holds it)
    expect(resolvedWhole(docs).where.get('n1')).toBe('endnotes.xhtml');
  });

  test('a document it fails on leaves the book to be resolved whole', () => {
    const s = new BookStream();
    for (const [href, text] of book()) s.add(href, text);
    expect(() => s.add('text-009.xhtml', null as unknown as string)).not.toThrow();
    expect(s.finish(new Map(book()), order, new Map(), new Map())).toBeUndefined();
  });

  test('documents that changed after they came (a missing image) are resolved whole', () => {
    const docs = book();
    const s = new BookStream();
    for (const [href, text] of docs) s.add(href, text);
    const all = new Map(docs);
    all.set('cover.xhtml', page('<span class="graphic-missing editorial">[image]</span>'));
    expect(s.finish(all, order, new Map(), new Map())).toBeUndefined();
  });

  test('a document the book does not list, or a page of a shared rendering, is not the book', () => {
    const extra = book().concat([['stray.xhtml', page('<p id="stray">z</p>')]]);
    expect(streamed(extra).where).toBeUndefined();
    // the pages a shared rendering writes are not the book's documents, and are ignored
    const pages = book().concat([
      ['index.html', '<html><body><p id="one">page</p></body></html>'],
      ['print.html', '<html><body><p id="two">page</p></body></html>'],
    ]);
    const s = new BookStream();
    for (const [href, text] of pages) s.add(href, text);
    const all = new Map(book());
    expect(s.finish(all, order, new Map(), new Map())).toBeDefined();
  });
});
