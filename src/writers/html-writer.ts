import * as fs from 'node:fs';
import { DEFAULT_HTML_SEF, finishHtml, htmlJob } from './html';
import { pageJob, runPage } from './shared';
import type { Writer, WriterContext } from './types';

/** html.xsl's own transform (the page alone). */
const ownJob = (ctx: WriterContext) => htmlJob({ file: ctx.loaded.file });

/** The HTML reading edition, `index.html`: one self-contained page from the core XSLT. */
export const htmlWriter: Writer = {
  format: 'html',
  description: 'the HTML reading edition (index.html)',
  available: () =>
    fs.existsSync(DEFAULT_HTML_SEF)
      ? { ok: true }
      : { ok: false, reason: 'the compiled stylesheet is missing; run `npm run build`' },
  jobs: (ctx) => [pageJob(ctx, 'html', ownJob(ctx))],
  async write(ctx) {
    const out = await runPage(ctx, 'html', ownJob(ctx));
    const r = finishHtml(out, ctx.loaded.text, ctx.loaded.file);
    return {
      files: r.html
        ? [
            {
              path: 'index.html',
              data: Buffer.from(r.html, 'utf8'),
              format: 'html',
              mediaType: 'text/html',
            },
          ]
        : [],
      diagnostics: r.diagnostics,
    };
  },
};
