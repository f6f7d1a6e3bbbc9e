/**
 * The metadata record (src/metadata, src/xslt/core/metadata.xsl) and the head of the
 * HTML page built from it (Dublin Core, schema.org JSON-LD). Needs the compiled
 * stylesheets (`node scripts/compile-xslt.js`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { SaxesParser } from 'saxes';
import { extractMetadata } from '../../src/metadata';
import { renderHtml } from '../../src/writers/html';
import { corpusDir } from '../helpers/corpus';

const repoRoot = path.resolve(__dirname, '..', '..');
const flagshipFile = path.join(repoRoot, 'source', 'serge-1940.xml');
const flagship = fs.readFileSync(flagshipFile, 'utf8');

function meta(file: string) {
  return extractMetadata(fs.readFileSync(file, 'utf8'), file);
}

describe('extractMetadata', () => {
  test('the flagship: titles, people with MARC roles, licence, dates, languages', () => {
    const { metadata: m, diagnostics } = extractMetadata(flagship, 'serge-1940.xml');
    expect(diagnostics).toEqual([]);
    expect(m.kind).toBe('edition');
    expect(m.title).toBe('Unpublished Manuscript on Their Morals and Ours');
    expect(m.subtitle).toMatch(/^Victor Serge’s 1940 critique/);
    expect(m.authors).toEqual([{ name: 'Victor Serge', role: 'aut', kind: 'person', id: 'VS' }]);
    expect(m.translators.map((c) => [c.name, c.role, c.id])).toEqual([
      ['Mitchell Abidor', 'trl', 'MA'],
    ]);
    expect(m.editors.map((c) => [c.name, c.role, c.kind])).toEqual([
      ['the editio project', 'edt', 'organisation'],
    ]);
    // "supplied the manuscript to the translator" is not a translator
    expect(m.contributors.map((c) => [c.name, c.role])).toEqual([['Richard Greeman', 'ctb']]);
    expect(m.licence?.url).toBe('https://creativecommons.org/licenses/by-sa/4.0/');
    expect(m.licence?.text).toMatch(/^Creative Commons Attribution-ShareAlike/);
    expect(m.dates).toEqual({ created: '1940', published: '2026-11-26', revised: '2026-11-26' });
    expect(m.languages).toEqual(['en', 'fr', 'la']);
    expect(m.language).toBe('en');
    expect(m.publisher).toBe('the editio project');
    expect(m.source).toMatch(/^Victor Serge, Unpublished Manuscript/);
    expect(m.description).toBe(
      'Unpublished Manuscript on Their Morals and Ours, by Victor Serge, translated by Mitchell Abidor, edited by the editio project.',
    );
    expect(m.hasPageBreaks).toBe(false);
  });

  test('non-editions: header-only, teiCorpus, not TEI', () => {
    const ho = meta(path.join(repoRoot, 'test/fixtures/xslt/header-only.xml')).metadata;
    expect(ho.kind).toBe('header-only');
    expect(ho.title).toBe('Only a Header');
    const corpus = meta(path.join(repoRoot, 'test/fixtures/xslt/corpus.xml')).metadata;
    expect(corpus.kind).toBe('corpus');
    const frag = extractMetadata('<surface xmlns="http://www.tei-c.org/ns/1.0"/>', 'x.xml');
    expect(frag.diagnostics).toEqual([]);
    expect(frag.metadata.kind).toBe('fragment');
    expect(frag.metadata.description.length).toBeGreaterThan(0);
  });

  test('a document that is not XML gives an error, not a crash', () => {
    const r = extractMetadata('<TEI', 'broken.xml');
    expect(r.diagnostics[0].code).toBe('metadata.failed');
    expect(r.metadata.title).toBe('broken');
  });

  const corpusFiles = [
    'rusdracor-chekhov-svadba.xml',
    'dta-dingler-pj002-volume.xml',
    'gerdracor-corpus-teiCorpus.xml',
    'teic-stylesheets-tei-simplePrint-odd.xml',
    'perseus-quintilian-institutio-eng.xml',
  ].filter((f) => fs.existsSync(path.join(corpusDir, f)));
  test.each(corpusFiles)('corpus document %s: a complete record', (f) => {
    const { metadata: m, diagnostics } = meta(path.join(corpusDir, f));
    expect(diagnostics).toEqual([]);
    expect(m.title.length).toBeGreaterThan(0);
    expect(m.description.length).toBeGreaterThan(0);
    for (const c of [...m.authors, ...m.translators, ...m.editors, ...m.contributors]) {
      expect(c.name.length).toBeGreaterThan(0);
      expect(c.role).toMatch(/^[a-z]{3}$/);
    }
    if (f.startsWith('rusdracor')) {
      expect(m.language).toBe('ru');
      expect(m.authors[0].name).toBe('Антон Павлович Чехов');
      expect(m.licence?.url).toBe('https://creativecommons.org/publicdomain/zero/1.0/');
    }
    if (f.startsWith('gerdracor-corpus')) expect(m.kind).toBe('corpus');
    if (f.startsWith('perseus-quintilian')) expect(m.hasPageBreaks).toBe(true);
  });
});

describe('the HTML page head', () => {
  const { html } = renderHtml(flagship, { file: 'serge-1940.xml' });

  test('index.html parses as XML', () => {
    const parser = new SaxesParser({ xmlns: true });
    expect(() => parser.write(html.replace(/^<!DOCTYPE[^>]*>/i, '')).close()).not.toThrow();
  });

  test('Dublin Core <meta>', () => {
    expect(html).toContain('<meta name="DC.creator" content="Victor Serge" />');
    expect(html).toContain('<meta name="DC.contributor" content="Mitchell Abidor" />');
    expect(html).toContain('<meta name="DC.language" content="en" />');
    expect(html).toContain(
      '<meta name="DC.rights" content="https://creativecommons.org/licenses/by-sa/4.0/" />',
    );
    expect(html).toMatch(/<meta name="DC.title" content="Unpublished Manuscript/);
  });

  test('schema.org JSON-LD, with no way to close the script early', () => {
    const m = /<script type="application\/ld\+json">([^<]*)<\/script>/.exec(html);
    expect(m).not.toBeNull();
    const ld = JSON.parse(m![1]);
    expect(ld['@context']).toBe('https://schema.org');
    expect(ld['@type']).toBe('Book');
    expect(ld.author).toEqual([{ '@type': 'Person', name: 'Victor Serge' }]);
    expect(ld.translator).toEqual([{ '@type': 'Person', name: 'Mitchell Abidor' }]);
    expect(ld.inLanguage).toBe('en');
    expect(ld.license).toBe('https://creativecommons.org/licenses/by-sa/4.0/');

    const hostile = renderHtml(
      '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>a &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; b</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader><text><body><p>x</p></body></text></TEI>',
      { file: 'h.xml' },
    ).html;
    const h = /<script type="application\/ld\+json">([^<]*)<\/script>/.exec(hostile);
    expect(h).not.toBeNull();
    expect(h![1]).not.toMatch(/[<>&]/);
    expect(JSON.parse(h![1]).name).toBe('a </script><script>alert(1)</script> & b');
  });

  test('title page: names with roles, licence link, citation, index', () => {
    expect(html).toContain('<p class="edition-translators">Translated by Mitchell Abidor</p>');
    expect(html).toContain('rel="license" href="https://creativecommons.org/licenses/by-sa/4.0/"');
    expect(html).toContain('<summary>Cite this edition</summary>');
    expect(html).toContain('role="doc-index"');
    expect(html).toMatch(/<li class="index-entry" id="idx-LT">/);
  });

  test('a remote image becomes a link: the page makes no network request', () => {
    const out = renderHtml(
      '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>i</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader><text><body><figure><graphic url="https://example.org/a.png"/><figDesc>A tree</figDesc></figure><figure><graphic url="img/b.png"/></figure></body></text></TEI>',
      { file: 'i.xml' },
    ).html;
    expect(out).not.toMatch(/<img[^>]*src="https:/);
    expect(out).toMatch(/<a href="https:\/\/example.org\/a.png"[^>]*>\[image: A tree\]<\/a>/);
    expect(out).toMatch(/<img src="img\/b.png"/);
  });

  test('the page script is safe as XHTML and uses no inline handlers or eval', () => {
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).not.toMatch(/[<>&]/);
    expect(scripts[0]).not.toMatch(/\beval\b|new Function/);
    expect(html).not.toMatch(/\son[a-z]+\s*=\s*"/);
  });
});
