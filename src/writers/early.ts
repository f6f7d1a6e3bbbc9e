/**
 * A writer's work begun before validation ends (Writer.start): kept for the build with
 * the same source and options, taken by write(), dropped by release(). The work must
 * settle with a WriterResult, never reject: a failure is reported as diagnostics.
 */
import { diag } from '../diagnostics';
import type { WriterContext, WriterResult } from './types';

function buildKey(ctx: WriterContext): string {
  return JSON.stringify([ctx.loaded.absPath, ctx.stem, ctx.options ?? {}, ctx.sourceDateEpoch]);
}

export class EarlyWork {
  private work: { key: string; result: Promise<WriterResult> } | undefined;

  constructor(
    /** The code of the error a failure is reported with (`pdf.failed`). */
    private readonly code: string,
    private readonly what: string,
  ) {}

  /** Begin `make` for this build, unless it has begun already. */
  begin(ctx: WriterContext, make: (ctx: WriterContext) => Promise<WriterResult>): void {
    const key = buildKey(ctx);
    if (this.work?.key === key) return;
    const result = make(ctx).catch((err: Error): WriterResult => ({
      files: [],
      diagnostics: [
        diag(
          'error',
          this.code,
          `${this.what} could not be made: ${err?.message ?? err}`,
          ctx.loaded.file,
        ),
      ],
    }));
    this.work = { key, result };
  }

  /** The result begun for this build, if any (taken once). */
  take(ctx: WriterContext): Promise<WriterResult> | undefined {
    if (this.work?.key !== buildKey(ctx)) return undefined;
    const r = this.work.result;
    this.work = undefined;
    return r;
  }

  /** Forget work begun and not taken; true when there was some. */
  drop(): boolean {
    const had = this.work !== undefined;
    this.work = undefined;
    return had;
  }
}
