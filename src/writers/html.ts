/**
 * The HTML reading edition: TEI → one self-contained XHTML5 page, through the core
 * XSLT (src/xslt/html.xsl, compiled at build time to lib/xslt/html.sef.json by
 * scripts/compile-xslt.js). The SEF is read once per process.
 *
 * Pure: text in, text + diagnostics out. Writing files is the caller's business.
 */
import * as path from 'path';
import { diag, type Diagnostic } from '../diagnostics';
import { packageRoot } from '../paths';
import { messageDiagnostics, runXslt, type XsltJob, type XsltOutput } from '../render/xslt';

export interface RenderHtmlOptions {
  /** The source path as the user gave it (for diagnostics). */
  file: string;
  /** Replace the built-in stylesheet (CSS text placed in <style>). */
  css?: string;
  /** Use another compiled stylesheet (tests, other formats). */
  sefPath?: string;
  /** More stylesheet parameters (the print layer's page size and date). */
  params?: Record<string, string | number | boolean>;
}

export interface RenderHtmlResult {
  html: string;
  diagnostics: Diagnostic[];
}

export const DEFAULT_HTML_SEF = path.join(packageRoot, 'lib', 'xslt', 'html.sef.json');

/** The transform that makes a page (the reading edition; the print edition with its SEF). */
export function htmlJob(opts: RenderHtmlOptions): XsltJob {
  const params: Record<string, string | number | boolean> = { 'source-file': opts.file };
  if (opts.css !== undefined) params.css = opts.css;
  Object.assign(params, opts.params ?? {});
  return { sef: opts.sefPath ?? DEFAULT_HTML_SEF, params };
}

/** The page from a transform's output: a doctype, a final newline, its diagnostics. */
export function finishHtml(out: XsltOutput, teiText: string, file: string): RenderHtmlResult {
  const diagnostics = messageDiagnostics(out.messages, teiText, file);
  if (!out.ok) {
    const msg = out.error ?? 'unknown error';
    const pos = /line (\d+)(?: column (\d+))?/i.exec(msg);
    diagnostics.push(
      diag(
        'error',
        'xslt.transform-failed',
        `HTML rendering failed: ${msg}`,
        file,
        pos ? Number(pos[1]) : 0,
        pos && pos[2] ? Number(pos[2]) : 0,
      ),
    );
    return { html: '', diagnostics };
  }
  let html = out.principal;
  if (!/^\s*<!DOCTYPE/i.test(html)) html = `<!DOCTYPE html>\n${html}`;
  if (!html.endsWith('\n')) html += '\n';
  return { html, diagnostics };
}

/** Render one TEI document (text) as an XHTML5 reading edition. */
export function renderHtml(teiText: string, opts: RenderHtmlOptions): RenderHtmlResult {
  return finishHtml(runXslt({ text: teiText }, htmlJob(opts)), teiText, opts.file);
}
