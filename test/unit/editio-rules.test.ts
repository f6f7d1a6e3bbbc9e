/**
 * editio's own rules checked natively (src/validate/editio-rules.ts) must give exactly
 * what the generic Schematron engine gives for schema/editio.sch: the same diagnostics,
 * codes, messages, lines, columns and order, on fixtures made to break each rule, the
 * flagship and every ../shared/corpus document.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Diagnostic } from '../../src/diagnostics';
import { loadXmlFile } from '../../src/load';
import { loadForValidation } from '../../src/validate';
import {
  checkEditioRules,
  EDITIO_RULES_SHA256,
  gatheredDuringLoad,
  isEditioRules,
} from '../../src/validate/editio-rules';
import { validateSchematron } from '../../src/validate/schematron';
import { privateCacheDir } from '../helpers/cache-dir';
import { teiDocument } from '../helpers/tei-doc';
import { corpusDir, corpusNames } from '../helpers/corpus';

const repoRoot = path.resolve(__dirname, '..', '..');
const editioSch = path.join(repoRoot, 'schema', 'editio.sch');

// Compiled stylesheets go to a private cache so tests do not depend on earlier runs.
const cacheDir = privateCacheDir('editio-rules-test-');

const line = (d: Diagnostic) => `${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`;

async function expectSame(file: string): Promise<Diagnostic[]> {
  const loaded = loadXmlFile(file);
  expect(loaded.ok).toBe(true);
  const generic = await validateSchematron(loaded, editioSch);
  const native = checkEditioRules(loaded);
  expect(native.map(line)).toEqual(generic.map(line));
  // the same, from the facts a build gathers during its load's parse (one pass for both)
  const once = loadForValidation(file);
  expect(gatheredDuringLoad(once)).toBe(true);
  expect(gatheredDuringLoad(loaded)).toBe(false);
  expect(checkEditioRules(once).map(line)).toEqual(generic.map(line));
  return native;
}

/** A TEI document with `body` as its text's body and `titleStmt` as its titleStmt. */
const tei = (body: string, titleStmt?: string) =>
  teiDocument(`<body>\n${body}\n</body>`, titleStmt);

describe('editio rules, natively', () => {
  test('schema/editio.sch is the text the native rules implement', () => {
    // If this fails, editio.sch has changed: make the same change in
    // src/validate/editio-rules.ts, then set EDITIO_RULES_SHA256 to the new sha256.
    expect(isEditioRules(fs.readFileSync(editioSch, 'utf8'))).toBe(true);
    expect(EDITIO_RULES_SHA256).toMatch(/^[0-9a-f]{64}$/);
    expect(isEditioRules(fs.readFileSync(editioSch, 'utf8') + ' ')).toBe(false);
  });

  const fixtures = path.join(repoRoot, 'test', 'fixtures', 'sch');
  const files = fs.readdirSync(fixtures).filter((f) => f.endsWith('.xml'));
  test.each(files)('agrees with the Schematron engine on fixture %s', async (f) => {
    await expectSame(path.join(fixtures, f));
  });

  test('gathers nothing during a load that the rules will not use, or that fails', () => {
    const flagship = path.join(repoRoot, 'source', 'serge-1940.xml');
    expect(gatheredDuringLoad(loadForValidation(flagship, { noSchematron: true }))).toBe(false);
    const other = path.join(fixtures, files[0]!);
    expect(gatheredDuringLoad(loadForValidation(flagship, { schematron: other }))).toBe(false);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'editio-rules-'));
    try {
      const bad = path.join(dir, 'bad.xml');
      fs.writeFileSync(bad, tei('<p xml:id="a">unclosed'));
      const loaded = loadForValidation(bad);
      expect(loaded.ok).toBe(false);
      expect(gatheredDuringLoad(loaded)).toBe(false);
      expect(checkEditioRules(loaded)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('agrees on the flagship, which breaks no rule', async () => {
    expect(await expectSame(path.join(repoRoot, 'source', 'serge-1940.xml'))).toEqual([]);
  });

  test('agrees on documents that break every rule, in every way', async () => {
    const author =
      '<author xml:id="A"><persName ref="#P  #Q">X</persName></author><author ref="#B"/>';
    const body = [
      '<p xml:id="p1" corresp="#nowhere #p1 plain" rendition="#r1"><gap/><gap reason="lost"/>',
      '<note>one</note><note n=" 7 ">two</note><note resp="#A">three</note>',
      '<note resp="A #B">four</note><note resp="">five</note>',
      '<note resp="#A" n="1">a</note><note resp="#P" n=" +3 ">b</note>',
      '<note resp="#A" n="3">c</note><note resp="#Q" n="7">d</note>',
      '<note resp="#B #other" n="9">e</note><note resp="#A" n="x">f</note>',
      '<note resp="#A" n="-2">g</note></p>',
      '<p xml:id="p1" ref="#p1"><name ref="#A #gone"/><ptr target="#p2"/></p>',
      '<ab xmlns:x="urn:x" x:ref="#nope" xml:id="p2"><x:el ref="#alsonope" xml:id="A"/></ab>',
    ].join('\n');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'editio-rules-'));
    try {
      const file = path.join(dir, 'broken.xml');
      fs.writeFileSync(file, tei(body, `<title>T</title>${author}`));
      const ds = await expectSame(file);
      const codes = new Set(ds.map((d) => d.code));
      for (const c of [
        'sch.pointer-resolves',
        'sch.gap-reason',
        'sch.note-resp',
        'sch.note-resp-local',
        'sch.note-number-duplicate',
        'sch.note-number-hole',
        'sch.xml-id-unique',
      ])
        expect(codes).toContain(c);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  const compiled = path.join(repoRoot, 'lib', 'validate', 'index.js');
  (fs.existsSync(compiled) ? test : test.skip)(
    'validating with editio.sch does not load saxon-js (a fresh process)',
    () => {
      const fixture = path.join(repoRoot, 'test', 'fixtures', 'sch', 'gap-no-reason.xml');
      const script = (sch: string) =>
        `require(${JSON.stringify(compiled)}).validateFile(${JSON.stringify(fixture)}, { schematron: ${JSON.stringify(sch)} })
           .then((r) => process.stdout.write(JSON.stringify({
             codes: r.diagnostics.map((d) => d.code).filter((c) => c.startsWith('sch.')),
             saxon: Object.keys(require.cache).some((k) => /[\\/]saxon-js[\\/]/.test(k)) })));`;
      const run = (sch: string) => {
        const r = spawnSync(process.execPath, ['-e', script(sch)], {
          encoding: 'utf8',
          // no worker thread: whatever runs Schematron runs in this process
          env: { ...process.env, EDITIO_CACHE_DIR: cacheDir, EDITIO_WORKERS: '0' },
        });
        expect(r.status).toBe(0);
        return JSON.parse(r.stdout) as { codes: string[]; saxon: boolean };
      };
      expect(run(editioSch)).toEqual({ codes: ['sch.gap-reason'], saxon: false });
      // the same rules in another text (one more space) run on the generic engine
      const copy = path.join(cacheDir, 'editio-copy.sch');
      fs.writeFileSync(copy, fs.readFileSync(editioSch, 'utf8') + ' ');
      expect(run(copy)).toEqual({ codes: ['sch.gap-reason'], saxon: true });
    },
    60_000,
  );

  const docs = corpusNames();
  const present = docs.length > 0;
  if (!present) console.warn(`corpus comparison skipped: ${corpusDir} not found`);
  (present ? test.each(docs) : test.skip.each(['(no corpus)']))(
    'agrees with the Schematron engine on corpus document %s',
    async (f) => {
      await expectSame(path.join(corpusDir, f));
    },
    60_000,
  );
});
