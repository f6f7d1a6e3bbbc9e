/**
 * One rendering for several formats. When a build makes two or more of the HTML reading
 * edition, the EPUB and print.html, their writers ask for one transform,
 * src/xslt/editions.xsl: it renders the reading edition's page once and writes each
 * format from it (the page itself, the book by the EPUB pass, print.html by the print
 * pass), byte for byte what each format's own stylesheet writes.
 *
 * A build that makes the PDF keeps print.html apart: it is rendered first, alone, so
 * that WeasyPrint, the longest step of the build, can start as early as possible.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../paths';
import { runJob } from '../render/session';
import { DIAG_PREFIX, type XsltJob, type XsltOutput } from '../render/xslt';
import type { WriterContext } from './types';

export const DEFAULT_EDITIONS_SEF = path.join(packageRoot, 'lib', 'xslt', 'editions.sef.json');

/** Where editions.xsl writes the pages (not documents of the book). */
export const PAGE_HREFS = { html: 'index.html', print: 'print.html' } as const;
const PAGES: ReadonlySet<string> = new Set(Object.values(PAGE_HREFS));

/** Whether a document a rendering wrote is one of the pages, not a document of the book. */
export function isPageHref(href: string): boolean {
  return PAGES.has(href);
}

/** The base URI of xsl:result-document outputs of the EPUB and editions transforms. */
export const RESULT_BASE = 'file:///editio-epub/';

export interface SharedRender {
  html: boolean;
  epub: boolean;
  print: boolean;
}

/** The formats this build renders together, or undefined when it renders one at most. */
export function sharedRender(ctx: WriterContext): SharedRender | undefined {
  if (!ctx.formats || !fs.existsSync(DEFAULT_EDITIONS_SEF)) return undefined;
  const f = new Set(ctx.formats);
  const all = f.has('archive');
  const s: SharedRender = {
    html: all || f.has('html'),
    epub: all || f.has('epub'),
    print: (all || f.has('print')) && !(all || f.has('pdf')),
  };
  return Number(s.html) + Number(s.epub) + Number(s.print) >= 2 ? s : undefined;
}

function epochStamp(epoch: number | undefined): string | undefined {
  if (epoch === undefined || !Number.isFinite(epoch)) return undefined;
  return new Date(Math.trunc(epoch) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The print layer's parameters: page size and the date to stamp. */
export function printParams(ctx: WriterContext): Record<string, string> {
  const params: Record<string, string> = { 'page-size': ctx.options?.pageSize ?? 'A5' };
  const stamp = epochStamp(ctx.sourceDateEpoch);
  if (stamp) params.modified = stamp;
  return params;
}

/** The EPUB layer's parameters: how deep the text is split, where the notes go. */
export function epubParams(opts: {
  splitDepth?: number;
  notes?: 'book' | 'chapter';
}): Record<string, string | number> {
  const params: Record<string, string | number> = {};
  if (opts.splitDepth !== undefined) params['split-depth'] = opts.splitDepth;
  if (opts.notes !== undefined) params['notes-placement'] = opts.notes;
  return params;
}

/** The one transform of a shared rendering: the same for every writer that shares it. */
export function sharedJob(ctx: WriterContext, s: SharedRender): XsltJob {
  return {
    sef: DEFAULT_EDITIONS_SEF,
    params: {
      'source-file': ctx.loaded.file,
      ...(s.print ? printParams(ctx) : {}),
      ...(s.epub
        ? epubParams({ splitDepth: ctx.options?.epubSplitDepth, notes: ctx.options?.epubNotes })
        : {}),
      'with-html': s.html,
      'with-epub': s.epub,
      'with-print': s.print,
    },
    resultBase: RESULT_BASE,
  };
}

/** A page's transform: its own stylesheet's (`own`), or the rendering it shares. */
export function pageJob(ctx: WriterContext, page: keyof typeof PAGE_HREFS, own: XsltJob): XsltJob {
  const s = sharedRender(ctx);
  return s?.[page] ? sharedJob(ctx, s) : own;
}

/**
 * A page as its own stylesheet would make it: from the shared rendering when there is
 * one (and from its own stylesheet should that fail), else from its own.
 */
export async function runPage(
  ctx: WriterContext,
  page: keyof typeof PAGE_HREFS,
  own: XsltJob,
): Promise<XsltOutput> {
  const job = pageJob(ctx, page, own);
  const out = await runJob(ctx, job);
  if (job === own) return out;
  const mine = pageOutput(out, PAGE_HREFS[page]);
  return mine.ok ? mine : runJob(ctx, own);
}

/*
 * The core's marks (data-editio-src, data-editio-secondary, data-editio-drop: see
 * src/xslt/core/editio-core.xsl) on a page that editions.xsl writes as it rendered it.
 * In a page serialised by saxon-js every "<" and ">" outside markup is escaped (text and
 * attribute values alike), so text can never match MARKUP. Comments, CDATA sections and
 * processing instructions (which the core does not write, but which may hold "<" and
 * ">") are matched whole and left as they are; any other match is a tag that holds a
 * mark, and in a tag an attribute value holds no raw quote, so a mark is exactly one
 * match of MARK.
 */
const MARKUP =
  /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<[^!?<>][^<>]*? data-editio-[^<>]*>/g;
const MARK = / data-editio-(?:src|secondary|drop)="[^"]*"/g;

/** A serialised page without the core's marks: what the page's own stylesheet writes. */
export function dropMarks(page: string): string {
  if (!page.includes(' data-editio-')) return page;
  return page.replace(MARKUP, (m) =>
    m.charCodeAt(1) === 0x21 || m.charCodeAt(1) === 0x3f ? m : m.replace(MARK, ''),
  );
}

/**
 * One page of a shared rendering as if its own stylesheet had made it: the page as the
 * principal result (without the core's marks, which the HTML page keeps from the
 * rendering), and the rendering's messages without the book's own diagnostics (`epub.*`,
 * the EPUB writer's to report).
 */
export function pageOutput(out: XsltOutput, href: string): XsltOutput {
  const page = out.documents.find(([h]) => h === href);
  return {
    ...out,
    ok: out.ok && page !== undefined,
    error: out.error ?? (page ? undefined : `the shared rendering wrote no ${href}`),
    principal: page ? dropMarks(page[1]) : '',
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
