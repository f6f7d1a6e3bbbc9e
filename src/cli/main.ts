import { UsageError } from './args';
import { processIo, type Io } from './output';
import { version } from '../version';

const mainHelp = `editio ${version}: TEI P5 scholarly editions to HTML, EPUB 3, print/PDF and archives

Usage: editio COMMAND [options]

Commands:
  build FILE...      validate and write each edition into dist/<stem>/
  validate FILE...   check well-formedness, RELAX NG and Schematron
  verify-bag PATH... check a BagIt bag (directory or zip): completeness and fixity
  help [COMMAND]     show help for a command

Options:
  -h, --help         show this help
  -V, --version      print editio's version

Run 'editio COMMAND --help' for a command's options.
`;

interface Command {
  run: (argv: string[], io: Io) => Promise<number>;
  help: () => string;
}

/*
 * Commands are loaded on first use: `validate` should not pay for loading the writers
 * (and saxon-js with them) that only `build` needs.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const commands: Record<string, () => Command> = {
  build: () => {
    const m = require('./build') as typeof import('./build');
    return { run: m.buildCommand, help: m.buildHelp };
  },
  validate: () => {
    const m = require('./validate') as typeof import('./validate');
    return { run: m.validateCommand, help: () => m.validateHelp };
  },
  'verify-bag': () => {
    const m = require('./verify-bag') as typeof import('./verify-bag');
    return { run: m.verifyBagCommand, help: () => m.verifyBagHelp };
  },
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Run the CLI; returns the exit status. Never throws for bad input. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined) {
    io.err(mainHelp);
    return 2;
  }
  if (cmd === '-h' || cmd === '--help') {
    io.out(mainHelp);
    return 0;
  }
  if (cmd === '-V' || cmd === '--version') {
    io.out(`${version}\n`);
    return 0;
  }
  if (cmd === 'help') {
    const c = rest[0] && Object.hasOwn(commands, rest[0]) ? commands[rest[0]]() : undefined;
    io.out(c ? c.help() : mainHelp);
    return rest[0] && !c ? 2 : 0;
  }
  // A build's rendering worker starts before the build's modules load and its source is
  // read: ~50 ms sooner (render/session.ts). A batch build does not adopt it, and drops it.
  const prestart = cmd === 'build' && !rest.some((a) => a === '-h' || a === '--help');
  const session = prestart
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('../render/session') as typeof import('../render/session'))
    : undefined;
  session?.prestartWorker();
  const c = Object.hasOwn(commands, cmd) ? commands[cmd]() : undefined;
  if (!c) {
    io.err(`editio: error: unknown command "${cmd}"; see 'editio --help' [cli.usage]\n`);
    return 2;
  }
  try {
    return await c.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`editio ${cmd}: error: ${err.message}; see 'editio ${cmd} --help' [cli.usage]\n`);
      return 2;
    }
    const e = err as Error;
    io.err(
      `editio ${cmd}: error: internal error: ${e && e.message ? e.message : String(err)} [internal]\n`,
    );
    return 2;
  } finally {
    session?.dropPrestartedWorker();
  }
}
