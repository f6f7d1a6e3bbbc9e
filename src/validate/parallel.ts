import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { diag, type Diagnostic } from '../diagnostics';
import type { LoadedXml } from '../load/types';
import { packageRoot } from '../paths';

/** The compiled worker (ts-jest runs src/, but a worker needs plain JavaScript). */
const workerFile = path.join(packageRoot, 'lib', 'validate', 'schematron-worker.js');

/**
 * Run Schematron, in a worker thread when one can be started (so it overlaps with RELAX
 * NG in the caller's thread), else in this thread. `EDITIO_WORKERS=0` forces the latter.
 */
export function schematronInBackground(loaded: LoadedXml, schPath: string): Promise<Diagnostic[]> {
  if (process.env.EDITIO_WORKERS === '0' || !fs.existsSync(workerFile))
    return inThread(loaded, schPath);
  return new Promise((resolve) => {
    let settled = false;
    const w = new Worker(workerFile, { workerData: { loaded, schPath } });
    w.once('message', (m: { ok: boolean; diagnostics?: Diagnostic[]; message?: string }) => {
      settled = true;
      void w.terminate();
      resolve(
        m.ok
          ? (m.diagnostics ?? [])
          : [diag('error', 'sch.runtime-error', `Schematron failed: ${m.message}`, loaded.file)],
      );
    });
    w.once('error', (err) => {
      if (settled) return;
      settled = true;
      resolve([
        diag('error', 'sch.runtime-error', `Schematron failed: ${err.message}`, loaded.file),
      ]);
    });
    w.once('exit', (code) => {
      if (settled) return;
      settled = true;
      resolve([
        diag('error', 'sch.runtime-error', `Schematron worker exited (${code})`, loaded.file),
      ]);
    });
  });
}

async function inThread(loaded: LoadedXml, schPath: string): Promise<Diagnostic[]> {
  // Loaded lazily: saxon-js is only paid for when Schematron runs here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { validateSchematron } = require('./schematron') as typeof import('./schematron');
  return validateSchematron(loaded, schPath);
}
