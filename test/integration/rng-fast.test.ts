/**
 * The fast RELAX NG check (rng-fast.ts) may say "valid" only where salve finds no error,
 * and should say "valid" wherever salve does (else it is no faster). When it says
 * "invalid", rng-errors.ts explains, with jing's recovery; its lines are held to jing's
 * in relaxng-vs-jing.test.ts, its words here.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadXmlFile } from '../../src/load';
import { validateFast } from '../../src/validate/rng-errors';
import { fastCheck, readCompactGrammar, writeFastGrammar } from '../../src/validate/rng-fast';
import {
  loadFastGrammar,
  loadGrammar,
  validateRelaxNG,
  validateWithGrammar,
} from '../../src/validate/relaxng';
import { teiDocument } from '../helpers/tei-doc';
import { corpusFiles as allCorpusFiles } from '../helpers/corpus';

const repoRoot = path.resolve(__dirname, '../..');
const teiAll = path.join(repoRoot, 'schema/tei_all.rng');
const editioRng = path.join(repoRoot, 'schema/editio.rng');
const flagship = path.join(repoRoot, 'source/serge-1940.xml');

const corpusFiles = allCorpusFiles();

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

  test('the fast path reports its errors where salve (EDITIO_RNG_FAST=0) does', async () => {
    const file = path.join(tmp, 'dup.xml');
    fs.writeFileSync(file, doc('<p xml:id="a">x</p><p xml:id="a">y</p><p>z<bogus/></p>'));
    const loaded = loadXmlFile(file);
    const withFast = await validateRelaxNG(loaded, teiAll);
    process.env.EDITIO_RNG_FAST = '0';
    let withSalve: Awaited<ReturnType<typeof validateRelaxNG>>;
    try {
      withSalve = await validateRelaxNG(loaded, teiAll);
    } finally {
      delete process.env.EDITIO_RNG_FAST;
    }
    const where = (ds: typeof withFast): string[] =>
      ds.filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.column} ${d.code}`);
    expect(where(withFast)).toEqual(where(withSalve));
    expect(where(withFast)).toHaveLength(2);
    // and, as jing, where the duplicated ID was first defined
    expect(withFast.filter((d) => d.severity === 'info').map((d) => d.message)).toEqual([
      'first occurrence of ID "a"',
    ]);
  });
});

describe('errors of the derivative validator, in words', () => {
  const doc = (body: string) => teiDocument(`<body>${body}</body>`);
  const messages = async (text: string): Promise<string[]> =>
    validateFast(await loadFastGrammar(teiAll), text, 'x.xml').map(
      (d) => `${d.severity} ${d.code}: ${d.message}`,
    );

  test('an element the grammar does not know, and what is checked inside it', async () => {
    const m = await messages(doc('<p>x<zz><hi>y</hi><list><p>no</p></list></zz></p>'));
    expect(m[0]).toMatch(
      /^error rng.element-not-allowed: element "zz" not allowed anywhere; expected element "abbr", /,
    );
    // the list inside is checked with a list's own content, and found incomplete; at the
    // end of the hi, which ends well inside an element the grammar does not know, jing
    // repeats its last message (its matcher fails with no new error), and so do we
    expect(m.slice(1)).toEqual([
      m[0],
      expect.stringMatching(/^error rng.element-not-allowed: element "p" not allowed here; /),
      expect.stringMatching(
        /^error rng.element-incomplete: element "list" incomplete; expected element /,
      ),
    ]);
  });

  test('an element before a required one, a missing attribute, a bad value', async () => {
    const t = teiDocument('<body><p>x</p></body>').replace(
      /<titleStmt>/,
      '<publicationStmt><p>early</p></publicationStmt><titleStmt>',
    );
    expect((await messages(t))[0]).toBe(
      'error rng.element-not-allowed: element "publicationStmt" not allowed yet; missing required element "titleStmt"',
    );
    expect(
      await messages(doc('<p><date when="1807-13-45">x</date><language>en</language></p>')),
    ).toEqual([
      'error rng.attribute-value-invalid: value of attribute "when" is invalid',
      expect.stringMatching(/^error rng.element-not-allowed: element "language" not allowed here/),
      // out of place, it is checked with a language's own content
      'error rng.attribute-missing: element "language" missing required attribute "ident"',
    ]);
    expect(
      await messages(
        teiDocument('<body><p>x</p></body>').replace(
          '</titleStmt>',
          '</titleStmt><langUsage><language>en</language></langUsage>',
        ),
      ),
    ).toContainEqual(expect.stringMatching(/missing required attribute "ident"/));
  });

  test('whitespace-only text where none is allowed is not an error (RELAX NG, jing)', async () => {
    expect(await messages(doc('<p>a<lb>  </lb>b</p>'))).toEqual([]);
  });

  // Hostile input: each name the grammar does not know is looked for once among the
  // grammar's elements; that search walked the whole of tei_all (~1.4 ms) and took 10 s
  // for 10,000 names before it used an index.
  test('many names the grammar does not know: reported, quiet inside, no hang', async () => {
    const inside = Array.from({ length: 20000 }, (_, i) => `<u${i}/>`).join('');
    const after = Array.from({ length: 30 }, (_, i) => `<v${i}/>`).join('');
    const m = await messages(doc(`<p>x<zz>${inside}</zz>${after}</p>`));
    // the unknown element, then each unknown sibling after it; nothing from inside it
    expect(m).toHaveLength(31);
    expect(m[0]).toMatch(/element "zz" not allowed anywhere/);
    expect(m.filter((x) => /"u\d+"/.test(x))).toEqual([]);
    expect(m[30]).toMatch(/element "v29" not allowed anywhere/);
  });

  test('both engines stop at the cap on errors, and say so', async () => {
    const text = doc(`<p>x${Array.from({ length: 10 }, (_, i) => `<v${i}/>`).join('')}</p>`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'editio-cap-'));
    const file = path.join(dir, 'cap.xml');
    fs.writeFileSync(file, text);
    const loaded = loadXmlFile(file);
    fs.rmSync(dir, { recursive: true, force: true });
    const fast = validateFast(await loadFastGrammar(teiAll), text, file, { maxErrors: 3 });
    const salve = validateWithGrammar(loaded, (await loadGrammar(teiAll)).grammar, {
      maxErrors: 3,
    });
    for (const ds of [fast, salve]) {
      expect(ds.map((d) => `${d.severity} ${d.code}`)).toEqual([
        ...Array<string>(3).fill('error rng.element-not-allowed'),
        'warning rng.too-many-errors',
      ]);
    }
  });
});
