import type { Diagnostic } from '../diagnostics';
import type { LoadedXml } from '../load/types';
import type { XsltSession } from '../render/session';
import type { XsltJob } from '../render/xslt';

/** One file a writer produces, relative to the edition's output folder. */
export interface OutputFile {
  path: string;
  data: Buffer;
  format: string;
  mediaType: string;
}

export interface WriterContext {
  loaded: LoadedXml;
  /** File name without extension: the edition's folder and file names. */
  stem: string;
  /** Outputs of formats built earlier in this build (later writers may package them). */
  previous: OutputFile[];
  /** Seconds since the epoch to stamp into outputs (SOURCE_DATE_EPOCH), if set. */
  sourceDateEpoch?: number;
  /** Format options from the command line. */
  options?: WriterOptions;
  /** Every format this build makes (writers that share a rendering read it). */
  formats?: string[];
  /** The build's XSLT session (one parse of the source, transforms run once, maybe in a
   * worker); without one, transforms run here on the text. */
  xslt?: XsltSession;
}

export interface WriterOptions {
  /** Print and PDF page size: A5 (default), A4 or letter. */
  pageSize?: 'A5' | 'A4' | 'letter';
  /** PDF variant: an archival PDF/A-3b with the TEI attached, or PDF/UA-1. */
  pdfVariant?: 'pdf/a-3b' | 'pdf/ua-1';
  /** EPUB files: 0 one per front/body/back, 1 one per top-level division (default), 2, 3 deeper. */
  epubSplitDepth?: number;
  /** EPUB notes: one endnotes document ("book", default) or at the end of each file ("chapter"). */
  epubNotes?: 'book' | 'chapter';
}

export interface WriterResult {
  files: OutputFile[];
  diagnostics: Diagnostic[];
}

/** A format editio can write. Writers are thin: the core transform decides rendering. */
export interface Writer {
  format: string;
  description: string;
  /** Whether this machine can make the format (an engine may be missing). */
  available(): { ok: true } | { ok: false; reason: string };
  write(ctx: WriterContext): Promise<WriterResult>;
  /** Optional: the transforms write() will ask for, so that the build can start them
   * early (in a worker, while the document is validated). */
  jobs?(ctx: WriterContext): XsltJob[];
  /** Optional: start slow set-up (an engine's start-up) early, while the build validates.
   * It runs before the build has queued its transforms, so it must not block the thread
   * (a process spawned is fine; a long require is not: see preload). */
  prepare?(): void;
  /** Optional: set-up that blocks the thread (loading a module write() needs). The build
   * runs it once its transforms have gone to the rendering worker, so that the worker
   * does not wait for it. An error here is left for write() to meet. */
  preload?(): void;
  /** Optional: begin the work itself while the build validates; write() then takes its
   * result, and release() drops it when the build stops at validation. Nothing reaches
   * the output folder before write() (temporary files only). */
  start?(ctx: WriterContext): void;
  /** Optional: work on the build's longest path, begun by start(), that the build lets
   * finish before it validates (only when a worker thread does it): on a two-core machine
   * validation would otherwise take a processor from it. The PDF's print.html, which
   * WeasyPrint waits for, is such work. */
  critical?(ctx: WriterContext): Promise<unknown> | undefined;
  /** Optional: drop what prepare() started and write() did not use. */
  release?(): void;
}
