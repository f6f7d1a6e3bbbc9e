import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
const schemaDir = path.join(root, 'schema');
const vendorTeiAll = path.resolve(root, '../shared/schema-vendor/tei_all.rng');
const flagship = path.join(root, 'source/serge-1940.xml');
const fixtures = path.join(root, 'test/fixtures/schema');

function hasJing(): boolean {
  return spawnSync('jing', [], { stdio: 'ignore' }).error === undefined;
}
const jingOk = hasJing();
if (!jingOk)
  console.warn('schema.test: skipping jing checks: `jing` is not on PATH (apt-get install jing)');
if (!fs.existsSync(vendorTeiAll))
  console.warn(
    `schema.test: skipping vendor checks: ${vendorTeiAll} is absent (../shared not beside the clone)`,
  );

/** jing's verdict: true when valid (exit 0), with its error lines. */
function jing(schema: string, file: string): { valid: boolean; out: string } {
  const r = spawnSync('jing', [schema, file], { encoding: 'utf8' });
  return { valid: r.status === 0, out: (r.stdout + r.stderr).replace(/^\[warning\].*\n/gm, '') };
}

describe('schema/', () => {
  test('the vendored tei_all.rng is the shared one, byte for byte', () => {
    if (!fs.existsSync(vendorTeiAll)) return;
    expect(fs.readFileSync(path.join(schemaDir, 'tei_all.rng'))).toEqual(
      fs.readFileSync(vendorTeiAll),
    );
  });

  test('editio.rng only removes definitions (each override is notAllowed and names a tei_all define)', () => {
    const rng = fs.readFileSync(path.join(schemaDir, 'editio.rng'), 'utf8');
    const teiAll = fs.readFileSync(path.join(schemaDir, 'tei_all.rng'), 'utf8');
    const overrides = [...rng.matchAll(/<define name="([^"]+)">([\s\S]*?)<\/define>/g)];
    expect(overrides.length).toBeGreaterThan(10);
    for (const [, name, body] of overrides) {
      expect(body.trim()).toBe('<notAllowed/>');
      expect(teiAll.includes(`<define name="${name}">`)).toBe(true);
    }
    // Nothing else in the grammar: no start override, no new definitions outside <include>.
    expect(rng).not.toMatch(/<start/);
    expect(rng.replace(/<include[\s\S]*<\/include>/, '')).not.toMatch(/<define/);
  });

  const withJing = jingOk ? test : test.skip;

  withJing('the flagship is valid against editio.rng and against tei_all (jing)', () => {
    expect(fs.existsSync(flagship)).toBe(true);
    const a = jing(path.join(schemaDir, 'editio.rng'), flagship);
    expect(a.out).toBe('');
    expect(a.valid).toBe(true);
    const teiAll = fs.existsSync(vendorTeiAll) ? vendorTeiAll : path.join(schemaDir, 'tei_all.rng');
    const b = jing(teiAll, flagship);
    expect(b.out).toBe('');
    expect(b.valid).toBe(true);
  });

  withJing(
    'editio.rng is stricter than tei_all: a dictionary entry is TEI but not an edition',
    () => {
      const f = path.join(fixtures, 'uses-dictionary-entry.xml');
      expect(jing(path.join(schemaDir, 'tei_all.rng'), f).valid).toBe(true);
      const r = jing(path.join(schemaDir, 'editio.rng'), f);
      expect(r.valid).toBe(false);
      expect(r.out).toMatch(/element "entry" not allowed/);
    },
  );

  withJing('a plain edition is valid against both', () => {
    const f = path.join(fixtures, 'plain-valid.xml');
    expect(jing(path.join(schemaDir, 'editio.rng'), f).valid).toBe(true);
    expect(jing(path.join(schemaDir, 'tei_all.rng'), f).valid).toBe(true);
  });
});
