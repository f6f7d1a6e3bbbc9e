#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI lives in lib/ (compiled from src/ by `npm run build:code`).
let main;
try {
  main = require('../lib/cli/main.js').main;
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND') {
    process.stderr.write(
      'editio: error: not built yet; run `npm run build:code` first [cli.not-built]\n',
    );
    process.exit(2);
  }
  throw err;
}
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(
      `editio: error: internal error: ${err && err.message ? err.message : err} [internal]\n`,
    );
    process.exitCode = 2;
  },
);
