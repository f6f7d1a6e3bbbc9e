/**
 * The rendering worker of an XsltSession (session.ts): loads saxon-js, parses the
 * build's source once, says it is ready, and then runs the tasks the session hands it,
 * one at a time, on that one tree. Runs compiled (lib/render/worker.js).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LoadedXml } from '../load/types';
import type { TaskResult, WorkerReply, WorkerRequest } from './session';
import { parseSource, runXslt } from './xslt';

const { loaded } = workerData as { loaded: LoadedXml };
const reply = (r: WorkerReply) => parentPort!.postMessage(r);

async function run(req: WorkerRequest, doc: unknown): Promise<void> {
  try {
    const t = req.task;
    // Schematron comes to a worker only for rules other than editio's own (those are
    // checked natively): its engine is loaded on first use, not at every start
    const result: TaskResult =
      t.kind === 'schematron'
        ? await (await import('../validate/schematron')).validateSchematron(loaded, t.schPath, doc)
        : runXslt({ doc }, t.job);
    reply({ kind: 'done', id: req.id, result });
  } catch (e) {
    reply({ kind: 'failed', id: req.id, message: (e as Error)?.message ?? String(e) });
  }
}

parseSource(loaded.text).then(
  (doc) => {
    parentPort!.on('message', (req: WorkerRequest) => void run(req, doc));
    reply({ kind: 'ready' });
  },
  // saxon-js's parser refused what editio's accepted: the session's own thread will
  // meet the same refusal and report it; this worker takes no work
  () => process.exit(0),
);
