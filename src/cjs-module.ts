/**
 * CommonJS modules made outside `require()`. editio compiles saxon-js itself (a code
 * cache, a patched source, a stand-in for axios: render/xslt.ts), and puts a stand-in in
 * place of salve's regexp module (validate/xsd-regexp.ts). Both need a module object as
 * Node would make it for the file, and a way to put it in require's cache.
 */
import Module from 'node:module';
import * as path from 'node:path';

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
