/**
 * BagIt 1.0 (RFC 8493) bags, made in memory: the tag files (bagit.txt, bag-info.txt,
 * payload and tag manifests) for a given payload, and the deterministic zip of a bag.
 *
 * Pure: files in, files out. Everything is sorted by path, written in UTF-8 with LF line
 * endings, and dated only by the date passed in, so that the same payload and
 * information give the same bytes.
 */
import { createHash } from 'node:crypto';
import { writeZipParallel } from './zip';

/** One file of a bag, by its path relative to the bag's base directory. */
export interface BagFile {
  path: string;
  data: Buffer;
}

/** Checksum algorithms the writer uses: two payload manifests, one tag manifest. */
export const PAYLOAD_ALGORITHMS = ['sha256', 'sha512'] as const;
export const TAG_ALGORITHMS = ['sha256'] as const;

/** Algorithms a bag may use that Node's crypto can compute (RFC 8493 §2.4). */
export const KNOWN_ALGORITHMS: Record<string, string> = {
  md5: 'md5',
  sha1: 'sha1',
  sha224: 'sha224',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
};

export const BAGIT_TXT = 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n';

export function digest(algorithm: string, data: Buffer): string {
  return createHash(KNOWN_ALGORITHMS[algorithm] ?? algorithm)
    .update(data)
    .digest('hex');
}

/**
 * A file path as a manifest writes it: CR, LF and % (and only those) percent-encoded
 * (RFC 8493 §2.1.3).
 */
export function encodeManifestPath(p: string): string {
  return p.replace(/[%\r\n]/g, (c) => (c === '%' ? '%25' : c === '\r' ? '%0D' : '%0A'));
}

/** The inverse of encodeManifestPath (case-insensitive hex, as RFC 3986 allows). */
export function decodeManifestPath(p: string): string {
  return p.replace(/%(25|0D|0A)/gi, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/** Sort by path, code point by code point (stable across locales). */
export function byPath<T extends { path: string }>(a: T, b: T): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** `checksum  path` lines for the files, sorted by path. */
export function manifest(algorithm: string, files: BagFile[]): string {
  return [...files]
    .sort(byPath)
    .map((f) => `${digest(algorithm, f.data)}  ${encodeManifestPath(f.path)}\n`)
    .join('');
}

/** Payload-Oxum: `<octets>.<file count>` of the payload. */
export function payloadOxum(payload: { data: Buffer }[]): string {
  return `${payload.reduce((n, f) => n + f.data.length, 0)}.${payload.length}`;
}

/** A bag-info.txt value on one line: tag values may not hold line breaks of their own. */
export function tagValue(v: string): string {
  return v.replace(/\s+/g, ' ').trim();
}

/** bag-info.txt from labelled values, in the order given; empty values are left out. */
export function bagInfo(fields: [label: string, value: string | undefined][]): string {
  return fields
    .map(([label, value]) => [label, tagValue(value ?? '')] as const)
    .filter(([, value]) => value !== '')
    .map(([label, value]) => `${label}: ${value}\n`)
    .join('');
}

export interface BagOptions {
  /** The payload, by path relative to data/ ("index.html", "metadata/mets.xml"). */
  payload: BagFile[];
  /** bag-info.txt fields other than Payload-Oxum, which is computed. */
  info: [label: string, value: string | undefined][];
  /** Where Payload-Oxum goes among the fields (default: last). */
  oxumAfter?: string;
}

/**
 * Every file of the bag, by bag path: bagit.txt, bag-info.txt, data/…, the payload
 * manifests (SHA-256, SHA-512) and the tag manifest (SHA-256) over the other tag files.
 * Sorted by path, bagit.txt first.
 */
export function makeBag(opts: BagOptions): BagFile[] {
  for (const f of opts.payload) {
    if (
      !f.path ||
      f.path.startsWith('/') ||
      f.path.split('/').some((s) => s === '' || s === '.' || s === '..')
    )
      throw new Error(`not a relative payload path: ${JSON.stringify(f.path)}`);
  }
  const payload = opts.payload.map((f) => ({ path: `data/${f.path}`, data: f.data })).sort(byPath);
  const oxum: [string, string] = ['Payload-Oxum', payloadOxum(payload)];
  const info = [...opts.info];
  const at = opts.oxumAfter ? info.findIndex(([l]) => l === opts.oxumAfter) : -1;
  if (at >= 0) info.splice(at + 1, 0, oxum);
  else info.push(oxum);

  const tags: BagFile[] = [
    { path: 'bagit.txt', data: Buffer.from(BAGIT_TXT, 'utf8') },
    { path: 'bag-info.txt', data: Buffer.from(bagInfo(info), 'utf8') },
    ...PAYLOAD_ALGORITHMS.map((alg) => ({
      path: `manifest-${alg}.txt`,
      data: Buffer.from(manifest(alg, payload), 'utf8'),
    })),
  ];
  const tagManifests = TAG_ALGORITHMS.map((alg) => ({
    path: `tagmanifest-${alg}.txt`,
    data: Buffer.from(manifest(alg, tags), 'utf8'),
  }));
  return orderForZip([...tags, ...tagManifests, ...payload]);
}

/** bagit.txt first (so a reader meets the declaration first), then by path. */
export function orderForZip(files: BagFile[]): BagFile[] {
  const rest = files.filter((f) => f.path !== 'bagit.txt').sort(byPath);
  const decl = files.filter((f) => f.path === 'bagit.txt');
  return [...decl, ...rest];
}

/** The zip clock runs from 1980 to 2107; keep the date within what DOS time can hold. */
export function zipDate(d: Date): Date {
  return new Date(
    Math.min(Math.max(d.getTime(), Date.UTC(1980, 0, 1, 12)), Date.UTC(2099, 11, 31)),
  );
}

/**
 * The bag as a zip whose single top folder is `top`: entries in a fixed order (bagit.txt
 * first, then sorted), one timestamp, no directory entries, no extra fields, DOS
 * attributes only. Same files and date, same bytes.
 */
export async function zipBag(files: BagFile[], top: string, date: Date): Promise<Buffer> {
  return writeZipParallel(
    orderForZip(files).map((f) => ({ name: `${top}/${f.path}`, data: f.data })),
    zipDate(date),
  );
}
