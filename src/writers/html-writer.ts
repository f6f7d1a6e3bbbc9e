import * as fs from 'node:fs';
import { runJob } from '../render/session';
import { DIAG_PREFIX } from '../render/xslt';
import { epubJob, epubOptions, HTML_PAGE_HREF, rendersOnce } from './epub';
import { DEFAULT_HTML_SEF, finishHtml, htmlJob } from './html';
import type { Writer, WriterContext } from './types';
import type { XsltJob, XsltOutput } from '../render/xslt';

/**
 * The transform that makes the page: html.xsl alone, or, when the build makes the EPUB
 * too, the EPUB transform, which renders the text once for both and writes the page
 * beside the book.
 */
function pageJob(ctx: WriterContext): XsltJob {
  return rendersOnce(ctx) ? epubJob(epubOptions(ctx)) : htmlJob({ file: ctx.loaded.file });
}

/** The page's output from the EPUB transform: the page as principal result, and only
 * the messages of the rendering (the book's own diagnostics are the EPUB writer's). */
function pageOutput(out: XsltOutput): XsltOutput {
  const page = out.documents.find(([href]) => href === HTML_PAGE_HREF);
  return {
    ...out,
    ok: out.ok && page !== undefined,
    error: out.error ?? (page ? undefined : 'the EPUB transform wrote no page'),
    principal: page?.[1] ?? '',
    documents: [],
    messages: out.messages.filter((m) => !isEpubDiagnostic(m)),
  };
}

function isEpubDiagnostic(message: string): boolean {
  if (!message.startsWith(DIAG_PREFIX)) return false;
  try {
    const code = (JSON.parse(message.slice(DIAG_PREFIX.length)) as { code?: unknown }).code;
    return typeof code === 'string' && code.startsWith('epub.');
  } catch {
    return false;
  }
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
    if (rendersOnce(ctx)) {
      out = pageOutput(out);
      // should the book's transform fail, the page still comes from html.xsl alone
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
