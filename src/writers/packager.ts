/**
 * epub-gen-memory, the EPUB packager, as a build loads it.
 *
 * Required as published, it is 184 modules (~1.2 MB of JavaScript) that Node compiles in
 * every process that writes an EPUB: 100-180 ms of the main thread's time, which a
 * loaded machine takes from the build. `npm run build` bundles it into one script
 * (scripts/bundle-packager.js, with esbuild: lib/vendor/epub-gen-memory.js), with its
 * HTTP client left out (src/writers/no-fetch.ts), and stores V8's code cache for that
 * script after packaging a small book with it. Loaded with the cache, it takes ~40-55 ms.
 * The cache's name carries the script's SHA-256, Node's version and the architecture; V8
 * refuses a cache made with other flags and compiles the script as it is. Without the
 * bundle (a build without esbuild) the package is required as published, and
 * EDITIO_PACKAGER_BUNDLE=0 asks for that too.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as vm from 'node:vm';
import { compileCachedModule, writeCodeCache } from '../cjs-module';
import { packageRoot } from '../paths';

/** The bundled packager that `npm run build` writes. */
export const PACKAGER_BUNDLE = path.join(packageRoot, 'lib', 'vendor', 'epub-gen-memory.js');
const CACHE_DIR = path.join(packageRoot, 'lib', 'cache');

export type EPubCtor = new (
  options: Record<string, unknown>,
  content: Record<string, unknown>[],
) => { render(): Promise<unknown> };

interface Loaded {
  EPub: EPubCtor;
  /** How it was loaded: the bundle with its cache, the bundle compiled, or the package. */
  how: 'bundle+cache' | 'bundle' | 'package';
  script?: vm.Script;
  cache?: string;
}

let loaded: Loaded | undefined;

/** Where the code cache of a bundle with this text is kept. */
export function packagerCachePath(source: string): string {
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  return path.join(
    CACHE_DIR,
    `epub-gen-memory-${hash}-node${process.versions.node}-${process.arch}.v8cache`,
  );
}

function loadBundle(): Loaded | undefined {
  if (process.env.EDITIO_PACKAGER_BUNDLE === '0' || !fs.existsSync(PACKAGER_BUNDLE)) return;
  const source = fs.readFileSync(PACKAGER_BUNDLE, 'utf8');
  const cache = packagerCachePath(source);
  const cachedData = fs.existsSync(cache) ? fs.readFileSync(cache) : undefined;
  const c = compileCachedModule(PACKAGER_BUNDLE, source, { cachedData, parent: module });
  const script = c.script;
  const mod = c.run();
  const EPub = (mod.exports as { EPub?: EPubCtor }).EPub;
  if (typeof EPub !== 'function') return;
  const used = cachedData !== undefined && !script.cachedDataRejected;
  return { EPub, how: used ? 'bundle+cache' : 'bundle', script, cache };
}

/** The packager, loaded once a process: the bundle when there is one, else the package. */
export function loadPackager(): Loaded {
  if (loaded) return loaded;
  try {
    loaded = loadBundle();
  } catch {
    loaded = undefined; // (a bundle that does not load: the package as published)
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= { EPub: (require('epub-gen-memory') as { EPub: EPubCtor }).EPub, how: 'package' };
  return loaded;
}

/**
 * Write the bundle's code cache (`npm run build`), after `warmUp` has packaged a book with
 * it, so that the functions packaging runs are in the cache too. Caches of other bundles
 * or Node versions are removed. Returns the cache's path, or undefined without a bundle.
 */
export async function writePackagerCodeCache(
  warmUp: () => Promise<unknown>,
): Promise<string | undefined> {
  if (loaded) throw new Error('the packager is already loaded in this process');
  const p = loadPackager();
  if (!p.script || !p.cache) return undefined;
  await warmUp();
  writeCodeCache(p.script, p.cache);
  const keep = path.basename(p.cache);
  for (const f of fs.readdirSync(CACHE_DIR)) {
    if (/^epub-gen-memory-.*\.v8cache$/.test(f) && f !== keep)
      fs.rmSync(path.join(CACHE_DIR, f), { force: true });
  }
  return p.cache;
}
