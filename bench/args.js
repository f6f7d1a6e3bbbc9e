'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

// The command line of a bench tool: prints `usage` and exits 0 on --help (status 2 when
// the tool needs files and none is given), and takes `--name value` options out of the
// arguments, leaving the files.
function benchArgs(usage, { files = true } = {}) {
  const args = process.argv.slice(2);
  const help = args.includes('-h') || args.includes('--help');
  if (help || (files && args.length === 0)) {
    console.log(usage);
    process.exit(help ? 0 : 2);
  }
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    if (i < 0) return dflt;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  return { args, opt };
}

// The compiled stylesheet of a format (html, epub, print), or exit 2 when it is missing.
function benchSef(format) {
  const sef = path.join(root, 'lib', 'xslt', `${format}.sef.json`);
  if (!fs.existsSync(sef)) {
    console.error(`bench: error: ${path.relative(root, sef)} is missing; run \`npm run build\``);
    process.exit(2);
  }
  return sef;
}

// The editions stylesheet's parameters for `--with html,epub,print`: the formats it
// writes, as a build of those formats asks (with-html, with-epub, with-print).
function withParams(opt) {
  return Object.fromEntries(
    opt('--with', '')
      .split(',')
      .filter((f) => f !== '')
      .map((f) => [`with-${f}`, true]),
  );
}

module.exports = { benchArgs, benchSef, root, withParams };
