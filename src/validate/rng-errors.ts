/**
 * RELAX NG errors from the derivative validator (rng-fast.ts), with jing's recovery,
 * so that an invalid document is reported without salve (salve took ~6 s on a 2.7 MB
 * ODD with 153 errors; this takes a fraction of a second).
 *
 * The recovery is jing's (PatternMatcher): at a start tag that the pattern does not
 * allow, a derivative in which a group may skip a required first member ("not allowed
 * yet"); failing that, the content of the grammar's elements of that name, after
 * which the parent resumes ("not allowed here"), or nothing at all for a name the
 * grammar does not know ("not allowed anywhere"), inside which only known elements
 * are checked. A bad attribute name: an error, and its value ignored; a bad value:
 * an error. Missing attributes: an error, then the element goes on as if they were
 * there. Text where none is allowed: an error, the pattern unchanged. An end tag
 * that comes too early: an error, then the parent resumes. While the pattern is
 * notAllowed after an error, further errors are not reported (they would repeat it).
 *
 * Positions are jing's, as in relaxng.ts: the end of the start tag for an element's
 * name and attributes, the end of the end tag for an incomplete element or data
 * content, the end of each line's text for text that is not allowed.
 */
import { SaxesParser } from 'saxes';
import { diag, type Diagnostic } from '../diagnostics';
import {
  isDataContent,
  isNotAllowed,
  NamespaceScopes,
  possibleNames,
  requiredNames,
  type FastGrammar,
  type FastPattern,
  type TextContext,
} from './rng-fast';

export interface Pos {
  line: number;
  column: number;
}

/** Line starts of a text, for offset → line:column. */
class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      this.starts.push(i + 1);
    }
  }
  pos(offset: number): Pos {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * For a run of source text (offsets [start, end) into `src`, possibly holding
 * comments, PIs, CDATA sections and references), the end offsets of the
 * chunks of character data holding non-whitespace, chunked as Xerces reports
 * them to jing: a chunk ends at a newline, at markup and around a reference.
 */
function textChunkEnds(src: string, start: number, end: number): number[] {
  const ends: number[] = [];
  let hasText = false;
  const endChunk = (at: number): void => {
    if (hasText) ends.push(at);
    hasText = false;
  };
  const skipTo = (from: number, close: string): number => {
    const j = src.indexOf(close, from);
    return j < 0 || j + close.length > end ? end : j + close.length;
  };
  let i = start;
  while (i < end) {
    const c = src.charCodeAt(i);
    if (c === 0x3c /* < */) {
      endChunk(i);
      if (src.startsWith('<!--', i)) i = skipTo(i + 4, '-->');
      else if (src.startsWith('<?', i)) i = skipTo(i + 2, '?>');
      else if (src.startsWith('<![CDATA[', i)) i += 9;
      else i++;
      continue;
    }
    if (c === 0x5d /* ] */ && src.startsWith(']]>', i)) {
      endChunk(i);
      i += 3;
      continue;
    }
    if (c === 0x26 /* & */) {
      endChunk(i);
      const j = skipTo(i + 1, ';');
      const m = /^&#(x?)([0-9a-fA-F]+);$/.exec(src.slice(i, j));
      const cp = m ? parseInt(m[2], m[1] ? 16 : 10) : -1;
      if (!(cp === 0x20 || cp === 0x09 || cp === 0x0a || cp === 0x0d)) ends.push(j);
      i = j;
      continue;
    }
    if (c === 0x0a) endChunk(i);
    else if (!isWs(c)) hasText = true;
    i++;
  }
  endChunk(end);
  return ends;
}

const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** Thrown to end a validation early (the error cap, a parse error); RngReport.parse catches it. */
class StopValidation extends Error {}

/** Where a saxes parser stands, as jing (Xerces) reports it: the column after the event. */
export function parserPos(parser: SaxesParser): Pos {
  return { line: parser.line, column: parser.column + 1 };
}

/**
 * What the two RELAX NG drivers (this one and salve's, relaxng.ts) share: their
 * diagnostics, the cap on errors (then a warning, and the validation ends), the positions
 * of text errors as jing gives them, and the parse itself.
 */
export class RngReport {
  readonly out: Diagnostic[] = [];
  private lines: LineIndex | undefined;
  private stopped = false;

  constructor(
    private readonly file: string,
    private readonly src: string,
    private readonly maxErrors = 1000,
  ) {}

  /** An error; past the cap, the warning that says so, and the validation ends. */
  error(code: string, message: string, pos: Pos): void {
    if (this.stopped) return;
    if (this.out.length >= this.maxErrors) {
      this.out.push(
        diag(
          'warning',
          'rng.too-many-errors',
          `stopped after ${this.maxErrors} errors`,
          this.file,
          pos.line,
          pos.column,
        ),
      );
      this.stopped = true;
      throw new StopValidation();
    }
    this.out.push(diag('error', code, message, this.file, pos.line, pos.column));
  }

  /** A note beside the errors, outside the cap (jing's "first occurrence of ID"). */
  info(code: string, message: string, pos: Pos): void {
    this.out.push(diag('info', code, message, this.file, pos.line, pos.column));
  }

  /**
   * Where text errors go for the text run [start, end) of the source: the end of each
   * chunk of it that Xerces reports to jing (textChunkEnds), else `pos`.
   */
  textPositions(start: number, end: number, pos: Pos): Pos[] {
    const ends = start >= 0 ? textChunkEnds(this.src, start, end) : [];
    if (ends.length === 0) return [pos];
    this.lines ??= new LineIndex(this.src);
    return ends.map((e) => this.lines!.pos(e));
  }

  /**
   * Parse the source with `parser` (its handlers set), then run `atEnd`; a parse error
   * is reported as not well-formed (the loader has checked well-formedness already: a
   * safety net). Returns the diagnostics.
   */
  parse(parser: SaxesParser, atEnd?: () => void): Diagnostic[] {
    parser.on('error', (err) => {
      const pos = parserPos(parser);
      this.out.push(
        diag(
          'error',
          'xml.not-well-formed',
          err.message.replace(/^\d+:\d+: /, ''),
          this.file,
          pos.line,
          pos.column,
        ),
      );
      throw new StopValidation();
    });
    try {
      parser.write(this.src).close();
      atEnd?.();
    } catch (e) {
      if (!(e instanceof StopValidation)) throw e;
    }
    return this.out;
  }
}

/** "a", "b" or "c" (at most `max` names, then how many more). */
function nameList(names: string[], conj: 'or' | 'and', max = 12): string {
  const shown = names.slice(0, max).map((n) => (n === '*' ? 'any element' : `"${n}"`));
  if (names.length > max) return `${shown.join(', ')} ${conj} ${names.length - max} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} ${conj} ${shown[shown.length - 1]}`;
}

/** Options of validateFast. */
export interface FastValidateOptions {
  /** Stop after this many errors (default 1000); a final warning says so. */
  maxErrors?: number;
}

/**
 * Validate `src` (the text of `file`, already known to be well-formed) against the
 * grammar and return its RELAX NG errors, jing's way ([] when it is valid).
 */
export function validateFast(
  g: FastGrammar,
  src: string,
  file: string,
  opts: FastValidateOptions = {},
): Diagnostic[] {
  const report = new RngReport(file, src, opts.maxErrors);
  const scopes = new NamespaceScopes();
  const ctx: TextContext = { resolver: scopes.resolver, sawId: false };
  // each ID's first holder (its start tag's end), and whether it was named in an error
  const ids = new Map<string, { pos: Pos; named: boolean }>();

  let p: FastPattern = g.start;
  let hadError = false;
  let textTyped = false;
  const stack: { qname: string; ns: boolean }[] = [];
  let textBuf = '';
  let textStart = -1;
  let textEnd = -1;
  let lastMarkupEnd = 0;

  const parser = new SaxesParser({ xmlns: true, position: true });
  const here = (): Pos => parserPos(parser);

  // jing: an error is not reported while the pattern is notAllowed after an earlier one
  const ignoring = (): boolean => hadError && isNotAllowed(p);
  let last = { code: '', message: '' };
  const error = (code: string, message: string, pos: Pos): void => {
    if (ignoring()) return;
    hadError = true;
    last = { code, message };
    report.error(code, message, pos);
  };
  // An end tag that fails only because its parent's pattern is notAllowed gives no new
  // error, but jing's validator, seeing the match fail, repeats its last message there.
  const repeatLast = (pos: Pos): void => {
    if (last.code !== '') report.error(last.code, last.message, pos);
  };

  const expected = (q: FastPattern): string => {
    const names = possibleNames(q, 'element');
    return names.length === 0 ? '' : `; expected element ${nameList(names, 'or')}`;
  };

  /** Text before a start tag, or untyped text before an end tag. */
  const untypedText = (): void => {
    if (!/\S/.test(textBuf) || isNotAllowed(p)) return;
    const d = g.textDeriv(p, textBuf, ctx);
    if (!isNotAllowed(d)) {
      p = d;
      return;
    }
    const message = `text not allowed here${expected(p)}`;
    for (const pos of report.textPositions(textStart, textEnd, here())) {
      error('rng.text-not-allowed', message, pos);
    }
  };

  /** The content of a data element, as one string, with its end tag. */
  const dataText = (qname: string, s: string, pos: Pos): void => {
    textTyped = false;
    const d = g.endTag(g.textDeriv(p, s, ctx));
    if (!isNotAllowed(d)) {
      p = d;
      return;
    }
    const next = g.recoverAfter(p);
    const quiet = ignoring();
    const parentOnly =
      isNotAllowed(next) && !isNotAllowed(g.endTag(g.textDeriv(g.emptyAfter(p), s, ctx)));
    if (!quiet && parentOnly) {
      repeatLast(pos);
    } else if (!quiet) {
      error(
        'rng.text-invalid',
        /\S/.test(s)
          ? `character content of element "${qname}" is invalid`
          : `element "${qname}" incomplete: its content may not be empty`,
        pos,
      );
    }
    p = next;
  };

  const clearText = (): void => {
    textBuf = '';
    textStart = -1;
    textEnd = -1;
  };

  parser.on('text', (t) => {
    if (textStart < 0) textStart = lastMarkupEnd;
    textBuf += t;
    // saxes reports text when it has read the `<` that ends it
    textEnd = parser.position - 1;
  });
  parser.on('cdata', (t) => {
    if (textStart < 0) textStart = lastMarkupEnd;
    textBuf += t;
    textEnd = parser.position;
  });

  parser.on('opentag', (node) => {
    const pos = here();
    if (textBuf !== '') untypedText();
    clearText();
    stack.push({ qname: node.name, ns: scopes.enter(node.attributes) });
    const uri = node.uri ?? '';
    const local = node.local ?? node.name;
    const key = `${uri}\u0000${local}`;

    // the element's name
    const d = g.startTagOpen(p, uri, local, key);
    if (!isNotAllowed(d)) p = d;
    else {
      const quiet = ignoring();
      let next = g.startTagOpenRecover(p, uri, local, key);
      if (!isNotAllowed(next)) {
        if (!quiet) {
          const missing = requiredNames(p, 'element');
          error(
            'rng.element-not-allowed',
            missing.length > 0
              ? `element "${node.name}" not allowed yet; missing required element ${nameList(missing, 'and')}`
              : `element "${node.name}" not allowed yet${expected(p)}`,
            pos,
          );
        }
      } else {
        const found = g.findElement(uri, local, key);
        if (!quiet) {
          error(
            'rng.element-not-allowed',
            isNotAllowed(found)
              ? `element "${node.name}" not allowed anywhere${expected(p)}`
              : `element "${node.name}" not allowed here${expected(p)}`,
            pos,
          );
        }
        next = g.afterKeep(found, p);
      }
      p = next;
    }

    // its attributes
    for (const qname of Object.keys(node.attributes)) {
      const a = node.attributes[qname];
      if (qname === 'xmlns' || a.prefix === 'xmlns' || a.uri === XMLNS_NS) continue;
      const q = g.startAttribute(p, a.uri, a.local, `${a.uri}\u0000${a.local}`);
      if (isNotAllowed(q)) {
        error('rng.attribute-not-allowed', `attribute "${qname}" not allowed here`, pos);
        continue;
      }
      ctx.sawId = false;
      const v = g.attributeValue(q, a.value, ctx);
      if (!isNotAllowed(v)) p = v;
      else {
        error('rng.attribute-value-invalid', `value of attribute "${qname}" is invalid`, pos);
        p = g.recoverAfter(q);
      }
      if (ctx.sawId) {
        // as jing: an error at each later holder, and a note at the first
        const first = ids.get(a.value);
        if (first === undefined) ids.set(a.value, { pos, named: false });
        else {
          report.error('rng.duplicate-id', `ID "${a.value}" has already been defined`, pos);
          if (!first.named) {
            first.named = true;
            report.info('rng.duplicate-id', `first occurrence of ID "${a.value}"`, first.pos);
          }
        }
      }
    }

    // the end of the start tag
    if (!isNotAllowed(p)) {
      const c = g.startTagClose(p);
      if (!isNotAllowed(c)) p = c;
      else {
        const missing = requiredNames(p, 'attribute');
        error(
          'rng.attribute-missing',
          missing.length > 0
            ? `element "${node.name}" missing required attribute ${nameList(missing, 'and')}`
            : `element "${node.name}" missing a required attribute`,
          pos,
        );
        p = g.ignoreMissingAttributes(p);
      }
    }
    textTyped = !isNotAllowed(p) && isDataContent(p);
    lastMarkupEnd = parser.position;
  });

  parser.on('closetag', () => {
    const pos = here();
    const top = stack.pop();
    if (top === undefined) return;
    if (textTyped) dataText(top.qname, textBuf, pos);
    else {
      if (textBuf !== '') untypedText();
      const d = g.endTag(p);
      if (!isNotAllowed(d)) p = d;
      else {
        const quiet = ignoring();
        const next = g.recoverAfter(p);
        // notAllowed may come from the parent alone: no error then
        if (!quiet && isNotAllowed(next) && !isNotAllowed(g.endTag(g.emptyAfter(p)))) {
          repeatLast(pos);
        } else if (!quiet) {
          const missing = requiredNames(p, 'element');
          error(
            'rng.element-incomplete',
            missing.length > 0
              ? `element "${top.qname}" incomplete; missing required element ${nameList(missing, 'and')}`
              : `element "${top.qname}" incomplete${expected(p)}`,
            pos,
          );
        }
        p = next;
      }
    }
    clearText();
    if (top.ns) scopes.leave();
    lastMarkupEnd = parser.position;
  });

  return report.parse(parser);
}
