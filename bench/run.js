#!/usr/bin/env node
'use strict';
// npm run bench: wall time (median of N runs, Node start-up included) and peak RSS of
// editio commands, with jing beside them where it is installed. Figures, not assertions.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { benchArgs, root } = require('./args');

benchArgs(
  'Usage: npm run bench\n\n' +
    'Prints the wall time (median of BENCH_RUNS runs, default 5, Node start-up included) and\n' +
    "peak RSS of editio's commands on the flagship and ../shared/corpus: validation, the HTML,\n" +
    'EPUB, print and PDF builds with their targets, the scaling lines and the batch build\n' +
    '(BENCH_BATCH_RUNS runs, default 1). Figures, not assertions: compare medians and ratios.',
  { files: false },
);
const corpus = path.resolve(root, '../shared/corpus');
const runs = Number(process.env.BENCH_RUNS || 5);
const rssFile = path.join(os.tmpdir(), `editio-bench-rss-${process.pid}`);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// A figure from its runs: wall times (ms), peak RSS (MB, when measured), exit status.
function summary(walls, rsses, status) {
  return {
    median: median(walls),
    min: Math.min(...walls),
    rss: rsses.length ? median(rsses) : undefined,
    status,
    walls,
    rsses,
  };
}

function time(cmd, args, { rss = false, env = process.env, n = runs } = {}) {
  const walls = [];
  const rsses = [];
  let status;
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, {
      cwd: root,
      encoding: 'utf8',
      env: { ...env, EDITIO_BENCH_RSS: rssFile },
    });
    walls.push(Number(process.hrtime.bigint() - t0) / 1e6);
    status = r.status;
    if (rss && fs.existsSync(rssFile)) rsses.push(Number(fs.readFileSync(rssFile, 'utf8')) / 1024);
  }
  return summary(walls, rsses, status);
}

// editio as a user runs it: the bin/editio command (which starts Node without
// NODE_EXTRA_CA_CERTS), with the hook that reports its peak RSS
const command = path.join(root, 'bin/editio');
const hooked = (env) => ({
  ...env,
  NODE_OPTIONS:
    `${env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(path.join(__dirname, 'rss-hook.js'))}`.trim(),
});
const editio = (args, n = runs) => time(command, args, { rss: true, n, env: hooked(process.env) });

/**
 * Two builds whose difference is the figure (what a format adds): run in alternation,
 * `pairs` times, so that the machine's load moves both alike; the difference is the
 * median of the pairs' differences, not the difference of two medians taken minutes
 * apart.
 */
function paired(argsA, argsB, pairs) {
  const a = [];
  const b = [];
  for (let i = 0; i < pairs; i++) {
    a.push(editio(argsA, 1));
    b.push(editio(argsB, 1));
  }
  const all = (xs) =>
    summary(
      xs.flatMap((x) => x.walls),
      xs.flatMap((x) => x.rsses),
      xs.find((x) => x.status !== 0)?.status ?? 0,
    );
  return {
    a: all(a),
    b: all(b),
    diff: median(a.map((x, i) => b[i].walls[0] - x.walls[0])),
  };
}
const hasJing = spawnSync('jing', [], { stdio: 'ignore' }).error === undefined;

function line(label, r, extra = '') {
  const rss = r.rss !== undefined ? `  peak RSS ${r.rss.toFixed(0)} MB` : '';
  console.log(
    `${label.padEnd(58)} median ${r.median.toFixed(0).padStart(6)} ms  (min ${r.min.toFixed(0)})${rss}  exit ${r.status}${extra}`,
  );
}

console.log(
  `editio bench — ${os.cpus()[0].model}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; ${runs} runs each`,
);
// Other tenants' load moves every figure (by a third, seen here): print it, before and after.
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(
  `(shared, noisy machines: compare medians and ratios, not single figures; load average ${load()})\n`,
);

// The floor under every figure with "Node start-up included": Node itself. When
// NODE_EXTRA_CA_CERTS is set (it is on these machines), Node reads and parses that CA
// bundle at every start, before any of editio's code runs (~75 ms here); editio never
// uses the network, so its command, bin/editio, starts Node without it.
line('Node start-up alone (node -e 0)', time(process.execPath, ['-e', '0']));
if (process.env.NODE_EXTRA_CA_CERTS) {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  line('  the same without NODE_EXTRA_CA_CERTS', time(process.execPath, ['-e', '0'], { env }));
}
line('editio --version (bin/editio)', time(command, ['--version']));

const flagship = path.join(root, 'source/serge-1940.xml');
line('validate flagship (target < 1000 ms)', editio(['validate', flagship]));
line(
  'build flagship',
  editio(['build', flagship, '--out', path.join(os.tmpdir(), 'editio-bench-dist')]),
);

const big = path.join(corpus, 'perseus-quintilian-institutio-eng.xml');
const teiAll = path.join(root, 'schema/tei_all.rng');
if (fs.existsSync(big)) {
  const e = editio(['validate', '--schema', teiAll, big]);
  line(`validate ${path.basename(big)} (3.5 MB) vs tei_all`, e);
  const rngOnly = editio(['validate', '--no-schematron', '--schema', teiAll, big]);
  line('  the same, RELAX NG only (--no-schematron), as jing does', rngOnly);
  if (hasJing) {
    const j = time('jing', [teiAll, big]);
    line(
      '  jing, same document and schema',
      j,
      `   editio/jing = ${(e.median / j.median).toFixed(2)}`,
    );
  } else console.log('  (jing not installed: no comparison)');
} else console.log(`(${big} absent: corpus benchmark skipped)`);

console.log('\nHTML reading edition');
line(
  'flagship end to end: build --format html (target < 1000 ms)',
  editio([
    'build',
    flagship,
    '--format',
    'html',
    '--out',
    path.join(os.tmpdir(), 'editio-bench-dist'),
  ]),
);
if (fs.existsSync(big)) {
  line(
    `${path.basename(big)} build --format html (target < 3000 ms, < 400 MB)`,
    editio([
      'build',
      big,
      '--format',
      'html',
      '--out',
      path.join(os.tmpdir(), 'editio-bench-dist'),
    ]),
  );
}

function render(file, repeat, flat, pages) {
  const args = [
    path.join(__dirname, 'render-child.js'),
    file,
    ...(repeat ? ['--repeat', String(repeat)] : []),
    ...(flat ? ['--flat', String(flat)] : []),
    ...(pages ? ['--pages', String(pages)] : []),
  ];
  const xs = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) return undefined;
    xs.push(JSON.parse(r.stdout));
  }
  return {
    ms: median(xs.map((x) => x.ms)),
    rss: median(xs.map((x) => x.maxRssMB)),
    bytes: xs[0].bytes,
  };
}
console.log('\nEPUB');
const out = path.join(os.tmpdir(), 'editio-bench-dist');
// (in alternation, at least 7 pairs: a difference of ~0.2 s is within three runs' noise)
const epubPairs = Math.max(runs, 7);
const epubAdds = paired(
  ['build', flagship, '--format', 'tei,html', '--out', out],
  ['build', flagship, '--format', 'tei,html,epub', '--out', out],
  epubPairs,
);
line(`flagship build tei,html (${epubPairs} runs, alternating)`, epubAdds.a);
line(
  `flagship build tei,html,epub (${epubPairs} runs, alternating)`,
  epubAdds.b,
  `   EPUB adds ${epubAdds.diff.toFixed(0)} ms (median of the pairs; target < 200 ms)`,
);
if (fs.existsSync(big)) {
  line(
    `${path.basename(big)} build --format epub (target < 3000 ms)`,
    editio(['build', big, '--format', 'epub', '--out', out]),
  );
}

console.log('\nPrint edition and PDF');
const printOnly = editio(['build', flagship, '--format', 'print', '--out', out]);
line('flagship build --format print (print.html)', printOnly);
const hasWeasy = spawnSync('weasyprint', ['--version'], { stdio: 'ignore' }).error === undefined;
if (hasWeasy) {
  // WeasyPrint's own command on the print.html just built (before the PDF builds replace
  // the folder): the engine alone, the yardstick of the PDF line, as jing is of validation
  const printHtml = path.join(out, path.basename(flagship, '.xml'), 'print.html');
  const alone = fs.existsSync(printHtml)
    ? time('weasyprint', [printHtml, path.join(os.tmpdir(), `editio-bench-${process.pid}.pdf`)])
    : undefined;
  const pdf = editio(['build', flagship, '--format', 'pdf', '--out', out]);
  line('flagship build --format pdf (target < 4000 ms)', pdf);
  if (alone) {
    line(
      '  weasyprint print.html alone (the engine, a yardstick)',
      alone,
      `   editio/weasyprint = ${(pdf.median / alone.median).toFixed(2)}`,
    );
    fs.rmSync(path.join(os.tmpdir(), `editio-bench-${process.pid}.pdf`), { force: true });
  }
  const pdfa = editio([
    'build',
    flagship,
    '--format',
    'pdf',
    '--pdf-variant',
    'pdf/a-3b',
    '--out',
    out,
  ]);
  line('  the same, --pdf-variant pdf/a-3b', pdfa);
} else console.log('  (weasyprint not installed: no PDF figures)');

/** A scaling line: the render at sizes 1, 2, 4 and 8 times the first, and each time's
 * ratio to the first (linear growth keeps the ratio near the size). */
function scaling(title, size, renderAt, what = 'XSLT render only') {
  console.log(`scaling: ${what}, ${title} (time should grow linearly)`);
  let base;
  for (const k of [1, 2, 4, 8]) {
    const r = renderAt(k);
    if (!r) {
      console.log(`  ${size(k)}: failed`);
      continue;
    }
    base ??= r.ms;
    console.log(
      `  ${size(k)} ${(r.bytes / 1e6).toFixed(2).padStart(6)} MB  median ${r.ms.toFixed(0).padStart(6)} ms  (${(r.ms / base).toFixed(2)}x the ${size(1).trim()} time)  peak RSS ${r.rss.toFixed(0)} MB`,
    );
  }
}
const scaleDoc = path.join(corpus, 'perseus-cicero-de-senectute-eng.xml');
if (fs.existsSync(scaleDoc)) {
  scaling(
    `${path.basename(scaleDoc)} body repeated`,
    (k) => `${String(k).padStart(2)}x`,
    (k) => render(scaleDoc, k),
  );
}
// (with --flat the file is not read: it only names the text in messages)
scaling(
  'a text of N sibling divisions',
  (k) => `${String(500 * k).padStart(4)} divisions`,
  (k) => render(flagship, undefined, 500 * k),
);
scaling(
  'a text of N page breaks without a number',
  (k) => `${String(500 * k).padStart(4)} breaks`,
  (k) => render(flagship, undefined, undefined, 500 * k),
  'EPUB render and package',
);
if (fs.existsSync(corpus)) {
  // The whole corpus to HTML + EPUB + print.html (--force: several corpus files follow
  // other schemas and would otherwise stop at validation). One run each: it is long.
  const files = fs.readdirSync(corpus).filter((f) => f.endsWith('.xml'));
  const bytes = files.reduce((n, f) => n + fs.statSync(path.join(corpus, f)).size, 0);
  console.log(
    `\nBatch: ${files.length} corpus documents (${(bytes / 1e6).toFixed(1)} MB) to html,epub,print, --force`,
  );
  const batchRuns = Number(process.env.BENCH_BATCH_RUNS || 1);
  const batch = (jobs) => {
    const walls = [];
    let rss;
    for (let i = 0; i < batchRuns; i++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'editio-bench-batch-'));
      const t0 = process.hrtime.bigint();
      spawnSync(
        command,
        [
          'build',
          corpus,
          '--out',
          dir,
          '--force',
          '--format',
          'html,epub,print',
          '--jobs',
          String(jobs),
        ],
        { cwd: root, encoding: 'utf8', env: { ...hooked(process.env), EDITIO_BENCH_RSS: rssFile } },
      );
      walls.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (fs.existsSync(rssFile)) rss = Number(fs.readFileSync(rssFile, 'utf8')) / 1024;
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return { ms: median(walls), rss };
  };
  const one = batch(1);
  const two = batch(2);
  for (const [label, r] of [
    ['--jobs 1', one],
    ['--jobs 2 (target < 20000 ms)', two],
  ]) {
    console.log(
      `  ${label.padEnd(30)} ${r.ms.toFixed(0).padStart(7)} ms  ${(files.length / (r.ms / 1000)).toFixed(2)} docs/s  ${(bytes / 1e6 / (r.ms / 1000)).toFixed(2)} MB/s  peak RSS ${r.rss ? r.rss.toFixed(0) : '?'} MB`,
    );
  }
  console.log(`  speed-up from 1 to 2 jobs: ${(one.ms / two.ms).toFixed(2)}x`);
}
console.log(`\nload average at the end: ${load()}`);
fs.rmSync(rssFile, { force: true });
