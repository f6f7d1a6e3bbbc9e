/**
 * The HTML reading edition: TEI → one self-contained XHTML5 page, through the core
 * XSLT (src/xslt/html.xsl, compiled at build time to lib/xslt/html.sef.json by
 * scripts/compile-xslt.js). The SEF is read once per process.
 *
 * Pure: text in, text + diagnostics out. Writing files is the caller's business.
 */
import * as fs from 'fs';
import * as path from 'path';
import { diag, type Diagnostic } from '../diagnostics';
import { packageRoot } from '../paths';

// saxon-js ships no type declarations; we use a narrow slice of its API.
export interface SaxonTransformResult {
  principalResult: string;
}
export interface SaxonApi {
  transform(options: Record<string, unknown>, mode?: 'sync'): SaxonTransformResult;
}
let saxon: SaxonApi | undefined;
/** saxon-js, loaded on first use (it costs ~400 ms to load). */
export function SaxonJS(): SaxonApi {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  saxon ??= require('saxon-js') as SaxonApi;
  return saxon;
}

export interface RenderHtmlOptions {
  /** The source path as the user gave it (for diagnostics). */
  file: string;
  /** Replace the built-in stylesheet (CSS text placed in <style>). */
  css?: string;
  /** Use another compiled stylesheet (tests, other formats). */
  sefPath?: string;
  /** More stylesheet parameters (the print layer's page size and date). */
  params?: Record<string, unknown>;
}

export interface RenderHtmlResult {
  html: string;
  diagnostics: Diagnostic[];
}

export const DEFAULT_HTML_SEF = path.join(packageRoot, 'lib', 'xslt', 'html.sef.json');

const sefCache = new Map<string, unknown>();

/** The compiled stylesheet as an object, parsed once per process. */
export function loadSef(sefPath: string): unknown {
  let sef = sefCache.get(sefPath);
  if (sef === undefined) {
    if (!fs.existsSync(sefPath)) {
      throw new Error(
        `compiled stylesheet not found: ${sefPath} (run \`node scripts/compile-xslt.js\`)`,
      );
    }
    sef = JSON.parse(fs.readFileSync(sefPath, 'utf8'));
    sefCache.set(sefPath, sef);
  }
  return sef;
}

const DIAG_PREFIX = 'EDITIO-DIAG ';

interface XslDiag {
  severity?: string;
  code?: string;
  name?: string;
  message?: string;
}

/** Position of the first start tag `<name` (any prefix) in the source, for a diagnostic. */
export function locateElement(text: string, name: string): { line: number; column: number } {
  if (!name) return { line: 0, column: 0 };
  const esc = name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  const re = new RegExp(`<(?:[\\w.-]+:)?${esc}[\\s/>]`);
  // Prefer an occurrence after the header.
  const headerEnd = text.indexOf('</teiHeader>');
  let idx = -1;
  if (headerEnd >= 0) {
    const m = re.exec(text.slice(headerEnd));
    if (m) idx = headerEnd + m.index;
  }
  if (idx < 0) {
    const m = re.exec(text);
    if (!m) return { line: 0, column: 0 };
    idx = m.index;
  }
  let line = 1;
  let lastNl = -1;
  for (let i = 0; i < idx; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lastNl = i;
    }
  }
  return { line, column: idx - lastNl };
}

function messageText(m: unknown): string {
  if (m && typeof m === 'object' && 'textContent' in m) {
    return String((m as { textContent: unknown }).textContent ?? '');
  }
  return String(m ?? '');
}

/**
 * Collects the stylesheet's messages. The stylesheet reports an unknown element each
 * time it renders one; here they become one Diagnostic per (code, name), with a count
 * and the position of the first occurrence in the source.
 */
class MessageCollector {
  private readonly byKey = new Map<string, { d: Diagnostic; count: number }>();
  private readonly order: string[] = [];

  constructor(
    private readonly teiText: string,
    private readonly file: string,
  ) {}

  add(text: string): void {
    let parsed: XslDiag | undefined;
    if (text.startsWith(DIAG_PREFIX)) {
      try {
        parsed = JSON.parse(text.slice(DIAG_PREFIX.length)) as XslDiag;
      } catch {
        parsed = undefined;
      }
    }
    const key = parsed ? `${parsed.code}\u0000${parsed.name ?? ''}` : `raw\u0000${text}`;
    const seen = this.byKey.get(key);
    if (seen) {
      seen.count++;
      return;
    }
    let d: Diagnostic;
    if (parsed) {
      const sev =
        parsed.severity === 'error' || parsed.severity === 'info' ? parsed.severity : 'warning';
      const pos = locateElement(this.teiText, parsed.name ?? '');
      d = diag(
        sev,
        parsed.code ?? 'xslt.message',
        parsed.message ?? text,
        this.file,
        pos.line,
        pos.column,
      );
    } else {
      d = diag('info', 'xslt.message', text, this.file);
    }
    this.byKey.set(key, { d, count: 1 });
    this.order.push(key);
  }

  diagnostics(): Diagnostic[] {
    return this.order.map((k) => {
      const { d, count } = this.byKey.get(k)!;
      return count > 1 ? { ...d, message: `${d.message} (${count} occurrences)` } : d;
    });
  }
}

/** Render one TEI document (text) as an XHTML5 reading edition. */
export function renderHtml(teiText: string, opts: RenderHtmlOptions): RenderHtmlResult {
  const diagnostics: Diagnostic[] = [];
  const messages = new MessageCollector(teiText, opts.file);
  const sefPath = opts.sefPath ?? DEFAULT_HTML_SEF;
  const params: Record<string, unknown> = { 'source-file': opts.file };
  if (opts.css !== undefined) params.css = opts.css;
  Object.assign(params, opts.params ?? {});
  try {
    const result = SaxonJS().transform(
      {
        stylesheetInternal: loadSef(sefPath),
        sourceText: teiText,
        destination: 'serialized',
        stylesheetParams: params,
        deliverMessage: (m: unknown) => messages.add(messageText(m)),
      },
      'sync',
    );
    let html = String(result.principalResult ?? '');
    if (!/^\s*<!DOCTYPE/i.test(html)) html = `<!DOCTYPE html>\n${html}`;
    if (!html.endsWith('\n')) html += '\n';
    diagnostics.push(...messages.diagnostics());
    return { html, diagnostics };
  } catch (err) {
    const e = err as { message?: string; code?: string };
    const msg = (e && e.message) || String(err);
    const pos = /line (\d+)(?: column (\d+))?/i.exec(msg);
    diagnostics.push(
      diag(
        'error',
        'xslt.transform-failed',
        `HTML rendering failed: ${msg}`,
        opts.file,
        pos ? Number(pos[1]) : 0,
        pos && pos[2] ? Number(pos[2]) : 0,
      ),
    );
    return { html: '', diagnostics };
  }
}
