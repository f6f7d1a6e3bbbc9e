/**
 * XML Schema regular expressions (RELAX NG's `pattern` parameter) without loading XRegExp
 * in every process.
 *
 * salve's XML Schema datatypes translate a pattern such as TEI's `[^\p{C}\p{Z}]+` into a
 * JavaScript RegExp with XRegExp and its Unicode tables. Its datatype module loads them
 * as it loads (~140 ms, most of `editio validate`'s start-up), although a schema's
 * patterns are few and fixed. So the translation is done once, when a grammar's compact
 * form is written to the disk cache (rng-fast.ts stores each pattern with the RegExp's
 * source and flags), and editio registers a stand-in for salve's regexp module that
 * rebuilds a known pattern's RegExp from them: the same RegExp salve would have made. A
 * pattern it does not know (a schema read for the first time) goes to salve's own module,
 * loaded then.
 */
import * as fs from 'node:fs';
import { compileModule, moduleAt, registerModule } from '../cjs-module';

interface RegexpModule {
  parse(input: string, outputType?: 're' | 'string'): RegExp | string;
  SalveParsingError: new (message: string) => Error;
}

const realFile = require.resolve('salve-annos/lib/salve/datatypes/regexp');

/** Pattern → [source, flags] of the RegExp salve makes of it. */
const known = new Map<string, [string, string]>();

let real: RegexpModule | undefined;

/** salve's own module (and with it XRegExp), loaded on first need. */
function realModule(): RegexpModule {
  if (real) return real;
  const cached = require.cache[realFile];
  if (cached && cached.exports !== stand) {
    real = cached.exports as RegexpModule;
    return real;
  }
  // the module's name is taken by the stand-in: compile salve's file apart
  real = compileModule(realFile, fs.readFileSync(realFile, 'utf8'), module).exports as RegexpModule;
  return real;
}

/** What salve's datatypes get for `require('./regexp')`. */
const stand = {
  __esModule: true,
  parse(input: string, outputType: 're' | 'string' = 're'): RegExp | string {
    const k = outputType === 're' ? known.get(input) : undefined;
    return k ? new RegExp(k[0], k[1]) : realModule().parse(input, outputType);
  },
  // read only when a parse failed, by which time salve's module is loaded
  get SalveParsingError() {
    return realModule().SalveParsingError;
  },
};

/**
 * Register the stand-in for salve's regexp module, before salve's datatypes are loaded.
 * Does nothing when salve's module is already loaded.
 */
export function installPatternCache(): void {
  if (require.cache[realFile]) return;
  const m = moduleAt(realFile, module);
  m.exports = stand;
  registerModule(m);
}

/** The RegExp salve makes of a pattern, as [source, flags]; throws on a bad pattern. */
export function translatePattern(pattern: string): [string, string] {
  const k = known.get(pattern);
  if (k) return k;
  const re = realModule().parse(pattern, 're') as RegExp;
  const t: [string, string] = [re.source, re.flags];
  known.set(pattern, t);
  return t;
}

/** Remember translations read from a grammar's compact form. */
export function rememberPatterns(table: [string, string, string][]): void {
  for (const [pattern, source, flags] of table) known.set(pattern, [source, flags]);
}
