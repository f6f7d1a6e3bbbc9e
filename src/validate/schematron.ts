/**
 * ISO Schematron validation on saxon-js.
 *
 * Design: the .sch is translated to an XSLT 3.0 stylesheet (sch-xslt.ts), which
 * saxon-js's own XSLT compiler (the `xslt3` package, run in a child process) turns
 * into a SEF. The SEF is cached on disk under `$EDITIO_CACHE_DIR/sch/` (or
 * `<repo>/.cache/sch/`), keyed by the sha256 of the generated stylesheet, and in
 * memory per schema path, so a warm run is one `SaxonJS.transform` plus a saxes pass
 * for positions. Match patterns, first-rule-wins and the full XPath 3.1 function
 * library come from XSLT itself rather than from a re-implementation.
 *
 * Failures are reported at the start tag of the element the rule fired on (the owner
 * element for attribute contexts, the parent for text nodes, the root element for the
 * document node); see sch-positions.ts.
 *
 * Nothing is fetched: `doc()`/`document()`/`unparsed-text()` may only read local
 * files in the folder of the document or of the schema (or below); any other URI is
 * refused and the pattern that asked for it is reported as not run.
 */
import { execFile } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { diag, type Diagnostic, type Severity } from '../diagnostics';
import type { LoadedXml } from '../load/types';
import { elementPositions } from './sch-positions';
import { type AssertInfo, generateXslt, SchematronSchemaError } from './sch-xslt';
import { packageRoot } from '../paths';
import { parseSource, SaxonJS } from '../render/xslt';

interface CompiledSchema {
  sha: string;
  sef: object;
  asserts: AssertInfo[];
  patterns: string[];
}

const memoryCache = new Map<string, Promise<CompiledSchema>>();
const memoryKeys = new Map<string, string>();

/** Forget compiled schemas held in memory (the disk cache stays). */
export function clearSchematronCache(): void {
  memoryCache.clear();
  memoryKeys.clear();
}

function cacheDir(): string {
  const base = process.env.EDITIO_CACHE_DIR;
  return base ? path.join(path.resolve(base), 'sch') : path.join(packageRoot, '.cache', 'sch');
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** Run saxon-js's XSLT compiler (`xslt3 -export`) on a stylesheet file. */
function compileToSef(xslPath: string, sefPath: string): Promise<void> {
  const xslt3 = require.resolve('xslt3/xslt3.js');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [xslt3, `-xsl:${xslPath}`, `-export:${sefPath}`, '-nogo'],
      { maxBuffer: 16 * 1024 * 1024, timeout: 300_000 },
      (err, _stdout, stderr) => {
        if (err) reject(new Error(String(stderr || err.message).trim()));
        else resolve();
      },
    );
  });
}

async function compile(schPath: string, schText: string, schSha: string): Promise<CompiledSchema> {
  const gen = generateXslt(schText, schPath);
  const key = sha256(
    `${SaxonJS().getProcessorInfo().productVersion}\n${gen.queryBinding}\n${gen.xslt}`,
  );
  const dir = cacheDir();
  const sefPath = path.join(dir, `${key}.sef.json`);
  let sefText: string | undefined;
  try {
    sefText = await fs.promises.readFile(sefPath, 'utf8');
  } catch {
    await fs.promises.mkdir(dir, { recursive: true });
    const tmp = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const xslPath = path.join(dir, `${key}.xsl`);
    const tmpXsl = path.join(dir, `${key}.${tmp}.xsl`);
    const tmpSef = path.join(dir, `${key}.${tmp}.sef.json`);
    await fs.promises.writeFile(tmpXsl, gen.xslt, 'utf8');
    try {
      await compileToSef(tmpXsl, tmpSef);
      await fs.promises.rename(tmpXsl, xslPath);
      await fs.promises.rename(tmpSef, sefPath);
    } catch (e) {
      await fs.promises.rm(tmpSef, { force: true });
      // Keep the generated stylesheet next to the error for inspection.
      await fs.promises.rename(tmpXsl, xslPath).catch(() => undefined);
      throw new SchematronSchemaError(
        `the schema does not compile (generated XSLT kept in ${xslPath}): ${(e as Error).message}`,
        schPath,
      );
    }
    sefText = await fs.promises.readFile(sefPath, 'utf8');
  }
  return { sha: schSha, sef: JSON.parse(sefText), asserts: gen.asserts, patterns: gen.patterns };
}

/** Compile (or fetch from cache) the schema at schPath. */
function getCompiled(schPath: string): Promise<CompiledSchema> {
  const abs = path.resolve(schPath);
  let schText: string;
  try {
    schText = fs.readFileSync(abs, 'utf8');
  } catch {
    return Promise.reject(new SchematronSchemaError('cannot read the Schematron schema', schPath));
  }
  const schSha = sha256(schText);
  const cached = memoryCache.get(abs);
  if (cached && memoryKeys.get(abs) === schSha) return cached;
  const p = compile(abs, schText, schSha);
  memoryCache.set(abs, p);
  memoryKeys.set(abs, schSha);
  p.catch(() => {
    if (memoryCache.get(abs) === p) memoryCache.delete(abs);
  });
  return p;
}

/** Compile a schema ahead of time (warm-up); returns its errors, if any. */
export async function precompileSchematron(schPath: string): Promise<Diagnostic[]> {
  try {
    await getCompiled(schPath);
    return [];
  } catch (e) {
    return [schemaErrorDiag(e, schPath)];
  }
}

function schemaErrorDiag(e: unknown, schPath: string): Diagnostic {
  if (e instanceof SchematronSchemaError) {
    return diag('error', 'sch.schema-error', e.message, e.file, e.line);
  }
  return diag('error', 'sch.schema-error', String((e as Error)?.message ?? e), schPath);
}

// --- the read guard -------------------------------------------------------------

let activeGuard: ((uri: string) => void) | undefined;
let guardInstalled = false;

/**
 * Wrap saxon-js's synchronous file reader (used by doc(), document(),
 * unparsed-text()) once; the wrapper checks only while a Schematron transform runs.
 * Transforms here are synchronous, so no other code runs while the guard is set.
 */
function installGuard(): void {
  if (guardInstalled) return;
  const platform = SaxonJS().getPlatform();
  const original = platform.readFile;
  platform.readFile = function (this: unknown, uri: unknown, ...rest: unknown[]) {
    if (activeGuard) activeGuard(String(uri));
    return original.call(this, uri, ...rest);
  };
  guardInstalled = true;
}

function makeGuard(roots: string[]): (uri: string) => void {
  return (uri) => {
    let p: string;
    if (/^file:/i.test(uri)) p = fileURLToPath(uri);
    else if (/^[a-z][a-z0-9+.-]+:/i.test(uri)) {
      throw new (SaxonJS().XError)(`Schematron may not fetch ${uri}`, 'FODC0002');
    } else p = uri;
    const abs = path.resolve(p);
    if (!roots.some((r) => abs === r || abs.startsWith(r + path.sep))) {
      throw new (SaxonJS().XError)(
        `Schematron may not read ${abs} (outside ${roots.join(', ')})`,
        'FODC0002',
      );
    }
  };
}

// --- running --------------------------------------------------------------------

export function roleSeverity(role: string | undefined): Severity {
  switch ((role ?? '').trim().toLowerCase()) {
    case 'warning':
    case 'warn':
    case 'nonfatal':
      return 'warning';
    case 'info':
    case 'information':
      return 'info';
    default:
      return 'error';
  }
}

/**
 * Validate `loaded` against the ISO Schematron schema at `schPath`. Returns one
 * diagnostic per failed assert / successful report, positioned at the start tag of
 * the element it fired on; `sch.schema-error` when the schema cannot be compiled;
 * `sch.pattern-error` for a pattern that raised a dynamic error (the others still run).
 * A document that did not load (`loaded.ok` false) gives no diagnostics: the loader
 * has reported it.
 */
export async function validateSchematron(
  loaded: LoadedXml,
  schPath: string,
  /** The source already parsed by saxon-js (render/xslt.ts parseSource), if it is. */
  tree?: unknown,
): Promise<Diagnostic[]> {
  if (!loaded.ok) return [];
  let compiled: CompiledSchema;
  try {
    compiled = await getCompiled(schPath);
  } catch (e) {
    return [schemaErrorDiag(e, schPath)];
  }
  const file = loaded.file;
  let doc: unknown = tree;
  try {
    doc ??= await parseSource(loaded.text);
  } catch (e) {
    return [diag('error', 'sch.parse-error', (e as Error).message, file)];
  }

  installGuard();
  const roots = [path.dirname(path.resolve(loaded.absPath)), path.dirname(path.resolve(schPath))];
  let items: unknown;
  activeGuard = makeGuard(roots);
  try {
    items = SaxonJS().transform(
      {
        stylesheetInternal: compiled.sef,
        sourceNode: doc,
        destination: 'raw',
        resultForm: 'array',
      },
      'sync',
    ).principalResult;
  } catch (e) {
    return [diag('error', 'sch.runtime-error', (e as Error).message, file)];
  } finally {
    activeGuard = undefined;
  }

  const flat = (Array.isArray(items) ? items : items == null ? [] : [items]).map(String);
  const out: Diagnostic[] = [];
  let positions: ReturnType<typeof elementPositions> | undefined;
  for (let i = 0; i + 3 < flat.length; i += 4) {
    const [tag, index, a, b] = flat.slice(i, i + 4);
    if (tag === 'E') {
      const pattern = compiled.patterns[Number(index)] ?? index;
      out.push(
        diag('error', 'sch.pattern-error', `pattern ${pattern} could not run: ${b} [${a}]`, file),
      );
      continue;
    }
    const info = compiled.asserts[Number(index)];
    positions ??= elementPositions(loaded.text);
    const pos = positions.locate(a);
    const code = info.id ? `sch.${info.id}` : `sch.${info.kind}`;
    out.push(
      diag(
        roleSeverity(info.role),
        code,
        b.replace(/\s+/g, ' ').trim(),
        file,
        pos?.line ?? 0,
        pos?.column ?? 0,
      ),
    );
  }
  return out;
}
