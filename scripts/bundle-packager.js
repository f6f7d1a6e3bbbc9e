#!/usr/bin/env node
/**
 * Bundle the EPUB packager, epub-gen-memory, into one script at build time, and store
 * V8's code cache for it (src/writers/packager.ts says why and how a build loads it).
 *
 * - lib/vendor/epub-gen-memory.js: epub-gen-memory and its dependencies, bundled by
 *   esbuild for this Node, with node-fetch and abort-controller replaced by
 *   lib/writers/no-fetch.js (editio never has the packager download anything). Written
 *   only when its text changes.
 * - lib/cache/epub-gen-memory-<hash>-node<version>-<arch>.v8cache: the code cache, written
 *   by a Node that has packaged editio's small primer book with the bundle (so that the
 *   functions packaging runs are cached too), when no cache for this bundle exists.
 *
 * Needs `npm run build:code` first. Without esbuild (installed without dev dependencies)
 * it says so and writes nothing: builds then require epub-gen-memory as published.
 * --quiet prints nothing on success.
 */
'use strict';

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const repoRoot = path.resolve(__dirname, '..');
const lib = path.join(repoRoot, 'lib');
const outfile = path.join(lib, 'vendor', 'epub-gen-memory.js');
const noFetch = path.join(lib, 'writers', 'no-fetch.js');
const packager = path.join(lib, 'writers', 'packager.js');
const quiet = process.argv.includes('--quiet');
const say = (m) => quiet || console.log(`packager: ${m}`);

function main() {
  let esbuild;
  try {
    esbuild = require('esbuild');
  } catch {
    say('esbuild is not installed: epub-gen-memory is required as published (slower to load)');
    return 0;
  }
  if (!fs.existsSync(noFetch) || !fs.existsSync(packager)) {
    console.error('packager: error: lib/writers is missing; run `npm run build:code` first');
    return 1;
  }
  const r = esbuild.buildSync({
    entryPoints: [require.resolve('epub-gen-memory', { paths: [repoRoot] })],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    alias: { 'node-fetch': noFetch, 'abort-controller': noFetch },
    write: false,
    logLevel: 'silent',
  });
  if (r.errors.length) {
    console.error(`packager: error: ${r.errors.map((e) => e.text).join('; ')}`);
    return 1;
  }
  const text = r.outputFiles[0].text;
  if (!fs.existsSync(outfile) || fs.readFileSync(outfile, 'utf8') !== text) {
    fs.mkdirSync(path.dirname(outfile), { recursive: true });
    const tmp = `${outfile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, outfile);
    say(`bundled epub-gen-memory → ${path.relative(repoRoot, outfile)}`);
  }
  const { packagerCachePath } = require(packager);
  const cache = packagerCachePath(text);
  if (fs.existsSync(cache)) {
    say('code cache up to date');
    return 0;
  }
  // a Node of its own: the cache must be made by a process that has not loaded the
  // packager otherwise
  const script = `
    const p = require(${JSON.stringify(packager)});
    const { primerBook } = require(${JSON.stringify(path.join(lib, 'writers', 'epub.js'))});
    p.writePackagerCodeCache(primerBook).then((c) => console.log(c || ''));`;
  const res = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (res.status !== 0 || !res.stdout.trim()) {
    // not fatal: the cache only saves start-up time
    console.error(`packager: warning: no code cache: ${(res.stderr || '').trim()}`);
    return 0;
  }
  say(`code cache → ${path.relative(repoRoot, res.stdout.trim())}`);
  return 0;
}

process.exitCode = main();
