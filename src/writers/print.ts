/**
 * The print edition, `print.html`: one HTML page typeset with standard CSS Paged Media
 * (src/xslt/print.xsl over the core). Any Paged Media engine can make the book from it;
 * the PDF writer (pdf.ts) runs WeasyPrint on it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { XsltJob } from '../render/xslt';
import { finishHtml, htmlJob, type RenderHtmlResult } from './html';
import type { Writer, WriterContext } from './types';
import { packageRoot } from '../paths';
import { pageJob, printParams, runPage } from './shared';

export const DEFAULT_PRINT_SEF = path.join(packageRoot, 'lib', 'xslt', 'print.sef.json');

export const PAGE_SIZES = ['A5', 'A4', 'letter'] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

/** print.xsl's own transform. */
function ownPrintJob(ctx: WriterContext): XsltJob {
  return htmlJob({ file: ctx.loaded.file, sefPath: DEFAULT_PRINT_SEF, params: printParams(ctx) });
}

/** print.html's transform: print.xsl's, or the rendering it shares with other formats. */
export function printJob(ctx: WriterContext): XsltJob {
  return pageJob(ctx, 'print', ownPrintJob(ctx));
}

export async function renderPrint(ctx: WriterContext): Promise<RenderHtmlResult> {
  const out = await runPage(ctx, 'print', ownPrintJob(ctx));
  return finishHtml(out, ctx.loaded.text, ctx.loaded.file);
}

export const printWriter: Writer = {
  format: 'print',
  description: 'the PDF-ready print edition (print.html, CSS Paged Media)',
  available: () =>
    fs.existsSync(DEFAULT_PRINT_SEF)
      ? { ok: true }
      : { ok: false, reason: 'the compiled stylesheet is missing; run `npm run build`' },
  jobs: (ctx) => [printJob(ctx)],
  async write(ctx) {
    const r = await renderPrint(ctx);
    return {
      files: r.html
        ? [
            {
              path: 'print.html',
              data: Buffer.from(r.html, 'utf8'),
              format: 'print',
              mediaType: 'text/html',
            },
          ]
        : [],
      diagnostics: r.diagnostics,
    };
  },
};
