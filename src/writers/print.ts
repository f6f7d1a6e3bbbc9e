/**
 * The print edition, `print.html`: one HTML page typeset with standard CSS Paged Media
 * (src/xslt/print.xsl over the core). Any Paged Media engine can make the book from it;
 * the PDF writer (pdf.ts) runs WeasyPrint on it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderHtml } from './html';
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

/** Render print.html for a build (shared by the print and PDF writers). */
export function renderPrint(ctx: WriterContext): {
  html: string;
  diagnostics: ReturnType<typeof renderHtml>['diagnostics'];
} {
  const params: Record<string, unknown> = { 'page-size': ctx.options?.pageSize ?? 'A5' };
  const stamp = epochStamp(ctx.sourceDateEpoch);
  if (stamp) params.modified = stamp;
  return renderHtml(ctx.loaded.text, {
    file: ctx.loaded.file,
    sefPath: DEFAULT_PRINT_SEF,
    params,
  });
}

export const printWriter: Writer = {
  format: 'print',
  description: 'the PDF-ready print edition (print.html, CSS Paged Media)',
  available: () =>
    fs.existsSync(DEFAULT_PRINT_SEF)
      ? { ok: true }
      : { ok: false, reason: 'the compiled stylesheet is missing; run `npm run build`' },
  async write(ctx) {
    const r = renderPrint(ctx);
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
