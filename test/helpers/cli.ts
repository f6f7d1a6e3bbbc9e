import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../..');
const bin = path.join(repoRoot, 'bin/editio.js');

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Run the compiled CLI as a user would (`npm test` compiles lib/ first). */
export function editio(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): CliRun {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 60000,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}
