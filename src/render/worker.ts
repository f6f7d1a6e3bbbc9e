/**
 * The rendering worker of an XsltSession (session.ts): loads saxon-js, parses the
 * build's source once, says it is ready, and then runs the tasks the session hands it,
 * one at a time, on that one tree. Runs compiled (lib/render/worker.js).
 *
 * A transform's xsl:result-document outputs go to the session one by one, as they are
 * written (`document` replies), and its answer holds the rest: a writer can work on the
 * first documents while the worker renders the next.
 *
 * A worker started with the source (workerData.loaded) begins at once. A prestarted one
 * (session.ts, prestartWorker) loads saxon-js first and waits for the source, which
 * comes as its first message. Either runs tasks only once the source is parsed; tasks
 * sent before then wait.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LoadedXml } from '../load/types';
import type { TaskResult, WorkerReply, WorkerRequest } from './session';
import { loadSef, parseSource, runXslt, SaxonJS } from './xslt';

type TaskRequest = Extract<WorkerRequest, { task: unknown }>;

const reply = (r: WorkerReply) => parentPort!.postMessage(r);

async function run(loaded: LoadedXml, req: TaskRequest, doc: unknown): Promise<void> {
  try {
    const t = req.task;
    // Schematron comes to a worker only for rules other than editio's own (those are
    // checked natively): its engine is loaded on first use, not at every start
    const result: TaskResult =
      t.kind === 'schematron'
        ? await (await import('../validate/schematron')).validateSchematron(loaded, t.schPath, doc)
        : runXslt({ doc }, t.job, (href, content) =>
            reply({ kind: 'document', id: req.id, href, content }),
          );
    reply({ kind: 'done', id: req.id, result });
  } catch (e) {
    reply({ kind: 'failed', id: req.id, message: (e as Error)?.message ?? String(e) });
  }
}

// One listener from the start: tasks that come before the source is parsed wait here.
let source: { loaded: LoadedXml; doc: unknown } | undefined;
const waiting: TaskRequest[] = [];
/** The text sent ahead of the source (session.ts, offerSourceText), being parsed. */
let early: { text: string; doc: Promise<unknown> } | undefined;
/** How many stylesheets were loaded ahead, with that text. */
let preloaded = 0;

function serve(loaded: LoadedXml): void {
  const sent = early;
  early = undefined;
  const reused = sent !== undefined && sent.text === loaded.text;
  const doc = reused ? sent.doc : parseSource(loaded.text);
  doc.then(
    (doc) => {
      source = { loaded, doc };
      reply({ kind: 'ready', early: reused, sefs: preloaded });
      for (const req of waiting.splice(0)) void run(loaded, req, doc);
    },
    // saxon-js's parser refused what editio's accepted: the session's own thread will
    // meet the same refusal and report it; this worker takes no work
    () => process.exit(0),
  );
}

parentPort!.on('message', (req: WorkerRequest) => {
  if ('text' in req) {
    const doc = parseSource(req.text);
    doc.catch(() => undefined); // (serve() reports a refusal, if the source comes)
    early = { text: req.text, doc };
    // then the stylesheets the build will ask for, while the build checks the source (a
    // stylesheet that fails to load here fails again, and is reported, in its task)
    const sefs = req.sefs ?? [];
    doc.then(
      () => {
        for (const sef of sefs) {
          try {
            loadSef(sef);
            preloaded++;
          } catch {
            // (reported by the task that uses it)
          }
        }
      },
      () => undefined,
    );
  } else if (!('task' in req)) serve(req.loaded);
  else if (source) void run(source.loaded, req, source.doc);
  else waiting.push(req);
});

const given = (workerData as { loaded?: LoadedXml }).loaded;
if (given) serve(given);
else SaxonJS(); // prestarted: load saxon-js while the build reads the source
