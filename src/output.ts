import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OutputFile } from './writers/types';

/** One thing renamed into place: the edition's folder, the bag's folder, the bag's zip. */
interface Target {
  final: string;
  tmp: string;
  old: string;
  hadOld?: boolean;
  swapped?: boolean;
}

/**
 * Write an edition's files to `outDir/<stem>/` atomically: everything goes into a
 * temporary sibling folder first, which then replaces the old folder by rename. If any
 * step fails, the previous `<stem>/` is left as it was and the temporary folder removed.
 *
 * The archive writer's files are the one exception to "inside `<stem>/`": paths
 * `../<stem>-bag/…` go to the bag's folder `outDir/<stem>-bag/` and `../<stem>-bag.zip` to
 * `outDir/<stem>-bag.zip`, both beside the edition. They are staged and renamed into place
 * the same way, with the edition; if any rename fails, every one already made is undone,
 * so the edition, its bag and its zip change together or not at all. Any other path that
 * leaves `<stem>/` is refused. Returns the edition's folder.
 */
export function writeEditionAtomically(outDir: string, stem: string, files: OutputFile[]): string {
  fs.mkdirSync(outDir, { recursive: true });
  const stamp = `${process.pid}-${Date.now()}`;
  const target = (name: string): Target => ({
    final: path.join(outDir, name),
    tmp: path.join(outDir, `.${name}.tmp-${stamp}`),
    old: path.join(outDir, `.${name}.old-${stamp}`),
  });
  const edition = target(stem);
  const bagDirName = `${stem}-bag`;
  const bagZipName = `${stem}-bag.zip`;
  const bagDir = target(bagDirName);
  const bagZip = target(bagZipName);
  const targets: Target[] = [edition];
  const within = (dir: string, rel: string, shown: string) => {
    const p = path.resolve(dir, rel);
    if (!p.startsWith(dir + path.sep))
      throw new Error(`refusing to write outside the output folder: ${shown}`);
    return p;
  };
  try {
    fs.mkdirSync(edition.tmp);
    for (const f of files) {
      const p = f.path.replace(/\\/g, '/');
      let file: string;
      if (p === `../${bagZipName}`) {
        if (!targets.includes(bagZip)) targets.push(bagZip);
        file = bagZip.tmp;
      } else if (p.startsWith(`../${bagDirName}/`)) {
        if (!targets.includes(bagDir)) {
          fs.mkdirSync(bagDir.tmp);
          targets.push(bagDir);
        }
        file = within(bagDir.tmp, p.slice(`../${bagDirName}/`.length), f.path);
      } else {
        file = within(edition.tmp, f.path, f.path);
      }
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, f.data);
    }
    try {
      for (const t of targets) {
        t.hadOld = fs.existsSync(t.final);
        if (t.hadOld) fs.renameSync(t.final, t.old);
        try {
          fs.renameSync(t.tmp, t.final);
          t.swapped = true;
        } catch (err) {
          if (t.hadOld) fs.renameSync(t.old, t.final);
          throw err;
        }
      }
    } catch (err) {
      // undo the renames already made: the new one goes back to its temporary name
      for (const t of targets.filter((x) => x.swapped).reverse()) {
        fs.renameSync(t.final, t.tmp);
        if (t.hadOld) fs.renameSync(t.old, t.final);
      }
      throw err;
    }
    for (const t of targets) if (t.hadOld) fs.rmSync(t.old, { recursive: true, force: true });
    return edition.final;
  } finally {
    for (const t of targets.concat(bagDir, bagZip))
      fs.rmSync(t.tmp, { recursive: true, force: true });
  }
}
