/**
 * A batch worker thread: builds the documents it is sent, one at a time, and answers
 * each with its BuildSummary. Runs compiled (lib/batch/worker.js).
 */
import { parentPort } from 'node:worker_threads';
import { buildAndWrite, type BuildJob } from './one';

parentPort!.on('message', (job: BuildJob) => {
  buildAndWrite(job).then(
    (summary) => parentPort!.postMessage({ ok: true, summary }),
    (err: Error) => parentPort!.postMessage({ ok: false, message: err?.message ?? String(err) }),
  );
});
