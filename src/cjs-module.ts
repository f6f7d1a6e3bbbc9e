/**
 * CommonJS modules made outside `require()`. editio compiles saxon-js itself (a code
 * cache, a patched source, a stand-in for axios: render/xslt.ts) and the bundled EPUB
 * packager (a code cache: writers/packager.ts), and puts a stand-in in place of salve's
 * regexp module (validate/xsd-regexp.ts). They need a module object as Node would make it
 * for the file, a way to put it in require's cache, and (the first two) a script compiled
 * with V8's code cache and the cache written at build time.
 */
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** A new module for `file`, with the lookup paths Node gives a module there. */
export function moduleAt(file: string, parent?: Module): Module {
  const m = new Module(file, parent);
  m.filename = file;
  m.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(
    path.dirname(file),
  );
  return m;
}

/** Register a module as loaded: a later `require(m.filename)` returns its exports. */
export function registerModule(m: Module): void {
  m.loaded = true;
  require.cache[m.filename] = m;
}

/** Run a file's source as a module of its own, not registered (require's cache keeps
 * whatever it holds under that name). */
export function compileModule(file: string, source: string, parent?: Module): Module {
  const m = moduleAt(file, parent) as Module & { _compile(s: string, f: string): void };
  m._compile(source, file);
  return m;
}

/**
 * A module's source compiled as a script of its own, with V8's code cache when one is
 * given (V8 refuses a cache made by another V8 or with other flags, and then compiles
 * the source), and run, when asked, as Node runs a module: saxon-js (render/xslt.ts) and
 * the bundled EPUB packager (writers/packager.ts) load this way. `require` is the
 * module's own unless given (saxon-js's, with a stand-in for axios). The module is not
 * registered; `registerModule` does that.
 */
export function compileCachedModule(
  file: string,
  source: string,
  opts: { cachedData?: Buffer; parent?: Module; require?: (id: string) => unknown } = {},
): { script: vm.Script; run(): Module } {
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    cachedData: opts.cachedData,
  });
  return {
    script,
    run: () => {
      const mod = moduleAt(file, opts.parent);
      const fn = script.runInThisContext() as (...a: unknown[]) => void;
      const req = opts.require ?? Module.createRequire(file);
      fn.call(mod.exports, mod.exports, req, mod, file, path.dirname(file));
      return mod;
    },
  };
}

/** Store a script's code cache at `cachePath`, whole or not at all (a temporary file
 * renamed into place). */
export function writeCodeCache(script: vm.Script, cachePath: string): void {
  fs.mkdirSync(path.dirname(cachePath), { recursive: true });
  const tmp = `${cachePath}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, script.createCachedData());
  fs.renameSync(tmp, cachePath);
}
