#!/usr/bin/env node
'use strict';
// Counts the instructions (millions) that one transform of each FILE takes, under
// valgrind's cachegrind: a process that loads saxon-js, parses FILE and renders it N times
// (default 1), minus one that only loads and parses. Unlike times, these counts do not move
// with the load of a shared machine (two runs agree within ~0.1%), so they can compare two
// versions of a stylesheet or of editio's saxon-js patches that differ by a few percent.
// V8 runs single-threaded here (--single-threaded), so its compiler's work is counted too.
// That flag also makes V8 refuse the saxon-js code cache `npm run build` made (its flags
// differ), so a count includes compiling saxon-js's functions from source as a transform
// first calls them, which a build does not pay: both sides of a comparison alike. A
// change that makes a warm transform cheaper can still make the first one dearer (a
// for loop over template rules instead of forEach: -7% warm, +3.6% cold, the flagship).
// A run takes ~40x the native time: use files of a few hundred kB.
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { benchArgs, benchSef, root, withParams } = require('./args');

const { args, opt } = benchArgs(
  'Usage: npm run bench:instructions -- FILE... [--sef html|epub|print|editions]\n' +
    '       [--with LIST] [--runs N]\n\n' +
    'Instructions (millions) of one transform of each FILE under cachegrind: a process that\n' +
    'renders it N times (default 1) minus one that only loads saxon-js and parses it.\n' +
    '--with html,epub,print: the formats the editions stylesheet writes (as a build of those\n' +
    'formats asks).\n' +
    'Needs valgrind (Debian: apt-get install valgrind) and `npm run build`.',
);
const format = opt('--sef', 'html');
const runs = Number(opt('--runs', '1'));
const params = withParams(opt);
const sef = benchSef(format);
if (spawnSync('valgrind', ['--version']).status !== 0) {
  console.error('bench: valgrind is not installed (Debian: apt-get install valgrind)');
  process.exit(2);
}

// the child: load, parse, render `n` times
const child = `
  const x = require(${JSON.stringify(path.join(root, 'lib', 'render', 'xslt.js'))});
  x.SaxonJS();
  x.parseSource(require('fs').readFileSync(process.argv[1], 'utf8')).then((doc) => {
    for (let i = 0; i < Number(process.argv[2]); i++) {
      const r = x.runXslt({ doc }, { sef: process.argv[3], params: JSON.parse(process.argv[4]), resultBase: 'file:///o/' });
      if (!r.ok) { console.error(r.error); process.exit(1); }
    }
  });`;

function instructions(file, n) {
  const r = spawnSync(
    'valgrind',
    [
      '--tool=cachegrind',
      '--cache-sim=no',
      '--cachegrind-out-file=/dev/null',
      process.execPath,
      '--single-threaded',
      '-e',
      child,
      file,
      String(n),
      sef,
      JSON.stringify(params),
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const m = /I\s+refs:\s+([\d,]+)/.exec(r.stderr);
  if (r.status !== 0 || !m) {
    console.error(`bench: error: ${file}: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
    process.exit(1);
  }
  return Number(m[1].replace(/,/g, '')) / 1e6;
}

for (const file of args) {
  const base = instructions(file, 0);
  const all = instructions(file, runs);
  console.log(
    `${path.basename(file)} ${format}: ${Math.round((all - base) / runs)} M instructions a transform` +
      ` (load and parse: ${Math.round(base)} M)`,
  );
}
