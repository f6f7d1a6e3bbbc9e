/**
 * One build's XSLT work on one source document: every format's transform, and Schematron
 * when the rules are not editio's own (those are checked natively, validate/editio-rules.ts).
 *
 * Each thread that works for the session parses the source into saxon-js's tree once and
 * runs its jobs on that tree (a 3.5 MB document takes ~0.3 s to parse; a default build
 * runs five stylesheets). A job asked for twice (the print edition and the PDF both need
 * print.html) runs once.
 *
 * Two threads share the work. The build queues its jobs up front (`prefetch`): Schematron
 * first, then the formats' transforms. A worker thread (lib/render/worker.js) is sent them
 * one at a time, the first at the end of the tick the session was made in (once the
 * build's first requests are queued, in order), without waiting for the worker to say it
 * is ready: it runs each as soon as it has loaded saxon-js and parsed the source, while
 * this thread checks RELAX NG (which would otherwise delay the "ready" reply, and with it
 * the first job, by 20-90 ms). A one-document build starts the worker even earlier
 * (`prestartWorker`, from the CLI): it loads saxon-js while this thread loads the build's
 * modules and reads the source, and the session adopts it. So on two cores validation and
 * rendering overlap. With a live worker this thread runs no job itself (loading saxon-js
 * here too costs more than it saves, measured). A document that turns out to be invalid
 * costs nothing more: `close()` ends the worker and drops the queue, nothing having been
 * written.
 *
 * The worker sends a transform's xsl:result-document outputs as it writes them: a writer
 * that watches the job (`watch`) can work on the first while the next are rendered (the
 * EPUB resolves and deflates its files so: writers/epub.ts, BookStream).
 *
 * Without a worker (`EDITIO_WORKERS=0`, inside batch workers, or when the compiled worker
 * is missing) every job runs here, when its result is first needed. A worker that fails
 * leaves its jobs to this thread.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { diag, type Diagnostic } from '../diagnostics';
import type { LoadedXml } from '../load/types';
import { packageRoot } from '../paths';
import { jobKey, parseSource, runXslt, type XsltJob, type XsltOutput } from './xslt';

/** The compiled worker (ts-jest runs src/, but a worker needs plain JavaScript). */
const workerFile = path.join(packageRoot, 'lib', 'render', 'worker.js');

/** One piece of work: Schematron against a schema, or a transform. */
export type Task = { kind: 'schematron'; schPath: string } | { kind: 'xslt'; job: XsltJob };
export type TaskResult = Diagnostic[] | XsltOutput;

/** Messages between this thread and the worker. */
export type WorkerRequest =
  | { id: number; task: Task }
  /** The source, for a prestarted worker (its first message, or its second after
   * `text`). */
  | { kind: 'source'; loaded: LoadedXml }
  /** The source's text as read, before it is checked: a prestarted worker parses it
   * while the build checks it, and uses that tree if `source` brings the same text; then
   * it loads the compiled stylesheets the build's transforms will use (`sefs`). */
  | { kind: 'text'; text: string; sefs?: string[] };
export type WorkerReply =
  /** The source is parsed; `early`: from the text offered before it (offerSourceText);
   * `sefs`: how many stylesheets the worker had loaded by then, offered with that text. */
  | { kind: 'ready'; early?: boolean; sefs?: number }
  /** One xsl:result-document output of task `id`, as the transform wrote it: the
   * task's answer does not repeat it. */
  | { kind: 'document'; id: number; href: string; content: string }
  | { kind: 'done'; id: number; result: TaskResult }
  | { kind: 'failed'; id: number; message: string };

/** Whether builds may use worker threads here. */
export function workersAllowed(): boolean {
  return process.env.EDITIO_WORKERS !== '0' && fs.existsSync(workerFile);
}

interface Entry {
  id: number;
  task: Task;
  /** queued: nobody has taken it; worker: the worker runs it; here: this thread does;
   * done: the worker has answered. */
  state: 'queued' | 'worker' | 'here' | 'done';
  /** Goes before Schematron (see prefetch). */
  urgent?: boolean;
  result: Promise<TaskResult>;
  settle: (r: TaskResult | Promise<TaskResult>) => void;
  /** The documents the worker has sent so far, in the order written. */
  documents: [string, string][];
  /** Who is told of each document as it comes (watch). */
  watchers: ((href: string, content: string) => void)[];
}

function taskKey(task: Task): string {
  return task.kind === 'schematron' ? `sch\u0000${task.schPath}` : jobKey(task.job);
}

/*
 * A worker started before the build has read its source (prestartWorker): it loads
 * saxon-js while this thread loads the CLI's modules and the file, and the build's session
 * adopts it, sending it the source. Unadopted, it keeps nothing alive (unref), and
 * dropPrestartedWorker ends it.
 */
let spare: Worker | undefined;

/** Start the rendering worker of the next session now (a one-document build). */
export function prestartWorker(): Worker | undefined {
  if (spare || !workersAllowed()) return spare;
  const w = new Worker(workerFile, { workerData: {} });
  w.unref();
  const gone = () => {
    if (spare === w) spare = undefined;
  };
  w.on('error', gone);
  w.on('exit', gone);
  spare = w;
  return w;
}

/**
 * Hand the source's text, as read and before it is checked, to the prestarted worker, which
 * parses it while this thread checks it (Quintilian, 3.5 MB: the worker's parse, ~0.25 s,
 * began ~0.1 s sooner). saxon-js's parser expands no entity declared in a DTD and fetches
 * nothing; a text that proves not well-formed ends no session, and dropPrestartedWorker
 * ends the worker.
 *
 * `sefs`, the compiled stylesheets of the build's transforms, are loaded by the worker
 * once it has parsed the text, while it would otherwise wait for this thread's checks:
 * read, parsed and primed then, not after the source and the first task come. (Traced,
 * tei,html,epub builds: the flagship's editions.sef took 42-57 ms, and the checked
 * source came as it ended; Quintilian's, 52 ms, all before the source came.)
 */
export function offerSourceText(text: string, sefs: string[] = []): void {
  spare?.postMessage({ kind: 'text', text, sefs } satisfies WorkerRequest);
}

/** End the prestarted worker if no session took it. */
export function dropPrestartedWorker(): void {
  const w = spare;
  spare = undefined;
  if (w) void w.terminate();
}

export class XsltSession {
  private worker: Worker | undefined;
  /** A task has been sent to the worker and not answered yet. */
  private workerBusy = false;
  /** Tasks go to the worker from the end of the tick the session was made in, so that
   * the build's first requests are ordered (Schematron, urgent jobs) before one is sent. */
  private sending = false;
  private closed = false;
  /** No task beyond those asked so far is expected (seal). */
  private sealed = false;
  private nextId = 1;
  private readonly entries = new Map<string, Entry>();
  private readonly byId = new Map<number, Entry>();
  private readonly queue: Entry[] = [];
  private tree: Promise<unknown> | undefined;
  /** Set when the worker has parsed the source: whether it took the tree of the text
   * offered before the session (offerSourceText). */
  parsedEarly: boolean | undefined;
  /** Set with parsedEarly: how many compiled stylesheets the worker had loaded ahead. */
  preloadedSefs: number | undefined;

  constructor(
    private readonly loaded: LoadedXml,
    opts: { threads?: boolean } = {},
  ) {
    if ((opts.threads ?? true) && loaded.ok && workersAllowed()) {
      this.startWorker();
      queueMicrotask(() => {
        this.sending = true;
        this.dispatch();
      });
    }
  }

  private startWorker(): void {
    let w = spare;
    spare = undefined;
    if (w) {
      w.removeAllListeners();
      w.ref();
      w.postMessage({ kind: 'source', loaded: this.loaded } satisfies WorkerRequest);
    } else w = new Worker(workerFile, { workerData: { loaded: this.loaded } });
    w.on('message', (r: WorkerReply) => {
      if (r.kind === 'ready') {
        this.parsedEarly = r.early === true;
        this.preloadedSefs = r.sefs ?? 0;
      } else if (r.kind === 'document') {
        const e = this.byId.get(r.id);
        if (e?.state === 'worker') {
          e.documents.push([r.href, r.content]);
          for (const watcher of [...e.watchers]) {
            try {
              watcher(r.href, r.content);
            } catch {
              // (a hint only: a watcher that fails is told no more; run() has it all)
              e.watchers.splice(e.watchers.indexOf(watcher), 1);
            }
          }
        }
        return;
      } else {
        this.workerBusy = false;
        const e = this.byId.get(r.id);
        if (e && r.kind === 'done') {
          e.state = 'done';
          const result = r.result;
          // (the documents came one by one: the answer is whole again)
          if (!Array.isArray(result) && e.documents.length) {
            result.documents = [...e.documents, ...result.documents];
          }
          e.settle(result);
        } else if (e) this.takeHere(e); // it failed there: try here
      }
      this.dispatch();
      this.endIfDone();
    });
    const fail = () => {
      // the worker's task, if any, and everything queued are left to this thread
      this.worker = undefined;
      for (const e of [...this.byId.values()].filter((x) => x.state === 'worker')) this.takeHere(e);
      for (const e of this.queue.splice(0)) this.takeHere(e);
    };
    w.on('error', fail);
    w.on('exit', fail);
    this.worker = w;
  }

  /**
   * Say that the build will ask for no task beyond those it has asked for (it queues its
   * transforms before validation): once the worker has answered them all, it is ended
   * then, not when the build closes the session. Ending a worker waits for its heap to be
   * torn down (~40-60 ms after the flagship's transform, ~0.15 s with a 3.5 MB text's
   * tree), and the process cannot exit before that: begun early, it overlaps the build's
   * packaging and writing. A task asked for after that runs on this thread.
   */
  seal(): void {
    this.sealed = true;
    this.endIfDone();
  }

  private endIfDone(): void {
    if (this.sealed && !this.workerBusy && this.queue.length === 0) this.endWorker();
  }

  /** End the worker, without hearing from it again. */
  private endWorker(): void {
    const w = this.worker;
    this.worker = undefined;
    if (w) {
      w.removeAllListeners();
      void w.terminate();
    }
  }

  /** Give the worker the next queued task when it has none (the worker takes messages
   * once it has parsed the source: a task need not wait for its "ready"). */
  private dispatch(): void {
    if (!this.worker || this.workerBusy || !this.sending) return;
    const e = this.queue.shift();
    if (!e) return;
    e.state = 'worker';
    this.workerBusy = true;
    this.worker.postMessage({ id: e.id, task: e.task } satisfies WorkerRequest);
  }

  /** The entry of a task, queued when new (Schematron before any transform). */
  private entry(task: Task): Entry {
    const key = taskKey(task);
    let e = this.entries.get(key);
    if (!e) {
      let settle!: Entry['settle'];
      const result = new Promise<TaskResult>((r) => (settle = r));
      e = {
        id: this.nextId++,
        task,
        state: 'queued',
        result,
        settle,
        documents: [],
        watchers: [],
      };
      this.entries.set(key, e);
      this.byId.set(e.id, e);
      if (task.kind === 'schematron') {
        const firstJob = this.queue.findIndex((q) => q.task.kind !== 'schematron' && !q.urgent);
        this.queue.splice(firstJob < 0 ? this.queue.length : firstJob, 0, e);
      } else this.queue.push(e);
      this.dispatch();
    }
    return e;
  }

  /** The result of a task: the worker's, or this thread's when nobody has taken it. */
  private result(task: Task): Promise<TaskResult> {
    const e = this.entry(task);
    // With a live worker, everything is left to it: it has saxon-js loaded and the source
    // parsed, and loading them here as well costs more than the wait (measured on two
    // cores). This thread runs only what no worker can.
    if (e.state === 'queued' && !this.worker) {
      this.queue.splice(this.queue.indexOf(e), 1);
      this.takeHere(e);
    }
    return e.result;
  }

  private takeHere(e: Entry): void {
    e.state = 'here';
    // never a rejected promise: a queued task nobody awaits must not become an
    // unhandled rejection, and whoever awaits gets the failure as data
    e.settle(
      this.runHere(e.task).catch((err: unknown): TaskResult => {
        const message = (err as Error)?.message ?? String(err);
        return e.task.kind === 'schematron'
          ? [diag('error', 'sch.runtime-error', `Schematron failed: ${message}`, this.loaded.file)]
          : { ok: false, principal: '', documents: [], messages: [], error: message };
      }),
    );
  }

  /** The source as saxon-js's tree in this thread, parsed once. */
  private sourceTree(): Promise<unknown> {
    this.tree ??= parseSource(this.loaded.text);
    return this.tree;
  }

  private async runHere(task: Task): Promise<TaskResult> {
    if (this.closed) {
      return task.kind === 'schematron'
        ? []
        : { ok: false, principal: '', documents: [], messages: [], error: 'closed' };
    }
    let doc: unknown;
    try {
      doc = await this.sourceTree();
    } catch (e) {
      if (task.kind === 'schematron')
        return [diag('error', 'sch.parse-error', (e as Error).message, this.loaded.file)];
      // saxon-js's parser refused what editio's accepted: let the transform say why
      return runXslt({ text: this.loaded.text }, task.job);
    }
    if (task.kind === 'xslt') return runXslt({ doc }, task.job);
    // loaded on first use: editio's own rules never come here (validate/editio-rules.ts)
    const { validateSchematron } = await import('../validate/schematron');
    return validateSchematron(this.loaded, task.schPath, doc);
  }

  /** True while a worker thread does the session's transforms. */
  get threaded(): boolean {
    return this.worker !== undefined;
  }

  /** Queue Schematron now, so that the worker may run it while this thread works. */
  prefetchSchematron(schPath: string): void {
    if (this.worker) this.entry({ kind: 'schematron', schPath });
  }

  /** Queue a transform now, so that the worker may run it while this thread works;
   * `urgent` puts it first, even before Schematron (the PDF, which takes longest, is
   * begun before validation ends). */
  prefetch(job: XsltJob, opts: { urgent?: boolean } = {}): void {
    if (!this.worker) return;
    const e = this.entry({ kind: 'xslt', job });
    const i = this.queue.indexOf(e);
    if (opts.urgent && i >= 0) {
      e.urgent = true;
      this.queue.unshift(...this.queue.splice(i, 1));
    }
  }

  /** Schematron's diagnostics for the source. */
  async schematron(schPath: string): Promise<Diagnostic[]> {
    return (await this.result({ kind: 'schematron', schPath })) as Diagnostic[];
  }

  /**
   * Be told of each xsl:result-document output of a transform as the worker writes it
   * (those written so far at once), so that work on the first can begin while the next
   * are rendered. Only a hint: a transform run on this thread, or run again here after
   * its worker failed, tells nobody, and its output (run()) has every document.
   */
  watch(job: XsltJob, onDocument: (href: string, content: string) => void): void {
    if (!this.worker) return;
    const e = this.entry({ kind: 'xslt', job });
    for (const [href, content] of e.documents) onDocument(href, content);
    e.watchers.push(onDocument);
  }

  /** The output of a transform, run once per session. */
  async run(job: XsltJob): Promise<XsltOutput> {
    return (await this.result({ kind: 'xslt', job })) as XsltOutput;
  }

  /** End the worker; what it has not done is dropped. */
  close(): void {
    this.closed = true;
    this.endWorker();
    // whoever still waits gets an empty answer (runHere knows the session is closed)
    for (const e of this.byId.values()) if (e.state === 'worker') this.takeHere(e);
    for (const e of this.queue.splice(0)) this.takeHere(e);
  }
}

/** Run a job in the build's session when there is one, else here on the source text. */
export function runJob(
  ctx: { loaded: LoadedXml; xslt?: XsltSession },
  job: XsltJob,
): Promise<XsltOutput> {
  return ctx.xslt ? ctx.xslt.run(job) : Promise.resolve(runXslt({ text: ctx.loaded.text }, job));
}
