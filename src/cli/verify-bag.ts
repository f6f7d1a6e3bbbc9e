import { verifyBag, type VerifyResult } from '../archive/verify';
import { hasErrors, isIoError } from '../diagnostics';
import { parse, UsageError } from './args';
import { printDiagnostics, type Io } from './output';

export const verifyBagHelp = `Usage: editio verify-bag DIR|ZIP... [--json]

Check each BagIt bag (RFC 8493), a directory or a zip of one such as
dist/<stem>-bag/ and dist/<stem>-bag.zip: bagit.txt, at least one payload
manifest, every file the manifests list present, every payload file listed in
every payload manifest, every checksum (payload and tag manifests) and the
Payload-Oxum. Each missing, extra or altered file is named. A zip is read in
memory, never extracted, and refused past 2 GiB or 100,000 entries.

Options:
  --json        print one result per bag as JSON on stdout
  -h, --help    show this help

Diagnostics go to stderr as  bag/path: error: message [code]
Exit status: 0 valid, 1 a bag is incomplete or invalid, 2 usage or I/O error.
`;

export async function verifyBagCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(verifyBagHelp);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('verify-bag needs at least one DIR or ZIP');
  const results: (VerifyResult & { bag: string })[] = [];
  let code = 0;
  for (const bag of positionals) {
    const r = verifyBag(bag);
    results.push({ bag, ...r });
    // a bag that could not be read at all (exit 2), as opposed to a bad bag (exit 1)
    const ioError = r.diagnostics.some(isIoError);
    code = Math.max(code, ioError ? 2 : hasErrors(r.diagnostics) ? 1 : 0);
    if (values.json) continue;
    printDiagnostics(io, r.diagnostics);
    if (ioError) continue;
    const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
    const size = r.payload ? ` (${r.payload.files} payload files, ${r.payload.octets} octets)` : '';
    io.err(
      r.ok
        ? `${bag}: valid bag${size}\n`
        : `${bag}: invalid bag, ${errors} error${errors === 1 ? '' : 's'}\n`,
    );
  }
  if (values.json) io.out(JSON.stringify(results, null, 2) + '\n');
  return code;
}
