import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { diag, hasErrors, type Diagnostic } from './diagnostics';
import { loadForValidation, validateLoaded, type ValidateOptions } from './validate';
import { writerFor, writers } from './writers';
import type { LoadedXml } from './load/types';
import { offerSourceText, XsltSession } from './render/session';
import type { XsltJob } from './render/xslt';
import type { OutputFile, Writer, WriterContext, WriterOptions } from './writers/types';

export interface BuildOptions extends ValidateOptions {
  /** Formats to write; default: every format this machine can make. */
  formats?: string[];
  /** Write outputs even when validation finds errors. */
  force?: boolean;
  sourceDateEpoch?: number;
  /** The edition's folder name (default: the file name without extension). */
  stem?: string;
  /** Format options (page size, PDF variant). */
  writerOptions?: WriterOptions;
  /** Called as each stage starts, for progress display. */
  onProgress?: (stage: string) => void;
}

export interface OutputRecord {
  path: string;
  format: string;
  mediaType: string;
  bytes: number;
  sha256: string;
}

export interface BuildResult {
  file: string;
  stem: string;
  ok: boolean;
  diagnostics: Diagnostic[];
  files: OutputFile[];
  /** Milliseconds per stage. */
  timings: Record<string, number>;
  source?: { bytes: number; sha256: string };
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The edition's name: the file name without its extension. */
export function stemOf(file: string): string {
  return path.basename(file).replace(/\.[^.]*$/, '') || 'edition';
}

/** Formats this machine can make, and why the others are skipped. */
export function defaultFormats(): {
  formats: string[];
  skipped: { format: string; reason: string }[];
} {
  const formats: string[] = [];
  const skipped: { format: string; reason: string }[] = [];
  for (const w of writers) {
    const a = w.available();
    if (a.ok) formats.push(w.format);
    else skipped.push({ format: w.format, reason: a.reason });
  }
  return { formats, skipped };
}

/** The transforms the writers of `formats` ask for, in the context of one build. */
function writerJobs(formats: string[], ctx: WriterContext): XsltJob[] {
  return formats.flatMap((f) => {
    const w = writerFor(f);
    return w?.jobs && w.available().ok ? w.jobs(ctx) : [];
  });
}

/** The context the writers of one build work in. */
function writerContext(
  loaded: LoadedXml,
  b: { stem: string; opts: BuildOptions; formats: string[] },
  more: Partial<WriterContext> = {},
): WriterContext {
  return {
    loaded,
    stem: b.stem,
    previous: [],
    sourceDateEpoch: b.opts.sourceDateEpoch,
    options: b.opts.writerOptions,
    formats: b.formats,
    ...more,
  };
}

/**
 * The compiled stylesheets the transforms of a build of `formats` will use, known before
 * the source is read: a stylesheet depends on the formats and options, not on the text.
 * Asked of the writers' own jobs, with a context that has the file's name and no text.
 */
export function transformSefs(
  formats: string[],
  b: { file: string; stem: string; opts: BuildOptions },
): string[] {
  const unread: LoadedXml = {
    file: b.file,
    absPath: path.resolve(b.file),
    text: '',
    ok: true,
    diagnostics: [],
    xmlModels: [],
  };
  const ctx = writerContext(unread, { ...b, formats });
  return [...new Set(writerJobs(formats, ctx).map((job) => job.sef))];
}

/**
 * Build one document in memory: load, validate, then each writer in order. Nothing is
 * written to disk here (see output.ts), so a failed build cannot leave half a dist/.
 */
export async function buildDocument(file: string, opts: BuildOptions = {}): Promise<BuildResult> {
  const timings: Record<string, number> = {};
  const stem = opts.stem ?? stemOf(file);
  const t = (name: string, since: number) => {
    timings[name] = Math.round((performance.now() - since) * 10) / 10;
  };
  // build order is the registry's, whatever the order asked (packagers such as the
  // archive then find the formats they package already made)
  const order = writers.map((w) => w.format);
  let wanted = opts.formats
    ? [...new Set(opts.formats)].sort((a, b) => order.indexOf(a) - order.indexOf(b))
    : undefined;
  let skippedNotes: Diagnostic[] = [];
  if (!wanted) {
    // every format this machine can make; say once why any other is skipped
    const d = defaultFormats();
    wanted = d.formats;
    skippedNotes = d.skipped.map((s) =>
      diag('warning', `build.${s.format}-skipped`, s.reason, file),
    );
  }
  const formats = wanted;

  let since = performance.now();
  opts.onProgress?.('load');
  // the text, as read, goes to a prestarted rendering worker with the stylesheets of the
  // build's transforms (render/session.ts)
  const onText = (text: string) => {
    let sefs: string[] = [];
    try {
      sefs = transformSefs(formats, { file, stem, opts });
    } catch {
      // (only a hint: the jobs, asked again with the source, report any failure)
    }
    offerSourceText(text, sefs);
  };
  const loaded = loadForValidation(file, opts, { onText });
  t('load', since);
  const result: BuildResult = { file, stem, ok: false, diagnostics: [], files: [], timings };
  if (loaded.ok)
    result.source = { bytes: Buffer.byteLength(loaded.text), sha256: sha256(loaded.text) };
  // One XSLT session for the build: the source parsed once, and (in a worker thread)
  // every format's transform queued now, to run while the document is validated. If
  // validation fails, closing the session drops them: nothing has been written.
  const session = loaded.ok ? new XsltSession(loaded) : undefined;
  // engines that take long to start begin now, while the worker starts and the document
  // is validated
  const prepared = loaded.ok
    ? wanted
        .map((f) => writerFor(f))
        .filter((w): w is Writer =>
          Boolean((w?.prepare || w?.preload || w?.start) && w.available().ok),
        )
    : [];
  for (const w of prepared) w.prepare?.();
  const ctxFor = (): WriterContext =>
    writerContext(loaded, { stem, opts, formats }, { previous: result.files, xslt: session });
  try {
    since = performance.now();
    opts.onProgress?.('validate');
    if (session) for (const job of writerJobs(formats, ctxFor())) session.prefetch(job);
    for (const w of prepared) w.start?.(ctxFor());
    // Set-up that blocks this thread waits until the transforms queued above have gone to
    // the worker (the session sends its first at the end of this turn of the event loop):
    // run at once, the EPUB packager's require (~0.2 s as published) kept the flagship's worker idle
    // ~0.1 s of a tei,html,epub build.
    if (prepared.some((w) => w.preload)) {
      setImmediate(() => {
        for (const w of prepared) {
          try {
            w.preload?.();
          } catch {
            // write() meets the error where it needs what failed to load
          }
        }
      });
    }
    // The longest path first: when the worker renders what an engine waits for (the PDF's
    // print.html), validation waits for it rather than share the processors with it (on
    // two cores, the flagship's print.html came ~0.14 s sooner, median of 8 runs). The
    // engine is given the page before validation begins (one turn of the event loop). A
    // document that proves invalid is then reported that much later.
    const critical = session?.threaded
      ? prepared.map((w) => w.critical?.(ctxFor())).filter((p) => p !== undefined)
      : [];
    if (critical.length) {
      await Promise.all(critical);
      await new Promise((r) => setImmediate(r));
    }
    const v = await validateLoaded(loaded, opts, session);
    t('validate', since);
    // every transform of the build is queued by now: the worker ends when it has done them
    session?.seal();
    result.diagnostics.push(...v.diagnostics);
    if (!loaded.ok || (hasErrors(v.diagnostics) && !opts.force)) return result;
    result.diagnostics.push(...skippedNotes);

    for (const format of wanted) {
      const w = writerFor(format);
      if (!w) {
        result.diagnostics.push(
          diag('error', 'build.unknown-format', `unknown format "${format}"`, file),
        );
        return result;
      }
      const a = w.available();
      if (!a.ok) {
        result.diagnostics.push(diag('warning', `build.${format}-skipped`, a.reason, file));
        continue;
      }
      since = performance.now();
      opts.onProgress?.(format);
      const out = await w.write(ctxFor());
      t(format, since);
      result.diagnostics.push(...out.diagnostics);
      result.files.push(...out.files);
      if (hasErrors(out.diagnostics) && !opts.force) return result;
    }

    result.ok = !hasErrors(result.diagnostics) || Boolean(opts.force);
    return result;
  } finally {
    session?.close();
    for (const w of prepared) w.release?.();
  }
}

export function outputRecords(files: OutputFile[]): OutputRecord[] {
  return files.map((f) => ({
    path: f.path,
    format: f.format,
    mediaType: f.mediaType,
    bytes: f.data.length,
    sha256: sha256(f.data),
  }));
}
