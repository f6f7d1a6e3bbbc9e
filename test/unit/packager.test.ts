/**
 * The EPUB packager as a build loads it (src/writers/packager.ts): epub-gen-memory bundled
 * into one script with its code cache (scripts/bundle-packager.js), which packages the
 * same books as the package as published, loads with its cache, and fetches nothing.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../../src/paths';
import { PACKAGER_BUNDLE } from '../../src/writers/packager';

const lib = path.join(packageRoot, 'lib', 'writers');
const built = fs.existsSync(path.join(lib, 'packager.js')) && fs.existsSync(PACKAGER_BUNDLE);
if (!built) {
  // (`npm run build` makes both; without esbuild there is no bundle to test)
  console.warn(`skipping the bundled packager's tests: ${PACKAGER_BUNDLE} is not built`);
}

/** Run a script in a new Node (the packager is loaded once a process); its stdout. */
function run(script: string, env: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.trim();
}

(built ? describe : describe.skip)('the bundled EPUB packager', () => {
  // the primer book (a title page, a chapter with a note call and a page break, its
  // endnote) and the flagship, packaged by each
  const books = `
    const { loadPackager } = require(${JSON.stringify(path.join(lib, 'packager.js'))});
    const { primerBook, renderEpub } = require(${JSON.stringify(path.join(lib, 'epub.js'))});
    const fs = require('fs');
    const hash = (b) => require('crypto').createHash('sha256').update(b).digest('hex');
    const file = ${JSON.stringify(path.join(packageRoot, 'source', 'serge-1940.xml'))};
    (async () => {
      const primer = await primerBook();
      const book = await renderEpub(fs.readFileSync(file, 'utf8'), { file, absPath: file });
      console.log(JSON.stringify([loadPackager().how, hash(primer), hash(book.epub)]));
    })();`;

  it('loads with its code cache, and packages the same books as epub-gen-memory as published', () => {
    const [how, primer, flagship] = JSON.parse(run(books)) as string[];
    const [howPlain, primerPlain, flagshipPlain] = JSON.parse(
      run(books, { EDITIO_PACKAGER_BUNDLE: '0' }),
    ) as string[];
    expect([how, howPlain]).toEqual(['bundle+cache', 'package']);
    expect(primer).toBe(primerPlain);
    expect(flagship).toBe(flagshipPlain);
  }, 60_000);

  it('leaves out the HTTP client and refuses any download, from the network or from a file', () => {
    const bundle = fs.readFileSync(PACKAGER_BUNDLE, 'utf8');
    expect(bundle).not.toMatch(/node_modules\/node-fetch\//);
    expect(bundle).not.toMatch(/node_modules\/whatwg-url\//);
    // a file the packager is asked to take as the cover: read by the package as published
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'editio-packager-'));
    const secret = path.join(dir, 'secret.png');
    fs.writeFileSync(secret, 'not for the book');
    const script = `
      const { loadPackager } = require(${JSON.stringify(path.join(lib, 'packager.js'))});
      const { EPub } = loadPackager();
      const chapter = [{ title: 'c', content: '<p>x</p>' }];
      const font = new EPub({ title: 't', verbose: false, ignoreFailedDownloads: false,
        fonts: [{ filename: 'f.ttf', url: 'http://127.0.0.1:9/f.ttf' }] }, chapter);
      const cover = new EPub({ title: 't', verbose: false, cover: ${JSON.stringify(`file://${secret}`)} }, chapter);
      (async () => {
        const a = await font.render().then(() => 'rendered', (e) => e.message);
        // (a cover that fails to download is written empty, with a warning it is not asked for)
        await cover.render();
        const b = await cover.zip.file('OEBPS/cover.png').async('nodebuffer');
        console.log(JSON.stringify([a, b.length]));
      })();`;
    try {
      const [font, coverBytes] = JSON.parse(run(script)) as [string, number];
      expect(font).toMatch(/editio fetches nothing/);
      expect(coverBytes).toBe(0);
      // the same request, to the package as published, reads the file
      const [, plainBytes] = JSON.parse(run(script, { EDITIO_PACKAGER_BUNDLE: '0' })) as [
        string,
        number,
      ];
      expect(plainBytes).toBe('not for the book'.length);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
