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

/** Diagnostics in one write, a line each (a 3.5 MB text has ~3,500 warnings: one write
 * each took ~15 ms at the end of its build). */
export function writeDiagnostics(io: Io, ds: Diagnostic[]): void {
  if (ds.length) io.err(ds.map((d) => formatDiagnostic(d) + '\n').join(''));
}

export function printDiagnostics(io: Io, ds: Diagnostic[]): void {
  writeDiagnostics(io, sortDiagnostics(ds));
}
