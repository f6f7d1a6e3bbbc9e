#!/usr/bin/env node
/**
 * Compile editio's top-level XSLT stylesheets to SEF JSON with xslt3, at build time.
 *
 * Each top-level stylesheet (src/xslt/*.xsl: html, epub, print, editions, metadata) becomes
 * lib/xslt/<name>.sef.json. A SEF is rebuilt only when it is older than some .xsl (or the
 * core's .json data, read as a static parameter) under src/xslt (the core is shared), or
 * when --force is given: a cache, so `npm run build` stays fast. Exit code 0 on success, 1 when a stylesheet does not compile.
 */
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const repoRoot = path.resolve(__dirname, '..');
const srcDir = path.join(repoRoot, 'src', 'xslt');
const outDir = path.join(repoRoot, 'lib', 'xslt');
const xslt3 = require.resolve('xslt3/xslt3.js', { paths: [repoRoot] });

/** Top-level stylesheets: every .xsl directly in src/xslt (modules live in src/xslt/core and src/xslt/modules). */
const TOP_LEVEL = fs
  .readdirSync(srcDir)
  .filter((f) => f.endsWith('.xsl'))
  .sort();

/** Data the core reads at compile time (a static parameter), and the PDF writer at run time. */
const LANG3 = path.join(srcDir, 'core', 'lang3.json');

function listSources(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSources(p));
    else if (entry.name.endsWith('.xsl') || entry.name.endsWith('.json')) out.push(p);
  }
  return out;
}

function newestMtime(files) {
  return files.reduce((m, f) => Math.max(m, fs.statSync(f).mtimeMs), 0);
}

function compile(xslPath, sefPath) {
  const tmp = `${sefPath}.${process.pid}.tmp`;
  const res = spawnSync(
    process.execPath,
    [
      xslt3,
      `-xsl:${xslPath}`,
      `-export:${tmp}`,
      '-nogo',
      '-relocate:on',
      // the core's static parameters (core/functions.xsl)
      `editio-lang3=${fs.readFileSync(LANG3, 'utf8')}`,
    ],
    { encoding: 'utf8' },
  );
  if (res.status !== 0 || !fs.existsSync(tmp)) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      /* ignore */
    }
    return `${res.stdout || ''}${res.stderr || ''}`.trim() || `xslt3 exited with ${res.status}`;
  }
  fs.renameSync(tmp, sefPath); // atomic: a reader never sees half a SEF
  finishSef(sefPath);
  return null;
}

/**
 * The same JSON in ASCII: every character above U+007F (only ever inside a string) as a
 * \uXXXX escape. A SEF of the flagship's stylesheets holds a few dozen (labels, dashes);
 * read as ASCII, its text is a one-byte string, which Node decodes in ~2.5 ms rather than
 * ~6-8 ms and V8 parses faster (editions.sef.json, 1.5 MB: ~20 ms rather than 20-33 ms).
 */
function asciiJson(text) {
  return text.replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * What every SEF of editio's gets, just compiled or kept from an earlier build (one made
 * before SEFs were written in ASCII, say): its text in ASCII, then its digest recorded.
 */
function finishSef(sefPath) {
  const text = fs.readFileSync(sefPath, 'utf8');
  const ascii = asciiJson(text);
  if (ascii !== text) {
    const tmp = `${sefPath}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, ascii);
    fs.renameSync(tmp, sefPath);
  }
  writeDigest(sefPath);
}

/**
 * Record the SEF's SHA-256 beside it (`<name>.sef.json.sha256`). At run time a SEF that
 * matches its record is primed by editio instead of saxon-js, which spares saxon-js's
 * checksum walk over the whole stylesheet in every process (src/render/xslt.ts).
 */
function writeDigest(sefPath) {
  const digest = crypto.createHash('sha256').update(fs.readFileSync(sefPath)).digest('hex');
  const file = `${sefPath}.sha256`;
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8').trim() === digest) return;
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${digest}\n`);
  fs.renameSync(tmp, file);
}

function main(argv) {
  const force = argv.includes('--force');
  const quiet = argv.includes('--quiet');
  fs.mkdirSync(outDir, { recursive: true });
  const allXsl = listSources(srcDir);
  const newest = newestMtime(allXsl);
  let failed = false;
  for (const name of TOP_LEVEL) {
    const xslPath = path.join(srcDir, name);
    if (!fs.existsSync(xslPath)) continue;
    const sefPath = path.join(outDir, name.replace(/\.xsl$/, '.sef.json'));
    const fresh = fs.existsSync(sefPath) && fs.statSync(sefPath).mtimeMs > newest;
    if (fresh && !force) {
      finishSef(sefPath);
      if (!quiet) console.log(`xslt: ${name} up to date`);
      continue;
    }
    const t0 = Date.now();
    const err = compile(xslPath, sefPath);
    if (err) {
      failed = true;
      console.error(`xslt: ${name}: compilation failed\n${err}`);
    } else if (!quiet) {
      console.log(`xslt: ${name} → ${path.relative(repoRoot, sefPath)} (${Date.now() - t0} ms)`);
    }
  }
  if (!failed) failed = !codeCache(quiet);
  return failed ? 1 : 0;
}

/**
 * V8's code cache for saxon-js (see src/render/xslt.ts), written after a warm-up in a
 * fresh process (the cache is per Node version), so that the functions the warm-up
 * compiles are in it too. The warm-up renders the flagship with html.sef (an HTML build)
 * and with editions.sef making html, epub and print (any other build): a cache warmed
 * with the HTML alone left ~60 KB of saxon-js's bytecode (result documents, the passes,
 * the JSON manifest) to be compiled during each EPUB build, ~6 KB during Quintilian's
 * HTML build. The cache's record (lib/cache/saxon-js.json) keeps a digest of the
 * warm-up's code, and a build whose warm-up differs writes the cache again. Skipped, with a note,
 * when the compiled code is not there yet; a failure here is not fatal: the cache only
 * saves start-up time.
 */
const WARM_UP = `
  (x, src, sef) => {
    for (const [name, params, resultBase] of [
      ['html', {}, undefined],
      ['editions', { 'with-html': true, 'with-epub': true, 'with-print': true }, 'file:///warm-up/'],
    ]) {
      const r = x.runXslt({ text: src }, { sef: sef(name), params, resultBase });
      if (!r.ok) throw new Error(name + '.sef: ' + r.error);
    }
  }`;

function codeCache(quiet) {
  const lib = path.join(repoRoot, 'lib', 'render', 'xslt.js');
  if (!fs.existsSync(lib)) {
    if (!quiet) console.log('xslt: no saxon-js code cache (run `npm run build:code` first)');
    return true;
  }
  const warmUpId = crypto.createHash('sha256').update(WARM_UP).digest('hex');
  const force = process.argv.includes('--force');
  const script = `
    const x = require(${JSON.stringify(lib)});
    const fs = require('fs');
    const sef = (name) => require('path').join(${JSON.stringify(outDir)}, name + '.sef.json');
    const src = fs.readFileSync(${JSON.stringify(path.join(repoRoot, 'source', 'serge-1940.xml'))}, 'utf8');
    const have = x.saxonCodeCachePath();
    const warmUp = () => (${WARM_UP})(x, src, sef);
    const id = ${JSON.stringify(warmUpId)};
    console.log(fs.existsSync(have) && x.saxonRecordCurrent(id) && !${JSON.stringify(force)} ? have
      : x.writeSaxonCodeCache(warmUp, id));`;
  const res = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (res.status !== 0) {
    console.error(`xslt: warning: no saxon-js code cache: ${(res.stderr || '').trim()}`);
    return true;
  }
  if (!quiet)
    console.log(`xslt: saxon-js code cache → ${path.relative(repoRoot, res.stdout.trim())}`);
  return true;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}

module.exports = { main, finishSef };
