import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface JingError {
  line: number;
  column: number;
  severity: 'error' | 'fatal';
  message: string;
}

/** The jing executable on PATH, or undefined. */
export function findJing(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, 'jing');
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

const LINE_RE = /^(.*?):(\d+):(\d+): (error|fatal): (.*)$/;

function runOnce(
  jing: string,
  schema: string,
  files: string[],
  out: Map<string, JingError[]>,
): void {
  const r = spawnSync(jing, [schema, ...files], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 180000,
  });
  if (r.error) throw r.error;
  let fatalIn: string | undefined;
  for (const line of `${r.stdout}\n${r.stderr}`.split('\n')) {
    const m = LINE_RE.exec(line);
    if (!m) continue;
    const file = path.resolve(m[1]);
    const list = out.get(file);
    if (list === undefined) continue;
    const severity = m[4] as 'error' | 'fatal';
    list.push({ line: Number(m[2]), column: Number(m[3]), severity, message: m[5] });
    if (severity === 'fatal' && fatalIn === undefined) fatalIn = file;
  }
  // jing stops at a fatal error (a failed XInclude, a malformed file): the files after it
  // were not validated, so validate them again.
  if (fatalIn !== undefined) {
    const rest = files.slice(files.findIndex((f) => path.resolve(f) === fatalIn) + 1);
    for (const f of rest) out.set(path.resolve(f), []);
    if (rest.length > 0) runOnce(jing, schema, rest, out);
  }
}

/**
 * Validate files with jing in as few runs as possible (one, unless a fatal error stops
 * it early). Returns the errors per absolute path.
 */
export function runJing(jing: string, schema: string, files: string[]): Map<string, JingError[]> {
  const out = new Map<string, JingError[]>();
  for (const f of files) out.set(path.resolve(f), []);
  if (files.length > 0)
    runOnce(
      jing,
      schema,
      files.map((f) => path.resolve(f)),
      out,
    );
  return out;
}
