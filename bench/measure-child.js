'use strict';
// Runs the editio CLI in this process and, at exit, appends its peak RSS (KiB) to the
// file named by EDITIO_BENCH_RSS. Used by bench/run.js so that wall time includes start-up.
const fs = require('node:fs');
process.on('exit', () => {
  if (process.env.EDITIO_BENCH_RSS)
    fs.writeFileSync(process.env.EDITIO_BENCH_RSS, String(process.resourceUsage().maxRSS));
});
require('../bin/editio.js');
