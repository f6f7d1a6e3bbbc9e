/**
 * editio's RELAX NG validators must agree with jing: same verdict and the same error
 * lines, for every corpus file and for broken copies of a small valid document. Both
 * are held to it: the derivative validator with jing's recovery (rng-errors.ts, what a
 * build reports) and salve (the fallback when the fast grammar cannot be used).
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from '../../src/diagnostics';
import { loadXmlFile } from '../../src/load';
import { validateFast } from '../../src/validate/rng-errors';
import type { FastGrammar } from '../../src/validate/rng-fast';
import { loadFastGrammar, loadGrammar, validateWithGrammar } from '../../src/validate/relaxng';
import { findJing, runJing, type JingError } from '../helpers/jing';
import { corpusDir, corpusFiles as allCorpusFiles } from '../helpers/corpus';

const repoRoot = path.resolve(__dirname, '../..');
const schema = path.join(repoRoot, 'schema/tei_all.rng');

const jing = findJing();
const corpusFiles = allCorpusFiles();
const missing: string[] = [];
if (!jing) missing.push('jing is not on PATH');
if (!fs.existsSync(schema)) missing.push(`${schema} does not exist`);
const canRun = missing.length === 0;
if (!canRun) {
  console.warn(`relaxng-vs-jing: skipped, because ${missing.join(' and ')}`);
}
if (corpusFiles.length === 0) {
  console.warn(`relaxng-vs-jing: corpus tests skipped, because ${corpusDir} has no *.xml files`);
}

type SalveGrammar = Parameters<typeof validateWithGrammar>[1];
type Engine = 'fast' | 'salve';
const engines: Engine[] = ['fast', 'salve'];

/** Our errors: loader errors plus RELAX NG errors, from one engine. */
function ours(file: string, engine: Engine, rng: string = schema): Diagnostic[] {
  const loaded = loadXmlFile(file);
  const errs = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (!loaded.ok) return errs;
  const rngErrs =
    engine === 'fast'
      ? validateFast(grammars.get(rng)!.fast, loaded.text, file, { maxErrors: 100000 })
      : validateWithGrammar(loaded, grammars.get(rng)!.salve, { maxErrors: 100000 });
  return [...errs, ...rngErrs];
}

const grammars = new Map<string, { fast: FastGrammar; salve: SalveGrammar }>();
async function loadBoth(rng: string): Promise<void> {
  if (grammars.has(rng)) return;
  grammars.set(rng, {
    fast: await loadFastGrammar(rng),
    salve: (await loadGrammar(rng)).grammar,
  });
}

function lineSet(xs: { line: number }[]): number[] {
  return [...new Set(xs.map((x) => x.line))].sort((a, b) => a - b);
}

let jingCorpus = new Map<string, JingError[]>();

const d = canRun ? describe : describe.skip;

d.each(engines)('RELAX NG (%s) agrees with jing on tei_all.rng', (engine) => {
  beforeAll(async () => {
    await loadBoth(schema);
    if (corpusFiles.length > 0) jingCorpus = runJing(jing as string, schema, corpusFiles);
  });

  const corpusTest =
    corpusFiles.length > 0 ? test.each(corpusFiles.map((f) => [path.basename(f), f])) : null;
  if (corpusTest) {
    corpusTest('%s: same verdict and error lines', (_name, file) => {
      const j = jingCorpus.get(path.resolve(file)) ?? [];
      const o = ours(file, engine);
      expect(o.length === 0).toBe(j.length === 0);
      if (j.some((e) => e.severity === 'fatal')) {
        // jing aborts at a fatal error (e.g. an XInclude it could not resolve: jing's
        // wrapper enables XInclude, editio never follows them). Its lines up to the fatal
        // error must be ours too; after that jing says nothing.
        const fatalLine = Math.min(...j.filter((e) => e.severity === 'fatal').map((e) => e.line));
        expect(lineSet(o).filter((l) => l <= fatalLine)).toEqual(lineSet(j));
      } else {
        expect(lineSet(o)).toEqual(lineSet(j));
      }
    });
  } else {
    test.skip('corpus is missing', () => undefined);
  }

  describe('broken copies of a small valid document', () => {
    const base = path.join(corpusDir, 'teisig-correspdesc-example01-basic-letter.xml');
    const baseText = fs.existsSync(base)
      ? fs.readFileSync(base, 'utf8')
      : '<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">\n' +
        '    <teiHeader>\n        <fileDesc>\n            <titleStmt>\n                <title>T</title>\n' +
        '            </titleStmt>\n            <publicationStmt>\n                <p>P</p>\n' +
        '            </publicationStmt>\n            <sourceDesc>\n                <p>S</p>\n' +
        '            </sourceDesc>\n        </fileDesc>\n        <profileDesc>\n' +
        '            <correspDesc>\n                <correspAction type="sent">\n' +
        '                    <date when="1807-01-29">29 January 1807</date>\n' +
        '                </correspAction>\n            </correspDesc>\n        </profileDesc>\n' +
        '    </teiHeader>\n    <text>\n        <body>\n            <p>x</p>\n        </body>\n    </text>\n</TEI>\n';

    function mutate(find: string | RegExp, replace: string): string {
      const out = baseText.replace(find, replace);
      if (out === baseText) throw new Error(`mutation did not apply: ${String(find)}`);
      return out;
    }

    const cases: [string, () => string, string][] = [
      [
        'unknown element',
        () => mutate('</title>', '<bogus>x</bogus></title>'),
        'rng.element-not-allowed',
      ],
      [
        'missing required attribute',
        () =>
          mutate(
            '<profileDesc>',
            '<profileDesc>\n<langUsage>\n<language>English</language>\n</langUsage>',
          ),
        'rng.attribute-missing',
      ],
      [
        'misplaced element',
        () => mutate('<fileDesc>', '<fileDesc>\n<p>misplaced</p>'),
        'rng.element-not-allowed',
      ],
      [
        'bad @when',
        () => mutate(/when="[^"]*"/, 'when="1807-13-45"'),
        'rng.attribute-value-invalid',
      ],
      [
        'bad xml:lang',
        () => mutate('<text>', '<text xml:lang="not a language!">'),
        'rng.attribute-value-invalid',
      ],
      [
        'stray text over several lines',
        () =>
          mutate(
            '</titleStmt>',
            '</titleStmt>\nstray\n  text <!-- c --> here &amp; <?pi x?>there\n',
          ),
        'rng.text-not-allowed',
      ],
      [
        'missing required element',
        () => mutate(/<sourceDesc>[\s\S]*?<\/sourceDesc>/, ''),
        'rng.element-incomplete',
      ],
      [
        'unknown attribute',
        () => mutate('<body>', '<body\n   bogus="1">'),
        'rng.attribute-not-allowed',
      ],
      // jing's recovery: a group skips a required member it has not seen yet
      [
        'element before a required one',
        () => mutate('<titleStmt>', '<publicationStmt><p>early</p></publicationStmt>\n<titleStmt>'),
        'rng.element-not-allowed',
      ],
      // inside an element the grammar does not know, known elements are still checked
      [
        'known elements inside an unknown one',
        () =>
          mutate('<body>', '<body><p>x<zz>\n<hi>y<yy/></hi>\n<list><p>no</p></list></zz>\n</p>'),
        'rng.element-not-allowed',
      ],
      [
        'invalid data content',
        () => mutate('<body>', '<body><p>x <gi>not a name!</gi> and <gi/></p>'),
        'rng.text-invalid',
      ],
      [
        'duplicate xml:id',
        () => mutate('<body>', '<body><p xml:id="a">x</p>\n<p xml:id="a">y</p>'),
        'rng.duplicate-id',
      ],
      [
        'element ends too early, then goes on',
        () => mutate('<correspAction type="sent">', '<correspAction type="sent"><foo/>'),
        'rng.element-not-allowed',
      ],
    ];

    let tmp: string;
    let files: string[] = [];
    let jingBroken = new Map<string, JingError[]>();

    beforeAll(() => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'editio-rng-'));
      files = cases.map(([name, make]) => {
        const p = path.join(tmp, `${name.replace(/\W+/g, '-')}.xml`);
        fs.writeFileSync(p, make());
        return p;
      });
      jingBroken = runJing(jing as string, schema, files);
    });

    afterAll(() => {
      fs.rmSync(tmp, { recursive: true, force: true });
    });

    // Cases where salve's recovery differs from jing's (an element before a required one,
    // elements inside an unknown one, data content, an ID's first holder): held to jing
    // for the derivative validator only, which is what a build reports.
    const salveDiffers = new Set([
      'element before a required one',
      'known elements inside an unknown one',
      'invalid data content',
      'duplicate xml:id',
    ]);
    const mine = cases
      .map((c, i) => [c[0], i, c[2]] as const)
      .filter((c) => engine === 'fast' || !salveDiffers.has(c[0]));
    test.each(mine)('%s: same lines as jing', (_name, i, code) => {
      const file = files[i];
      const j = jingBroken.get(path.resolve(file)) ?? [];
      const o = ours(file, engine);
      expect(j.length).toBeGreaterThan(0);
      expect(o.map((x) => x.code)).toContain(code);
      expect(lineSet(o)).toEqual(lineSet(j));
      // Columns agree too (both point just past the tag's `>` or at the end of the text).
      expect(o.map((x) => `${x.line}:${x.column}`).sort()).toEqual(
        [...new Set(j.map((x) => `${x.line}:${x.column}`))].sort(),
      );
    });
  });
});

d.each(engines)('RELAX NG (%s) agrees with jing on the flagship and editio.rng', (engine) => {
  const flagship = path.join(repoRoot, 'source/serge-1940.xml');
  const editioRng = path.join(repoRoot, 'schema/editio.rng');

  test('the flagship: valid for both, against editio.rng and against tei_all', async () => {
    for (const rng of [editioRng, schema]) {
      await loadBoth(rng);
      const j = runJing(jing as string, rng, [flagship]).get(path.resolve(flagship)) ?? [];
      const o = ours(flagship, engine, rng);
      expect(j).toEqual([]);
      expect(o).toEqual([]);
    }
  });

  test('a removed module: both reject a dictionary entry under editio.rng, at the same line', async () => {
    const f = path.join(repoRoot, 'test/fixtures/schema/uses-dictionary-entry.xml');
    await loadBoth(editioRng);
    const j = runJing(jing as string, editioRng, [f]).get(path.resolve(f)) ?? [];
    const o = ours(f, engine, editioRng);
    expect(j.length).toBeGreaterThan(0);
    // The fault is the <entry>: both report it first, at the same line. Inside an element
    // that is not allowed, jing also reports each descendant that no longer occurs anywhere
    // in the simplified grammar; salve reports fewer of those cascades, never other lines.
    expect(lineSet(o)[0]).toBe(lineSet(j)[0]);
    for (const l of lineSet(o)) expect(lineSet(j)).toContain(l);
  });
});
