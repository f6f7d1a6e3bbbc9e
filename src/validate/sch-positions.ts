/**
 * Where is each element's start tag? saxon-js nodes carry no line numbers, so the
 * Schematron runner reports an element by its child-index path (`1/3/2` = the second
 * element child of the third element child of the root element) and this module maps
 * that path to the line and column of the element's `<`, recorded by a `saxes` parse
 * of the same text.
 */
import { SaxesParser } from 'saxes';

interface ElementPos {
  line: number;
  column: number;
  children: ElementPos[];
}

export interface Position {
  line: number;
  column: number;
}

export interface ElementPositions {
  /** The root element, or undefined when the text could not be parsed. */
  root?: ElementPos;
  /** Line and 1-based column (in Unicode characters) of the element at `path`. */
  locate(path: string): Position | undefined;
}

/** Offsets (JS string indexes) at which each line starts; XML line ends are \r\n, \r, \n. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** Number of Unicode characters (code points) in text[from, to). */
function codePoints(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one counts once.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/**
 * The position of the `<` of each start tag a saxes parser (with `position: true`) reads
 * in `text`: call `here()` from the parser's 'opentagstart' handler. Columns count Unicode
 * characters, from 1.
 */
export function startTagLocator(text: string, parser: SaxesParser): { here(): Position } {
  const starts = lineStarts(text);
  let lastLine = -1;
  let lastIndex = 0;
  let lastColumn = 1;
  return {
    here(): Position {
      // The parser has read `<name` and one character after it; find the `<` backwards.
      const lineStart = starts[parser.line - 1] ?? 0;
      const next = lineStart + parser.columnIndex;
      const lt = text.lastIndexOf('<', next - 1);
      // The line holding `lt` (a name cannot span lines, but the character after it can).
      let l = parser.line - 1;
      while (l > 0 && starts[l] > lt) l--;
      // Columns are counted from the previous tag when it is on the same line, so long
      // lines are not rescanned for every element.
      if (l !== lastLine || lt < lastIndex) {
        lastLine = l;
        lastIndex = starts[l];
        lastColumn = 1;
      }
      lastColumn += codePoints(text, lastIndex, lt);
      lastIndex = lt;
      return { line: l + 1, column: lastColumn };
    },
  };
}

/** Parse `text` with saxes and record the start-tag position of every element. */
export function elementPositions(text: string): ElementPositions {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const locator = startTagLocator(text, parser);
  const stack: ElementPos[] = [];
  let root: ElementPos | undefined;

  parser.on('opentagstart', () => {
    const pos: ElementPos = { ...locator.here(), children: [] };
    if (stack.length > 0) stack[stack.length - 1].children.push(pos);
    else root ??= pos;
    stack.push(pos);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  // A self-closing tag also fires closetag in saxes, so the stack stays balanced.
  try {
    parser.write(text).close();
  } catch {
    // The loader has already reported ill-formedness; keep what was recorded.
  }

  return {
    root,
    locate(path: string): Position | undefined {
      if (!root) return undefined;
      if (path === '') return { line: root.line, column: root.column };
      const steps = path.split('/').map(Number);
      if (steps[0] !== 1) return undefined;
      let cur: ElementPos | undefined = root;
      for (let i = 1; i < steps.length && cur; i++) cur = cur.children[steps[i] - 1];
      return cur ? { line: cur.line, column: cur.column } : undefined;
    },
  };
}
