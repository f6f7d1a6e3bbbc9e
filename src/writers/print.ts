/**
 * The print edition, `print.html`: one HTML page typeset with standard CSS Paged Media
 * (src/xslt/print.xsl over the core). Any Paged Media engine can make the book from it;
 * the PDF writer (pdf.ts) runs WeasyPrint on it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runJob } from '../render/session';
import type { XsltJob } from '../render/xslt';
import { finishHtml, htmlJob, type RenderHtmlResult } from './html';
import type { Writer, WriterContext } from './types';
import { packageRoot } from '../paths';

export const DEFAULT_PRINT_SEF = path.join(packageRoot, 'lib', 'xslt', 'print.sef.json');

export const PAGE_SIZES = ['A5', 'A4', 'letter'] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

/** CCYY-MM-DDThh:mm:ssZ for a SOURCE_DATE_EPOCH, as the print metadata wants it. */
function epochStamp(epoch: number | undefined): string | undefined {
  if (epoch === undefined || !Number.isFinite(epoch)) return undefined;
  return new Date(Math.trunc(epoch) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The transform that makes print.html (the same job for the print and PDF writers,
 * so that a build runs it once). */
export function printJob(ctx: WriterContext): XsltJob {
  const params: Record<string, string> = { 'page-size': ctx.options?.pageSize ?? 'A5' };
  const stamp = epochStamp(ctx.sourceDateEpoch);
  if (stamp) params.modified = stamp;
  return htmlJob({ file: ctx.loaded.file, sefPath: DEFAULT_PRINT_SEF, params });
}

/** Render print.html for a build (shared by the print and PDF writers). */
export async function renderPrint(ctx: WriterContext): Promise<RenderHtmlResult> {
  return finishHtml(await runJob(ctx, printJob(ctx)), ctx.loaded.text, ctx.loaded.file);
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
