/**
 * BagIt bags in memory (src/archive/bagit.ts), the metadata records (records.ts), the
 * defensive zip reader (zip.ts) and the verifier (verify.ts) on small bags made here.
 * The flagship's bag, built and tampered with through the CLI, is in
 * test/integration/archive.test.ts.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import JSZip from 'jszip';
import { XMLParser } from 'fast-xml-parser';
import {
  BAGIT_TXT,
  bagInfo,
  decodeManifestPath,
  encodeManifestPath,
  makeBag,
  payloadOxum,
  zipBag,
  type BagFile,
} from '../../src/archive/bagit';
import { editionDay, editionUrn, externalIdentifier } from '../../src/archive/identity';
import { metsRecord, oaiDcRecord, type RecordContext } from '../../src/archive/records';
import { verifyBag } from '../../src/archive/verify';
import {
  crc32,
  crc32Table,
  deflateBody,
  listZip,
  readEntry,
  writeZipParallel,
  type ZipInput,
} from '../../src/archive/zip';
import type { EditionMetadata } from '../../src/metadata';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const DATE = new Date(Date.UTC(2024, 2, 1, 12, 0, 0));

const metadata: EditionMetadata = {
  kind: 'edition',
  title: 'A Title',
  fullTitle: 'A Title: and its subtitle',
  authors: [{ name: 'Ann Author', role: 'aut', kind: 'person' }],
  translators: [{ name: 'Tom Translator', role: 'trl', kind: 'person' }],
  editors: [],
  contributors: [],
  languages: ['en', 'fr'],
  language: 'en',
  identifiers: [],
  subjects: ['History'],
  description: 'A Title, by Ann Author.',
  hasPageBreaks: false,
  publisher: 'A Press',
  dates: { published: '2020-05-06' },
  // as the core's record gives it (src/xslt/core/metadata.xsl)
  editionDate: '2020-05-06',
  licence: { text: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' },
};

function payload(): BagFile[] {
  return [
    { path: 'ed.xml', data: Buffer.from('<TEI/>\n') },
    { path: 'index.html', data: Buffer.from('<!DOCTYPE html><p>hi</p>\n') },
    { path: 'sub/notes 100%.txt', data: Buffer.from('a percent sign in the name\n') },
  ];
}

function bag(): BagFile[] {
  return makeBag({
    payload: payload(),
    info: [
      ['Source-Organization', 'A Press'],
      ['Bagging-Date', '2024-03-01'],
      ['Bag-Software-Agent', 'editio test'],
    ],
    oxumAfter: 'Bagging-Date',
  });
}

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'editio-bagit-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function writeBag(files: BagFile[], dir = path.join(tmp, 'bag')): string {
  for (const f of files) {
    const p = path.join(dir, f.path);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, f.data);
  }
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  return dir;
}

/** The central directory's entries: name and offset of each record. */
function centralDirectory(zip: Buffer): { name: string; at: number }[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = zip.readUInt32LE(eocd + 16);
  const out: { name: string; at: number }[] = [];
  for (let i = 0; i < zip.readUInt16LE(eocd + 10); i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const n = zip.readUInt16LE(at + 28);
    out.push({ name: zip.subarray(at + 46, at + 46 + n).toString('utf8'), at });
    at += 46 + n + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return out;
}

function codes(r: { diagnostics: { code: string; severity: string }[] }): string[] {
  return r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
}

describe('making a bag', () => {
  test('manifest paths percent-encode CR, LF and % only, and decode back', () => {
    const p = 'data/a%b\nc\rd e.txt';
    expect(encodeManifestPath(p)).toBe('data/a%25b%0Ac%0Dd e.txt');
    expect(decodeManifestPath(encodeManifestPath(p))).toBe(p);
    expect(decodeManifestPath('data/x%0a%0d')).toBe('data/x\n\r');
  });

  test('tag files, sorted manifests with LF endings, Payload-Oxum among the fields', () => {
    const files = bag();
    expect(files.map((f) => f.path)).toEqual([
      'bagit.txt',
      'bag-info.txt',
      'data/ed.xml',
      'data/index.html',
      'data/sub/notes 100%.txt',
      'manifest-sha256.txt',
      'manifest-sha512.txt',
      'tagmanifest-sha256.txt',
    ]);
    const get = (p: string) => files.find((f) => f.path === p)!.data.toString('utf8');
    expect(get('bagit.txt')).toBe(BAGIT_TXT);
    expect(get('bagit.txt')).toBe('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
    const oxum = payloadOxum(payload());
    expect(get('bag-info.txt')).toBe(
      `Source-Organization: A Press\nBagging-Date: 2024-03-01\nPayload-Oxum: ${oxum}\nBag-Software-Agent: editio test\n`,
    );
    const octets = payload().reduce((n, f) => n + f.data.length, 0);
    expect(oxum).toBe(`${octets}.3`);
    const m = get('manifest-sha256.txt');
    expect(m).not.toMatch(/\r/);
    expect(m.split('\n').filter(Boolean)).toEqual(
      payload()
        .map((f) => `${sha256(f.data)}  data/${encodeManifestPath(f.path)}`)
        .sort((a, b) => (a.split('  ')[1]! < b.split('  ')[1]! ? -1 : 1)),
    );
    expect(m).toContain('data/sub/notes 100%25.txt');
    const tm = get('tagmanifest-sha256.txt');
    expect(
      tm
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('  ')[1]),
    ).toEqual(['bag-info.txt', 'bagit.txt', 'manifest-sha256.txt', 'manifest-sha512.txt']);
    expect(tm).toContain(`${sha256(get('bag-info.txt'))}  bag-info.txt`);
  });

  test('bag-info values are kept on one line; empty ones are left out', () => {
    expect(
      bagInfo([
        ['External-Description', 'two\nlines  here'],
        ['X', '  '],
      ]),
    ).toBe('External-Description: two lines here\n');
  });

  test('a payload path that is absolute or climbs out is refused', () => {
    for (const p of ['../x', '/x', 'a/../../x', 'a//b', ''])
      expect(() => makeBag({ payload: [{ path: p, data: Buffer.from('') }], info: [] })).toThrow(
        /not a relative payload path/,
      );
  });

  test('the zip: one top folder, bagit.txt first then sorted, one timestamp, no extra fields, same bytes', async () => {
    const a = await zipBag(bag(), 'ed-bag', DATE);
    const b = await zipBag(bag().reverse(), 'ed-bag', DATE);
    expect(a.equals(b)).toBe(true);
    expect((await zipBag(bag(), 'ed-bag', new Date(Date.UTC(2024, 2, 2)))).equals(a)).toBe(false);
    const listing = listZip(a);
    expect(listing.problems).toEqual([]);
    const names = listing.entries.map((e) => e.name);
    expect(names[0]).toBe('ed-bag/bagit.txt');
    expect(names.slice(1)).toEqual([...names.slice(1)].sort());
    expect(names.every((n) => n.startsWith('ed-bag/') && !n.endsWith('/'))).toBe(true);
    // every central directory entry: no extra field, DOS time of the edition date
    const cd = centralDirectory(a);
    expect(cd.map((e) => e.name)).toEqual(names);
    for (const { at } of cd) {
      expect(a.readUInt16LE(at + 30)).toBe(0); // extra field length
      const time = a.readUInt16LE(at + 12);
      const date = a.readUInt16LE(at + 14);
      expect([time >> 11, (time >> 5) & 63]).toEqual([12, 0]);
      expect([(date >> 9) + 1980, (date >> 5) & 15, date & 31]).toEqual([2024, 3, 1]);
    }
    // and it reads back
    const byName = new Map(bag().map((f) => [`ed-bag/${f.path}`, f.data]));
    for (const e of listing.entries) expect(readEntry(a, e).equals(byName.get(e.name)!)).toBe(true);
  });

  test('the zip writer: stored and deflated entries, UTF-8 names, read back by JSZip too', async () => {
    const text = Buffer.from('Ἐν ἀρχῇ ἦν ὁ λόγος. '.repeat(200), 'utf8');
    const z = await writeZipParallel(
      [
        { name: 'mimetype', data: Buffer.from('application/epub+zip'), store: true },
        { name: 'OEBPS/λόγος.xhtml', data: text },
        { name: 'empty.txt', data: Buffer.alloc(0) },
      ],
      DATE,
    );
    const listing = listZip(z);
    expect(listing.problems).toEqual([]);
    const [mimetype, greek, empty] = listing.entries;
    expect([mimetype!.method, mimetype!.compressedSize, mimetype!.offset]).toEqual([0, 20, 0]);
    expect(z.subarray(30, 38).toString('ascii')).toBe('mimetype'); // OCF: first, by name, at 30
    expect(greek!.method).toBe(8);
    expect(greek!.compressedSize).toBeLessThan(text.length / 5);
    expect(readEntry(z, greek!).equals(text)).toBe(true);
    expect(readEntry(z, empty!).length).toBe(0);
    const other = await JSZip.loadAsync(z);
    expect(Object.keys(other.files)).toEqual(['mimetype', 'OEBPS/λόγος.xhtml', 'empty.txt']);
    expect((await other.file('OEBPS/λόγος.xhtml')!.async('nodebuffer')).equals(text)).toBe(true);
  });

  test('the zip is the same at each write, and each body is zlib’s raw deflate, level 6', async () => {
    // entries large and small, text and random bytes, in an order that is not sorted,
    // deflated at once on the thread pool: they must still come out in this order, each
    // body the bytes a plain deflate gives, so that a build is byte-identical
    let seed = 7;
    const noise = Buffer.alloc(300_000);
    for (let i = 0; i < noise.length; i++)
      noise[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    const entries: ZipInput[] = [
      { name: 'mimetype', data: Buffer.from('application/epub+zip'), store: true },
      ...Array.from({ length: 30 }, (_, i) => ({
        name: `OEBPS/text-${String(30 - i).padStart(3, '0')}.xhtml`,
        data: Buffer.from(`<p>Chapter ${i}: ${'Ἐν ἀρχῇ ἦν ὁ λόγος. '.repeat(50 * (i + 1))}</p>`),
      })),
      { name: 'OEBPS/images/noise.bin', data: noise },
      { name: 'empty.txt', data: Buffer.alloc(0) },
      { name: 'stored.txt', data: Buffer.from('kept as it is'), store: true },
    ];
    const z = await writeZipParallel(entries, DATE);
    expect((await writeZipParallel(entries, DATE)).equals(z)).toBe(true);
    // bodies begun early (the EPUB writer deflates its documents while it packages) give
    // the same zip
    const early = entries.map((e) => ({ ...e, deflated: deflateBody(e.data) }));
    expect((await writeZipParallel(early, DATE)).equals(z)).toBe(true);
    // and a body given is the one written (here another deflate of the same bytes)
    const fast = zlib.deflateRawSync(entries[1]!.data, { level: 1 });
    const given = entries.map((e, i) => (i === 1 ? { ...e, deflated: Promise.resolve(fast) } : e));
    const zg = await writeZipParallel(given, DATE);
    const g = listZip(zg).entries[1]!;
    const gAt = g.offset + 30 + Buffer.byteLength(g.name);
    expect(zg.subarray(gAt, gAt + g.compressedSize).equals(fast)).toBe(true);
    expect(readEntry(zg, g).equals(entries[1]!.data)).toBe(true);
    const listing = listZip(z);
    expect(listing.problems).toEqual([]);
    expect(listing.entries.map((e) => e.name)).toEqual(entries.map((e) => e.name));
    listing.entries.forEach((e, i) => {
      const input = entries[i]!;
      // the body follows the 30-byte local header and the name (no extra field)
      const at = e.offset + 30 + Buffer.byteLength(e.name);
      const body = z.subarray(at, at + e.compressedSize);
      const expected = input.store ? input.data : zlib.deflateRawSync(input.data, { level: 6 });
      expect([e.name, e.method, body.equals(expected)]).toEqual([
        e.name,
        input.store ? 0 : 8,
        true,
      ]);
      expect(readEntry(z, e).equals(input.data)).toBe(true);
    });
  });
});

describe('the metadata records', () => {
  const ctx: RecordContext = {
    metadata,
    identifier: externalIdentifier(metadata),
    date: '2024-03-01',
    agent: 'editio test',
  };
  const parser = new XMLParser({ ignoreAttributes: false, isArray: () => true });

  test('the edition identifier: the first idno, else the EPUB’s urn:uuid', () => {
    expect(externalIdentifier(metadata)).toBe(editionUrn(metadata));
    expect(editionUrn(metadata)).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const withIds = {
      ...metadata,
      identifiers: [{ type: 'DOI', value: '10.1/x' }, { value: 'y' }],
    };
    expect(externalIdentifier(withIds)).toBe('10.1/x');
    expect(editionDay(metadata, undefined)).toBe('2020-05-06');
    expect(editionDay(metadata, 1700000000)).toBe('2023-11-14');
  });

  test('OAI Dublin Core: title, creator, contributors, language, rights, identifier, the one date', () => {
    const xml = oaiDcRecord(ctx).toString('utf8');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<oai_dc:dc ')).toBe(true);
    const dc = parser.parse(xml)['oai_dc:dc'][0];
    expect(dc['@_xmlns:oai_dc']).toEqual(['http://www.openarchives.org/OAI/2.0/oai_dc/']);
    expect(dc['dc:title']).toEqual(['A Title: and its subtitle']);
    expect(dc['dc:creator']).toEqual(['Ann Author']);
    expect(dc['dc:contributor']).toEqual(['Tom Translator']);
    expect(dc['dc:language']).toEqual(['en', 'fr']);
    expect(dc['dc:rights']).toEqual(['CC BY 4.0', 'https://creativecommons.org/licenses/by/4.0/']);
    expect(dc['dc:identifier']).toEqual([editionUrn(metadata)]);
    expect(dc['dc:date']).toEqual(['2024-03-01']);
    expect(dc['dc:publisher']).toEqual(['A Press']);
    expect(dc['dc:subject']).toEqual(['History']);
  });

  test('METS: each file with its SHA-256, size and MIME type, and the DC record wrapped', () => {
    const files = [
      {
        path: 'ed.xml',
        data: Buffer.from('<TEI/>'),
        mediaType: 'application/tei+xml',
        format: 'tei',
      },
      { path: 'a b.html', data: Buffer.from('<p/>'), mediaType: 'text/html', format: 'html' },
      {
        path: 'metadata/oai_dc.xml',
        data: oaiDcRecord(ctx),
        mediaType: 'application/xml',
        format: 'metadata',
      },
    ];
    const xml = metsRecord(ctx, files).toString('utf8');
    expect(metsRecord(ctx, [...files].reverse()).toString('utf8')).toBe(xml);
    const mets = parser.parse(xml).mets[0];
    expect(mets['@_xmlns']).toEqual(['http://www.loc.gov/METS/']);
    expect(mets['@_OBJID']).toEqual([ctx.identifier]);
    expect(mets.metsHdr[0]['@_CREATEDATE']).toEqual(['2024-03-01T00:00:00Z']);
    const listed = mets.fileSec[0].fileGrp.flatMap(
      (g: { file: Record<string, unknown>[] }) => g.file,
    );
    expect(listed).toHaveLength(3);
    for (const f of files) {
      const href = f.path.startsWith('metadata/')
        ? f.path.slice(9)
        : `../${encodeURIComponent(f.path)}`;
      const e = listed.find(
        (x: { FLocat: Record<string, string[]>[] }) => x.FLocat[0]!['@_xlink:href']![0] === href,
      );
      expect(e).toBeDefined();
      expect(e['@_CHECKSUM']).toEqual([sha256(f.data)]);
      expect(e['@_CHECKSUMTYPE']).toEqual(['SHA-256']);
      expect(e['@_SIZE']).toEqual([String(f.data.length)]);
      expect(e['@_MIMETYPE']).toEqual([f.mediaType]);
    }
    const wrapped = mets.dmdSec[0].mdWrap[0].xmlData[0]['oai_dc:dc'][0];
    expect(wrapped['dc:title']).toEqual(['A Title: and its subtitle']);
    expect(
      mets.structMap[0].div[0].div.map((d: Record<string, string[]>) => d['@_TYPE'][0]),
    ).toEqual(['tei', 'html', 'metadata']);
  });
});

describe('the zip reader’s guards', () => {
  async function zipOf(entries: [string, string | Buffer][]): Promise<Buffer> {
    const z = new JSZip();
    for (const [n, d] of entries) z.file(n, d, { createFolders: false, date: DATE });
    return z.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  }

  test('crc32 is the zip CRC', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    // every byte value, against the bitwise definition: zlib's CRC (where Node has it)
    // and the table loop
    const data = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) & 0xff));
    let c = 0xffffffff;
    for (const b of data) {
      c ^= b;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    for (const f of [crc32, crc32Table]) {
      expect(f(data)).toBe((c ^ 0xffffffff) >>> 0);
      expect(f(Buffer.from('123456789'))).toBe(0xcbf43926);
      expect(f(Buffer.alloc(0))).toBe(0);
    }
  });

  test('names that are absolute or climb out are reported and never read', async () => {
    const z = await zipOf([
      ['b/../../evil.txt', 'x'],
      ['/etc/passwd', 'y'],
      ['C:/x', 'z'],
      ['ok/file.txt', 'ok'],
    ]);
    const l = listZip(z);
    expect(l.entries.map((e) => e.name)).toEqual(['ok/file.txt']);
    expect(l.problems.map((p) => [p.kind, p.name])).toEqual([
      ['unsafe-name', 'b/../../evil.txt'],
      ['unsafe-name', '/etc/passwd'],
      ['unsafe-name', 'C:/x'],
    ]);
  });

  test('a zip bomb: too much declared data or too many entries is refused before inflating', async () => {
    const big = Buffer.alloc(1024 * 1024); // 1 MiB of zeros deflates to about 1 KiB
    const z = await zipOf([
      ['a', big],
      ['b', big],
    ]);
    expect(z.length).toBeLessThan(10_000);
    expect(listZip(z, { maxTotalBytes: 1.5 * 1024 * 1024 }).problems[0]!.kind).toBe('limit');
    expect(listZip(z, { maxEntries: 1 }).problems[0]!.kind).toBe('limit');
    expect(listZip(z).ok).toBe(true);
  });

  test('an entry that inflates past its declared size, or fails its CRC, is not trusted', async () => {
    const z = await zipOf([['a.txt', Buffer.alloc(5000, 97)]]);
    const l = listZip(z);
    const e = l.entries[0]!;
    expect(() => readEntry(z, { ...e, size: 100 })).toThrow(/more than its declared size/);
    expect(() => readEntry(z, { ...e, crc32: e.crc32 ^ 1 })).toThrow(/CRC-32/);
    expect(() => readEntry(z, { ...e, encrypted: true })).toThrow(/encrypted/);
    expect(() => readEntry(z, { ...e, method: 12 })).toThrow(/compression method 12/);
    expect(readEntry(z, e).length).toBe(5000);
  });

  test('not a zip, or a truncated one', () => {
    expect(listZip(Buffer.from('not a zip at all, just some text here')).problems[0]!.kind).toBe(
      'corrupt',
    );
  });
});

describe('verifyBag on small bags', () => {
  test('a bag made here is valid, as a directory and as a zip', async () => {
    const dir = writeBag(bag());
    const r = verifyBag(dir);
    expect(r.diagnostics).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.kind).toBe('directory');
    expect(r.files).toContain('data/sub/notes 100%.txt');
    const zip = path.join(tmp, 'bag.zip');
    fs.writeFileSync(zip, await zipBag(bag(), 'ed-bag', DATE));
    const z = verifyBag(zip);
    expect(z.diagnostics).toEqual([]);
    expect(z.kind).toBe('zip');
    expect(z.files).toEqual(r.files);
  });

  test('a file name holding a line feed is percent-encoded in the manifests and verifies', () => {
    const files = makeBag({
      payload: [{ path: 'odd\nname.txt', data: Buffer.from('x') }],
      info: [],
    });
    expect(files.find((f) => f.path === 'manifest-sha256.txt')!.data.toString()).toContain(
      'data/odd%0Aname.txt',
    );
    expect(verifyBag(writeBag(files)).diagnostics).toEqual([]);
  });

  test('"./" before a manifest path is allowed; "data/./x", a path listed twice and a short checksum are not', () => {
    const dir = writeBag(bag());
    const m = path.join(dir, 'manifest-sha256.txt');
    fs.writeFileSync(m, fs.readFileSync(m, 'utf8').replace(/ {2}data\//g, '  ./data/'));
    expect(codes(verifyBag(dir)).filter((c) => c !== 'bag.altered')).toEqual([]);
    const lines = fs.readFileSync(m, 'utf8').split('\n');
    fs.writeFileSync(
      m,
      [lines[0], lines[0], 'abc  data/ed.xml', `${'0'.repeat(64)}  data/./x`, ''].join('\n'),
    );
    const r = verifyBag(dir);
    expect(r.diagnostics.filter((d) => d.code === 'bag.manifest-syntax')).toHaveLength(3);
    expect(r.diagnostics.find((d) => /listed twice/.test(d.message))!.line).toBe(2);
  });

  test('a tag manifest listing a payload file, a BOM in bagit.txt, an unknown algorithm', () => {
    const dir = writeBag(bag());
    fs.appendFileSync(
      path.join(dir, 'tagmanifest-sha256.txt'),
      `${sha256('<TEI/>\n')}  data/ed.xml\n`,
    );
    fs.writeFileSync(path.join(dir, 'bagit.txt'), `\uFEFF${BAGIT_TXT}`);
    fs.writeFileSync(path.join(dir, 'manifest-blake9.txt'), '00  data/ed.xml\n');
    const r = verifyBag(dir);
    expect(r.diagnostics.map((d) => [d.severity, d.code])).toEqual(
      expect.arrayContaining([
        ['error', 'bag.manifest-syntax'],
        ['error', 'bag.bagit-txt'],
        ['warning', 'bag.unknown-algorithm'],
      ]),
    );
  });

  test('a file still to be fetched (fetch.txt) makes the bag incomplete', () => {
    const dir = writeBag(bag());
    fs.rmSync(path.join(dir, 'data/ed.xml'));
    fs.writeFileSync(path.join(dir, 'fetch.txt'), 'https://example.org/ed.xml 7 data/ed.xml\n');
    const r = verifyBag(dir);
    expect(codes(r)).toContain('bag.fetch-pending');
    expect(codes(r)).not.toContain('bag.missing');
  });

  test('a symbolic link in the payload is reported, not followed', () => {
    const dir = writeBag(bag());
    fs.symlinkSync('/etc/hostname', path.join(dir, 'data/link'));
    const r = verifyBag(dir);
    expect(r.diagnostics.find((d) => d.code === 'bag.symlink')!.file).toBe(`${dir}/data/link`);
  });

  test('a zip whose entry fails its CRC names that file', async () => {
    const bad = await zipBag(bag(), 'ed-bag', DATE);
    const e = centralDirectory(bad).find((x) => x.name === 'ed-bag/data/ed.xml')!;
    bad.writeUInt32LE((bad.readUInt32LE(e.at + 16) ^ 0xffff) >>> 0, e.at + 16); // its stored CRC
    const p = path.join(tmp, 'bad.zip');
    fs.writeFileSync(p, bad);
    const r = verifyBag(p);
    expect(r.ok).toBe(false);
    const d = r.diagnostics.find((x) => x.code === 'bag.altered')!;
    expect(d.file).toBe(`${p}/data/ed.xml`);
    expect(d.message).toMatch(/CRC-32/);
  });

  test('a zip past the size cap is refused without inflating', async () => {
    const p = path.join(tmp, 'bag.zip');
    fs.writeFileSync(p, await zipBag(bag(), 'ed-bag', DATE));
    const r = verifyBag(p, { maxTotalBytes: 100 });
    expect(codes(r)).toContain('bag.zip-limit');
    expect(r.ok).toBe(false);
  });

  test('a path that does not exist is an I/O error', () => {
    expect(codes(verifyBag(path.join(tmp, 'nope')))).toEqual(['io.not-found']);
  });
});
