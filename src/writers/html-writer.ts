import * as fs from 'node:fs';
import { runJob } from '../render/session';
import type { XsltJob } from '../render/xslt';
import { DEFAULT_HTML_SEF, finishHtml, htmlJob } from './html';
import { PAGE_HREFS, pageOutput, sharedJob, sharedRender } from './shared';
import type { Writer, WriterContext } from './types';

/** The transform that makes the page: html.xsl, or the rendering shared with other formats. */
function pageJob(ctx: WriterContext): XsltJob {
  const s = sharedRender(ctx);
  return s?.html ? sharedJob(ctx, s) : htmlJob({ file: ctx.loaded.file });
}

/** The HTML reading edition, `index.html`: one self-contained page from the core XSLT. */
export const htmlWriter: Writer = {
  format: 'html',
  description: 'the HTML reading edition (index.html)',
  available: () =>
    fs.existsSync(DEFAULT_HTML_SEF)
      ? { ok: true }
      : { ok: false, reason: 'the compiled stylesheet is missing; run `npm run build`' },
  jobs: (ctx) => [pageJob(ctx)],
  async write(ctx) {
    let out = await runJob(ctx, pageJob(ctx));
    if (sharedRender(ctx)?.html) {
      out = pageOutput(out, PAGE_HREFS.html);
      // should the shared transform fail, the page still comes from html.xsl alone
      if (!out.ok) out = await runJob(ctx, htmlJob({ file: ctx.loaded.file }));
    }
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
