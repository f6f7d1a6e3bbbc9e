import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findWeasyPrint } from '../../src/writers/pdf';
import { editio, repoRoot } from '../helpers/cli';

const fixture = path.join(repoRoot, 'test/fixtures/schema/plain-valid.xml');
const flagship = path.join(repoRoot, 'source/serge-1940.xml');
const sha = (p: string) => createHash('sha256').update(fs.readFileSync(p)).digest('hex');
const DIAG_LINE = /^.+:\d+:\d+: (error|warning): .+ \[[a-z0-9.-]+\]$/;

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'editio-cli-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('help and usage', () => {
  test.each([[['--help']], [['build', '--help']], [['validate', '--help']], [['help', 'build']]])(
    '%j prints usage and exits 0',
    (args) => {
      const r = editio(args);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^(editio .*\n\n)?Usage: editio/m);
    },
  );

  test('--version prints the package version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    expect(editio(['--version']).stdout.trim()).toBe(pkg.version);
  });

  test("the editio command (bin/editio, npm's bin) starts Node without NODE_EXTRA_CA_CERTS", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    expect(pkg.bin.editio).toBe('bin/editio');
    // a CA file that cannot be read: Node warns at start-up when it is asked to load it
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: path.join(tmp, 'no-such-ca.pem') };
    const direct = spawnSync(
      process.execPath,
      [path.join(repoRoot, 'bin/editio.js'), '--version'],
      {
        env,
        encoding: 'utf8',
      },
    );
    expect(direct.stderr).toMatch(/extra certs/i); // (so the check below can fail)
    // run as npm links it, through a symbolic link in another folder, with arguments
    const link = path.join(tmp, 'bin', 'editio');
    fs.mkdirSync(path.dirname(link));
    fs.symlinkSync(path.join(repoRoot, 'bin/editio'), link);
    const viaLink = spawnSync(link, ['--version'], { env, encoding: 'utf8', cwd: tmp });
    expect(viaLink.status).toBe(0);
    expect(viaLink.stderr).toBe('');
    expect(viaLink.stdout.trim()).toBe(pkg.version);
    const spaced = path.join(tmp, 'a "b" c.xml');
    fs.copyFileSync(fixture, spaced);
    const v = spawnSync(link, ['validate', spaced], { env, encoding: 'utf8', cwd: tmp });
    expect(v.stderr).toBe('');
    expect(v.status).toBe(0);
  });

  test.each([
    [[]],
    [['frobnicate']],
    [['validate']],
    [['validate', '--nope', fixture]],
    [['build', '--format', 'docx', fixture]],
    [['build', '--page-size', 'B5', fixture]],
    [['build', '--pdf-variant', 'pdf/x-1a', fixture]],
    [['build', '--epub-split', '9', fixture]],
    [['build', '--epub-notes', 'margin', fixture]],
  ])('%j is a usage error: exit 2, a one-line diagnostic, no stack trace', (args) => {
    const r = editio(args);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('editio validate', () => {
  test('a valid edition: exit 0, nothing on stderr', () => {
    const r = editio(['validate', fixture]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test('an invalid edition: exit 1, compiler-style lines; --json gives the same as data', () => {
    const bad = path.join(tmp, 'bad.xml');
    fs.writeFileSync(
      bad,
      fs
        .readFileSync(fixture, 'utf8')
        .replace('<gap reason="illegible"/>', '<gap/><bogus>x</bogus>'),
    );
    const r = editio(['validate', bad]);
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    for (const l of lines) expect(l).toMatch(DIAG_LINE);
    expect(r.stderr).toMatch(/bad\.xml:16:\d+: error: .*bogus/);
    const j = editio(['validate', '--json', bad]);
    expect(j.status).toBe(1);
    const ds = JSON.parse(j.stdout) as {
      file: string;
      line: number;
      column: number;
      code: string;
      severity: string;
    }[];
    expect(ds.length).toBe(lines.length);
    expect(ds.some((d) => d.line === 16 && d.severity === 'error')).toBe(true);
    // the missing @reason on <gap> is a Schematron finding
    expect(ds.some((d) => /gap/i.test(JSON.stringify(d)) && d.code.startsWith('sch'))).toBe(true);
  });

  test('a missing file and a directory are I/O errors: exit 2', () => {
    const r = editio(['validate', path.join(tmp, 'nope.xml')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/nope\.xml: error: .*\[io\./);
    const d = editio(['validate', tmp]);
    expect(d.status).toBe(2);
  });

  test('the flagship is valid', () => {
    const r = editio(['validate', flagship]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('editio build', () => {
  test('writes <stem>.xml (the source, byte for byte) and report.json with sha256 of each output', () => {
    const before = sha(fixture);
    const r = editio(['build', fixture, '--out', tmp]);
    expect(r.status).toBe(0);
    const dir = path.join(tmp, 'plain-valid');
    // the PDF is made when WeasyPrint is installed; otherwise the build says so, once
    const pdf = findWeasyPrint() !== null;
    expect(fs.readdirSync(dir).sort()).toEqual(
      [
        'index.html',
        'plain-valid.epub',
        ...(pdf ? ['plain-valid.pdf'] : []),
        'plain-valid.xml',
        'print.html',
        'report.json',
      ].sort(),
    );
    expect(sha(path.join(dir, 'plain-valid.xml'))).toBe(before);
    expect(sha(fixture)).toBe(before); // the source is never changed
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
    expect(report.ok).toBe(true);
    expect(report.source.sha256).toBe(before);
    const xml = report.outputs.find((o: { path: string }) => o.path === 'plain-valid.xml');
    expect(xml.sha256).toBe(before);
    expect(report.diagnostics.map((d: { code: string }) => d.code)).toEqual(
      pdf ? [] : ['build.pdf-skipped'],
    );
    expect(typeof report.timings.validate).toBe('number');
    const html = report.outputs.find((o: { path: string }) => o.path === 'index.html');
    expect(html.sha256).toBe(sha(path.join(dir, 'index.html')));
  });

  test('--format tei writes only the TEI and the report', () => {
    const r = editio(['build', fixture, '--out', tmp, '--format', 'tei']);
    expect(r.status).toBe(0);
    expect(fs.readdirSync(path.join(tmp, 'plain-valid')).sort()).toEqual([
      'plain-valid.xml',
      'report.json',
    ]);
  });

  test('two builds of the same source give the same bytes (report.json aside: it holds timings)', () => {
    const a = path.join(tmp, 'a');
    const b = path.join(tmp, 'b');
    expect(editio(['build', fixture, '--out', a]).status).toBe(0);
    expect(editio(['build', fixture, '--out', b]).status).toBe(0);
    for (const f of ['index.html', 'plain-valid.epub', 'plain-valid.xml'])
      expect(sha(path.join(a, 'plain-valid', f))).toBe(sha(path.join(b, 'plain-valid', f)));
  });

  test('a failing build leaves the previous edition as it was, and no temporary folders', () => {
    const src = path.join(tmp, 'src');
    fs.mkdirSync(src);
    const doc = path.join(src, 'ed.xml');
    fs.copyFileSync(fixture, doc);
    const out = path.join(tmp, 'out');
    expect(editio(['build', doc, '--out', out]).status).toBe(0);
    const snapshot = fs.readFileSync(path.join(out, 'ed/report.json'));
    fs.writeFileSync(doc, fs.readFileSync(fixture, 'utf8').replace('</body>', '<bogus/></body>'));
    const r = editio(['build', doc, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/not built/);
    expect(fs.readFileSync(path.join(out, 'ed/report.json'))).toEqual(snapshot);
    // no temporary folder left; the edition (and its archive, the collection page) kept
    expect(fs.readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(fs.readdirSync(out)).toContain('ed');
  });

  test('--json prints one summary per document', () => {
    const r = editio(['build', '--json', fixture, '--out', tmp]);
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toHaveLength(1);
    expect(s[0].ok).toBe(true);
    expect(s[0].outputs.map((o: { path: string }) => o.path)).toContain('report.json');
  });

  test('an invalid SOURCE_DATE_EPOCH is a usage error', () => {
    const r = editio(['build', fixture, '--out', tmp], { env: { SOURCE_DATE_EPOCH: 'yesterday' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/SOURCE_DATE_EPOCH/);
  });

  test('the flagship builds with no diagnostics', () => {
    const r = editio(['build', flagship, '--out', tmp]);
    expect(r.status).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(tmp, 'serge-1940/report.json'), 'utf8'));
    expect(report.diagnostics).toEqual([]);
  });
});
