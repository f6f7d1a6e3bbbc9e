/**
 * Safe loading of XML input. Input is treated as hostile:
 *
 * - the file is read with `fs` only; nothing the file names (DTDs, external
 *   entities, XIncludes, schemas) is ever opened or fetched;
 * - size is capped ({@link MAX_FILE_BYTES}), NUL bytes and invalid UTF-8 are
 *   rejected before parsing;
 * - DOCTYPE policy: a DOCTYPE without an internal subset gets a warning
 *   (`xml.doctype-ignored`) and is otherwise ignored (no external DTD is read,
 *   no default attributes are applied). A DOCTYPE that declares anything
 *   a general entity (`<!ENTITY name ...>`) is an error (`xml.doctype-entity`)
 *   and the document is not processed further, so neither external entities
 *   nor entity-expansion bombs can do harm; any other internal subset (e.g.
 *   only parameter entities `<!ENTITY % name ...>`, which act only inside a
 *   DTD, and no DTD is ever processed) is a warning
 *   (`xml.doctype-subset-ignored`) and is ignored;
 * - element nesting is capped ({@link MAX_DEPTH}) because downstream XSLT
 *   and validators recurse.
 *
 * Well-formedness is checked with saxes (namespace-aware); its first error is
 * reported with its line and column.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { diag, type Diagnostic } from '../diagnostics';
import type { LoadedXml, XmlModel } from './types';

export type { LoadedXml, XmlModel } from './types';

/** Maximum size of an input file, in bytes. */
export const MAX_FILE_BYTES = 100 * 1024 * 1024;
/** Maximum element nesting depth. */
export const MAX_DEPTH = 5000;

export interface LoadOptions {
  /** Override {@link MAX_DEPTH}. */
  maxDepth?: number;
  /** Override {@link MAX_FILE_BYTES}. */
  maxBytes?: number;
  /** Given the decoded text before it is parsed (and so before it is known to be
   * well-formed): a build hands it to its rendering worker, which parses it meanwhile. */
  onText?: (text: string) => void;
  /** Handlers that watch the load's parse, given the text and the parser (for positions):
   * a check that would otherwise parse the text again rides on this pass. Called after
   * the loader's own handlers; a text the loader refuses was not wholly seen. */
  observe?: (text: string, parser: SaxesParser) => ParseObserver;
}

/** What a check that rides on the load's parse is told (see LoadOptions.observe). */
export interface ParseObserver {
  opentagstart?(): void;
  opentag?(tag: SaxesTagNS): void;
  closetag?(): void;
}

/** Thrown inside saxes handlers to stop parsing early. */
class StopParse extends Error {}

function emptyResult(file: string, absPath: string, text: string): LoadedXml {
  return { file, absPath, text, ok: false, diagnostics: [], xmlModels: [] };
}

function fail(
  file: string,
  absPath: string,
  code: string,
  message: string,
  line = 0,
  column = 0,
): LoadedXml {
  const r = emptyResult(file, absPath, '');
  r.diagnostics.push(diag('error', code, message, file, line, column));
  return r;
}

/** 1-based line and column (in UTF-16 units) of a byte offset in a buffer. */
function bufferPosition(buf: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (buf[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  // Count characters, not bytes, on the line (continuation bytes are skipped).
  let column = 1;
  for (let i = lineStart; i < offset; i++) {
    if ((buf[i] & 0xc0) !== 0x80) column++;
  }
  return { line, column };
}

/** Offset of the first byte that breaks UTF-8 decoding, or -1. */
function firstInvalidUtf8(buf: Buffer): number {
  const n = buf.length;
  let i = 0;
  while (i < n) {
    const b = buf[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Read and check one XML file. Never throws for bad input; problems are
 * returned as diagnostics with `ok: false`.
 */
export function loadXmlFile(file: string, opts: LoadOptions = {}): LoadedXml {
  const absPath = path.resolve(file);
  const maxBytes = opts.maxBytes ?? MAX_FILE_BYTES;
  let st: fs.Stats;
  try {
    st = fs.statSync(absPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return fail(file, absPath, 'io.not-found', `file not found: ${file}`);
    }
    return fail(file, absPath, 'io.unreadable', `cannot read ${file}: ${code ?? String(e)}`);
  }
  if (st.isDirectory()) {
    return fail(file, absPath, 'io.is-directory', `${file} is a directory, not an XML file`);
  }
  if (!st.isFile()) {
    // FIFOs, sockets and devices could block forever or never end.
    return fail(file, absPath, 'io.not-regular-file', `${file} is not a regular file`);
  }
  if (st.size > maxBytes) {
    return fail(
      file,
      absPath,
      'io.too-large',
      `${file} is ${st.size} bytes; the limit is ${maxBytes} bytes`,
    );
  }
  let buf: Buffer;
  try {
    buf = fs.readFileSync(absPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(file, absPath, 'io.unreadable', `cannot read ${file}: ${code ?? String(e)}`);
  }
  return loadXmlBuffer(buf, file, absPath, opts);
}

/** Check and decode bytes (UTF-8 only), then parse them as with {@link loadXmlString}. */
export function loadXmlBuffer(
  buf: Buffer,
  file: string,
  absPath = path.resolve(file),
  opts: LoadOptions = {},
): LoadedXml {
  const maxBytes = opts.maxBytes ?? MAX_FILE_BYTES;
  if (buf.length > maxBytes) {
    return fail(
      file,
      absPath,
      'io.too-large',
      `${file} is ${buf.length} bytes; the limit is ${maxBytes} bytes`,
    );
  }
  if (buf.length === 0) {
    return fail(file, absPath, 'io.empty', `${file} is empty`);
  }
  if (
    (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) ||
    (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff)
  ) {
    return fail(
      file,
      absPath,
      'io.binary',
      `${file} looks like UTF-16; only UTF-8 input is supported`,
      1,
      1,
    );
  }
  const nul = buf.indexOf(0);
  if (nul >= 0) {
    const pos = bufferPosition(buf, nul);
    return fail(
      file,
      absPath,
      'io.binary',
      `${file} is binary, not text: it contains a NUL byte (offset ${nul})`,
      pos.line,
      pos.column,
    );
  }
  const bad = firstInvalidUtf8(buf);
  if (bad >= 0) {
    const pos = bufferPosition(buf, bad);
    return fail(
      file,
      absPath,
      'io.binary',
      `${file} is not valid UTF-8 (byte 0x${buf[bad].toString(16).padStart(2, '0')} at offset ${bad})`,
      pos.line,
      pos.column,
    );
  }
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  opts.onText?.(text);
  return loadXmlString(text, file, absPath, opts);
}

/** Parse the pseudo-attributes of a processing instruction body. */
export function parsePseudoAttributes(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body)) !== null) {
    out[m[1]] = m[2] ?? m[3] ?? '';
  }
  return out;
}

/** Decode the five predefined entities and character references in a pseudo-attribute. */
function decodePseudoValue(v: string): string {
  return v.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]+|#[0-9]+);/g, (all, e: string) => {
    switch (e) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default: {
        const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : all;
      }
    }
  });
}

/** Strip saxes' `line:col: ` (or `file:line:col: `) prefix from its error messages. */
function saxesMessage(err: Error): string {
  return err.message.replace(/^(?:.*?:)?\d+:\d+: /, '');
}

/**
 * Parse XML text (already decoded) safely. `file` is used in diagnostics.
 */
export function loadXmlString(
  text: string,
  file: string,
  absPath = path.resolve(file),
  opts: LoadOptions = {},
): LoadedXml {
  const maxDepth = opts.maxDepth ?? MAX_DEPTH;
  const result: LoadedXml = { file, absPath, text, ok: false, diagnostics: [], xmlModels: [] };
  const diags: Diagnostic[] = result.diagnostics;
  if (!/\S/.test(text)) {
    diags.push(diag('error', 'io.empty', `${file} is empty (only whitespace)`, file));
    return result;
  }

  // Text before any markup: saxes only notices at the end of the input, so say it here,
  // at the first character, as other XML parsers do.
  const first = text.search(/\S/);
  if (text[first] !== '<') {
    const before = text.slice(0, first);
    const line = (before.match(/\r\n?|\n/g) ?? []).length + 1;
    const column = first - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
    diags.push(
      diag(
        'error',
        'xml.not-well-formed',
        'not well-formed: content is not allowed before the root element (this is not XML)',
        file,
        line,
        column,
      ),
    );
    return result;
  }

  const parser = new SaxesParser({ xmlns: true, position: true });
  const watcher = opts.observe?.(text, parser);
  if (watcher?.opentagstart) parser.on('opentagstart', () => watcher.opentagstart!());
  let depth = 0;
  let seenRoot = false;
  let fatal = false;

  const here = (): { line: number; column: number } => ({
    line: parser.line,
    column: parser.column > 0 ? parser.column : 1,
  });

  parser.on('error', (err) => {
    if (fatal) return;
    fatal = true;
    const { line, column } = here();
    diags.push(
      diag(
        'error',
        'xml.not-well-formed',
        `not well-formed: ${saxesMessage(err)}`,
        file,
        line,
        column,
      ),
    );
    throw new StopParse();
  });

  parser.on('doctype', (doctype) => {
    const { line, column } = here();
    // General entities (`<!ENTITY name ...>`) could be expanded in content: refused.
    // Parameter entities (`<!ENTITY % name ...>`) only act inside a DTD, which is never
    // processed, so they are harmless and merely ignored (old TEI files carry them).
    if (/<!ENTITY\s+(?!%)/.test(doctype) || /<!ENTITY(?!\s)/.test(doctype)) {
      fatal = true;
      diags.push(
        diag(
          'error',
          'xml.doctype-entity',
          'the DOCTYPE declares general entities (<!ENTITY name ...>); entity declarations ' +
            'are refused for safety (external entities, entity-expansion bombs) and the ' +
            'document is not processed further',
          file,
          line,
          column,
        ),
      );
      throw new StopParse();
    }
    if (doctype.includes('[')) {
      diags.push(
        diag(
          'warning',
          'xml.doctype-subset-ignored',
          'the DOCTYPE has an internal subset; it is ignored (no DTD processing)',
          file,
          line,
          column,
        ),
      );
    } else {
      diags.push(
        diag(
          'warning',
          'xml.doctype-ignored',
          'DOCTYPE ignored: no DTD is read and no DTD defaults are applied',
          file,
          line,
          column,
        ),
      );
    }
  });

  parser.on('processinginstruction', (pi) => {
    if (seenRoot || pi.target !== 'xml-model') return;
    const attrs = parsePseudoAttributes(pi.body);
    if (attrs.href === undefined) {
      const { line, column } = here();
      diags.push(
        diag(
          'warning',
          'xml.xml-model-no-href',
          '<?xml-model?> without href ignored',
          file,
          line,
          column,
        ),
      );
      return;
    }
    const model: XmlModel = { href: decodePseudoValue(attrs.href) };
    if (attrs.type !== undefined) model.type = decodePseudoValue(attrs.type);
    if (attrs.schematypens !== undefined)
      model.schematypens = decodePseudoValue(attrs.schematypens);
    result.xmlModels.push(model);
  });

  parser.on('opentag', (node) => {
    depth++;
    if (depth > maxDepth) {
      fatal = true;
      const { line, column } = here();
      diags.push(
        diag(
          'error',
          'xml.too-deep',
          `elements are nested more than ${maxDepth} levels deep; refusing to process further`,
          file,
          line,
          column,
        ),
      );
      throw new StopParse();
    }
    if (!seenRoot) {
      seenRoot = true;
      result.rootName = node.local;
      result.rootNamespace = node.uri ?? '';
    }
    watcher?.opentag?.(node);
  });

  parser.on('closetag', () => {
    depth--;
    watcher?.closetag?.();
  });

  try {
    parser.write(text).close();
  } catch (e) {
    if (!(e instanceof StopParse)) {
      if (!fatal) {
        const { line, column } = here();
        diags.push(
          diag(
            'error',
            'xml.not-well-formed',
            `not well-formed: ${e instanceof Error ? saxesMessage(e) : String(e)}`,
            file,
            line,
            column,
          ),
        );
      }
      fatal = true;
    }
  }
  if (!fatal && !seenRoot) {
    fatal = true;
    diags.push(diag('error', 'xml.not-well-formed', 'no root element', file, 1, 1));
  }
  result.ok = !fatal;
  return result;
}
