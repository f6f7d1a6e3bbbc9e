/**
 * RELAX NG validation. The derivative validator (rng-fast.ts) answers first; an invalid
 * document is explained by rng-errors.ts, jing's way. salve-annos, driven here by a
 * position-tracking saxes parse, is the fallback when the compact grammar cannot be
 * used (and EDITIO_RNG_ERRORS=salve asks for it, to compare).
 *
 * Positions follow jing (Xerces' locator), so that both tools point at the
 * same lines:
 * - errors about an element's name, its attributes or their values: the end
 *   of its start tag (the column just after `>`);
 * - "element incomplete" and other errors found at an end tag: the end of the
 *   end tag (for `<x/>`, the end of the tag);
 * - text not allowed: one error per source line holding non-whitespace text,
 *   at the end of that line's text (Xerces reports text line by line).
 */
import { SaxesParser } from 'saxes';
import type { Grammar, ValidationError } from 'salve-annos';
import { diag, type Diagnostic } from '../diagnostics';
import type { LoadedXml } from '../load/types';
import { fastCheck } from './rng-fast';
import { parserPos, RngReport, validateFast, type Pos } from './rng-errors';
import {
  GrammarError,
  loadFastGrammar,
  loadGrammar,
  salve,
  type GrammarOptions,
} from './rng-grammar';

export {
  GrammarError,
  clearGrammarMemory,
  defaultCacheDir,
  loadFastGrammar,
  loadGrammar,
  type GrammarOptions,
  type LoadedGrammar,
} from './rng-grammar';

export interface RelaxNGOptions extends GrammarOptions {
  /** Stop after this many errors (default 1000); a final note says so. */
  maxErrors?: number;
}

const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

interface OpenElement {
  uri: string;
  local: string;
  qname: string;
  hasContext: boolean;
}

/** The local part of a salve name pattern, for messages. */
function nameOf(err: ValidationError): string | undefined {
  const n = (err as unknown as { name?: { name?: unknown; ns?: unknown } }).name;
  if (n && typeof n.name === 'string') return n.name;
  return undefined;
}

/** Turn a salve error into a message and code, jing-style. */
function describe(
  err: ValidationError,
  event: string,
  current: { elementQName?: string; attrQName?: string },
): { code: string; message: string } {
  const msg = err.msg;
  const name = nameOf(err);
  const el = current.elementQName ?? '?';
  switch (msg) {
    case 'tag not allowed here':
    case 'tag not allowed here with these attributes':
      return { code: 'rng.element-not-allowed', message: `element "${el}" not allowed here` };
    case 'unexpected end tag':
      return { code: 'rng.unexpected-end-tag', message: `unexpected end tag of element "${el}"` };
    case 'tag required':
      return {
        code: 'rng.element-incomplete',
        message: `element "${el}" incomplete; missing required element "${name ?? '?'}"`,
      };
    case 'attribute not allowed here':
      return {
        code: 'rng.attribute-not-allowed',
        message: `attribute "${current.attrQName ?? name ?? '?'}" not allowed here`,
      };
    case 'attribute missing':
      return {
        code: 'rng.attribute-missing',
        message: `element "${el}" missing required attribute "${name ?? '?'}"`,
      };
    case 'invalid attribute value':
    case 'attribute value missing':
    case 'attribute value required':
      return {
        code: 'rng.attribute-value-invalid',
        message: `value of attribute "${current.attrQName ?? name ?? '?'}" is invalid`,
      };
    case 'text not allowed here':
      return { code: 'rng.text-not-allowed', message: 'text not allowed here' };
    default:
      if (msg === '' && event === 'endTag') {
        const names = err
          .getNames()
          .map((n) => {
            const nn = n as unknown as { name?: unknown };
            return typeof nn.name === 'string' ? `"${nn.name}"` : n.toString();
          })
          .join(' or ');
        return {
          code: 'rng.element-incomplete',
          message: `element "${el}" incomplete; missing required element ${names}`,
        };
      }
      if (/has already been declared/.test(msg)) {
        return { code: 'rng.duplicate-id', message: msg.replace(/\.$/, '') };
      }
      if (event === 'endTag') {
        return { code: 'rng.element-incomplete', message: `element "${el}" incomplete: ${msg}` };
      }
      if (event === 'text') {
        return {
          code: 'rng.text-invalid',
          message: `character content of element "${el}" is invalid: ${msg}`,
        };
      }
      return { code: 'rng.invalid', message: err.toString() };
  }
}

/**
 * Validate a loaded document against a grammar (synchronous; the grammar is
 * already loaded). Returns [] when `loaded.ok` is false: the loader has
 * already said why.
 */
export function validateWithGrammar(
  loaded: LoadedXml,
  grammar: Grammar,
  opts: { maxErrors?: number } = {},
): Diagnostic[] {
  if (!loaded.ok) return [];
  const src = loaded.text;
  const s = salve();
  const resolver = new s.DefaultNameResolver();
  const walker = grammar.newWalker(resolver);
  const report = new RngReport(loaded.file, src, opts.maxErrors);

  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: OpenElement[] = [];
  let textBuf = '';
  let textStart = -1; // offset where the buffered text run starts
  let textEnd = -1; // offset where it ends
  let lastMarkupEnd = 0; // offset just after the last start/end tag

  const here = (): Pos => parserPos(parser);

  const fire = (
    event: string,
    params: string[],
    pos: Pos,
    current: { elementQName?: string; attrQName?: string },
  ): void => {
    const ret = walker.fireEvent(event, params);
    if (ret === false || ret === undefined) return;
    for (const err of ret) {
      const { code, message } = describe(err, event, current);
      if (event === 'text' && code === 'rng.text-not-allowed') {
        for (const at of report.textPositions(textStart, textEnd, pos)) {
          report.error(code, message, at);
        }
      } else {
        report.error(code, message, pos);
      }
    }
  };

  const flushText = (pos: Pos): void => {
    if (textBuf !== '') {
      const top = stack[stack.length - 1];
      fire('text', [textBuf], pos, { elementQName: top?.qname });
      textBuf = '';
    }
    textStart = -1;
    textEnd = -1;
  };

  const addText = (t: string): void => {
    if (textStart < 0) textStart = lastMarkupEnd;
    textBuf += t;
    textEnd = parser.position;
  };

  parser.on('text', (t) => {
    addText(t);
    // saxes reports text when it has read the `<` that ends it.
    textEnd = parser.position - 1;
  });
  parser.on('cdata', (t) => {
    addText(t);
  });

  parser.on('opentag', (node) => {
    const pos = here();
    flushText(pos);
    const nsDefs: [string, string][] = [];
    const attrs: { uri: string; local: string; qname: string; value: string }[] = [];
    for (const qname of Object.keys(node.attributes)) {
      const a = node.attributes[qname];
      if (qname === 'xmlns') nsDefs.push(['', a.value]);
      else if (a.prefix === 'xmlns') nsDefs.push([a.local, a.value]);
      else if (a.uri !== XMLNS_NS)
        attrs.push({ uri: a.uri, local: a.local, qname, value: a.value });
    }
    if (nsDefs.length !== 0) {
      resolver.enterContext();
      for (const [p, uri] of nsDefs) resolver.definePrefix(p, uri);
    }
    const uri = node.uri ?? '';
    const local = node.local ?? node.name;
    const current = { elementQName: node.name };
    fire('enterStartTag', [uri, local], pos, current);
    for (const a of attrs) {
      const cur = { elementQName: node.name, attrQName: a.qname };
      fire('attributeName', [a.uri, a.local], pos, cur);
      fire('attributeValue', [a.value], pos, cur);
    }
    fire('leaveStartTag', [], pos, current);
    stack.push({ uri, local, qname: node.name, hasContext: nsDefs.length !== 0 });
    lastMarkupEnd = parser.position;
  });

  parser.on('closetag', () => {
    const pos = here();
    flushText(pos);
    const top = stack.pop();
    if (top === undefined) return;
    fire('endTag', [top.uri, top.local], pos, { elementQName: top.qname });
    if (top.hasContext) resolver.leaveContext();
    lastMarkupEnd = parser.position;
  });

  return report.parse(parser, () => {
    const endRet = walker.end();
    // After an error on the root element, salve also complains at the end of
    // the document; jing does not, and the root error says it all.
    if (endRet !== false && report.out.length === 0) {
      const pos = here();
      for (const err of endRet) {
        const { code, message } = describe(err, 'end', {});
        report.error(code, message, pos);
      }
    }
  });
}

/**
 * Validate a loaded document against a RELAX NG schema (XML syntax). Schema
 * problems (missing, invalid, remote includes) come back as diagnostics on
 * the schema file. Returns [] when `loaded.ok` is false.
 */
export async function validateRelaxNG(
  loaded: LoadedXml,
  rngPath: string,
  opts: RelaxNGOptions = {},
): Promise<Diagnostic[]> {
  if (!loaded.ok) return [];
  // The derivative check says "valid" for a valid document in a fraction of salve's
  // time, and rng-errors.ts explains an invalid one as jing would. Without a usable
  // fast grammar, salve decides and explains.
  if (process.env.EDITIO_RNG_FAST !== '0') {
    try {
      const fast = await loadFastGrammar(rngPath, opts);
      if (fastCheck(fast, loaded.text) === 'valid') return [];
      if (process.env.EDITIO_RNG_ERRORS !== 'salve') {
        return validateFast(fast, loaded.text, loaded.file, { maxErrors: opts.maxErrors });
      }
    } catch {
      // salve decides, and reports any schema problem below.
    }
  }
  let grammar: Grammar;
  try {
    grammar = (await loadGrammar(rngPath, opts)).grammar;
  } catch (e) {
    if (e instanceof GrammarError) return [diag('error', e.code, e.message, rngPath)];
    const msg = e instanceof Error ? e.message : String(e);
    return [
      diag('error', 'rng.schema-invalid', `cannot use the schema ${rngPath}: ${msg}`, rngPath),
    ];
  }
  return validateWithGrammar(loaded, grammar, opts);
}
