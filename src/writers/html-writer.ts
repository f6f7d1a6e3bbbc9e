import * as fs from 'node:fs';
import { runJob } from '../render/session';
import { DEFAULT_HTML_SEF, finishHtml, htmlJob } from './html';
import type { Writer } from './types';

/** The HTML reading edition, `index.html`: one self-contained page from the core XSLT. */
export const htmlWriter: Writer = {
  format: 'html',
  description: 'the HTML reading edition (index.html)',
  available: () =>
    fs.existsSync(DEFAULT_HTML_SEF)
      ? { ok: true }
      : { ok: false, reason: 'the compiled stylesheet is missing; run `npm run build`' },
  jobs: (ctx) => [htmlJob({ file: ctx.loaded.file })],
  async write(ctx) {
    const out = await runJob(ctx, htmlJob({ file: ctx.loaded.file }));
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
