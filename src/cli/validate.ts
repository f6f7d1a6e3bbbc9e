import * as fs from 'node:fs';
import { diag, isIoError, type Diagnostic } from '../diagnostics';
import { validateFile } from '../validate';
import { parse, UsageError } from './args';
import { printDiagnostics, type Io } from './output';

export const validateHelp = `Usage: editio validate FILE... [--schema RNG] [--schematron SCH | --no-schematron] [--json]

Check each TEI file, in order: well-formedness; RELAX NG (the schema its
<?xml-model?> names when that is a local file, else editio's own schema;
--schema overrides); Schematron (editio's rules unless --schematron names others).
Nothing is fetched: a remote schema falls back to TEI's tei_all, with a warning.

Options:
  --schema RNG        validate against this RELAX NG schema (XML syntax)
  --schematron SCH    use these Schematron rules instead of editio's
  --no-schematron     skip Schematron: RELAX NG only, as jing does
  --json              print the diagnostics as a JSON array on stdout
  -h, --help          show this help

Diagnostics go to stderr as  file:line:col: error|warning: message [code]
Exit status: 0 valid, 1 invalid, 2 usage or I/O error.
`;

export async function validateCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    schema: { type: 'string' },
    schematron: { type: 'string' },
    'no-schematron': { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(validateHelp);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('validate needs at least one FILE');
  const schema = values.schema as string | undefined;
  const schematron = values.schematron as string | undefined;
  const noSchematron = Boolean(values['no-schematron']);
  if (noSchematron && schematron)
    throw new UsageError('--schematron and --no-schematron exclude each other');
  for (const [opt, p] of [
    ['--schema', schema],
    ['--schematron', schematron],
  ] as const) {
    if (p !== undefined && !(fs.existsSync(p) && fs.statSync(p).isFile())) {
      const d = diag('error', 'io.not-found', `${opt} ${p}: no such file`, p);
      if (values.json) io.out(JSON.stringify([d], null, 2) + '\n');
      else printDiagnostics(io, [d]);
      return 2;
    }
  }
  const all: Diagnostic[] = [];
  let invalid = false;
  let ioError = false;
  for (const file of positionals) {
    if (!values.json && positionals.length > 1 && io.isTTY) io.err(`validating ${file}\n`);
    const r = await validateFile(file, { schema, schematron, noSchematron });
    all.push(...r.diagnostics);
    if (r.diagnostics.some(isIoError)) ioError = true;
    else if (!r.valid) invalid = true;
  }
  if (values.json) io.out(JSON.stringify(all, null, 2) + '\n');
  else printDiagnostics(io, all);
  return ioError ? 2 : invalid ? 1 : 0;
}
