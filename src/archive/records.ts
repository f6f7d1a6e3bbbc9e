/**
 * The bag's metadata records, built with xmlbuilder2 from the edition's metadata record
 * (the same EditionMetadata that feeds the EPUB's package document):
 *
 * - an OAI Dublin Core record (`oai_dc`, the format every OAI-PMH repository serves);
 * - a METS document listing every other payload file with its SHA-256, size and MIME
 *   type, with the Dublin Core record wrapped as its descriptive metadata.
 *
 * Deterministic: the one date is the edition date (YYYY-MM-DD), IDs follow the sorted
 * file list, and nothing reads the clock.
 */
import { createHash } from 'node:crypto';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import type { EditionMetadata } from '../metadata';
import { createXml as create } from '../xmlbuilder';
import { byPath } from './bagit';

export const OAI_DC_NS = 'http://www.openarchives.org/OAI/2.0/oai_dc/';
export const DC_NS = 'http://purl.org/dc/elements/1.1/';
export const METS_NS = 'http://www.loc.gov/METS/';
export const XLINK_NS = 'http://www.w3.org/1999/xlink';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

export interface RecordContext {
  metadata: EditionMetadata;
  /** The bag's External-Identifier (idno, else the urn:uuid). */
  identifier: string;
  /** The edition date, YYYY-MM-DD. */
  date: string;
  /** "editio 0.1.0". */
  agent: string;
}

/** One payload file the METS lists, by its path relative to data/. */
export interface RecordFile {
  path: string;
  data: Buffer;
  mediaType: string;
  /** The edition format it belongs to (tei, html, epub, print, pdf, metadata). */
  format: string;
}

function clean(s: string | undefined): string {
  return (s ?? '').replace(/\s+/g, ' ').trim();
}

function unique(values: (string | undefined)[]): string[] {
  const out: string[] = [];
  for (const v of values.map(clean)) if (v && !out.includes(v)) out.push(v);
  return out;
}

/** Dublin Core elements, in the order oai_dc.xsd lists them. */
function dcElements(c: RecordContext): [string, string][] {
  const md = c.metadata;
  const out: [string, string][] = [];
  const add = (name: string, values: (string | undefined)[]) => {
    for (const v of unique(values)) out.push([name, v]);
  };
  add('title', [md.fullTitle || md.title]);
  add(
    'creator',
    md.authors.map((a) => a.name),
  );
  add('subject', md.subjects);
  add('description', [md.description]);
  add('publisher', [md.publisher ?? md.distributor]);
  add(
    'contributor',
    [...md.translators, ...md.editors, ...md.contributors].map((a) => a.name),
  );
  add('date', [c.date]);
  add('type', ['Text']);
  add('identifier', [c.identifier, ...md.identifiers.map((i) => i.value)]);
  add('source', [md.source]);
  add('language', md.languages.length ? md.languages : [md.language]);
  add('relation', [md.series]);
  add('rights', [md.licence?.text ?? md.availability, md.licence?.url]);
  return out;
}

function appendDc(parent: XMLBuilder, c: RecordContext): void {
  const dc = parent.ele(OAI_DC_NS, 'oai_dc:dc', {
    'xmlns:dc': DC_NS,
    'xmlns:xsi': XSI_NS,
    'xsi:schemaLocation': `${OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd`,
  });
  for (const [name, value] of dcElements(c)) dc.ele(DC_NS, `dc:${name}`).txt(value);
}

function serialise(doc: XMLBuilder): Buffer {
  return Buffer.from(`${doc.end({ prettyPrint: true })}\n`, 'utf8');
}

/** The OAI Dublin Core record (`data/metadata/oai_dc.xml`). */
export function oaiDcRecord(c: RecordContext): Buffer {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  appendDc(doc, c);
  return serialise(doc);
}

/** The formats in the edition's own order (the build order, metadata last). */
const FORMAT_ORDER = ['tei', 'html', 'epub', 'print', 'pdf', 'metadata'];

/** What each format is, for the METS structural map. */
const FORMAT_LABELS: Record<string, string> = {
  tei: 'TEI P5 source, as published',
  html: 'HTML reading edition',
  epub: 'EPUB 3 e-book',
  print: 'Print edition (HTML with CSS Paged Media)',
  pdf: 'PDF of the print edition',
  metadata: 'Dublin Core record (OAI-PMH oai_dc)',
};

/** A relative URL from data/metadata/ to a payload file (path relative to data/). */
function hrefFromMetadata(p: string): string {
  const rel = p.startsWith('metadata/') ? p.slice('metadata/'.length) : `../${p}`;
  return rel
    .split('/')
    .map((s) => (s === '..' ? s : encodeURIComponent(s)))
    .join('/');
}

/**
 * The METS document (`data/metadata/mets.xml`): every payload file given (all but the
 * METS itself) with its SHA-256, size and MIME type, one file group per format, the Dublin
 * Core record as descriptive metadata, and a structural map of the edition's formats.
 */
export function metsRecord(c: RecordContext, files: RecordFile[]): Buffer {
  const md = c.metadata;
  const rank = (f: RecordFile) => {
    const i = FORMAT_ORDER.indexOf(f.format);
    return i < 0 ? FORMAT_ORDER.length : i;
  };
  const sorted = [...files].sort((a, b) => rank(a) - rank(b) || byPath(a, b));
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const mets = doc.ele(METS_NS, 'mets', {
    'xmlns:xlink': XLINK_NS,
    'xmlns:xsi': XSI_NS,
    'xsi:schemaLocation': `${METS_NS} http://www.loc.gov/standards/mets/mets.xsd`,
    OBJID: c.identifier,
    LABEL: clean(md.fullTitle || md.title),
    TYPE: md.kind,
  });
  const hdr = mets.ele('metsHdr', { CREATEDATE: `${c.date}T00:00:00Z` });
  hdr
    .ele('agent', { ROLE: 'CREATOR', TYPE: 'OTHER', OTHERTYPE: 'SOFTWARE' })
    .ele('name')
    .txt(c.agent);
  hdr.ele('altRecordID', { TYPE: 'External-Identifier' }).txt(c.identifier);
  const xmlData = mets
    .ele('dmdSec', { ID: 'dmd-dc' })
    .ele('mdWrap', { MDTYPE: 'DC', MIMETYPE: 'application/xml', LABEL: 'Dublin Core' })
    .ele('xmlData');
  appendDc(xmlData, c);

  const ids = new Map<RecordFile, string>();
  sorted.forEach((f, i) => ids.set(f, `file-${i + 1}`));
  const groups: string[] = [];
  for (const f of sorted) if (!groups.includes(f.format)) groups.push(f.format);
  const fileSec = mets.ele('fileSec');
  for (const g of groups) {
    const grp = fileSec.ele('fileGrp', { ID: `grp-${g}`, USE: g });
    for (const f of sorted.filter((x) => x.format === g)) {
      grp
        .ele('file', {
          ID: ids.get(f)!,
          MIMETYPE: f.mediaType,
          SIZE: String(f.data.length),
          CHECKSUM: createHash('sha256').update(f.data).digest('hex'),
          CHECKSUMTYPE: 'SHA-256',
        })
        .ele('FLocat', {
          LOCTYPE: 'URL',
          'xlink:type': 'simple',
          'xlink:href': hrefFromMetadata(f.path),
          'xlink:title': `data/${f.path}`,
        });
    }
  }
  const edition = mets
    .ele('structMap', { TYPE: 'logical', LABEL: 'Formats of the edition' })
    .ele('div', { TYPE: 'edition', LABEL: clean(md.fullTitle || md.title), DMDID: 'dmd-dc' });
  sorted.forEach((f, i) => {
    edition
      .ele('div', {
        TYPE: f.format,
        ORDER: String(i + 1),
        LABEL: FORMAT_LABELS[f.format] ?? f.format,
      })
      .ele('fptr', { FILEID: ids.get(f)! });
  });
  return serialise(mets.doc());
}
