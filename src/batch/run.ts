/**
 * Batch builds: many documents over a pool of worker threads (one saxon-js per worker,
 * kept warm across its documents). A document that fails, or a worker that dies with
 * it (out of memory, say), costs that document only: the worker is replaced and the
 * others go on.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { diag } from '../diagnostics';
import { packageRoot } from '../paths';
import { stemOf } from '../pipeline';
import { buildAndWrite, type BuildJob, type BuildSummary, type JobOptions } from './one';

const workerFile = path.join(packageRoot, 'lib', 'batch', 'worker.js');

/**
 * The documents named on the command line: files as given, folders searched for *.xml
 * (sorted; hidden folders, node_modules and the output folder itself are skipped, so
 * that the published copies in dist/ are never built again).
 */
export function collectInputs(args: string[], outDir: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const skip = path.resolve(outDir);
  const add = (f: string) => {
    const k = path.resolve(f);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(f);
    }
  };
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name.startsWith('.') || e.name === 'node_modules' || path.resolve(p) === skip)
          continue;
        walk(p);
      } else if (e.isFile() && e.name.toLowerCase().endsWith('.xml')) add(p);
    }
  };
  for (const a of args) {
    let isDir = false;
    try {
      isDir = fs.statSync(a).isDirectory();
    } catch {
      // a missing file: buildDocument reports it (io.not-found)
    }
    if (isDir) walk(a);
    else add(a);
  }
  return out;
}

/**
 * One output folder per document: a second "x.xml" elsewhere becomes x-2, and so on. A
 * name that another document's archive would take ("x-bag" beside "x") is moved aside
 * the same way, so that no edition folder and no bag share a name.
 */
export function assignStems(files: string[]): Map<string, string> {
  const bases = new Set(files.map((f) => stemOf(f)));
  const taken = new Set<string>();
  const stems = new Map<string, string>();
  for (const f of files) {
    const base = stemOf(f);
    const clashes = (s: string) =>
      taken.has(s) || (s.endsWith('-bag') && bases.has(s.slice(0, -'-bag'.length)));
    let stem = base;
    for (let n = 2; clashes(stem); n++) stem = `${base}-${n}`;
    taken.add(stem);
    stems.set(f, stem);
  }
  return stems;
}

export interface BatchOptions {
  jobs: number;
  outDir: string;
  options: JobOptions;
  /** Called as each document finishes, in completion order. */
  onDone: (s: BuildSummary, index: number) => void;
  /** Called as a document starts. */
  onStart?: (file: string, index: number) => void;
}

/**
 * The order to start documents in: largest first (longest-processing-time scheduling),
 * so that a document that takes most of the run (a 3 MB ODD takes a minute here) starts
 * at once and the small ones fill the other workers around it, instead of it starting
 * last and running alone. Equal sizes keep the inputs' order; an unreadable file counts
 * as empty (its build reports why).
 */
export function largestFirst(files: string[]): number[] {
  const sizes = files.map((f) => {
    try {
      return fs.statSync(f).size;
    } catch {
      return 0;
    }
  });
  return files.map((_, i) => i).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
}

/** Build every file; resolves with the summaries in input order. */
export async function runBatch(files: string[], opts: BatchOptions): Promise<BuildSummary[]> {
  const stems = assignStems(files);
  const jobs: BuildJob[] = files.map((file) => ({
    file,
    outDir: opts.outDir,
    options: { ...opts.options, stem: stems.get(file) },
  }));
  const results: BuildSummary[] = new Array(files.length);
  const workers = Math.max(1, Math.min(opts.jobs, files.length));

  // One document builds in this thread (its session renders in a worker of its own,
  // while this thread validates). Several go to the pool, even with --jobs 1: a session
  // worker per document would load saxon-js and warm it up again for each one (the
  // corpus to html, epub and print with --jobs 1: 55.6 and 57.1 s that way, 36.7 and
  // 35.2 s with one warm pool worker, in alternating runs).
  if (files.length === 1 || !fs.existsSync(workerFile)) {
    for (let i = 0; i < jobs.length; i++) {
      opts.onStart?.(jobs[i].file, i);
      results[i] = await buildAndWrite(jobs[i]);
      opts.onDone(results[i], i);
    }
    return results;
  }

  const order = largestFirst(jobs.map((j) => j.file));
  let next = 0;
  const failed = (i: number, message: string): BuildSummary => ({
    file: jobs[i].file,
    stem: stems.get(jobs[i].file)!,
    ok: false,
    code: 1,
    outputs: [],
    diagnostics: [diag('error', 'build.crashed', `the build stopped: ${message}`, jobs[i].file)],
    ms: 0,
    report: { file: jobs[i].file, ok: false },
  });

  await new Promise<void>((resolve) => {
    let running = 0;
    const startWorker = () => {
      // Schematron runs inline in a batch worker: the pool already fills the cores.
      const w = new Worker(workerFile, { env: { ...process.env, EDITIO_WORKERS: '0' } });
      let current = -1;
      const feed = () => {
        if (next >= jobs.length) {
          void w.terminate();
          return;
        }
        current = order[next++]!;
        running++;
        opts.onStart?.(jobs[current].file, current);
        w.postMessage(jobs[current]);
      };
      const finish = (s: BuildSummary) => {
        results[current] = s;
        running--;
        opts.onDone(s, current);
        current = -1;
      };
      w.on('message', (m: { ok: boolean; summary?: BuildSummary; message?: string }) => {
        finish(m.ok ? m.summary! : failed(current, m.message ?? 'unknown error'));
        feed();
        if (running === 0 && next >= jobs.length) resolve();
      });
      w.on('error', (err) => {
        if (current >= 0) finish(failed(current, err.message));
      });
      w.on('exit', () => {
        if (current >= 0) finish(failed(current, 'the worker exited'));
        if (next < jobs.length) startWorker();
        else if (running === 0) resolve();
      });
      feed();
    };
    for (let i = 0; i < workers; i++) startWorker();
  });
  return results;
}
