/**
 * The archival package of the flagship: `editio build --format archive` writes a BagIt
 * bag beside the edition (dist/<stem>-bag/ and dist/<stem>-bag.zip), and
 * `editio verify-bag` checks it, naming each missing, extra or altered file when the bag
 * is tampered with in each way RFC 8493 §3 rules out.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import JSZip from 'jszip';
import { XMLParser } from 'fast-xml-parser';
import { writeEditionAtomically } from '../../src/output';
import { findWeasyPrint } from '../../src/writers/pdf';
import { editio, repoRoot } from '../helpers/cli';

const flagship = path.join(repoRoot, 'source/serge-1940.xml');
const EPOCH = '1700000000'; // 2023-11-14T22:13:20Z
const env = { SOURCE_DATE_EPOCH: EPOCH };
const pdf = findWeasyPrint() !== null;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const parser = new XMLParser({ ignoreAttributes: false, isArray: () => true });

let tmp: string;
let bagDir: string;
let bagZip: string;

/** Every file under dir, by relative path with "/", sorted. */
function walk(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...walk(dir, r));
    else out.push(r);
  }
  return out.sort();
}

function has(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'editio-archive-'));
  const r = editio(['build', flagship, '--out', path.join(tmp, 'a'), '--format', 'archive'], {
    env,
    timeoutMs: 300_000,
  });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stderr}`);
  bagDir = path.join(tmp, 'a', 'serge-1940-bag');
  bagZip = path.join(tmp, 'a', 'serge-1940-bag.zip');
}, 300_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the flagship’s bag', () => {
  test('sits beside the edition, and the edition folder holds no bag file', () => {
    // (the output folder may hold other things, such as a catalogue page, but no stray
    // temporary folders)
    expect(
      fs
        .readdirSync(path.join(tmp, 'a'))
        .filter((f) => f.includes('serge-1940'))
        .sort(),
    ).toEqual(['serge-1940', 'serge-1940-bag', 'serge-1940-bag.zip']);
    expect(fs.readdirSync(path.join(tmp, 'a', 'serge-1940')).sort()).toEqual([
      'report.json',
      'serge-1940.xml',
    ]);
    const report = JSON.parse(
      fs.readFileSync(path.join(tmp, 'a', 'serge-1940', 'report.json'), 'utf8'),
    );
    expect(report.diagnostics).toEqual([]);
    const zipRecord = report.outputs.find(
      (o: { path: string }) => o.path === '../serge-1940-bag.zip',
    );
    expect(zipRecord.sha256).toBe(sha256(fs.readFileSync(bagZip)));
  });

  test('holds the TEI, HTML, EPUB, print.html, the PDF when WeasyPrint is here, and the records', () => {
    expect(walk(bagDir)).toEqual(
      [
        'bag-info.txt',
        'bagit.txt',
        'data/index.html',
        'data/metadata/mets.xml',
        'data/metadata/oai_dc.xml',
        'data/print.html',
        'data/serge-1940.epub',
        ...(pdf ? ['data/serge-1940.pdf'] : []),
        'data/serge-1940.xml',
        'manifest-sha256.txt',
        'manifest-sha512.txt',
        'tagmanifest-sha256.txt',
      ].sort(),
    );
    // the TEI as published: the source, byte for byte
    expect(fs.readFileSync(path.join(bagDir, 'data/serge-1940.xml'))).toEqual(
      fs.readFileSync(flagship),
    );
    expect(fs.readFileSync(path.join(bagDir, 'bagit.txt'), 'utf8')).toBe(
      'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n',
    );
  });

  test('verify-bag: the directory and the zip are valid (exit 0)', () => {
    for (const target of [bagDir, bagZip]) {
      const r = editio(['verify-bag', target]);
      expect(r.stderr).toMatch(/valid bag \((6|7) payload files, \d+ octets\)/);
      expect(r.status).toBe(0);
    }
    const j = editio(['verify-bag', '--json', bagDir, bagZip]);
    expect(j.status).toBe(0);
    const results = JSON.parse(j.stdout);
    expect(results.map((x: { ok: boolean }) => x.ok)).toEqual([true, true]);
    expect(results[0].files).toEqual(walk(bagDir));
    expect(results[1].files).toEqual(walk(bagDir));
  });

  test('bag-info.txt: organisation, identifier, description, the edition date, Payload-Oxum, agent', () => {
    const info = fs.readFileSync(path.join(bagDir, 'bag-info.txt'), 'utf8');
    expect(info).not.toMatch(/\r/);
    const fields = info
      .trimEnd()
      .split('\n')
      .map((l) => /^([^:]+): (.*)$/.exec(l)!.slice(1, 3) as [string, string]);
    expect(fields.map(([l]) => l)).toEqual([
      'Source-Organization',
      'External-Identifier',
      'External-Description',
      'Bagging-Date',
      'Payload-Oxum',
      'Bag-Software-Agent',
    ]);
    const f = Object.fromEntries(fields);
    expect(f['Source-Organization']).toBe('the editio project');
    expect(f['External-Identifier']).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(f['External-Description']).toMatch(/^Unpublished Manuscript on Their Morals and Ours/);
    expect(f['Bagging-Date']).toBe('2023-11-14'); // from SOURCE_DATE_EPOCH, not the clock
    const payload = walk(bagDir).filter((p) => p.startsWith('data/'));
    const octets = payload.reduce((n, p) => n + fs.statSync(path.join(bagDir, p)).size, 0);
    expect(f['Payload-Oxum']).toBe(`${octets}.${payload.length}`);
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    expect(f['Bag-Software-Agent']).toMatch(
      new RegExp(`^editio ${pkg.version}( \\(https?://.+\\))?$`),
    );
  });

  test('the External-Identifier is the EPUB’s identifier (the flagship has no idno)', async () => {
    const info = fs.readFileSync(path.join(bagDir, 'bag-info.txt'), 'utf8');
    const id = /^External-Identifier: (.*)$/m.exec(info)![1];
    const epub = await JSZip.loadAsync(fs.readFileSync(path.join(bagDir, 'data/serge-1940.epub')));
    const opf = await epub.file('OEBPS/content.opf')!.async('string');
    expect(opf).toContain(`<dc:identifier id="uid">${id}</dc:identifier>`);
  });

  test('METS lists every other payload file with its sha256, size and MIME type', () => {
    const xml = fs.readFileSync(path.join(bagDir, 'data/metadata/mets.xml'), 'utf8');
    const mets = parser.parse(xml).mets[0];
    const files = mets.fileSec[0].fileGrp.flatMap((g: { file: unknown[] }) => g.file) as Record<
      string,
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      any
    >[];
    const payload = walk(bagDir).filter(
      (p) => p.startsWith('data/') && p !== 'data/metadata/mets.xml',
    );
    expect(files).toHaveLength(payload.length);
    const types: Record<string, string> = {
      xml: 'application/tei+xml',
      html: 'text/html',
      epub: 'application/epub+zip',
      pdf: 'application/pdf',
    };
    for (const p of payload) {
      const href = path.posix.relative('data/metadata', p);
      const f = files.find((x) => x.FLocat[0]['@_xlink:href'][0] === href);
      expect(f).toBeDefined();
      const data = fs.readFileSync(path.join(bagDir, p));
      expect(f!['@_CHECKSUM'][0]).toBe(sha256(data));
      expect(f!['@_CHECKSUMTYPE'][0]).toBe('SHA-256');
      expect(f!['@_SIZE'][0]).toBe(String(data.length));
      expect(f!['@_MIMETYPE'][0]).toBe(
        p.startsWith('data/metadata/') ? 'application/xml' : types[path.extname(p).slice(1)],
      );
    }
    expect(mets.metsHdr[0]['@_CREATEDATE'][0]).toBe('2023-11-14T00:00:00Z');
  });

  test('the OAI Dublin Core record: title, creator, language, rights, identifier', () => {
    const xml = fs.readFileSync(path.join(bagDir, 'data/metadata/oai_dc.xml'), 'utf8');
    const dc = parser.parse(xml)['oai_dc:dc'][0];
    const info = fs.readFileSync(path.join(bagDir, 'bag-info.txt'), 'utf8');
    expect(dc['dc:title'][0]).toMatch(/^Unpublished Manuscript on Their Morals and Ours/);
    expect(dc['dc:creator']).toEqual(['Victor Serge']);
    expect(dc['dc:language']).toEqual(['en', 'fr', 'la']);
    expect(dc['dc:rights']).toContain('https://creativecommons.org/licenses/by-sa/4.0/');
    expect(dc['dc:rights'][0]).toMatch(/^Creative Commons Attribution-ShareAlike/);
    expect(dc['dc:identifier']).toEqual([/^External-Identifier: (.*)$/m.exec(info)![1]]);
    expect(dc['dc:date']).toEqual(['2023-11-14']);
  });

  test('checked independently: sha256sum/sha512sum -c over the manifests, Python’s zipfile over the zip', () => {
    if (!has('sha256sum', ['--version'])) return;
    for (const [cmd, m] of [
      ['sha256sum', 'manifest-sha256.txt'],
      ['sha512sum', 'manifest-sha512.txt'],
      ['sha256sum', 'tagmanifest-sha256.txt'],
    ]) {
      const r = spawnSync(cmd!, ['--strict', '-c', m!], { cwd: bagDir, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
    if (!has('python3', ['--version'])) return;
    const py = [
      'import sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1])',
      'assert z.testzip() is None',
      'names = z.namelist()',
      'assert names[0] == "serge-1940-bag/bagit.txt", names[0]',
      'assert all(i.extra == b"" for i in z.infolist())',
      'print("\\n".join(n[len("serge-1940-bag/"):] for n in sorted(names)))',
    ].join('\n');
    const r = spawnSync('python3', ['-c', py, bagZip], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(walk(bagDir));
  });

  const bagitPython = has('python3', ['-c', 'import bagit']);
  (bagitPython ? test : test.skip)(
    'bagit-python validates it (skipped when absent: it is on PyPI only, not in Debian or npm)',
    () => {
      for (const target of [bagDir]) {
        const r = spawnSync('python3', ['-m', 'bagit', '--validate', target], { encoding: 'utf8' });
        expect(r.status).toBe(0);
      }
    },
  );
});

describe('without WeasyPrint', () => {
  test('the bag holds no PDF, says nothing about it, and is valid', () => {
    const out = path.join(tmp, 'nopdf');
    const emptyPath = fs.mkdtempSync(path.join(tmp, 'path-'));
    const r = editio(['build', flagship, '--out', out, '--format', 'archive'], {
      env: { ...env, PATH: emptyPath },
      timeoutMs: 300_000,
    });
    expect(r.status).toBe(0);
    const bag = path.join(out, 'serge-1940-bag');
    const files = walk(bag);
    expect(files.filter((f) => f.startsWith('data/'))).toEqual([
      'data/index.html',
      'data/metadata/mets.xml',
      'data/metadata/oai_dc.xml',
      'data/print.html',
      'data/serge-1940.epub',
      'data/serge-1940.xml',
    ]);
    const report = JSON.parse(fs.readFileSync(path.join(out, 'serge-1940/report.json'), 'utf8'));
    expect(report.diagnostics).toEqual([]);
    expect(fs.readFileSync(path.join(bag, 'data/metadata/mets.xml'), 'utf8')).not.toMatch(/pdf/i);
    expect(editio(['verify-bag', bag, `${bag}.zip`]).status).toBe(0);
  }, 300_000);
});

describe('deterministic', () => {
  test('a full build (the default formats) makes the same bag, byte for byte, beside the same edition', () => {
    const out = path.join(tmp, 'b');
    const r = editio(['build', flagship, '--out', out], { env, timeoutMs: 300_000 });
    expect(r.status).toBe(0);
    const b = path.join(out, 'serge-1940-bag');
    expect(
      fs.readFileSync(path.join(out, 'serge-1940-bag.zip')).equals(fs.readFileSync(bagZip)),
    ).toBe(true);
    expect(walk(b)).toEqual(walk(bagDir));
    for (const p of walk(b))
      expect(sha256(fs.readFileSync(path.join(b, p)))).toBe(
        sha256(fs.readFileSync(path.join(bagDir, p))),
      );
    // the payload is the edition as written beside it
    for (const f of fs.readdirSync(path.join(out, 'serge-1940'))) {
      if (f === 'report.json') continue;
      expect(fs.readFileSync(path.join(b, 'data', f))).toEqual(
        fs.readFileSync(path.join(out, 'serge-1940', f)),
      );
    }
  }, 300_000);
});

// ---------------------------------------------------------------------------------------
// Tampering: each way RFC 8493 §3 makes a bag incomplete or invalid

function copyBag(name: string): string {
  const dir = path.join(tmp, 'tamper', name, 'serge-1940-bag');
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.cpSync(bagDir, dir, { recursive: true });
  return dir;
}

function edit(file: string, f: (s: string) => string): void {
  fs.writeFileSync(file, f(fs.readFileSync(file, 'utf8')));
}

async function zipDir(dir: string, zipPath: string, extra: [string, string][] = []) {
  const z = new JSZip();
  for (const p of walk(dir))
    z.file(`serge-1940-bag/${p}`, fs.readFileSync(path.join(dir, p)), { createFolders: false });
  for (const [n, d] of extra) z.file(n, d, { createFolders: false });
  fs.writeFileSync(zipPath, await z.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
}

const ghost = `${'0'.repeat(64)}  data/ghost.pdf\n`;
const cases: [string, (dir: string) => void, string, string][] = [
  [
    'a payload file altered',
    (d) => fs.appendFileSync(path.join(d, 'data/index.html'), '<!-- x -->'),
    'bag.altered',
    'data/index.html',
  ],
  [
    'a payload file deleted',
    (d) => fs.rmSync(path.join(d, 'data/print.html')),
    'bag.missing',
    'data/print.html',
  ],
  [
    'an extra payload file',
    (d) => fs.writeFileSync(path.join(d, 'data/extra.txt'), 'not in the manifests'),
    'bag.extra',
    'data/extra.txt',
  ],
  [
    'a manifest line removed',
    (d) =>
      edit(path.join(d, 'manifest-sha512.txt'), (s) =>
        s.replace(/^[0-9a-f]+ {2}data\/serge-1940\.xml\n/m, ''),
      ),
    'bag.extra',
    'data/serge-1940.xml',
  ],
  [
    'a manifest entry for a file not present',
    (d) => fs.appendFileSync(path.join(d, 'manifest-sha256.txt'), ghost),
    'bag.missing',
    'data/ghost.pdf',
  ],
  [
    'a tag file altered (bag-info.txt against the tag manifest)',
    (d) =>
      edit(path.join(d, 'bag-info.txt'), (s) =>
        s.replace('Source-Organization: the editio project', 'Source-Organization: someone else'),
      ),
    'bag.altered',
    'bag-info.txt',
  ],
  [
    'a payload manifest deleted (listed in the tag manifest)',
    (d) => fs.rmSync(path.join(d, 'manifest-sha512.txt')),
    'bag.missing',
    'manifest-sha512.txt',
  ],
  ['bagit.txt missing', (d) => fs.rmSync(path.join(d, 'bagit.txt')), 'bag.bagit-txt', 'bagit.txt'],
  [
    'bagit.txt malformed',
    (d) =>
      fs.writeFileSync(
        path.join(d, 'bagit.txt'),
        'BagIt-Version 1.0\nTag-File-Character-Encoding: UTF-8\n',
      ),
    'bag.bagit-txt',
    'bagit.txt',
  ],
  [
    'Payload-Oxum wrong',
    (d) =>
      edit(path.join(d, 'bag-info.txt'), (s) => s.replace(/Payload-Oxum: \d+/, 'Payload-Oxum: 1')),
    'bag.oxum',
    'bag-info.txt',
  ],
  [
    'a manifest path climbing out with ../',
    (d) =>
      fs.appendFileSync(
        path.join(d, 'manifest-sha256.txt'),
        `${'0'.repeat(64)}  data/../../etc/passwd\n`,
      ),
    'bag.path-escape',
    'manifest-sha256.txt',
  ],
  [
    'a manifest line that is not "checksum path"',
    (d) => fs.appendFileSync(path.join(d, 'manifest-sha256.txt'), 'nonsense\n'),
    'bag.manifest-syntax',
    'manifest-sha256.txt',
  ],
  [
    'no payload manifest at all',
    (d) => {
      fs.rmSync(path.join(d, 'manifest-sha256.txt'));
      fs.rmSync(path.join(d, 'manifest-sha512.txt'));
    },
    'bag.no-manifest',
    'manifest-sha256.txt',
  ],
  [
    'no payload directory',
    (d) => fs.rmSync(path.join(d, 'data'), { recursive: true }),
    'bag.no-payload-dir',
    'data',
  ],
];

describe('verify-bag names what was tampered with (exit 1)', () => {
  const line = (target: string, file: string, code: string) =>
    new RegExp(
      `^${(target + '/' + file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(:\\d+:\\d+)?: error: .+ \\[${code.replace(/\./g, '\\.')}\\]$`,
      'm',
    );

  test.each(cases)('%s (directory)', (name, mutate, code, file) => {
    const dir = copyBag(name.replace(/\W+/g, '-'));
    mutate(dir);
    const r = editio(['verify-bag', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(line(dir, file, code));
    expect(r.stderr).toMatch(/invalid bag, \d+ errors?$/m);
  });

  test.each(cases)('%s (zip)', async (name, mutate, code, file) => {
    const dir = copyBag(`zip-${name.replace(/\W+/g, '-')}`);
    mutate(dir);
    const zip = path.join(path.dirname(dir), 'bag.zip');
    await zipDir(dir, zip);
    const r = editio(['verify-bag', zip]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(line(zip, file, code));
  });

  test('a zip with an entry climbing out with ../ is refused, and nothing is written', async () => {
    const zip = path.join(tmp, 'tamper', 'slip.zip');
    fs.mkdirSync(path.dirname(zip), { recursive: true });
    await zipDir(bagDir, zip, [['serge-1940-bag/../../evil.txt', 'pwned']]);
    const r = editio(['verify-bag', '--json', zip]);
    expect(r.status).toBe(1);
    const [res] = JSON.parse(r.stdout);
    expect(res.ok).toBe(false);
    expect(res.diagnostics).toEqual([
      expect.objectContaining({
        code: 'bag.path-escape',
        file: `${zip}/serge-1940-bag/../../evil.txt`,
        severity: 'error',
      }),
    ]);
    expect(fs.existsSync(path.join(tmp, 'evil.txt'))).toBe(false);
    expect(fs.existsSync(path.join(path.dirname(tmp), 'evil.txt'))).toBe(false);
  });

  test('--json gives the same diagnostics as data', () => {
    const dir = copyBag('json');
    fs.appendFileSync(path.join(dir, 'data/serge-1940.xml'), '\n');
    const r = editio(['verify-bag', '--json', dir]);
    expect(r.status).toBe(1);
    const [res] = JSON.parse(r.stdout);
    expect(res.bag).toBe(dir);
    expect(res.diagnostics.map((d: { code: string; file: string }) => [d.code, d.file])).toEqual(
      expect.arrayContaining([
        ['bag.altered', `${dir}/data/serge-1940.xml`],
        ['bag.oxum', `${dir}/bag-info.txt`],
      ]),
    );
  });
});

describe('verify-bag usage', () => {
  test('--help, a missing path (exit 2), no argument (exit 2)', () => {
    const h = editio(['verify-bag', '--help']);
    expect(h.status).toBe(0);
    expect(h.stdout).toMatch(/^Usage: editio verify-bag/);
    expect(editio(['--help']).stdout).toMatch(/verify-bag/);
    const missing = editio(['verify-bag', path.join(tmp, 'nope')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nope: error: .* \[io\.not-found\]/);
    expect(editio(['verify-bag']).status).toBe(2);
  });
});

describe('writing the bag beside the edition (src/output.ts)', () => {
  const file = (p: string, s: string) => ({
    path: p,
    data: Buffer.from(s),
    format: 'x',
    mediaType: 'text/plain',
  });

  test('`../<stem>-bag/…` and `../<stem>-bag.zip` are written beside `<stem>/`, replacing the old ones', () => {
    const out = path.join(tmp, 'out1');
    writeEditionAtomically(out, 'ed', [
      file('a.txt', 'one'),
      file('../ed-bag/bagit.txt', 'old bag'),
      file('../ed-bag/data/x.txt', 'old x'),
      file('../ed-bag.zip', 'old zip'),
    ]);
    writeEditionAtomically(out, 'ed', [
      file('a.txt', 'two'),
      file('../ed-bag/bagit.txt', 'new bag'),
      file('../ed-bag.zip', 'new zip'),
    ]);
    expect(fs.readdirSync(out).sort()).toEqual(['ed', 'ed-bag', 'ed-bag.zip']);
    expect(walk(path.join(out, 'ed-bag'))).toEqual(['bagit.txt']);
    expect(fs.readFileSync(path.join(out, 'ed-bag/bagit.txt'), 'utf8')).toBe('new bag');
    expect(fs.readFileSync(path.join(out, 'ed-bag.zip'), 'utf8')).toBe('new zip');
    expect(fs.readFileSync(path.join(out, 'ed/a.txt'), 'utf8')).toBe('two');
  });

  test.each([
    ['../other/x'],
    ['../ed-bag/../../x'],
    ['../ed-bag.zip/x'],
    ['../ed-bagx.zip'],
    ['/abs'],
  ])('%s is refused, and the previous edition and bag are left as they were', (bad) => {
    const out = path.join(tmp, `out-${bad.replace(/\W+/g, '-')}`);
    writeEditionAtomically(out, 'ed', [file('a.txt', 'one'), file('../ed-bag.zip', 'zip one')]);
    expect(() =>
      writeEditionAtomically(out, 'ed', [
        file('a.txt', 'two'),
        file('../ed-bag.zip', 'zip two'),
        file(bad, 'evil'),
      ]),
    ).toThrow(/refusing to write outside the output folder/);
    expect(fs.readdirSync(out).sort()).toEqual(['ed', 'ed-bag.zip']);
    expect(fs.readFileSync(path.join(out, 'ed/a.txt'), 'utf8')).toBe('one');
    expect(fs.readFileSync(path.join(out, 'ed-bag.zip'), 'utf8')).toBe('zip one');
  });
});
