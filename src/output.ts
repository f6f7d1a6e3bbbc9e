import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OutputFile } from './writers/types';

/**
 * Write an edition's files to `outDir/<stem>/` atomically: everything goes into a
 * temporary sibling folder first, which then replaces the old folder by rename. If any
 * step fails, the previous `<stem>/` is left as it was and the temporary folder removed.
 */
export function writeEditionAtomically(outDir: string, stem: string, files: OutputFile[]): string {
  fs.mkdirSync(outDir, { recursive: true });
  const final = path.join(outDir, stem);
  const tmp = path.join(outDir, `.${stem}.tmp-${process.pid}-${Date.now()}`);
  const old = path.join(outDir, `.${stem}.old-${process.pid}-${Date.now()}`);
  try {
    fs.mkdirSync(tmp);
    for (const f of files) {
      const target = path.resolve(tmp, f.path);
      if (!target.startsWith(tmp + path.sep))
        throw new Error(`refusing to write outside the output folder: ${f.path}`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, f.data);
    }
    const hadOld = fs.existsSync(final);
    if (hadOld) fs.renameSync(final, old);
    try {
      fs.renameSync(tmp, final);
    } catch (err) {
      if (hadOld) fs.renameSync(old, final);
      throw err;
    }
    if (hadOld) fs.rmSync(old, { recursive: true, force: true });
    return final;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
