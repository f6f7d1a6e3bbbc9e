/**
 * A small, defensive zip reader for verifying bags: nothing is extracted to disk, and
 * nothing is inflated until asked for.
 *
 * Guards: the number of entries and the total uncompressed size the central directory
 * declares are capped (zip bombs), every entry is inflated with its declared size as the
 * limit and checked against its CRC-32, encrypted entries and methods other than stored
 * and deflate are refused, and a name that is absolute or climbs out with ".." is
 * reported, never read. ZIP64 sizes and offsets are understood.
 */
import * as zlib from 'node:zlib';

export const DEFAULT_MAX_TOTAL_BYTES = 2 * 1024 ** 3; // 2 GiB uncompressed
export const DEFAULT_MAX_ENTRIES = 100_000;

export interface ZipLimits {
  maxTotalBytes?: number;
  maxEntries?: number;
}

export interface ZipEntry {
  /** The name as stored. */
  name: string;
  isDirectory: boolean;
  /** Declared uncompressed size. */
  size: number;
  compressedSize: number;
  method: number;
  crc32: number;
  encrypted: boolean;
  /** Offset of the local file header. */
  offset: number;
}

export interface ZipProblem {
  kind: 'corrupt' | 'limit' | 'unsafe-name' | 'duplicate' | 'unsupported';
  /** The entry concerned, if any. */
  name?: string;
  message: string;
}

export interface ZipListing {
  entries: ZipEntry[];
  problems: ZipProblem[];
  /** False when the archive could not be read at all (see problems). */
  ok: boolean;
}

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;

class ZipError extends Error {
  constructor(
    message: string,
    readonly kind: 'corrupt' | 'limit' | 'unsupported' = 'corrupt',
  ) {
    super(message);
  }
}

function u64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipError('a ZIP64 field is too large');
  return Number(v);
}

function need(buf: Buffer, at: number, len: number, what: string): void {
  if (at < 0 || at + len > buf.length) throw new ZipError(`truncated ${what}`);
}

/** Why a stored name is not a safe relative path, or undefined if it is. */
export function unsafeName(name: string): string | undefined {
  if (name.includes('\0')) return 'contains a NUL character';
  if (name.startsWith('/') || name.startsWith('\\')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'names a drive';
  if (name.split(/[/\\]/).some((s) => s === '..')) return "climbs out with '..'";
  return undefined;
}

function findEocd(buf: Buffer): number {
  const min = Math.max(0, buf.length - (22 + 0xffff));
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === SIG_EOCD) return i;
  }
  throw new ZipError('not a zip file (no end of central directory record)');
}

/** Read the central directory of a zip held in memory. */
export function listZip(buf: Buffer, limits: ZipLimits = {}): ZipListing {
  const maxTotal = limits.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES;
  const maxEntries = limits.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const entries: ZipEntry[] = [];
  const problems: ZipProblem[] = [];
  try {
    if (buf.length < 22) throw new ZipError('not a zip file (too short)');
    const eocd = findEocd(buf);
    let count = buf.readUInt16LE(eocd + 10);
    let cdSize = buf.readUInt32LE(eocd + 12);
    let cdOffset = buf.readUInt32LE(eocd + 16);
    if (buf.readUInt16LE(eocd + 4) !== 0 || buf.readUInt16LE(eocd + 6) !== 0)
      throw new ZipError('multi-volume zip files are not supported', 'unsupported');
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const loc = eocd - 20;
      need(buf, loc, 20, 'ZIP64 locator');
      if (buf.readUInt32LE(loc) !== SIG_ZIP64_LOCATOR)
        throw new ZipError('ZIP64 end of central directory locator is missing');
      const z = u64(buf, loc + 8);
      need(buf, z, 56, 'ZIP64 end of central directory');
      if (buf.readUInt32LE(z) !== SIG_ZIP64_EOCD)
        throw new ZipError('ZIP64 end of central directory record is missing');
      count = u64(buf, z + 32);
      cdSize = u64(buf, z + 40);
      cdOffset = u64(buf, z + 48);
    }
    if (count > maxEntries)
      throw new ZipError(
        `the zip holds ${count} entries, more than the ${maxEntries} allowed`,
        'limit',
      );
    need(buf, cdOffset, cdSize, 'central directory');
    let at = cdOffset;
    let total = 0;
    const seen = new Set<string>();
    for (let i = 0; i < count; i++) {
      need(buf, at, 46, 'central directory entry');
      if (buf.readUInt32LE(at) !== SIG_CENTRAL) throw new ZipError('bad central directory entry');
      const flags = buf.readUInt16LE(at + 8);
      const method = buf.readUInt16LE(at + 10);
      const crc32 = buf.readUInt32LE(at + 16);
      let compressedSize = buf.readUInt32LE(at + 20);
      let size = buf.readUInt32LE(at + 24);
      const nameLen = buf.readUInt16LE(at + 28);
      const extraLen = buf.readUInt16LE(at + 30);
      const commentLen = buf.readUInt16LE(at + 32);
      let offset = buf.readUInt32LE(at + 42);
      need(buf, at + 46, nameLen + extraLen + commentLen, 'central directory entry');
      const rawName = buf.subarray(at + 46, at + 46 + nameLen);
      // Bit 11 says UTF-8; names without it are decoded as UTF-8 too (what zip tools on
      // Unix write), since a bag's paths are UTF-8.
      const name = rawName.toString('utf8');
      // ZIP64 extended information: only the fields whose 32-bit value is saturated
      let x = at + 46 + nameLen;
      const xEnd = x + extraLen;
      while (x + 4 <= xEnd) {
        const id = buf.readUInt16LE(x);
        const len = buf.readUInt16LE(x + 2);
        if (id === 0x0001) {
          let p = x + 4;
          const end = p + len;
          const take = () => {
            if (p + 8 > end) throw new ZipError(`bad ZIP64 field for ${name}`);
            const v = u64(buf, p);
            p += 8;
            return v;
          };
          if (size === 0xffffffff) size = take();
          if (compressedSize === 0xffffffff) compressedSize = take();
          if (offset === 0xffffffff) offset = take();
        }
        x += 4 + len;
      }
      at += 46 + nameLen + extraLen + commentLen;
      total += size;
      if (total > maxTotal)
        throw new ZipError(
          `the zip would inflate to more than ${maxTotal} bytes (a zip bomb?); not read`,
          'limit',
        );
      const entry: ZipEntry = {
        name,
        isDirectory: name.endsWith('/'),
        size,
        compressedSize,
        method,
        crc32,
        encrypted: (flags & 1) !== 0,
        offset,
      };
      const why = unsafeName(name);
      if (why) {
        problems.push({ kind: 'unsafe-name', name, message: `zip entry "${name}" ${why}` });
        continue;
      }
      if (seen.has(name)) {
        problems.push({ kind: 'duplicate', name, message: `zip entry "${name}" appears twice` });
        continue;
      }
      seen.add(name);
      entries.push(entry);
    }
    return { entries, problems, ok: true };
  } catch (err) {
    if (err instanceof ZipError) problems.push({ kind: err.kind, message: err.message });
    else if (err instanceof RangeError) problems.push({ kind: 'corrupt', message: err.message });
    else throw err;
    return { entries: [], problems, ok: false };
  }
}

let crcTable: Int32Array | undefined;
/** Node's own CRC-32 (zlib's, native: Node 20.15 and later), else undefined. */
const nativeCrc32 = (zlib as Partial<typeof zlib>).crc32;
/** CRC-32 (IEEE), as zip stores it: zlib's where Node has it (an EPUB of Quintilian's
 * 4.7 MB took ~20 ms in crc32Table's JavaScript loop), else crc32Table. */
export function crc32(data: Buffer): number {
  return typeof nativeCrc32 === 'function' ? nativeCrc32(data) >>> 0 : crc32Table(data);
}

/** CRC-32 (IEEE) in JavaScript, a byte at a time through a 256-entry table. */
export function crc32Table(data: Buffer): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let c = -1;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/**
 * The uncompressed bytes of one entry; throws an Error with a message fit for a
 * diagnostic when the entry is encrypted, uses another method, is larger than it says or
 * fails its CRC.
 */
export function readEntry(buf: Buffer, e: ZipEntry): Buffer {
  if (e.encrypted) throw new Error('is encrypted');
  need(buf, e.offset, 30, `local header of ${e.name}`);
  if (buf.readUInt32LE(e.offset) !== SIG_LOCAL) throw new Error('has a bad local header');
  const start = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28);
  need(buf, start, e.compressedSize, `data of ${e.name}`);
  const raw = buf.subarray(start, start + e.compressedSize);
  let data: Buffer;
  if (e.method === 0) {
    if (e.compressedSize !== e.size) throw new Error('has inconsistent sizes');
    data = raw;
  } else if (e.method === 8) {
    try {
      // the declared size is the limit: a lying header cannot make us inflate more
      data = zlib.inflateRawSync(raw, { maxOutputLength: Math.max(1, e.size) });
    } catch (err) {
      throw new Error(
        (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE'
          ? 'inflates to more than its declared size'
          : `cannot be inflated (${(err as Error).message})`,
      );
    }
  } else {
    throw new Error(`uses compression method ${e.method} (only stored and deflate are read)`);
  }
  if (data.length !== e.size) throw new Error('inflates to another size than it declares');
  if (crc32(data) !== e.crc32) throw new Error('fails its CRC-32 check');
  return data;
}

/** One entry to write: its name, its bytes, and whether to store it uncompressed. */
export interface ZipInput {
  name: string;
  data: Buffer;
  store?: boolean;
  /** `data`'s body, when the caller began deflating it earlier with deflateBody(). */
  deflated?: Promise<Buffer>;
}

const DEFLATE = { level: 6 };

/** The deflated body writeZipParallel() writes for `data`, begun now on libuv's thread
 * pool (a caller may start it while it still works on other entries). */
export function deflateBody(data: Buffer): Promise<Buffer> {
  const body = new Promise<Buffer>((resolve, reject) =>
    zlib.deflateRaw(data, DEFLATE, (err, out) => (err ? reject(err) : resolve(out))),
  );
  // (a body begun and then not used must not become an unhandled rejection)
  body.catch(() => undefined);
  return body;
}

/**
 * A zip of these entries, in this order: each deflated (zlib, level 6) unless `store`,
 * all with one timestamp (UTC, DOS format), no directory entries, no extra fields, DOS
 * attributes. Same entries and date, same bytes. Written here rather than by JSZip,
 * whose deflate is JavaScript: Node's zlib is ~4x faster on a 4 MB book. The entries are
 * deflated at once on libuv's thread pool rather than one after another on this thread:
 * the cores the build leaves idle while it packages share the work (a 4 MB EPUB of 26
 * documents: ~0.1 s deflated in turn), and each body is still the bytes a plain deflate
 * gives.
 */
export async function writeZipParallel(entries: ZipInput[], date: Date): Promise<Buffer> {
  const bodies = await Promise.all(
    entries.map((e) => (e.store ? Promise.resolve(e.data) : (e.deflated ?? deflateBody(e.data)))),
  );
  return assembleZip(entries, bodies, date);
}

/** The zip of these entries, whose (stored or deflated) bodies are given. */
function assembleZip(entries: ZipInput[], bodies: Buffer[], date: Date): Buffer {
  if (entries.length > 0xffff) throw new Error('too many entries for a zip without ZIP64');
  const time =
    (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1);
  const day =
    ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  entries.forEach((e, i) => {
    const name = Buffer.from(e.name, 'utf8');
    const body = bodies[i]!;
    if (offset + body.length > 0xfffffff0) throw new Error('too large for a zip without ZIP64');
    // general-purpose flag 11: the name is UTF-8 (only when it is not ASCII)
    const flags = name.length === e.name.length ? 0 : 0x0800;
    const method = e.store ? 0 : 8;
    const crc = crc32(e.data);
    // the fields local header and central directory share, from "version needed" on
    const fields = (buf: Buffer, at: number) => {
      buf.writeUInt16LE(20, at);
      buf.writeUInt16LE(flags, at + 2);
      buf.writeUInt16LE(method, at + 4);
      buf.writeUInt16LE(time, at + 6);
      buf.writeUInt16LE(day, at + 8);
      buf.writeUInt32LE(crc, at + 10);
      buf.writeUInt32LE(body.length, at + 14);
      buf.writeUInt32LE(e.data.length, at + 18);
      buf.writeUInt16LE(name.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    fields(local, 4);
    parts.push(local, name, body);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4); // made by: MS-DOS, zip 2.0
    fields(entry, 6);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    offset += local.length + name.length + body.length;
  });
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}
