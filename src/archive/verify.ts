/**
 * Verify a BagIt bag (RFC 8493 §3), a directory or a zip of one: is it complete (every
 * required element present, every file a manifest lists present, every payload file in
 * every payload manifest) and valid (every checksum matches)?
 *
 * Returns diagnostics as data, each naming the file concerned by its path in the bag
 * (`<bag>/data/index.html`) with a stable code:
 *
 * - bag.bagit-txt        bagit.txt missing or malformed
 * - bag.no-payload-dir   no data/ directory
 * - bag.no-manifest      no payload manifest
 * - bag.manifest-syntax  a manifest line that is not `checksum path`, a wrong-length
 *                        checksum, a path listed twice, a payload manifest listing a tag
 *                        file or a tag manifest listing a payload file
 * - bag.path-escape      a manifest path or zip entry that is absolute or climbs out
 * - bag.missing          a file a manifest lists is not in the bag
 * - bag.fetch-pending    … and fetch.txt says it is still to be fetched
 * - bag.extra            a payload file that a payload manifest does not list
 * - bag.altered          a checksum does not match
 * - bag.oxum             Payload-Oxum malformed, or not the payload's size and count
 * - bag.bag-info         bag-info.txt malformed
 * - bag.unknown-algorithm (warning) a manifest whose algorithm cannot be computed here
 * - bag.symlink, bag.not-regular  a directory entry that is not a regular file
 * - bag.zip-corrupt, bag.zip-limit, bag.zip-duplicate, bag.zip-unsupported
 *
 * A zip is read in memory only, never extracted, within limits on its entry count and
 * total uncompressed size (see zip.ts). Nothing here writes.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diag, hasErrors, type Diagnostic } from '../diagnostics';
import { KNOWN_ALGORITHMS, decodeManifestPath } from './bagit';
import { DEFAULT_MAX_TOTAL_BYTES, listZip, readEntry, unsafeName, type ZipLimits } from './zip';

export type VerifyOptions = ZipLimits;

export interface VerifyResult {
  /** True when the bag is complete and valid (no error diagnostics). */
  ok: boolean;
  diagnostics: Diagnostic[];
  /** Every file in the bag, by bag path, sorted. */
  files: string[];
  /** What was read. */
  kind?: 'directory' | 'zip';
  /** The payload's size and file count, as Payload-Oxum would give them. */
  payload?: { octets: number; files: number };
}

interface SourceFile {
  size: number;
  /** Hex digests for the algorithms asked, or an error message if it cannot be read. */
  digests(algorithms: string[]): Record<string, string> | string;
  /** The whole content (tag files), or an error message. */
  read(): Buffer | string;
}

interface Source {
  kind: 'directory' | 'zip';
  files: Map<string, SourceFile>;
  /** Directories present (bag paths without the trailing slash). */
  dirs: Set<string>;
  diagnostics: Diagnostic[];
}

const HEX_LENGTH: Record<string, number> = {
  md5: 32,
  sha1: 40,
  sha224: 56,
  sha256: 64,
  sha384: 96,
  sha512: 128,
};

const CHUNK = 1024 * 1024;

function hashes(algorithms: string[]) {
  return algorithms.map((a) => [a, createHash(KNOWN_ALGORITHMS[a]!)] as const);
}

// ---------------------------------------------------------------------------------------
// Reading a bag: a directory or a zip

function readDirectory(root: string, label: string): Source {
  const files = new Map<string, SourceFile>();
  const dirs = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const walk = (abs: string, rel: string) => {
    const entries = fs.readdirSync(abs, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const p = path.join(abs, e.name);
      if (e.isSymbolicLink()) {
        diagnostics.push(
          diag(
            'error',
            'bag.symlink',
            `${r} is a symbolic link; a bag holds files only`,
            at(label, r),
          ),
        );
      } else if (e.isDirectory()) {
        dirs.add(r);
        walk(p, r);
      } else if (e.isFile()) {
        const size = fs.statSync(p).size;
        files.set(r, {
          size,
          digests(algorithms) {
            const hs = hashes(algorithms);
            let fd: number | undefined;
            try {
              fd = fs.openSync(p, 'r');
              const buf = Buffer.allocUnsafe(CHUNK);
              for (;;) {
                const n = fs.readSync(fd, buf, 0, CHUNK, null);
                if (n <= 0) break;
                for (const [, h] of hs) h.update(buf.subarray(0, n));
              }
            } catch (err) {
              return `cannot be read (${(err as Error).message})`;
            } finally {
              if (fd !== undefined) fs.closeSync(fd);
            }
            return Object.fromEntries(hs.map(([a, h]) => [a, h.digest('hex')]));
          },
          read() {
            try {
              return fs.readFileSync(p);
            } catch (err) {
              return `cannot be read (${(err as Error).message})`;
            }
          },
        });
      } else {
        diagnostics.push(
          diag('error', 'bag.not-regular', `${r} is not a regular file`, at(label, r)),
        );
      }
    }
  };
  walk(root, '');
  return { kind: 'directory', files, dirs, diagnostics };
}

function readZip(file: string, label: string, limits: ZipLimits): Source {
  const files = new Map<string, SourceFile>();
  const dirs = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const size = fs.statSync(file).size;
  const max = limits.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES;
  if (size > max) {
    diagnostics.push(
      diag('error', 'bag.zip-limit', `the zip is larger than ${max} bytes; not read`, label),
    );
    return { kind: 'zip', files, dirs, diagnostics };
  }
  const buf = fs.readFileSync(file);
  const listing = listZip(buf, limits);
  const codes = {
    corrupt: 'bag.zip-corrupt',
    limit: 'bag.zip-limit',
    'unsafe-name': 'bag.path-escape',
    duplicate: 'bag.zip-duplicate',
    unsupported: 'bag.zip-unsupported',
  } as const;
  for (const p of listing.problems) {
    diagnostics.push(
      diag('error', codes[p.kind], p.message, p.name ? `${label}/${p.name}` : label),
    );
  }
  // The bag's base: the zip's root if bagit.txt is there, else the one top folder that
  // holds a bagit.txt, else (no declaration anywhere) the one top folder there is.
  const names = listing.entries.map((e) => e.name);
  let base = '';
  if (!names.includes('bagit.txt')) {
    const declared = names.filter((n) => /^[^/]+\/bagit\.txt$/.test(n));
    const tops = [...new Set(names.map((n) => n.split('/')[0]!))];
    if (declared.length === 1) base = declared[0]!.slice(0, -'bagit.txt'.length);
    else if (declared.length === 0 && tops.length === 1 && names.some((n) => n.includes('/')))
      base = `${tops[0]}/`;
  }
  for (const e of listing.entries) {
    if (!e.name.startsWith(base)) {
      if (!e.isDirectory)
        diagnostics.push(
          diag(
            'error',
            'bag.extra',
            `zip entry "${e.name}" is outside the bag's folder ${base}`,
            `${label}/${e.name}`,
          ),
        );
      continue;
    }
    const rel = e.name.slice(base.length);
    if (rel === '') continue;
    if (e.isDirectory) {
      dirs.add(rel.replace(/\/+$/, ''));
      continue;
    }
    // parent folders exist even without their own entries
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
    let cache: Buffer | string | undefined;
    const read = () => {
      if (cache === undefined) {
        try {
          cache = readEntry(buf, e);
        } catch (err) {
          cache = `zip entry ${(err as Error).message}`;
        }
      }
      return cache;
    };
    files.set(rel, {
      size: e.size,
      read,
      digests(algorithms) {
        const data = read();
        if (typeof data === 'string') return data;
        return Object.fromEntries(
          hashes(algorithms).map(([a, h]) => [a, h.update(data).digest('hex')]),
        );
      },
    });
  }
  return { kind: 'zip', files, dirs, diagnostics };
}

function at(label: string, bagPath: string): string {
  return `${label}/${bagPath}`;
}

// ---------------------------------------------------------------------------------------
// Tag files

/** Lines of a tag file, without their line endings (LF, CR or CRLF). */
function lines(text: string): string[] {
  const ls = text.split(/\r\n|\r|\n/);
  if (ls.length && ls[ls.length - 1] === '') ls.pop();
  return ls;
}

function checkBagitTxt(src: Source, label: string, out: Diagnostic[]): void {
  const f = src.files.get('bagit.txt');
  const where = at(label, 'bagit.txt');
  /** One finding about bagit.txt, at a line (0: the file as a whole). */
  const report = (message: string, line = 0, severity: 'error' | 'warning' = 'error') =>
    out.push(diag(severity, 'bag.bagit-txt', message, where, line, line ? 1 : 0));
  if (!f) {
    report('bagit.txt, the bag declaration, is missing');
    return;
  }
  const data = f.read();
  if (typeof data === 'string') {
    report(`bagit.txt ${data}`);
    return;
  }
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf)
    report('bagit.txt must not begin with a byte-order mark', 1);
  const ls = lines(data.toString('utf8').replace(/^\uFEFF/, ''));
  const version = /^BagIt-Version: (\d+\.\d+)$/.exec(ls[0] ?? '');
  const encoding = /^Tag-File-Character-Encoding: (\S+)$/.exec(ls[1] ?? '');
  if (!version)
    report(`the first line must be "BagIt-Version: M.N", not ${JSON.stringify(ls[0] ?? '')}`, 1);
  if (!encoding)
    report(
      `the second line must be "Tag-File-Character-Encoding: ENCODING", not ${JSON.stringify(ls[1] ?? '')}`,
      2,
    );
  else if (!/^utf-?8$/i.test(encoding[1]!))
    report(`tag files in ${encoding[1]} cannot be verified here (UTF-8 only)`, 2);
  if (ls.length > 2) report('bagit.txt must have exactly two lines', 3);
  if (version && !['1.0', '0.97'].includes(version[1]!))
    report(`BagIt-Version ${version[1]} is checked by the rules of version 1.0`, 1, 'warning');
}

interface BagInfo {
  fields: [string, string][];
}

function parseBagInfo(src: Source, label: string, out: Diagnostic[]): BagInfo | undefined {
  const f = src.files.get('bag-info.txt');
  if (!f) return undefined;
  const where = at(label, 'bag-info.txt');
  const data = f.read();
  if (typeof data === 'string') {
    out.push(diag('error', 'bag.bag-info', `bag-info.txt ${data}`, where));
    return undefined;
  }
  const fields: [string, string][] = [];
  lines(data.toString('utf8')).forEach((line, i) => {
    if (/^[ \t]/.test(line) && fields.length) {
      fields[fields.length - 1]![1] += ` ${line.trim()}`;
      return;
    }
    const m = /^([^:\s][^:]*?)[ \t]*:[ \t]*(.*)$/.exec(line);
    if (!m) {
      out.push(
        diag(
          'error',
          'bag.bag-info',
          `not a "Label: value" line: ${JSON.stringify(line)}`,
          where,
          i + 1,
          1,
        ),
      );
      return;
    }
    fields.push([m[1]!, m[2]!]);
  });
  return { fields };
}

interface ManifestEntry {
  checksum: string;
  path: string;
  line: number;
}

interface Manifest {
  file: string;
  algorithm: string;
  tag: boolean;
  entries: ManifestEntry[];
}

function parseManifest(
  src: Source,
  file: string,
  algorithm: string,
  tag: boolean,
  label: string,
  out: Diagnostic[],
): Manifest {
  const where = at(label, file);
  const m: Manifest = { file, algorithm, tag, entries: [] };
  const data = src.files.get(file)!.read();
  if (typeof data === 'string') {
    out.push(diag('error', 'bag.manifest-syntax', `${file} ${data}`, where));
    return m;
  }
  const seen = new Set<string>();
  const hexLen = HEX_LENGTH[algorithm];
  lines(data.toString('utf8')).forEach((line, i) => {
    const n = i + 1;
    if (line.trim() === '') return;
    const parts = /^([0-9A-Fa-f]+)[ \t]+(.+)$/.exec(line);
    if (!parts) {
      out.push(
        diag(
          'error',
          'bag.manifest-syntax',
          `not a "checksum path" line: ${JSON.stringify(line)}`,
          where,
          n,
          1,
        ),
      );
      return;
    }
    const checksum = parts[1]!.toLowerCase();
    let p = decodeManifestPath(parts[2]!);
    if (hexLen && checksum.length !== hexLen) {
      out.push(
        diag(
          'error',
          'bag.manifest-syntax',
          `the ${algorithm} checksum of ${p} has ${checksum.length} hex digits, not ${hexLen}`,
          where,
          n,
          1,
        ),
      );
      return;
    }
    const why = unsafeName(p);
    if (why) {
      out.push(
        diag(
          'error',
          'bag.path-escape',
          `${file} lists "${p}", which ${why}: outside the bag`,
          where,
          n,
          1,
        ),
      );
      return;
    }
    p = p.replace(/^(\.\/)+/, '');
    if (p.split('/').some((s) => s === '' || s === '.')) {
      out.push(
        diag('error', 'bag.manifest-syntax', `"${p}" is not a normalised path`, where, n, 1),
      );
      return;
    }
    if (!tag && !p.startsWith('data/')) {
      out.push(
        diag(
          'error',
          'bag.manifest-syntax',
          `payload manifest ${file} lists ${p}, which is not in data/`,
          where,
          n,
          1,
        ),
      );
      return;
    }
    if (tag && p.startsWith('data/')) {
      out.push(
        diag(
          'error',
          'bag.manifest-syntax',
          `tag manifest ${file} lists the payload file ${p}`,
          where,
          n,
          1,
        ),
      );
      return;
    }
    if (tag && /^tagmanifest-[^/]+\.txt$/.test(p)) {
      out.push(
        diag(
          'warning',
          'bag.manifest-syntax',
          `tag manifest ${file} lists the tag manifest ${p}`,
          where,
          n,
          1,
        ),
      );
    }
    if (seen.has(p)) {
      out.push(
        diag('error', 'bag.manifest-syntax', `${p} is listed twice in ${file}`, where, n, 1),
      );
      return;
    }
    seen.add(p);
    m.entries.push({ checksum, path: p, line: n });
  });
  return m;
}

function parseFetch(src: Source): Set<string> {
  const pending = new Set<string>();
  const f = src.files.get('fetch.txt');
  const data = f?.read();
  if (!data || typeof data === 'string') return pending;
  for (const line of lines(data.toString('utf8'))) {
    const m = /^\S+[ \t]+(?:\d+|-)[ \t]+(.+)$/.exec(line);
    if (m) pending.add(decodeManifestPath(m[1]!));
  }
  return pending;
}

// ---------------------------------------------------------------------------------------

/** Verify the bag at a directory or zip path. Reads only; never throws for a bad bag. */
export function verifyBag(target: string, opts: VerifyOptions = {}): VerifyResult {
  const label = target.replace(/[/\\]+$/, '') || target;
  let st: fs.Stats;
  try {
    st = fs.statSync(target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      ok: false,
      files: [],
      diagnostics: [
        code === 'ENOENT'
          ? diag('error', 'io.not-found', `${target}: no such file or directory`, label)
          : diag('error', 'io.unreadable', `${target}: ${(err as Error).message}`, label),
      ],
    };
  }
  let src: Source;
  try {
    if (st.isDirectory()) src = readDirectory(target, label);
    else if (st.isFile()) src = readZip(target, label, opts);
    else
      return {
        ok: false,
        files: [],
        diagnostics: [
          diag('error', 'io.not-regular-file', `${target} is neither a directory nor a zip`, label),
        ],
      };
  } catch (err) {
    return {
      ok: false,
      files: [],
      diagnostics: [diag('error', 'io.unreadable', `${target}: ${(err as Error).message}`, label)],
    };
  }
  const out = [...src.diagnostics];
  const files = [...src.files.keys()].sort();

  // 1. the declaration
  checkBagitTxt(src, label, out);

  // 2. the payload directory
  const payloadFiles = files.filter((f) => f.startsWith('data/'));
  if (!src.dirs.has('data') && payloadFiles.length === 0)
    out.push(
      diag(
        'error',
        'bag.no-payload-dir',
        'the payload directory data/ is missing',
        at(label, 'data'),
      ),
    );

  // 3. manifests
  const manifests: Manifest[] = [];
  for (const f of files) {
    const m = /^(tag)?manifest-([^/]+)\.txt$/.exec(f);
    if (!m) continue;
    const algorithm = m[2]!;
    if (!KNOWN_ALGORITHMS[algorithm]) {
      out.push(
        diag(
          'warning',
          'bag.unknown-algorithm',
          `${f}: the algorithm "${algorithm}" cannot be checked here; only its file list is`,
          at(label, f),
        ),
      );
    }
    manifests.push(parseManifest(src, f, algorithm, Boolean(m[1]), label, out));
  }
  const payloadManifests = manifests.filter((m) => !m.tag);
  if (payloadManifests.length === 0)
    out.push(
      diag(
        'error',
        'bag.no-manifest',
        'the bag has no payload manifest (manifest-<algorithm>.txt)',
        at(label, 'manifest-sha256.txt'),
      ),
    );

  // 4. completeness: every listed file present, every payload file listed everywhere
  const pending = parseFetch(src);
  const needed = new Map<string, Set<string>>();
  for (const m of manifests) {
    for (const e of m.entries) {
      if (!src.files.has(e.path)) {
        if (pending.has(e.path))
          out.push(
            diag(
              'error',
              'bag.fetch-pending',
              `${e.path} is listed in fetch.txt but not yet fetched`,
              at(label, e.path),
            ),
          );
        else
          out.push(
            diag(
              'error',
              'bag.missing',
              `${e.path} is listed in ${m.file} (line ${e.line}) but missing from the bag`,
              at(label, e.path),
            ),
          );
        continue;
      }
      if (KNOWN_ALGORITHMS[m.algorithm]) {
        const s = needed.get(e.path) ?? new Set<string>();
        s.add(m.algorithm);
        needed.set(e.path, s);
      }
    }
  }
  for (const f of payloadFiles) {
    const notIn = payloadManifests.filter((m) => !m.entries.some((e) => e.path === f));
    if (notIn.length)
      out.push(
        diag(
          'error',
          'bag.extra',
          `${f} is in the payload but not listed in ${notIn.map((m) => m.file).join(', ')}`,
          at(label, f),
        ),
      );
  }

  // 5. fixity
  const computed = new Map<string, Record<string, string> | string>();
  for (const [p, algs] of [...needed].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    computed.set(p, src.files.get(p)!.digests([...algs].sort()));
  }
  const unreadable = new Set<string>();
  for (const m of manifests) {
    if (!KNOWN_ALGORITHMS[m.algorithm]) continue;
    for (const e of m.entries) {
      const d = computed.get(e.path);
      if (d === undefined) continue;
      if (typeof d === 'string') {
        if (!unreadable.has(e.path)) {
          unreadable.add(e.path);
          out.push(diag('error', 'bag.altered', `${e.path} ${d}`, at(label, e.path)));
        }
        continue;
      }
      if (d[m.algorithm] !== e.checksum)
        out.push(
          diag(
            'error',
            'bag.altered',
            `${e.path} has been altered: its ${m.algorithm} is ${d[m.algorithm]}, ${m.file} (line ${e.line}) says ${e.checksum}`,
            at(label, e.path),
          ),
        );
    }
  }

  // 6. bag-info.txt and Payload-Oxum
  const octets = payloadFiles.reduce((n, f) => n + src.files.get(f)!.size, 0);
  const info = parseBagInfo(src, label, out);
  const oxum = info?.fields.find(([l]) => l === 'Payload-Oxum')?.[1];
  if (oxum !== undefined) {
    const where = at(label, 'bag-info.txt');
    const m = /^(\d+)\.(\d+)$/.exec(oxum.trim());
    if (!m)
      out.push(
        diag('error', 'bag.oxum', `Payload-Oxum "${oxum}" is not "<octets>.<files>"`, where),
      );
    else if (Number(m[1]) !== octets || Number(m[2]) !== payloadFiles.length)
      out.push(
        diag(
          'error',
          'bag.oxum',
          `Payload-Oxum says ${m[1]} octets in ${m[2]} files; the payload has ${octets} octets in ${payloadFiles.length} files`,
          where,
        ),
      );
  }

  return {
    ok: !hasErrors(out),
    diagnostics: out,
    files,
    kind: src.kind,
    payload: { octets, files: payloadFiles.length },
  };
}
