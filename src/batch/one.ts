/**
 * Build one document and write its edition: the unit of work of `editio build`, whether
 * it runs in the CLI's thread or in a batch worker. Returns everything as data (the
 * caller prints); never throws for bad input.
 */
import * as path from 'node:path';
import { sortDiagnostics, diag, isIoError, type Diagnostic } from '../diagnostics';
import { writeEditionAtomically } from '../output';
import {
  buildDocument,
  outputRecords,
  sha256,
  type BuildOptions,
  type BuildResult,
  type OutputRecord,
} from '../pipeline';
import type { OutputFile } from '../writers/types';
import { version } from '../version';

export type JobOptions = Omit<BuildOptions, 'onProgress'>;

export interface BuildJob {
  file: string;
  outDir: string;
  options: JobOptions;
}

export interface BuildSummary {
  file: string;
  stem: string;
  ok: boolean;
  /** 0 built, 1 invalid or failed, 2 I/O error. */
  code: 0 | 1 | 2;
  /** The edition's folder, when written. */
  dir?: string;
  title?: string;
  outputs: OutputRecord[];
  diagnostics: Diagnostic[];
  ms: number;
  /** The report.json object (also what `--json` prints). */
  report: Record<string, unknown>;
}

/** The page title of the HTML or print edition (editio's own XHTML), if one was made. */
function titleOf(files: OutputFile[]): string | undefined {
  const page = files.find((f) => f.format === 'html') ?? files.find((f) => f.format === 'print');
  const m = page && /<title>([^<]*)<\/title>/.exec(page.data.toString('utf8', 0, 64 * 1024));
  if (!m) return undefined;
  return m[1]
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function reportOf(r: BuildResult, outputs: OutputRecord[], title: string | undefined) {
  return {
    editio: version,
    file: r.file,
    stem: r.stem,
    ...(title !== undefined ? { title } : {}),
    ok: r.ok,
    source: r.source,
    outputs,
    diagnostics: sortDiagnostics(r.diagnostics),
    timings: r.timings,
  };
}

export async function buildAndWrite(
  job: BuildJob,
  onProgress?: (stage: string) => void,
): Promise<BuildSummary> {
  const t0 = performance.now();
  const r = await buildDocument(job.file, { ...job.options, onProgress });
  let code: 0 | 1 | 2 = 0;
  if (!r.ok) code = r.diagnostics.some(isIoError) ? 2 : 1;
  let outputs = outputRecords(r.files);
  const title = titleOf(r.files);
  let dir: string | undefined;
  if (r.ok) {
    const rep = reportOf(r, outputs, title);
    const repData = Buffer.from(JSON.stringify(rep, null, 2) + '\n');
    const files = [
      ...r.files,
      { path: 'report.json', data: repData, format: 'report', mediaType: 'application/json' },
    ];
    try {
      dir = writeEditionAtomically(job.outDir, r.stem, files);
      outputs = [
        ...outputs,
        {
          path: 'report.json',
          format: 'report',
          mediaType: 'application/json',
          bytes: repData.length,
          sha256: sha256(repData),
        },
      ];
    } catch (err) {
      r.diagnostics.push(
        diag(
          'error',
          'io.write',
          `could not write ${path.join(job.outDir, r.stem)}: ${(err as Error).message}`,
          job.file,
        ),
      );
      r.ok = false;
      code = 2;
    }
  }
  return {
    file: job.file,
    stem: r.stem,
    ok: r.ok,
    code,
    dir,
    title,
    outputs,
    diagnostics: sortDiagnostics(r.diagnostics),
    ms: Math.round(performance.now() - t0),
    report: reportOf(r, outputs, title),
  };
}
