/**
 * Loading RELAX NG schemas as salve grammars, with a disk cache of the
 * converted grammar (JSON) and an in-process memory cache.
 *
 * Cache key: sha256 of the salve version, the schema's bytes and the bytes
 * (and relative paths) of every file it includes. Since the included files are
 * only known after a conversion, a small `deps-<sha256 of schema bytes>.json`
 * records them; if it is missing or stale, the schema is converted again.
 *
 * Only `file:` URLs are ever loaded: no network access, whatever the schema
 * says.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import type { Grammar } from 'salve-annos';
import {
  readCompactGrammar,
  readFastGrammar,
  writeFastGrammar,
  type FastGrammar,
} from './rng-fast';
import { installPatternCache } from './xsd-regexp';

type Salve = typeof import('salve-annos');

let salveModule: Salve | undefined;

type ParseFn = (
  this: SimplifierThis,
  url: URL,
  resource?: unknown,
  text?: string,
) => Promise<unknown>;
interface SimplifierThis {
  options: { resourceLoader: { load(url: URL): Promise<{ getText(): Promise<string> }> } };
}

/**
 * salve-annos 1.2.4 cannot follow `<include>`/`<externalRef>`: its simplifier
 * calls `parse(url)` for included files without the resource and text that
 * `parse` needs, and crashes ("Cannot read properties of undefined (reading
 * 'length')"). Patch `parse` to load the included file through the same
 * (local-only) resource loader when it was not given.
 */
function patchIncludeBug(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const internal = require('salve-annos/lib/salve/conversion/schema-simplifiers/internal') as {
    InternalSimplifier?: { prototype: { parse: ParseFn; editioPatched?: boolean } };
  };
  const proto = internal.InternalSimplifier?.prototype;
  if (proto === undefined || proto.editioPatched) return;
  const original = proto.parse;
  proto.parse = async function (this: SimplifierThis, url, resource, text) {
    if (text === undefined) {
      const res = await this.options.resourceLoader.load(url);
      return original.call(this, url, res, await res.getText());
    }
    return original.call(this, url, resource, text);
  };
  proto.editioPatched = true;
}

/** salve-annos, loaded lazily (its load costs ~100 ms). */
export function salve(): Salve {
  if (salveModule === undefined) {
    installPatternCache(); // before salve's datatypes load: see xsd-regexp.ts
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    salveModule = require('salve-annos') as Salve;
    patchIncludeBug();
  }
  return salveModule;
}

/** A failure to get a usable grammar; `code` is a diagnostic code. */
export class GrammarError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface LoadedGrammar {
  grammar: Grammar;
  /** Absolute path of the schema. */
  schemaPath: string;
  /** Absolute paths of the files the schema includes (not the schema itself). */
  includes: string[];
  /** Where the grammar came from this time. */
  source: 'memory' | 'disk-cache' | 'converted';
  /** The cache key (hex sha256). */
  key: string;
}

export interface GrammarOptions {
  /** Cache directory; default `$EDITIO_CACHE_DIR`, else `<repo>/.cache/rng`. */
  cacheDir?: string;
  /** Set false to neither read nor write the disk cache. */
  diskCache?: boolean;
}

/** The repository root: the nearest ancestor of this file holding package.json. */
function repoRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return path.resolve(__dirname, '..', '..');
}

export function defaultCacheDir(): string {
  const env = process.env.EDITIO_CACHE_DIR;
  if (env && env.trim() !== '') return path.resolve(env);
  return path.join(repoRoot(), '.cache', 'rng');
}

function sha256(...parts: (string | Buffer)[]): string {
  const h = crypto.createHash('sha256');
  for (const p of parts) {
    h.update(typeof p === 'string' ? Buffer.from(p, 'utf8') : p);
    h.update('\0');
  }
  return h.digest('hex');
}

function readFileOrThrow(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new GrammarError('rng.schema-not-found', `${what} not found: ${file}`);
    }
    if (code === 'EISDIR') {
      throw new GrammarError('rng.schema-not-found', `${what} is a directory: ${file}`);
    }
    throw new GrammarError('rng.schema-unreadable', `cannot read ${what} ${file}: ${code}`);
  }
}

interface DepsRecord {
  salve: string;
  /** Included files, relative to the schema's directory, '/'-separated. */
  includes: string[];
}

function computeKey(
  version: string,
  schemaPath: string,
  schemaBytes: Buffer,
  includes: string[],
): string | undefined {
  const parts: (string | Buffer)[] = ['editio-rng-cache-1', `salve-annos@${version}`, schemaBytes];
  for (const rel of includes) {
    const abs = path.resolve(path.dirname(schemaPath), rel);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(abs);
    } catch {
      return undefined;
    }
    parts.push(rel, bytes);
  }
  return sha256(...parts);
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** Convert a schema with salve, loading only local files. */
async function convert(
  schemaPath: string,
): Promise<{ grammar: Grammar; json: string; includes: string[] }> {
  const s = salve();
  const loaded = new Set<string>();
  const resourceLoader = {
    async load(url: URL) {
      if (url.protocol !== 'file:') {
        throw new GrammarError(
          'rng.schema-remote',
          `the schema refers to ${url.href}; only local files are loaded, nothing is fetched`,
        );
      }
      const file = fileURLToPath(url);
      const text = readFileOrThrow(file, 'schema file').toString('utf8');
      loaded.add(file);
      return { url, getText: async () => text };
    },
  };
  let result;
  try {
    result = await s.convertRNGToPattern(pathToFileURL(schemaPath), {
      createManifest: false,
      manifestHashAlgorithm: async () => '',
      resourceLoader,
      idCheck: true,
    });
  } catch (e) {
    if (e instanceof GrammarError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    throw new GrammarError('rng.schema-invalid', `cannot use the schema ${schemaPath}: ${msg}`);
  }
  const json = s.writeTreeToJSON(result.simplified, 3);
  loaded.delete(schemaPath);
  return { grammar: result.pattern, json, includes: [...loaded].sort() };
}

interface MemoryEntry {
  signature: string;
  loaded: LoadedGrammar;
}
const memory = new Map<string, MemoryEntry>();

function statSignature(files: string[]): string | undefined {
  const parts: string[] = [];
  for (const f of files) {
    try {
      const st = fs.statSync(f);
      parts.push(`${f}:${st.size}:${st.mtimeMs}`);
    } catch {
      return undefined;
    }
  }
  return parts.join('|');
}

/** Forget the grammars kept in memory (tests). */
export function clearGrammarMemory(): void {
  memory.clear();
  fastMemory.clear();
}

/** salve-annos' version, without loading salve (~150 ms). */
function salveVersion(): string {
  if (salveModule !== undefined) return salveModule.version;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('salve-annos/package.json') as { version: string }).version;
}

interface FastMemoryEntry {
  files: string[];
  signature: string;
  grammar: FastGrammar;
}
const fastMemory = new Map<string, FastMemoryEntry>();

/**
 * The grammar for rng-fast.ts's validity check: from memory, else its compact
 * form in the disk cache (`<key>.fast.json`, beside salve's `<key>.json`),
 * else built from salve's JSON (converting the schema first if need be) and
 * cached. Never builds salve's own pattern objects when the caches are warm.
 *
 * @throws GrammarError, or anything on a cache it cannot read
 */
export async function loadFastGrammar(
  rngPath: string,
  opts: GrammarOptions = {},
): Promise<FastGrammar> {
  const schemaPath = path.resolve(rngPath);
  const mem = fastMemory.get(schemaPath);
  if (mem !== undefined) {
    const sig = statSignature(mem.files);
    if (sig !== undefined && sig === mem.signature) return mem.grammar;
  }
  const version = salveVersion();
  const schemaBytes = readFileOrThrow(schemaPath, 'schema');
  const useDisk = opts.diskCache !== false;
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  const depsFile = path.join(cacheDir, `deps-${sha256(version, schemaBytes)}.json`);
  let grammar: FastGrammar | undefined;
  let includes: string[] | undefined;
  let key: string | undefined;
  if (useDisk) {
    try {
      const deps = JSON.parse(fs.readFileSync(depsFile, 'utf8')) as DepsRecord;
      key = computeKey(version, schemaPath, schemaBytes, deps.includes);
      includes = deps.includes.map((r) => path.resolve(path.dirname(schemaPath), r));
      if (key !== undefined) {
        grammar = readCompactGrammar(
          fs.readFileSync(path.join(cacheDir, `${key}.fast.json`), 'utf8'),
        );
      }
    } catch {
      grammar = undefined;
    }
  }
  if (grammar === undefined) {
    // salve's JSON, from the cache or from a conversion (which also fills the cache).
    let json: string | undefined;
    if (useDisk && key !== undefined) {
      try {
        json = fs.readFileSync(path.join(cacheDir, `${key}.json`), 'utf8');
      } catch {
        json = undefined;
      }
    }
    if (json === undefined) {
      // Converts the schema and writes salve's JSON to the cache (when there is one).
      const lg = await loadGrammar(rngPath, opts);
      key = lg.key;
      includes = lg.includes;
      if (!useDisk) throw new Error('no disk cache: no JSON form of the grammar');
      json = fs.readFileSync(path.join(cacheDir, `${key}.json`), 'utf8');
    }
    grammar = readFastGrammar(json);
    if (useDisk && key !== undefined) {
      try {
        fs.mkdirSync(cacheDir, { recursive: true });
        writeAtomic(path.join(cacheDir, `${key}.fast.json`), writeFastGrammar(grammar));
      } catch {
        // An unwritable cache only costs time.
      }
    }
  }
  const files = [schemaPath, ...(includes ?? [])];
  const signature = statSignature(files);
  if (signature !== undefined) fastMemory.set(schemaPath, { files, signature, grammar });
  return grammar;
}

/**
 * The salve grammar for a RELAX NG schema (XML syntax), from memory, the disk
 * cache, or a fresh conversion (which then fills the caches).
 *
 * @throws GrammarError
 */
export async function loadGrammar(
  rngPath: string,
  opts: GrammarOptions = {},
): Promise<LoadedGrammar> {
  const schemaPath = path.resolve(rngPath);
  const mem = memory.get(schemaPath);
  if (mem !== undefined) {
    const sig = statSignature([schemaPath, ...mem.loaded.includes]);
    if (sig !== undefined && sig === mem.signature) return { ...mem.loaded, source: 'memory' };
  }
  const s = salve();
  const schemaBytes = readFileOrThrow(schemaPath, 'schema');
  const useDisk = opts.diskCache !== false;
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  const depsFile = path.join(cacheDir, `deps-${sha256(s.version, schemaBytes)}.json`);

  let result: LoadedGrammar | undefined;
  if (useDisk) {
    try {
      const deps = JSON.parse(fs.readFileSync(depsFile, 'utf8')) as DepsRecord;
      const key = computeKey(s.version, schemaPath, schemaBytes, deps.includes);
      if (key !== undefined) {
        const json = fs.readFileSync(path.join(cacheDir, `${key}.json`), 'utf8');
        result = {
          grammar: s.readTreeFromJSON(json),
          schemaPath,
          includes: deps.includes.map((r) => path.resolve(path.dirname(schemaPath), r)),
          source: 'disk-cache',
          key,
        };
      }
    } catch {
      result = undefined; // no usable cache entry
    }
  }
  if (result === undefined) {
    const conv = await convert(schemaPath);
    const rel = conv.includes.map((f) =>
      path.relative(path.dirname(schemaPath), f).split(path.sep).join('/'),
    );
    const key = computeKey(s.version, schemaPath, schemaBytes, rel) ?? sha256(String(Date.now()));
    result = {
      grammar: conv.grammar,
      schemaPath,
      includes: conv.includes,
      source: 'converted',
      key,
    };
    if (useDisk) {
      try {
        fs.mkdirSync(cacheDir, { recursive: true });
        writeAtomic(path.join(cacheDir, `${key}.json`), conv.json);
        const deps: DepsRecord = { salve: s.version, includes: rel };
        writeAtomic(depsFile, JSON.stringify(deps));
      } catch {
        // An unwritable cache only costs time.
      }
    }
  }
  const signature = statSignature([schemaPath, ...result.includes]);
  if (signature !== undefined) memory.set(schemaPath, { signature, loaded: result });
  return result;
}
