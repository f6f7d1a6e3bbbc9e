import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Give this test file a private, empty EDITIO_CACHE_DIR (so that compiled schemas and
 * stylesheets do not depend on earlier runs), restored and removed after all its tests.
 */
export function privateCacheDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const saved = process.env.EDITIO_CACHE_DIR;
  process.env.EDITIO_CACHE_DIR = dir;
  afterAll(() => {
    if (saved === undefined) delete process.env.EDITIO_CACHE_DIR;
    else process.env.EDITIO_CACHE_DIR = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}
