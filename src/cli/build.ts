import * as os from 'node:os';
import * as path from 'node:path';
import { hasErrors } from '../diagnostics';
import { writeCollectionPage } from '../batch/collection';
import type { BuildSummary } from '../batch/one';
import { collectInputs, runBatch } from '../batch/run';
import { defaultFormats } from '../pipeline';
import { dropPrestartedWorker } from '../render/session';
import { knownFormats } from '../writers';
import { PAGE_SIZES } from '../writers/print';
import type { WriterOptions } from '../writers/types';
import { parse, UsageError } from './args';
import { writeDiagnostics, type Io } from './output';

export function buildHelp(): string {
  const { formats, skipped } = defaultFormats();
  return `Usage: editio build FILE|DIR... [--out DIR] [--jobs N] [--format LIST] [--page-size SIZE]
                    [--pdf-variant VARIANT] [--epub-split N] [--epub-notes WHERE]
                    [--force] [--json]

Validate each TEI file (a folder stands for every .xml file in it) and write its
edition to DIR/<stem>/: <stem>.xml (the TEI as published), report.json
(diagnostics, outputs with sha256, timings) and one file per format. Writing is
atomic: a build that fails leaves the previous DIR/<stem>/ as it was. Many
documents are built in parallel; a failing one never stops the others. DIR/index.html
then lists every edition in DIR and its formats.

Options:
  --out DIR        output folder (default: dist)
  --jobs N         documents built at once, in worker threads (default: the
                   number of cores, ${os.availableParallelism()} here)
  --format LIST    comma-separated formats (known: ${knownFormats().join(', ')});
                   default: every format this machine can make (${formats.join(', ')})${
                     skipped.length
                       ? `\n                   not available here: ${skipped.map((s) => `${s.format} (${s.reason})`).join('; ')}`
                       : ''
                   }
  --page-size SIZE print.html and PDF page size: A5 (default), A4 or letter
  --pdf-variant V  pdf/a-3b (archival, with the TEI source attached) or pdf/ua-1
  --epub-split N   EPUB files: 0 one per front/body/back, 1 one per top-level
                   division (default), 2 or 3 deeper
  --epub-notes W   EPUB notes: book (one endnotes document, default) or chapter
                   (at the end of each file)
  --schema RNG     validate against this RELAX NG schema instead
  --schematron SCH use these Schematron rules instead of editio's
  --force          write outputs even when validation reports errors
  --json           print a JSON summary of each build on stdout (progress then
                   goes to stderr as plain lines)
  -h, --help       show this help

Honours SOURCE_DATE_EPOCH for dates stamped into outputs.
Exit status: 0 all built, 1 a document is invalid or failed, 2 usage or I/O error.
`;
}

function parseEpoch(): number | undefined {
  const raw = process.env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw))
    throw new UsageError(`SOURCE_DATE_EPOCH must be whole seconds, got "${raw}"`);
  return Number(raw);
}

function parseWriterOptions(values: Record<string, unknown>): WriterOptions {
  const o: WriterOptions = {};
  const size = values['page-size'];
  if (typeof size === 'string') {
    const known = PAGE_SIZES.find((s) => s.toLowerCase() === size.toLowerCase());
    if (!known)
      throw new UsageError(`unknown page size "${size}" (known: ${PAGE_SIZES.join(', ')})`);
    o.pageSize = known;
  }
  const variant = values['pdf-variant'];
  if (typeof variant === 'string') {
    const v = variant.toLowerCase();
    if (v !== 'pdf/a-3b' && v !== 'pdf/ua-1')
      throw new UsageError(`unknown PDF variant "${variant}" (known: pdf/a-3b, pdf/ua-1)`);
    o.pdfVariant = v;
  }
  const split = values['epub-split'];
  if (typeof split === 'string') {
    if (!/^[0-3]$/.test(split))
      throw new UsageError(`--epub-split takes 0, 1, 2 or 3, got "${split}"`);
    o.epubSplitDepth = Number(split);
  }
  const notes = values['epub-notes'];
  if (typeof notes === 'string') {
    if (notes !== 'book' && notes !== 'chapter')
      throw new UsageError(`--epub-notes takes book or chapter, got "${notes}"`);
    o.epubNotes = notes;
  }
  return o;
}

export async function buildCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    out: { type: 'string', short: 'o' },
    format: { type: 'string', short: 'f' },
    jobs: { type: 'string', short: 'j' },
    schema: { type: 'string' },
    schematron: { type: 'string' },
    'page-size': { type: 'string' },
    'pdf-variant': { type: 'string' },
    'epub-split': { type: 'string' },
    'epub-notes': { type: 'string' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(buildHelp());
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('build needs at least one FILE or DIR');
  const outDir = path.resolve((values.out as string | undefined) ?? 'dist');
  let formats: string[] | undefined;
  if (typeof values.format === 'string') {
    formats = values.format
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = formats.filter((f) => !knownFormats().includes(f));
    if (unknown.length)
      throw new UsageError(
        `unknown format(s): ${unknown.join(', ')} (known: ${knownFormats().join(', ')})`,
      );
    if (!formats.includes('tei')) formats.unshift('tei');
  }
  let jobs = os.availableParallelism();
  if (typeof values.jobs === 'string') {
    if (!/^[1-9]\d{0,2}$/.test(values.jobs))
      throw new UsageError(`--jobs takes a whole number from 1, got "${values.jobs}"`);
    jobs = Number(values.jobs);
  }
  const sourceDateEpoch = parseEpoch();
  const writerOptions = parseWriterOptions(values);
  const json = Boolean(values.json);
  const files = collectInputs(positionals, outDir);
  if (files.length === 0) throw new UsageError(`no .xml file in ${positionals.join(', ')}`);

  const many = files.length > 1;
  // batch workers render in their own threads: the worker prestarted for one document
  // (cli/main.ts) has no use
  if (many) dropPrestartedWorker();
  const bar = many && io.isTTY && !json;
  let done = 0;
  const started = performance.now();
  const draw = (current: string) => {
    const width = 24;
    const full = Math.round((done / files.length) * width);
    io.err(
      `\r\x1b[K[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${done}/${files.length} ${path.basename(current)}`,
    );
  };
  const running = runBatch(files, {
    jobs,
    outDir,
    options: {
      formats,
      force: Boolean(values.force),
      schema: values.schema as string | undefined,
      schematron: values.schematron as string | undefined,
      sourceDateEpoch,
      writerOptions,
    },
    onStart: (file) => {
      if (bar) draw(file);
      else if (!many && io.isTTY && !json) io.err(`\r\x1b[K${path.basename(file)}: building…`);
    },
    onDone: (s) => {
      done++;
      if (io.isTTY && !json) io.err('\r\x1b[K');
      if (!json) writeDiagnostics(io, s.diagnostics);
      if (!json || many) io.err(statusLine(s, many ? `[${done}/${files.length}] ` : '') + '\n');
      if (bar && done < files.length) draw('');
    },
  });
  const summaries = await running;

  if (summaries.some((s) => s.ok) || many) {
    try {
      const page = writeCollectionPage(outDir);
      if (!json && many) io.err(`collection page: ${path.relative(process.cwd(), page) || page}\n`);
    } catch (err) {
      io.err(
        `${outDir}: error: could not write the collection page: ${(err as Error).message} [io.write]\n`,
      );
    }
  }
  if (many && !json) io.err(summaryTable(summaries, performance.now() - started));
  if (json)
    io.out(
      JSON.stringify(
        summaries.map((s) => s.report),
        null,
        2,
      ) + '\n',
    );
  return summaries.reduce((w, s) => Math.max(w, s.code), 0);
}

function statusLine(s: BuildSummary, prefix: string): string {
  if (s.ok && s.dir) {
    // a bag's many files are shown as its folder
    const shown = [
      ...new Set(s.outputs.map((o) => o.path.replace(/^(\.\.\/[^/]+-bag)\/.*$/, '$1/'))),
    ];
    return `${prefix}${s.file}: built ${path.relative(process.cwd(), s.dir) || s.dir}/ (${shown.join(', ')})`;
  }
  return `${prefix}${s.file}: not built${hasErrors(s.diagnostics) && s.code === 1 ? ' (errors above; --force writes anyway)' : ''}`;
}

/** The closing table: document, status, outputs, time. */
function summaryTable(ss: BuildSummary[], wallMs: number): string {
  const rows = ss.map((s) => [
    path.basename(s.file),
    s.ok ? 'built' : s.code === 2 ? 'I/O error' : 'failed',
    s.ok
      ? s.outputs
          .map((o) => o.format)
          .filter((f) => f !== 'report' && f !== 'tei')
          .join(',')
      : '-',
    `${(s.ms / 1000).toFixed(1)} s`,
  ]);
  const head = ['document', 'status', 'outputs', 'time'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 3 ? c.padStart(w[i]) : c.padEnd(w[i])))
      .join('  ')
      .trimEnd();
  const ok = ss.filter((s) => s.ok).length;
  return (
    '\n' +
    [line(head), line(w.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n') +
    `\n${ok} of ${ss.length} built, ${ss.length - ok} failed, in ${(wallMs / 1000).toFixed(1)} s\n`
  );
}
