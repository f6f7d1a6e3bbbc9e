/**
 * RELAX NG `pattern` parameters without XRegExp at start-up (src/validate/xsd-regexp.ts):
 * the compact grammar in the disk cache carries each pattern as salve translates it, and
 * a later process validates with those translations, never loading XRegExp, with the
 * same verdicts.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../../src/paths';
import { translatePattern } from '../../src/validate/xsd-regexp';
import { privateCacheDir } from '../helpers/cache-dir';
import { teiDocument } from '../helpers/tei-doc';

const lib = path.join(packageRoot, 'lib', 'validate', 'index.js');
const loader = path.join(packageRoot, 'lib', 'load', 'index.js');
const editioRng = path.join(packageRoot, 'schema', 'editio.rng');

describe('XML Schema patterns', () => {
  const cache = privateCacheDir('editio-xsd-re-');

  it('rebuilds the RegExp salve makes of a pattern', () => {
    // salve's own module, loaded apart from the stand-in
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const salveRe = require('salve-annos/lib/salve/datatypes/regexp') as {
      parse(p: string): RegExp;
    };
    const samples = ['xy', 'x y', 'x\u200by', 'é', 'a.b', '', 'abc-1', 'Ab', '\u{1F600}', 'a\tb'];
    for (const p of ['[^\\p{C}\\p{Z}]+', '\\S+', '[a-z][a-z0-9\\+\\.\\-]*', '\\i\\c*', 'a.b']) {
      const [source, flags] = translatePattern(p);
      const ours = new RegExp(source, flags);
      const theirs = salveRe.parse(p);
      for (const s of samples) expect([p, s, ours.test(s)]).toEqual([p, s, theirs.test(s)]);
    }
  });

  (fs.existsSync(lib) ? it : it.skip)(
    'a process with the cached grammar never loads XRegExp, and still applies patterns',
    () => {
      // an @type is teidata.enumerated: a token matching [^\p{C}\p{Z}]+ (U+200B is Cf)
      const docs = {
        good: teiDocument('<body><div type="xy"><p>x</p></div></body>'),
        bad: teiDocument('<body><div type="x\u200By"><p>x</p></div></body>'),
      };
      const script = `
        const v = require(${JSON.stringify(lib)});
        const { loadXmlString } = require(${JSON.stringify(loader)});
        (async () => {
          const out = {};
          for (const [k, t] of Object.entries(${JSON.stringify(docs)}))
            out[k] = (await v.validateLoaded(loadXmlString(t, 'doc.xml'), { schema: ${JSON.stringify(editioRng)}, noSchematron: true }))
              .diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
          out.xregexp = Object.keys(require.cache).some((k) => /[\\\\/]xregexp[\\\\/]/.test(k));
          process.stdout.write(JSON.stringify(out));
        })();`;
      const run = () => {
        const r = spawnSync(process.execPath, ['-e', script], {
          encoding: 'utf8',
          env: { ...process.env, EDITIO_CACHE_DIR: cache },
        });
        expect(r.stderr).toBe('');
        return JSON.parse(r.stdout) as { good: string[]; bad: string[]; xregexp: boolean };
      };
      const first = run(); // converts the schema and fills the cache: XRegExp translates
      const second = run();
      expect(first.xregexp).toBe(true);
      expect(first.good).toEqual([]);
      expect(first.bad).toEqual(['rng.attribute-value-invalid']);
      expect(second).toEqual({ good: [], bad: ['rng.attribute-value-invalid'], xregexp: false });
    },
    120000,
  );
});
