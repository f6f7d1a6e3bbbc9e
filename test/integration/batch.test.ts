/**
 * Batch builds: `editio build DIR|FILE... --jobs N` over worker threads, the summary
 * table, the collection page, and isolation of a failing or hostile document.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assignStems, largestFirst } from '../../src/batch/run';
import { editio, repoRoot } from '../helpers/cli';

const fixtures = path.join(repoRoot, 'test/fixtures');
let tmp: string;
let src: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'editio-batch-'));
  src = path.join(tmp, 'in');
  fs.mkdirSync(path.join(src, 'sub'), { recursive: true });
  const valid = fs.readFileSync(path.join(fixtures, 'schema/plain-valid.xml'), 'utf8');
  const titled = (t: string) => valid.replace('A small valid edition', t);
  fs.writeFileSync(path.join(src, 'plain-valid.xml'), valid);
  fs.writeFileSync(path.join(src, 'notes.xml'), titled('Notes on a letter'));
  fs.writeFileSync(path.join(src, 'sub/verse-drama.xml'), titled('A play in verse'));
  // the same name in a sub-folder: a second edition folder, not an overwrite; its title
  // carries markup-like text, which must reach the collection page escaped
  fs.writeFileSync(
    path.join(src, 'sub/notes.xml'),
    titled('&lt;script&gt;alert(1)&lt;/script&gt; &amp; more notes'),
  );
  // not well-formed, and an entity bomb: both must fail alone
  fs.writeFileSync(path.join(src, 'broken.xml'), '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text>');
  fs.writeFileSync(
    path.join(src, 'sub/bomb.xml'),
    '<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n' +
      '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&b;</p></body></text></TEI>\n',
  );
  fs.writeFileSync(path.join(src, 'notes.txt'), 'not XML, not a .xml file: ignored');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('editio build DIR --jobs 2', () => {
  let out: string;
  let r: ReturnType<typeof editio>;
  beforeAll(() => {
    out = path.join(tmp, 'out');
    r = editio(['build', src, '--out', out, '--jobs', '2', '--format', 'html,epub'], {
      timeoutMs: 300000,
    });
  }, 300000);

  test('exit 1 because two documents failed; the others are built', () => {
    expect(r.status).toBe(1);
    const built = fs
      .readdirSync(out)
      .filter((d) => fs.existsSync(path.join(out, d, 'report.json')))
      .sort();
    expect(built).toEqual(['notes', 'notes-2', 'plain-valid', 'verse-drama']);
    for (const d of built) {
      expect(fs.existsSync(path.join(out, d, 'index.html'))).toBe(true);
      expect(fs.existsSync(path.join(out, d, `${d}.epub`))).toBe(true);
    }
    // nothing at all for the failing ones, and no temporary folder left behind
    expect(fs.readdirSync(out).filter((d) => d.startsWith('.') || /broken|bomb/.test(d))).toEqual(
      [],
    );
  });

  test('the failing documents are named with file, line and column; no stack trace', () => {
    expect(r.stderr).toMatch(/broken\.xml:\d+:\d+: error: .+ \[xml\.not-well-formed\]/);
    expect(r.stderr).toMatch(/bomb\.xml:\d+:\d+: error: .+ \[xml\.doctype-entity\]/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('plain progress lines (not a terminal) and a summary table', () => {
    expect(r.stderr).toMatch(/^\[1\/6\] /m);
    expect(r.stderr).toMatch(/^\[6\/6\] /m);
    expect(r.stderr).toMatch(/^document\s+status\s+outputs\s+time$/m);
    expect(r.stderr).toMatch(/^plain-valid\.xml\s+built\s+html,epub\s+\d+\.\d s$/m);
    expect(r.stderr).toMatch(/^broken\.xml\s+failed\s+-\s+\d+\.\d s$/m);
    expect(r.stderr).toMatch(/^4 of 6 built, 2 failed, in \d+\.\d s$/m);
    expect(r.stderr.includes(String.fromCharCode(27))).toBe(false); // no terminal codes in a log
  });

  test('the collection page links every edition and each of its formats, all present', () => {
    const page = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    const hrefs = [...page.matchAll(/href="([^"]+)"/g)].map((m) => decodeURI(m[1]));
    expect(hrefs).toContain('plain-valid/index.html');
    expect(hrefs).toContain('notes-2/notes-2.epub');
    for (const h of hrefs) expect(fs.existsSync(path.join(out, h))).toBe(true);
    // a title that looks like markup arrives escaped, never as markup
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; more notes');
    expect(page).not.toMatch(/<script/i);
    // rebuilt from the reports on disk: the same page again
    const again = editio([
      'build',
      path.join(src, 'plain-valid.xml'),
      '--out',
      out,
      '--format',
      'html,epub',
    ]);
    expect(again.status).toBe(0);
    expect(fs.readFileSync(path.join(out, 'index.html'), 'utf8')).toBe(page);
  });
});

describe('batch details', () => {
  test('--json prints one report per document on stdout; progress stays on stderr', () => {
    const out = path.join(tmp, 'json');
    const r = editio(
      [
        'build',
        path.join(src, 'plain-valid.xml'),
        path.join(src, 'broken.xml'),
        '--out',
        out,
        '--format',
        'html',
        '--json',
      ],
      { timeoutMs: 120000 },
    );
    expect(r.status).toBe(1);
    const reports = JSON.parse(r.stdout) as { file: string; ok: boolean; title?: string }[];
    expect(reports.map((x) => [path.basename(x.file), x.ok])).toEqual([
      ['plain-valid.xml', true],
      ['broken.xml', false],
    ]);
    expect(r.stderr).toMatch(/^\[2\/2\] /m);
  }, 120000);

  test('the output folder inside the input folder is not built again', () => {
    const dir = path.join(tmp, 'self');
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(fixtures, 'schema/plain-valid.xml'), path.join(dir, 'a.xml'));
    const first = editio(['build', dir, '--out', path.join(dir, 'dist'), '--format', 'html']);
    expect(first.status).toBe(0);
    const second = editio(['build', dir, '--out', path.join(dir, 'dist'), '--format', 'html']);
    expect(second.status).toBe(0);
    // only a.xml: dist/a/a.xml (the published copy) is never taken as input
    expect(fs.readdirSync(path.join(dir, 'dist')).sort()).toEqual(['a', 'index.html']);
  }, 120000);

  test('--jobs 1 builds several documents through the pool: largest first, same bytes', () => {
    // one worker, kept warm, takes them in the pool's order (the largest first), where a
    // build in the CLI thread would take them in the order given
    const dir = path.join(tmp, 'one-worker');
    fs.mkdirSync(dir);
    const valid = fs.readFileSync(path.join(fixtures, 'schema/plain-valid.xml'), 'utf8');
    fs.writeFileSync(path.join(dir, 'a-small.xml'), valid);
    fs.writeFileSync(
      path.join(dir, 'b-large.xml'),
      valid.replace('A small valid edition', 'A larger one') + `<!-- ${'x'.repeat(20000)} -->\n`,
    );
    const out = path.join(tmp, 'one-worker-out');
    const r = editio(['build', dir, '--out', out, '--jobs', '1', '--format', 'html'], {
      timeoutMs: 120000,
    });
    expect(r.status).toBe(0);
    const order = [...r.stderr.matchAll(/^\[\d\/2\] (\S+): built/gm)].map((m) =>
      path.basename(m[1]),
    );
    expect(order).toEqual(['b-large.xml', 'a-small.xml']);
    const two = path.join(tmp, 'two-workers-out');
    expect(editio(['build', dir, '--out', two, '--jobs', '2', '--format', 'html']).status).toBe(0);
    for (const d of ['a-small', 'b-large'])
      expect(fs.readFileSync(path.join(out, d, 'index.html'))).toEqual(
        fs.readFileSync(path.join(two, d, 'index.html')),
      );
  }, 120000);

  test('--jobs must be a whole number', () => {
    const r = editio(['build', src, '--jobs', 'many']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--jobs/);
  });
});

describe('output folder names', () => {
  test('same names get -2, -3; a name that is the bag folder of another edition is moved aside', () => {
    const stems = assignStems(['a/x.xml', 'b/x.xml', 'c/x.xml', 'x-bag.xml', 'y.xml']);
    expect([...stems.values()]).toEqual(['x', 'x-2', 'x-3', 'x-bag-2', 'y']);
  });
});

describe('scheduling', () => {
  test('documents start largest first; equal sizes and unreadable files keep their order', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'editio-order-'));
    try {
      const file = (name: string, bytes: number): string => {
        const p = path.join(dir, name);
        fs.writeFileSync(p, 'x'.repeat(bytes));
        return p;
      };
      const files = [
        file('small.xml', 10),
        file('big.xml', 3000),
        path.join(dir, 'missing.xml'),
        file('mid-a.xml', 200),
        file('mid-b.xml', 200),
      ];
      expect(largestFirst(files)).toEqual([1, 3, 4, 0, 2]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
