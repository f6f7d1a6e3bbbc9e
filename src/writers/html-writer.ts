import * as fs from 'node:fs';
import { DEFAULT_HTML_SEF, renderHtml } from './html';
import type { Writer } from './types';

/** The HTML reading edition, `index.html`: one self-contained page from the core XSLT. */
export const htmlWriter: Writer = {
  format: 'html',
  description: 'the HTML reading edition (index.html)',
  available: () =>
    fs.existsSync(DEFAULT_HTML_SEF)
      ? { ok: true }
      : { ok: false, reason: 'the compiled stylesheet is missing; run `npm run build`' },
  async write(ctx) {
    const r = renderHtml(ctx.loaded.text, { file: ctx.loaded.file });
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
