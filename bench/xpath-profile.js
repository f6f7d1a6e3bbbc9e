#!/usr/bin/env node
'use strict';
// Where a transform spends its work, by stylesheet line: saxon-js turns each expression
// and instruction of a SEF into a JavaScript closure once, then calls the closures. This
// loads saxon-js (with editio's patches) with every such closure wrapped so that it counts
// its calls and times itself, renders FILE once to warm up and once measured, and prints
// the lines (module:line, the nearest ancestor of the expression that has one) with the
// most time of their own, then the most expensive expression kinds. The counts are exact
// and do not move with the machine's load; the times are inflated by the wrapping (about
// 2-3x) and are only for ranking. To compare two versions, count instructions with
// `npm run bench:instructions` on whole texts.
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { benchArgs, benchSef, root, withParams } = require('./args');

const { args, opt } = benchArgs(
  'Usage: npm run bench:xpath -- FILE [--sef html|epub|print|editions] [--with LIST] [--top N]\n\n' +
    'Counts and times (inflated, for ranking) the saxon-js closures of one transform of\n' +
    'FILE, by stylesheet line and by expression kind. --with html,epub,print: the formats\n' +
    'the editions stylesheet writes (as a build of those formats asks). Needs `npm run build`.',
);
const format = opt('--sef', 'html');
const top = Number(opt('--top', '30'));
const editionsParams = withParams(opt);
const file = path.resolve(args[0] ?? '');
const sef = benchSef(format);
const xsltJs = path.join(root, 'lib', 'render', 'xslt.js');
for (const f of [file, xsltJs]) {
  if (!fs.existsSync(f)) {
    console.error(`bench: error: ${f} is missing${f === file ? '' : '; run `npm run build`'}`);
    process.exit(2);
  }
}

// saxon-js's two closure factories (pull expressions and push instructions), hooked with
// editio's own patching rule (each text must occur exactly once) after editio's patches
const HOOKS = [
  ['F=k.ELAB=F(k)', 'F=k.ELAB=globalThis.__editioWrap(k,F(k))'],
  ['f.PUSH=I=I(f)', 'f.PUSH=I=globalThis.__editioWrap(f,I(f))'],
];
const { patchSaxon, applyPatches } = require(xsltJs);
const { compileModule } = require(path.join(root, 'lib', 'cjs-module.js'));
const saxonFile = require.resolve('saxon-js', { paths: [root] });
const hooked = applyPatches(patchSaxon(fs.readFileSync(saxonFile, 'utf8')), HOOKS);
if (hooked.applied !== HOOKS.length) {
  console.error('bench: error: this saxon-js does not have the expected closure factories');
  process.exit(2);
}

const stats = new Map();
const stack = [];
let on = false;
const where = (node) => {
  let n = node;
  while (n && !(n.line && n.module)) n = n.parentNode;
  return n ? `${n.module}:${n.line}` : '(global)';
};
globalThis.__editioWrap = (node, fn) => {
  const name = node.name ? `(${String(node.name).replace(/^Q\{[^}]*\}/, '')})` : '';
  const key = `${where(node)} ${node.N}${name}`;
  let st = stats.get(key);
  if (!st) stats.set(key, (st = { n: 0, self: 0 }));
  return function (...a) {
    if (!on) return fn.apply(this, a);
    st.n++;
    const t0 = performance.now();
    const frame = { child: 0 };
    stack.push(frame);
    try {
      return fn.apply(this, a);
    } finally {
      const d = performance.now() - t0;
      stack.pop();
      st.self += d - frame.child;
      if (stack.length) stack[stack.length - 1].child += d;
    }
  };
};

const SaxonJS = compileModule(saxonFile, hooked.source, module).exports;

(async () => {
  const doc = await SaxonJS.getResource({ text: fs.readFileSync(file, 'utf8'), type: 'xml' });
  const stylesheet = JSON.parse(fs.readFileSync(sef, 'utf8'));
  const options = {
    stylesheetInternal: stylesheet,
    destination: 'raw',
    sourceNode: doc,
    stylesheetParams: {
      'source-file': file,
      ...editionsParams,
    },
    deliverMessage: () => {},
    baseOutputURI: 'file:///editio-profile/',
    deliverResultDocument: () => ({ destination: 'raw', save() {} }),
  };
  SaxonJS.transform(options, 'sync'); // warm-up, not counted
  on = true;
  const t0 = performance.now();
  SaxonJS.transform(options, 'sync');
  const total = performance.now() - t0;
  on = false;
  const rows = [...stats].filter(([, s]) => s.n > 0);
  const calls = rows.reduce((a, [, s]) => a + s.n, 0);
  console.log(
    `${path.basename(file)} ${format}: ${calls} closure calls, ${total.toFixed(0)} ms measured (inflated)`,
  );
  const group = (keyOf) => {
    const g = new Map();
    for (const [k, s] of rows) {
      const e = g.get(keyOf(k)) ?? { n: 0, self: 0 };
      e.n += s.n;
      e.self += s.self;
      g.set(keyOf(k), e);
    }
    return [...g].sort((a, b) => b[1].self - a[1].self).slice(0, top);
  };
  const print = (title, list) => {
    console.log(`\n${title}\n${'ms (own)'.padStart(9)} ${'calls'.padStart(9)}`);
    for (const [k, s] of list) {
      console.log(`${s.self.toFixed(0).padStart(9)} ${String(s.n).padStart(9)}  ${k}`);
    }
  };
  print(
    'by stylesheet line',
    group((k) => k.split(' ')[0]),
  );
  print(
    'by expression kind',
    group((k) => k.split(' ')[1].replace(/\(.*$/, '')),
  );
  print(
    'by line and expression',
    group((k) => k),
  );
})().catch((err) => {
  console.error(`bench: error: ${err?.message ?? err}`);
  process.exit(1);
});
