import * as path from 'node:path';
import { formatDiagnostic, hasErrors, sortDiagnostics } from '../diagnostics';
import { writeEditionAtomically } from '../output';
import {
  buildDocument,
  defaultFormats,
  outputRecords,
  sha256,
  type BuildResult,
} from '../pipeline';
import { knownFormats } from '../writers';
import { PAGE_SIZES } from '../writers/print';
import type { WriterOptions } from '../writers/types';
import { parse, UsageError } from './args';
import type { Io } from './output';
import { isIoError } from './validate';
import { version } from '../version';

export function buildHelp(): string {
  const { formats, skipped } = defaultFormats();
  return `Usage: editio build FILE... [--out DIR] [--format LIST] [--page-size SIZE]
                    [--pdf-variant VARIANT] [--epub-split N] [--epub-notes WHERE]
                    [--force] [--json]

Validate each TEI file and write its edition to DIR/<stem>/: <stem>.xml (the TEI
as published), report.json (diagnostics, outputs with sha256, timings) and one
file per format. Writing is atomic: a build that fails leaves the previous
DIR/<stem>/ as it was.

Options:
  --out DIR        output folder (default: dist)
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
  --json           print a JSON summary of each build on stdout
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

function report(r: BuildResult, outputs: ReturnType<typeof outputRecords>) {
  return {
    editio: version,
    file: r.file,
    stem: r.stem,
    ok: r.ok,
    source: r.source,
    outputs,
    diagnostics: sortDiagnostics(r.diagnostics),
    timings: r.timings,
  };
}

export async function buildCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    out: { type: 'string', short: 'o' },
    format: { type: 'string', short: 'f' },
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
  if (positionals.length === 0) throw new UsageError('build needs at least one FILE');
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
  const sourceDateEpoch = parseEpoch();
  const writerOptions = parseWriterOptions(values);
  const summaries: unknown[] = [];
  let worst = 0;
  for (const file of positionals) {
    const r = await buildDocument(file, {
      formats,
      force: Boolean(values.force),
      schema: values.schema as string | undefined,
      schematron: values.schematron as string | undefined,
      sourceDateEpoch,
      writerOptions,
      onProgress: (stage) => {
        if (!values.json && io.isTTY) io.err(`\r\x1b[K${r0(file)}: ${stage}…`);
      },
    });
    if (!values.json && io.isTTY) io.err('\r\x1b[K');
    for (const d of sortDiagnostics(r.diagnostics))
      if (!values.json) io.err(formatDiagnostic(d) + '\n');
    let code = 0;
    if (!r.ok) code = r.diagnostics.some(isIoError) ? 2 : 1;
    let outputs = outputRecords(r.files);
    if (r.ok) {
      const rep = report(r, outputs);
      const repData = Buffer.from(JSON.stringify(rep, null, 2) + '\n');
      const files = [
        ...r.files,
        { path: 'report.json', data: repData, format: 'report', mediaType: 'application/json' },
      ];
      try {
        const dir = writeEditionAtomically(outDir, r.stem, files);
        outputs = [
          ...outputs,
          {
            path: 'report.json',
            format: 'report',
            mediaType: 'application/json',
            bytes: repData.length,
            sha256: sha256(repData),
          },
        ];
        if (!values.json)
          io.err(
            `${file}: built ${path.relative(process.cwd(), dir) || dir}/ (${outputs.map((o) => o.path).join(', ')})\n`,
          );
      } catch (err) {
        io.err(
          `${file}: error: could not write ${path.join(outDir, r.stem)}: ${(err as Error).message} [io.write]\n`,
        );
        code = 2;
      }
    } else if (!values.json) {
      io.err(
        `${file}: not built${hasErrors(r.diagnostics) ? ' (errors above; --force writes anyway)' : ''}\n`,
      );
    }
    summaries.push(report(r, outputs));
    worst = Math.max(worst, code);
  }
  if (values.json) io.out(JSON.stringify(summaries, null, 2) + '\n');
  return worst;
}

function r0(file: string): string {
  return path.basename(file);
}
