/**
 * The archival package: a BagIt 1.0 bag (RFC 8493) of the edition, written beside the
 * edition's folder as `<out>/<stem>-bag/` and `<out>/<stem>-bag.zip`.
 *
 * The payload (data/) is the edition as built: the TEI as published, the HTML edition,
 * the EPUB, print.html and the PDF when one was made, plus two metadata records made
 * from the edition's metadata record (the one that feeds the EPUB): an OAI Dublin Core
 * record and a METS document listing every other payload file with its SHA-256, size and
 * MIME type. bag-info.txt comes from the header; SHA-256 and SHA-512 payload manifests
 * and a SHA-256 tag manifest close the bag.
 *
 * The archive packages, it does not render: it takes the files the formats built earlier
 * in this build left in `ctx.previous`, and renders only those that were not asked for
 * (`--format archive` alone still gives a complete bag; the PDF only where WeasyPrint is
 * installed). Deterministic: the one date is the edition date (SOURCE_DATE_EPOCH, else
 * the source's own dates), never the clock.
 *
 * Its files are returned with paths `../<stem>-bag/…` and `../<stem>-bag.zip`, relative
 * to the edition's folder; src/output.ts writes them atomically with the edition.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diag, hasErrors, type Diagnostic } from '../diagnostics';
import { editionDate, metadataFrom, metadataJob, type EditionMetadata } from '../metadata';
import { runJob } from '../render/session';
import { packageRoot } from '../paths';
import { version } from '../version';
import { makeBag, zipBag } from '../archive/bagit';
import { editionDay, externalIdentifier } from '../archive/identity';
import { metsRecord, oaiDcRecord, type RecordContext, type RecordFile } from '../archive/records';
import { epubWriter } from './epub';
import { htmlWriter } from './html-writer';
import { pdfWriter } from './pdf';
import { printWriter } from './print';
import { teiWriter } from './tei';
import type { OutputFile, Writer, WriterContext } from './types';

/** The formats a bag holds, in build order; the PDF is optional. */
const PACKAGED: { writer: Writer; required: boolean }[] = [
  { writer: teiWriter, required: true },
  { writer: htmlWriter, required: true },
  { writer: epubWriter, required: true },
  { writer: printWriter, required: true },
  { writer: pdfWriter, required: false },
];

let homepageCache: string | null | undefined;
/** The project's address from package.json (homepage, else repository), if it has one. */
function homepage(): string | undefined {
  if (homepageCache === undefined) {
    homepageCache = null;
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as {
        homepage?: string;
        repository?: string | { url?: string };
      };
      const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
      const url = pkg.homepage || repo?.replace(/^git\+/, '').replace(/\.git$/, '');
      if (url && /^https?:\/\//.test(url)) homepageCache = url;
    } catch {
      /* no address */
    }
  }
  return homepageCache ?? undefined;
}

/** Bag-Software-Agent: `editio <version> (<address>)`, the address when there is one. */
export function softwareAgent(): string {
  const url = homepage();
  return url ? `editio ${version} (${url})` : `editio ${version}`;
}

/** The bag's folder and zip names, beside the edition's folder `<stem>/`. */
export function bagNames(stem: string): { dir: string; zip: string } {
  return { dir: `${stem}-bag`, zip: `${stem}-bag.zip` };
}

/** The outputs a bag holds: from this build, or rendered here when not built. */
async function editionFiles(
  ctx: WriterContext,
  diagnostics: Diagnostic[],
): Promise<OutputFile[] | undefined> {
  const files: OutputFile[] = [];
  for (const { writer, required } of PACKAGED) {
    const built = ctx.previous.filter((f) => f.format === writer.format);
    if (built.length) {
      files.push(...built);
      continue;
    }
    const a = writer.available();
    if (!a.ok) {
      if (required) {
        diagnostics.push(
          diag(
            'error',
            'archive.format-unavailable',
            `the bag needs the ${writer.format} output, which cannot be made here: ${a.reason}`,
            ctx.loaded.file,
          ),
        );
        return undefined;
      }
      // no PDF here: the bag holds none (a default build has already said why, once)
      continue;
    }
    const r = await writer.write({ ...ctx, previous: [...ctx.previous, ...files] });
    if (!required && hasErrors(r.diagnostics)) {
      // an optional format that failed: the bag is made without it, and says why
      diagnostics.push(
        ...r.diagnostics.map((d) =>
          d.severity === 'error'
            ? { ...d, severity: 'warning' as const, message: `${d.message} (the bag holds no PDF)` }
            : d,
        ),
      );
      continue;
    }
    diagnostics.push(...r.diagnostics);
    if (hasErrors(r.diagnostics)) return undefined;
    files.push(...r.files.filter((f) => f.format === writer.format));
  }
  return files;
}

/** The bag's files (bag paths) for an edition's outputs and metadata record. */
export async function buildBag(
  outputs: OutputFile[],
  metadata: EditionMetadata,
  opts: { sourceDateEpoch?: number; stem: string },
): Promise<{ bag: { path: string; data: Buffer; mediaType: string }[]; zip: Buffer }> {
  const ctx: RecordContext = {
    metadata,
    identifier: externalIdentifier(metadata),
    date: editionDay(metadata, opts.sourceDateEpoch),
    agent: `editio ${version}`,
  };
  const payload: RecordFile[] = outputs.map((f) => ({
    path: f.path,
    data: f.data,
    mediaType: f.mediaType,
    format: f.format,
  }));
  const dc: RecordFile = {
    path: 'metadata/oai_dc.xml',
    data: oaiDcRecord(ctx),
    mediaType: 'application/xml',
    format: 'metadata',
  };
  payload.push(dc);
  const mets: RecordFile = {
    path: 'metadata/mets.xml',
    data: metsRecord(ctx, payload),
    mediaType: 'application/xml',
    format: 'metadata',
  };
  payload.push(mets);

  const files = makeBag({
    payload,
    info: [
      ['Source-Organization', metadata.publisher || metadata.distributor || 'editio'],
      ['External-Identifier', ctx.identifier],
      ['External-Description', metadata.description],
      ['Bagging-Date', ctx.date],
      ['Bag-Software-Agent', softwareAgent()],
    ],
    oxumAfter: 'Bagging-Date',
  });
  const types = new Map(payload.map((f) => [`data/${f.path}`, f.mediaType]));
  const bag = files.map((f) => ({
    ...f,
    mediaType: types.get(f.path) ?? 'text/plain; charset=utf-8',
  }));
  const zip = await zipBag(
    files,
    bagNames(opts.stem).dir,
    editionDate(metadata, opts.sourceDateEpoch),
  );
  return { bag, zip };
}

export const archiveWriter: Writer = {
  format: 'archive',
  description: 'a BagIt 1.0 archival package beside the edition (<stem>-bag/, <stem>-bag.zip)',
  available: () => ({ ok: true }),
  // the formats it packages (the same jobs as theirs, so run once) and the metadata record
  jobs: (ctx) => [
    ...PACKAGED.flatMap(({ writer }) => (writer.available().ok ? (writer.jobs?.(ctx) ?? []) : [])),
    metadataJob(ctx.loaded.file),
  ],
  // With `--format archive` alone the bag makes the formats itself: their set-up begins
  // early, as with their own writers (WeasyPrint's start-up in prepare(), the EPUB
  // packager's loading in preload()).
  prepare() {
    for (const { writer } of PACKAGED) if (writer.available().ok) writer.prepare?.();
  },
  preload() {
    for (const { writer } of PACKAGED) if (writer.available().ok) writer.preload?.();
  },
  // and begins the formats that begin early (today the PDF), as their own writers do
  start(ctx) {
    for (const { writer } of PACKAGED) if (writer.available().ok) writer.start?.(ctx);
  },
  release() {
    for (const { writer } of PACKAGED) writer.release?.();
  },
  async write(ctx) {
    const diagnostics: Diagnostic[] = [];
    const outputs = await editionFiles(ctx, diagnostics);
    if (!outputs) return { files: [], diagnostics };
    const md = metadataFrom(await runJob(ctx, metadataJob(ctx.loaded.file)), ctx.loaded.file);
    diagnostics.push(...md.diagnostics);
    if (hasErrors(md.diagnostics)) return { files: [], diagnostics };
    const { bag, zip } = await buildBag(outputs, md.metadata, {
      sourceDateEpoch: ctx.sourceDateEpoch,
      stem: ctx.stem,
    });
    const names = bagNames(ctx.stem);
    return {
      files: [
        ...bag.map((f) => ({
          path: `../${names.dir}/${f.path}`,
          data: f.data,
          format: 'archive',
          mediaType: f.mediaType,
        })),
        { path: `../${names.zip}`, data: zip, format: 'archive', mediaType: 'application/zip' },
      ],
      diagnostics,
    };
  },
};
