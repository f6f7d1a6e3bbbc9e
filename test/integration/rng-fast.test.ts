/**
 * The fast RELAX NG check (rng-fast.ts) may say "valid" only where salve finds no error,
 * and should say "valid" wherever salve does (else it is no faster). It never produces
 * messages: salve does, whenever the fast check says "invalid".
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadXmlFile } from '../../src/load';
import { fastCheck, readCompactGrammar, writeFastGrammar } from '../../src/validate/rng-fast';
import {
  loadFastGrammar,
  loadGrammar,
  validateRelaxNG,
  validateWithGrammar,
} from '../../src/validate/relaxng';
import { teiDocument } from '../helpers/tei-doc';

const repoRoot = path.resolve(__dirname, '../..');
const corpusDir = path.resolve(repoRoot, '../shared/corpus');
const teiAll = path.join(repoRoot, 'schema/tei_all.rng');
const editioRng = path.join(repoRoot, 'schema/editio.rng');
const flagship = path.join(repoRoot, 'source/serge-1940.xml');

const corpusFiles = fs.existsSync(corpusDir)
  ? fs
      .readdirSync(corpusDir)
      .filter((f) => f.endsWith('.xml'))
      .sort()
      .map((f) => path.join(corpusDir, f))
  : [];

function verdicts(file: string, rng: string) {
  return async () => {
    const loaded = loadXmlFile(file);
    if (!loaded.ok) return;
    const fast = fastCheck(await loadFastGrammar(rng), loaded.text);
    const salve = validateWithGrammar(loaded, (await loadGrammar(rng)).grammar, {
      maxErrors: 100000,
    });
    expect(fast).toBe(salve.length === 0 ? 'valid' : 'invalid');
  };
}

describe('fast RELAX NG check agrees with salve', () => {
  test('the flagship against editio.rng', verdicts(flagship, editioRng), 60000);
  test('the flagship against tei_all', verdicts(flagship, teiAll), 60000);
  for (const f of corpusFiles) {
    test(`${path.basename(f)} against tei_all`, verdicts(f, teiAll), 60000);
  }
});

describe('fast RELAX NG check: small cases', () => {
  const doc = (body: string) => teiDocument(`<body>${body}</body>`);

  const cases: [string, string][] = [
    ['valid', doc('<p xml:id="a">x <hi rend="b">y</hi></p>')],
    ['duplicate xml:id', doc('<p xml:id="a">x</p><p xml:id="a">y</p>')],
    ['unknown element', doc('<p><bogus/></p>')],
    ['unknown attribute', doc('<p bogus="1">x</p>')],
    ['bad attribute value', doc('<p><date when="1807-13-45">x</date></p>')],
    ['text where none is allowed', doc('stray<p>x</p>')],
    ['whitespace-only content of an element with text', doc('<p>  </p>')],
    ['whitespace in an empty element', doc('<p>a<lb>  </lb>b</p>')],
    ['missing required element', doc('')],
    ['CDATA text', doc('<p><![CDATA[x < y]]></p>')],
    ['namespaced QName-free attribute', doc('<p xml:lang="en">x</p>')],
  ];

  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'editio-rng-fast-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test.each(cases)('%s: same verdict as salve', async (name, text) => {
    const file = path.join(tmp, `${name.replace(/\W+/g, '-')}.xml`);
    fs.writeFileSync(file, text);
    await verdicts(file, teiAll)();
  });

  test('the compact form reads back to a grammar giving the same verdicts', async () => {
    const g = await loadFastGrammar(teiAll);
    const again = readCompactGrammar(writeFastGrammar(readCompactGrammar(writeFastGrammar(g))));
    for (const [, text] of cases) expect(fastCheck(again, text)).toBe(fastCheck(g, text));
  });

  test('EDITIO_RNG_FAST=0 and the fast path report the same diagnostics', async () => {
    const file = path.join(tmp, 'dup.xml');
    fs.writeFileSync(file, doc('<p xml:id="a">x</p><p xml:id="a">y</p>'));
    const loaded = loadXmlFile(file);
    const withFast = await validateRelaxNG(loaded, teiAll);
    process.env.EDITIO_RNG_FAST = '0';
    try {
      expect(await validateRelaxNG(loaded, teiAll)).toEqual(withFast);
    } finally {
      delete process.env.EDITIO_RNG_FAST;
    }
    expect(withFast.length).toBeGreaterThan(0);
  });
});
