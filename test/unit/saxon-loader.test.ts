/**
 * How editio loads saxon-js (src/render/xslt.ts): with no network access. saxon-js reads
 * resources named by http(s) URLs through axios; editio gives it a stand-in that refuses,
 * so that nothing a document names is ever fetched, and axios is never loaded.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../../src/paths';
import { SaxonJS } from '../../src/render/xslt';

describe('saxon-js as editio loads it', () => {
  it('refuses to read a resource over the network, as a resource it could not read', async () => {
    const api = SaxonJS() as unknown as {
      getResource(o: { location: string; type: string }): Promise<unknown>;
    };
    // port 9 (discard): were the request really made, the error would be a refused connection
    await expect(
      api.getResource({ location: 'http://127.0.0.1:9/x', type: 'text' }),
    ).rejects.toMatchObject({
      code: 'FODC0002',
      message: expect.stringContaining('editio does not read from the network'),
    });
  });

  const compiled = path.join(packageRoot, 'lib', 'render', 'xslt.js');
  (fs.existsSync(compiled) ? it : it.skip)('never loads axios (a fresh process)', () => {
    const r = spawnSync(
      process.execPath,
      [
        '-e',
        `const x = require(${JSON.stringify(compiled)}); const s = x.SaxonJS();
         const loaded = Object.keys(require.cache).filter((k) => /[\\\\/]node_modules[\\\\/]axios[\\\\/]/.test(k));
         process.stdout.write(JSON.stringify({ transform: typeof s.transform, axios: loaded.length }));`,
      ],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ transform: 'function', axios: 0 });
  });
});
