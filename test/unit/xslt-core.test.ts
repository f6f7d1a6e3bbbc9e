/**
 * The core TEI → XHTML transform (src/xslt/core/*.xsl via src/xslt/html.xsl).
 *
 * Needs the compiled stylesheet: `node scripts/compile-xslt.js` (part of `npm run build`).
 * Golden files: test/fixtures/xslt/<name>.xml → <name>.expected.html (the <main> element,
 * one block per line). `UPDATE_GOLDEN=1 npx jest test/unit/xslt-core.test.ts` rewrites
 * them; review each by eye before committing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { renderHtml } from '../../src/writers/html';
import { teiDocument } from '../helpers/tei-doc';
import { markupText, words } from '../helpers/words';
import { corpusDir, corpusNames } from '../helpers/corpus';

const repoRoot = path.resolve(__dirname, '..', '..');
const fixtures = path.join(repoRoot, 'test', 'fixtures', 'xslt');
const update = process.env.UPDATE_GOLDEN === '1';

function render(file: string) {
  const text = fs.readFileSync(file, 'utf8');
  return renderHtml(text, { file: path.relative(repoRoot, file) });
}

/** The <main> element, one block-level start tag per line (for reviewable goldens). */
function mainFragment(html: string): string {
  const m = /<main[\s>][\s\S]*<\/main>/.exec(html);
  if (!m) throw new Error('no <main> in output');
  return (
    m[0]
      .replace(
        /<(article|section|header|nav|div|p|h[1-6]|ol|ul|dl|li|dt|dd|table|caption|tbody|tr|td|th|figure|figcaption|blockquote|pre)([\s>])/g,
        '\n<$1$2',
      )
      .replace(/^\n/, '') + '\n'
  );
}

/** Words of the TEI text (or sourceDoc when there is no text, or the whole non-TEI root). */
function teiWords(xml: string): Map<string, number> {
  const hasText = /<(?:[\w.-]+:)?text[\s>]/.test(xml);
  const hasSourceDoc = /<(?:[\w.-]+:)?sourceDoc[\s>]/.test(xml);
  const root = /<(?:[\w.-]+:)?(TEI|teiCorpus)[\s>]/.test(xml);
  const within = (stack: string[]) =>
    !root
      ? true
      : hasText
        ? stack.includes('text')
        : hasSourceDoc
          ? stack.includes('sourceDoc')
          : false;
  return words(markupText(xml, { within, skip: new Set(['teiHeader']) }));
}

function htmlWords(html: string): Map<string, number> {
  return words(
    markupText(html.replace(/^<!DOCTYPE[^>]*>/i, ''), {
      within: (s) => s.includes('body'),
      skip: new Set(['style']),
    }),
  );
}

function htmlText(html: string): string {
  return markupText(html.replace(/^<!DOCTYPE[^>]*>/i, ''), {
    within: (s) => s.includes('body'),
    skip: new Set(['style']),
  })
    .normalize('NFC')
    .toLowerCase();
}

function missingWords(tei: Map<string, number>, html: Map<string, number>): string[] {
  const missing: string[] = [];
  for (const [w, n] of tei) {
    const have = html.get(w) ?? 0;
    if (have < n) missing.push(`${w}×${n - have}`);
  }
  return missing;
}

describe('golden files', () => {
  const names = fs
    .readdirSync(fixtures)
    .filter((f) => f.endsWith('.xml'))
    .map((f) => f.replace(/\.xml$/, ''));
  test.each(names)('%s', (name) => {
    const r = render(path.join(fixtures, `${name}.xml`));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const actual = mainFragment(r.html);
    const goldenPath = path.join(fixtures, `${name}.expected.html`);
    if (update || !fs.existsSync(goldenPath)) fs.writeFileSync(goldenPath, actual);
    expect(actual).toBe(fs.readFileSync(goldenPath, 'utf8'));
  });
});

describe('document shell', () => {
  test('XHTML5 with lang, title, style with dark mode and print', () => {
    const r = render(path.join(fixtures, 'textstructure.xml'));
    expect(r.html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(r.html).toMatch(
      /<html xmlns="http:\/\/www.w3.org\/1999\/xhtml" lang="en" xml:lang="en">/,
    );
    expect(r.html).toContain('<title>Fixture</title>');
    expect(r.html).toContain('prefers-color-scheme: dark');
    expect(r.html).toContain('@media print');
    expect(r.html).toContain('role="doc-toc"');
  });

  test('the output is well-formed XML', () => {
    for (const f of fs.readdirSync(fixtures).filter((x) => x.endsWith('.xml'))) {
      const r = render(path.join(fixtures, f));
      expect(() => markupText(r.html.replace(/^<!DOCTYPE[^>]*>/i, ''))).not.toThrow();
    }
  });

  test('a header-only document says it has no text', () => {
    const r = render(path.join(fixtures, 'header-only.xml'));
    expect(r.html).toContain('Only a Header');
    expect(r.html).toContain('no text');
  });

  test('a teiCorpus renders each TEI, ids stay unique', () => {
    const r = render(path.join(fixtures, 'corpus.xml'));
    expect(r.html).toContain('Premier');
    expect(r.html).toContain('Second');
    expect(r.html).toContain('lang="fr"');
    const ids = [...r.html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('class attribute', () => {
  // One class list for every element: an anchor (rendered by its own template) takes its
  // classes as any other element does, each @type token once.
  test('an anchor and a hi with the same repeated @type get the same type class, once', () => {
    const r = renderHtml(
      teiDocument(
        '<body><p><hi rend="italic" type="x x">a</hi><anchor xml:id="A1" type="x x"/></p></body>',
      ),
      { file: 'classes.xml' },
    );
    expect(r.html).toContain('<i class="tei-hi rend-italic type-x">a</i>');
    expect(r.html).toContain('<span id="A1" class="tei-anchor type-x">');
  });
});

describe('section ids', () => {
  // Positions past 256 siblings (32 in a text with numbered divisions) come from an
  // accumulator, the others from counting: both must give the same path ids, in every
  // place a division can stand.
  const divs = (n: number, inner: (k: number) => string = () => '') =>
    Array.from({ length: n }, (_, i) => `<div><p>d${i + 1}</p>${inner(i + 1)}</div>`).join('');
  const range = <T>(n: number, id: (k: number) => T): T[] =>
    Array.from({ length: n }, (_, i) => id(i + 1));
  const sectionIds = (xml: string) => {
    const r = renderHtml(xml, { file: 'ids.xml' });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    return [...r.html.matchAll(/<section\b[^>]*? id="([^"]+)"/g)].map((m) => m[1]);
  };

  test('many sibling divisions in front, body, back, a division and a floatingText', () => {
    const inner = (k: number) =>
      k === 131
        ? divs(136)
        : k === 132
          ? `<floatingText><body>${divs(130)}</body></floatingText>`
          : // divisions in a quote: not TEI, but the transform must still number them
            k === 133
            ? `<quote>${divs(130)}</quote>`
            : '';
    const ids = sectionIds(
      teiDocument(
        `<front>${divs(260)}</front><body>${divs(136, inner)}</body><back>${divs(129)}</back>`,
      ),
    );
    expect(ids).toEqual([
      ...range(260, (k) => `front-s${k}`),
      ...range(130, (k) => `s${k}`),
      's131',
      ...range(136, (k) => `s131-${k}`),
      's132',
      ...range(130, (k) => `s132-${k}`),
      's133',
      ...range(130, (k) => `s133-${k}`),
      's134',
      's135',
      's136',
      ...range(129, (k) => `back-s${k}`),
    ]);
  });

  // A division's path is its parent's path and its own position (e:section passes it
  // down); the contents list asks e:section-id, which works it out from the document:
  // the two must agree, and a parent's xml:id never enters its children's paths.
  test("nested divisions: paths from the parent's path, as the contents list links them", () => {
    const r = renderHtml(
      teiDocument(
        '<body><div xml:id="intro"><head>I</head><div><head>a</head><div><head>x</head></div>' +
          '<div><head>y</head></div></div></div><div><head>II</head><p>t</p>' +
          '<div><head>b</head></div></div></body>',
      ),
      { file: 'nested.xml' },
    );
    const ids = [...r.html.matchAll(/<section\b[^>]*? id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['intro', 's1-1', 's1-1-1', 's1-1-2', 's2', 's2-1']);
    const toc = /<nav class="toc"[\s\S]*?<\/nav>/.exec(r.html)![0];
    expect([...toc.matchAll(/href="#([^"]+)"/g)].map((m) => m[1])).toEqual(ids);
  });

  test('many sibling divisions in the texts of a group', () => {
    const ids = sectionIds(
      teiDocument(
        `<group><text><body>${divs(129)}</body></text><text><body>${divs(131)}</body></text></group>`,
      ),
    );
    expect(ids).toEqual([...range(129, (k) => `t1-s${k}`), ...range(131, (k) => `t2-s${k}`)]);
  });

  // A document with only <div> is numbered through name tests; one with numbered divisions
  // (div1…div7) through the general test: the same paths either way.
  test('numbered divisions, and div mixed with div1 (invalid, still unique ids)', () => {
    const numbered = Array.from(
      { length: 40 },
      (_, i) => `<div1><p>a${i}</p><div2><p>b</p></div2><div2><p>c</p></div2></div1>`,
    ).join('');
    expect(sectionIds(teiDocument(`<body>${numbered}</body>`))).toEqual(
      range(40, (k) => [`s${k}`, `s${k}-1`, `s${k}-2`]).flat(),
    );
    const mixed = Array.from({ length: 40 }, (_, i) =>
      i % 3 === 1 ? `<div1><p>m${i}</p></div1>` : `<div><p>m${i}</p></div>`,
    ).join('');
    expect(sectionIds(teiDocument(`<body>${mixed}</body>`))).toEqual(range(40, (k) => `s${k}`));
  });

  // The ids made for divisions and notes (e:fresh-id) must not take one the source's
  // elements hold: the made one gets "-e", the call of a note follows its note, and no
  // id of the page is there twice.
  test('a made id that an element of the source holds gets "-e"', () => {
    const r = renderHtml(
      teiDocument(
        '<body><div><p xml:id="s2">One<note>A note.</note></p></div>' +
          '<div><p xml:id="fn1">Two</p><p xml:id="ref-fn2">Three<note>Another.</note></p></div></body>',
      ),
      { file: 'clash.xml' },
    );
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect([...r.html.matchAll(/<section\b[^>]*? id="([^"]+)"/g)].map((m) => m[1])).toEqual([
      's1',
      's2-e',
    ]);
    const calls = [
      ...r.html.matchAll(/<a class="noteref[^"]*" href="#([^"]+)"[^>]*? id="([^"]+)"/g),
    ];
    expect(calls.map((m) => [m[1], m[2]])).toEqual([
      ['fn1-e', 'ref-fn1-e'],
      ['fn2', 'ref-fn2-e'],
    ]);
    const ids = [...r.html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const own of ['s2', 'fn1', 'ref-fn2']) expect(ids).toContain(own);
  });
});

describe('editorial truth', () => {
  test('gaps show reason and extent as editorial text', () => {
    const { html } = render(path.join(fixtures, 'editorial.xml'));
    expect(html).toContain(
      '<span class="tei-gap editorial" data-reason="illegible">[illegible: rest of the sentence]</span>',
    );
    expect(html).toContain('[lost: 3 words]');
    expect(html).toContain('[damage: 2–3 lines; water]');
    expect(html).toContain('[omitted: a list of names]');
  });

  test('choice shows the corrected reading, keeps the other hidden', () => {
    const { html } = render(path.join(fixtures, 'editorial.xml'));
    expect(html).toMatch(
      /<span class="tei-corr reading-primary reading-edited" title="sic: teh">the<\/span><span class="tei-sic reading-alternative reading-source" hidden="hidden" title="corr: the">teh<\/span>/,
    );
    expect(html).toContain('>unto<');
    expect(html).toContain('>Doctor<');
  });

  test('notes: series, labels, links both ways, missing text', () => {
    const { html } = render(path.join(fixtures, 'notes.xml'));
    expect(html).toContain('<sup>7</sup>');
    expect(html).toMatch(/noteref-translator"[^>]*><sup>T1<\/sup>/);
    expect(html).toMatch(/noteref-editor"[^>]*><sup>E1<\/sup>/);
    expect(html).toMatch(/noteref-editor"[^>]*><sup>E2<\/sup>/);
    expect(html).toContain('the text of this note is missing');
    expect(html).toContain('There is nothing corresponding to note 8');
    // every call links to an existing note and back
    for (const m of html.matchAll(/<a class="noteref[^"]*" href="#([^"]+)"[^>]*id="([^"]+)"/g)) {
      expect(html).toContain(`id="${m[1]}"`);
      expect(html).toContain(`href="#${m[2]}"`);
    }
  });

  test('apparatus: lemma in the text, readings with witnesses in the notes', () => {
    const { html } = render(path.join(fixtures, 'apparatus.xml'));
    expect(html).toContain('<span class="tei-lem">virumque</span>');
    expect(html).toMatch(
      /<span class="app-lemma">virumque<\/span> <span class="app-wit editorial">𝔄<\/span>/,
    );
    expect(html).toContain(
      '<span class="tei-rdg">virum</span> <span class="app-wit editorial">B</span>',
    );
    expect(html).toContain('om.');
  });

  test('a note in an app is the entry’s comment, once; every note listed has its call', () => {
    // (as in Whitman's Leaves of Grass: notes on the readings of a binding, each with
    // @target; listed again among the notes, they had no call and a back-link to nothing)
    const tei =
      '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>App</title>' +
      '</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>' +
      '</teiHeader><text><body><p>Bound in <app><lem wit="#A">cloth</lem><rdg wit="#B" xml:id="r1">paper</rdg>' +
      '<note target="#r1">Blue wrapper.</note></app>, with <note>A footnote.</note> a note.</p></body></text></TEI>';
    const { html } = renderHtml(tei, { file: 'app-note.xml' });
    expect(html.match(/Blue wrapper\./g)).toHaveLength(1);
    expect(html).toMatch(
      /<li id="([^"]+)"[^>]*note-apparatus[^]*<span class="app-comment">Blue wrapper\.<\/span>/,
    );
    const entries = [...html.matchAll(/<li id="([^"]+)"[^>]*class="footnote/g)].map((m) => m[1]);
    expect(entries).toHaveLength(2); // the apparatus entry and the footnote
    for (const id of entries) {
      expect(html).toContain(`href="#${id}"`); // its call
      expect(html).toMatch(new RegExp(`<li id="${id}"[^>]*>[^<]*<a [^>]*href="#`)); // its back-link
    }
  });
});

describe('safety', () => {
  const r = render(path.join(fixtures, 'hostile.xml'));
  // editio's own scripts (the JSON-LD record in <head>, the page script before </body>)
  // are the only ones; the source's content never becomes one.
  const own = [...r.html.matchAll(/<script[\s>][\s\S]*?<\/script>/g)].map((m) => m[0]);
  const html = r.html
    .replace(/<script type="application\/ld\+json">[^<]*<\/script>/, '')
    .replace(/<script>[^<]*<\/script><\/body>/, '</body>');
  test('no script elements, no event handlers, no style attributes', () => {
    expect(own).toHaveLength(2);
    expect(html).not.toMatch(/<(?:\w+:)?script/i);
    expect(html).not.toMatch(/\son\w+\s*=/i);
    expect(html).not.toMatch(/\sstyle\s*=/i);
    expect(html).not.toMatch(/<iframe|<foreignObject|<img[^>]*onerror/i);
  });
  test('no live javascript:, vbscript: or data: URL', () => {
    for (const m of html.matchAll(/\s(?:href|src|xlink:href|data-ref)="([^"]*)"/g)) {
      expect(m[1].replace(/\s/g, '').toLowerCase()).not.toMatch(/^(javascript|vbscript|data):/);
    }
    expect(html).not.toMatch(/url\(javascript/i);
    expect(html).toContain(
      '<span class="tei-ref link-disabled" title="link disabled (unsafe address)">js link</span>',
    );
  });
  test('foreign markup becomes text; MathML and SVG pass, cleaned', () => {
    expect(html).toContain('<span class="foreign-markup">alert("x")</span>');
    expect(html).toMatch(/<math xmlns="http:\/\/www.w3.org\/1998\/Math\/MathML"><mi>x<\/mi>/);
    expect(html).toMatch(/<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="10" height="10">/);
    expect(html).toMatch(/<circle r="2"(\/>|><\/circle>)/);
  });
  test('unknown elements keep their text and are reported once', () => {
    expect(html).toContain('kept text');
    const unknown = r.diagnostics.filter((d) => d.code === 'xslt.unknown-element');
    expect(unknown).toHaveLength(1);
    expect(unknown[0].message).toContain('wibble');
    expect(unknown[0].message).toContain('2 occurrences');
    expect(unknown[0].line).toBeGreaterThan(0);
    expect(r.diagnostics.some((d) => d.code === 'xslt.foreign-markup')).toBe(true);
  });
});

describe('shared corpus', () => {
  const files = corpusNames();
  if (files.length === 0) {
    test('corpus absent', () => {
      console.warn(`skipping corpus tests: ${corpusDir} not found`);
    });
    return;
  }
  test.each(files)(
    '%s renders and keeps every word of the text',
    (f) => {
      const src = fs.readFileSync(path.join(corpusDir, f), 'utf8');
      const r = renderHtml(src, { file: f });
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(r.html.length).toBeGreaterThan(0);
      // A word the HTML joined to its neighbour (an empty element such as delSpan renders
      // nothing, so its boundary disappears) still counts when it occurs inside a word.
      const flat = htmlText(r.html);
      const missing = missingWords(teiWords(src), htmlWords(r.html)).filter(
        (m) => !flat.includes(m.replace(/×\d+$/, '')),
      );
      if (missing.length > 0)
        console.warn(`${f}: missing words: ${missing.slice(0, 40).join(' ')}`);
      expect(missing).toEqual([]);
      // Every id in the page is unique (links, the contents and notes depend on it).
      const ids = [...r.html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
      const dupes = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
      expect(dupes).toEqual([]);
    },
    600000,
  );
});
