'use strict';
// Preloaded (NODE_OPTIONS=--require) into the editio command that bench/run.js times, as
// a user runs it (bin/editio): at exit, the main thread writes the process's peak RSS
// (KiB) to the file named by EDITIO_BENCH_RSS.
const { isMainThread } = require('node:worker_threads');
const fs = require('node:fs');
if (isMainThread && process.env.EDITIO_BENCH_RSS) {
  const file = process.env.EDITIO_BENCH_RSS;
  process.on('exit', () => fs.writeFileSync(file, String(process.resourceUsage().maxRSS)));
}
