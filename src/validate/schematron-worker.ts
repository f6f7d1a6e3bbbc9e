/**
 * Worker-thread entry: runs Schematron on one document, so that it overlaps with the
 * RELAX NG pass in the main thread (saxon-js and salve each cost hundreds of
 * milliseconds to load; on two cores they load side by side). See parallel.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LoadedXml } from '../load/types';
import { validateSchematron } from './schematron';

const { loaded, schPath } = workerData as { loaded: LoadedXml; schPath: string };
validateSchematron(loaded, schPath).then(
  (diagnostics) => parentPort?.postMessage({ ok: true, diagnostics }),
  (err: unknown) =>
    parentPort?.postMessage({
      ok: false,
      message: err instanceof Error ? err.message : String(err),
    }),
);
