/**
 * Diagnostics are data: every check returns them, the CLI prints them.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  severity: Severity;
  /** A stable dotted code, e.g. `xml.not-well-formed`, `rng.element-not-allowed`. */
  code: string;
  message: string;
  file: string;
  /** 1-based; 0 when the problem has no position (a missing file, say). */
  line: number;
  /** 1-based; 0 when unknown. */
  column: number;
}

export function diag(
  severity: Severity,
  code: string,
  message: string,
  file: string,
  line = 0,
  column = 0,
): Diagnostic {
  return { severity, code, message, file, line, column };
}

/**
 * Codes that mean a file could not be read at all (exit 2). A file that was read but is
 * empty, binary or too large is bad input (exit 1).
 */
const IO_CODES = new Set([
  'io.not-found',
  'io.is-directory',
  'io.not-regular-file',
  'io.unreadable',
]);

/** An error that says a file could not be read at all (the commands exit 2 on it). */
export function isIoError(d: Diagnostic): boolean {
  return d.severity === 'error' && IO_CODES.has(d.code);
}

/** `file:line:col: severity: message [code]`, the compiler-style line. */
export function formatDiagnostic(d: Diagnostic): string {
  const pos = d.line > 0 ? `:${d.line}:${d.column > 0 ? d.column : 1}` : '';
  return `${d.file}${pos}: ${d.severity}: ${d.message} [${d.code}]`;
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}

/** Sort by file, line, column, then code, so output order is stable. */
export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.code.localeCompare(b.code),
  );
}
