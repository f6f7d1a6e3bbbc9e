'use strict';
// The command line of a bench tool: prints `usage` and exits on none or --help, and takes
// `--name value` options out of the arguments, leaving the files.
function benchArgs(usage) {
  const args = process.argv.slice(2);
  if (args.length === 0 || args.includes('-h') || args.includes('--help')) {
    console.log(usage);
    process.exit(args.length === 0 ? 2 : 0);
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

module.exports = { benchArgs };
