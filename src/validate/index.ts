import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { diag, hasErrors, type Diagnostic } from '../diagnostics';
import { loadXmlFile, type LoadOptions } from '../load';
import type { LoadedXml } from '../load/types';
import { editioRng, editioSch, teiAllRng } from '../paths';
import { checkEditioRules, gatherDuringLoad, isEditioRules } from './editio-rules';
import { validateRelaxNG } from './relaxng';
import { XsltSession } from '../render/session';

export const TEI_NS = 'http://www.tei-c.org/ns/1.0';
const RNG_NS = 'http://relaxng.org/ns/structure/1.0';
const SCH_NS = 'http://purl.oclc.org/dsdl/schematron';

export interface ValidateOptions {
  /** A RELAX NG schema that overrides the document's own `<?xml-model?>`. */
  schema?: string;
  /** A Schematron schema used instead of editio's rules. */
  schematron?: string;
  /** Skip Schematron: RELAX NG only (as jing does). */
  noSchematron?: boolean;
}

export interface ValidationResult {
  loaded: LoadedXml;
  diagnostics: Diagnostic[];
  /** The RELAX NG schema actually used, when one was. */
  schemaUsed?: string;
  schematronUsed?: string;
  valid: boolean;
}

interface SchemaChoice {
  path: string;
  notes: Diagnostic[];
}

/**
 * Which RELAX NG schema to use: `--schema`; else the document's `<?xml-model?>` when it
 * names a local file; else editio's own. A schema we may not fetch (a URL) or cannot find
 * falls back to TEI's tei_all, with a warning saying so: nothing is ever fetched.
 */
export function chooseSchema(loaded: LoadedXml, opts: ValidateOptions): SchemaChoice {
  if (opts.schema) return { path: path.resolve(opts.schema), notes: [] };
  const models = loaded.xmlModels.filter(
    (m) =>
      m.schematypens === RNG_NS ||
      (!m.schematypens &&
        /\.rng$/i.test(m.href) &&
        m.type !== 'application/relax-ng-compact-syntax'),
  );
  if (models.length === 0) return { path: editioRng, notes: [] };
  const href = models[0].href;
  const here = path.dirname(loaded.absPath);
  let local: string | undefined;
  if (/^file:/i.test(href)) {
    try {
      local = fileURLToPath(href);
    } catch {
      local = undefined;
    }
  } else if (!/^[a-z][a-z0-9+.-]*:/i.test(href)) {
    local = path.resolve(here, decodeURIComponent(href));
  }
  if (local === undefined) {
    return {
      path: teiAllRng,
      notes: [
        diag(
          'warning',
          'rng.remote-schema',
          `the schema ${href} named by <?xml-model?> is not fetched; validating against TEI's tei_all instead`,
          loaded.file,
        ),
      ],
    };
  }
  if (!fs.existsSync(local) || !fs.statSync(local).isFile()) {
    return {
      path: teiAllRng,
      notes: [
        diag(
          'warning',
          'rng.schema-not-found',
          `the schema ${href} named by <?xml-model?> was not found; validating against TEI's tei_all instead`,
          loaded.file,
        ),
      ],
    };
  }
  return { path: local, notes: [] };
}

function sameFile(a: string, b: string): boolean {
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
}

/** The Schematron a validation checks, and whether editio's own rules check it natively
 * (`native`) or saxon-js runs it (`generic`); neither with --no-schematron. */
function schematronOf(opts: ValidateOptions): {
  schPath: string;
  native: boolean;
  generic: boolean;
} {
  const schPath = opts.schematron ? path.resolve(opts.schematron) : editioSch;
  const native = !opts.noSchematron && hasEditioRules(schPath);
  return { schPath, native, generic: !opts.noSchematron && !native };
}

/** Whether the Schematron schema at `schPath` is editio's own rules, word for word. */
function hasEditioRules(schPath: string): boolean {
  try {
    return isEditioRules(fs.readFileSync(schPath, 'utf8'));
  } catch {
    return false; // the generic engine reports an unreadable schema
  }
}

/**
 * editio's Schematron rules are house rules for editio editions: errors for documents
 * validated against editio.rng, warnings for documents that follow another schema (a
 * DraCor play, an EpiDoc text) whose own conventions they are not.
 */
function demote(ds: Diagnostic[]): Diagnostic[] {
  return ds.map((d) => (d.severity === 'error' ? { ...d, severity: 'warning' } : d));
}

/** Well-formedness, then RELAX NG, then Schematron, for one loaded document. */
export async function validateLoaded(
  loaded: LoadedXml,
  opts: ValidateOptions = {},
  /** The build's XSLT session, which runs Schematron; else one made for this call. */
  session?: XsltSession,
): Promise<ValidationResult> {
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  if (!loaded.ok) return { loaded, diagnostics, valid: false };
  if (loaded.rootNamespace !== TEI_NS && !opts.schema) {
    diagnostics.push(
      diag(
        'error',
        'tei.not-tei',
        `the root element <${loaded.rootName ?? '?'}> is not in the TEI namespace (${TEI_NS}); found ${
          loaded.rootNamespace ? `namespace ${loaded.rootNamespace}` : 'no namespace'
        }`,
        loaded.file,
        1,
        1,
      ),
    );
    return { loaded, diagnostics, valid: false };
  }
  const choice = chooseSchema(loaded, opts);
  diagnostics.push(...choice.notes);
  // editio's own rules are checked natively (editio-rules.ts), here, after RELAX NG. Any
  // other Schematron runs on saxon-js, queued first: the session's worker thread may run
  // it while RELAX NG runs here; if the worker has not taken it by then, it runs here next.
  const { schPath, native, generic } = schematronOf(opts);
  const own = !session && generic ? new XsltSession(loaded) : undefined;
  const sch = session ?? own;
  let schDiags: Diagnostic[] = [];
  try {
    if (generic) sch!.prefetchSchematron(schPath);
    // RELAX NG runs synchronously up to its first await, after the grammar is loaded
    // (~50-100 ms): yield first, so that the session sends its worker the first task now
    // (it does so at the end of the tick it was made in), not after that.
    if (sch?.threaded) await Promise.resolve();
    diagnostics.push(...(await validateRelaxNG(loaded, choice.path)));
    if (native) schDiags = checkEditioRules(loaded);
    else if (generic) schDiags = await sch!.schematron(schPath);
  } finally {
    own?.close();
  }
  if (!opts.schematron && !sameFile(choice.path, editioRng)) schDiags = demote(schDiags);
  diagnostics.push(...schDiags);
  return {
    loaded,
    diagnostics,
    schemaUsed: choice.path,
    schematronUsed: opts.noSchematron ? undefined : schPath,
    valid: !hasErrors(diagnostics),
  };
}

/**
 * Load a file to validate it: when editio's own rules will be checked, the loader's
 * parse also gathers what they check (editio-rules.ts), so the text is parsed once for
 * both.
 */
export function loadForValidation(
  file: string,
  opts: ValidateOptions = {},
  load: LoadOptions = {},
): LoadedXml {
  if (!schematronOf(opts).native) return loadXmlFile(file, load);
  const rules = gatherDuringLoad();
  const loaded = loadXmlFile(file, { ...load, observe: rules.observe });
  rules.keep(loaded);
  return loaded;
}

export async function validateFile(
  file: string,
  opts: ValidateOptions = {},
): Promise<ValidationResult> {
  return validateLoaded(loadForValidation(file, opts), opts);
}

export { SCH_NS };
