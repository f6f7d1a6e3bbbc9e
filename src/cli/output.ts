import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../diagnostics';

/** Where the CLI writes; injectable so tests can capture output without spawning. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal (progress may then redraw a line). */
  isTTY: boolean;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stderr.isTTY),
};

export function printDiagnostics(io: Io, ds: Diagnostic[]): void {
  const sorted = sortDiagnostics(ds);
  if (sorted.length) io.err(sorted.map((d) => formatDiagnostic(d) + '\n').join(''));
}
