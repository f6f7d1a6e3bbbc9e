/**
 * The edition's metadata record: the teiHeader read once, by the core XSLT function
 * e:metadata (src/xslt/core/metadata.xsl), serialised as JSON by src/xslt/metadata.xsl
 * (compiled to lib/xslt/metadata.sef.json). The HTML page uses the same record for its
 * title page, Dublin Core and schema.org JSON-LD; EPUB and archive writers use this.
 *
 * Pure: text in, record + diagnostics out.
 */
import * as path from 'path';
import { diag, type Diagnostic } from '../diagnostics';
import { runXslt, type XsltJob, type XsltOutput } from '../render/xslt';
import { packageRoot } from '../paths';

/** MARC relator codes editio assigns (https://id.loc.gov/vocabulary/relators). */
export type RelatorCode =
  | 'aut'
  | 'trl'
  | 'edt'
  | 'ann'
  | 'trc'
  | 'mrk'
  | 'pfr'
  | 'com'
  | 'ill'
  | 'pbl'
  | 'fnd'
  | 'spn'
  | 'ctb'
  | string;

export interface Contributor {
  name: string;
  role: RelatorCode;
  /** The header's own wording of the role (respStmt/resp), when there is one. */
  roleLabel?: string;
  /** The xml:id of the person or organisation (own, or the one its @ref points to). */
  id?: string;
  kind: 'person' | 'organisation';
}

export interface EditionMetadata {
  /** edition | corpus (teiCorpus) | header-only | odd | fragment (not a TEI root) */
  kind: 'edition' | 'corpus' | 'header-only' | 'odd' | 'fragment';
  /** The main title ("Untitled" when the header has none). */
  title: string;
  subtitle?: string;
  /** Main title and subtitle, as the page title shows them. */
  fullTitle: string;
  authors: Contributor[];
  translators: Contributor[];
  editors: Contributor[];
  /** Everyone else named in titleStmt (respStmt, funder, sponsor…). */
  contributors: Contributor[];
  /** BCP 47 tags: the document's language first, then langUsage. */
  languages: string[];
  language?: string;
  identifiers: { type?: string; value: string }[];
  subjects: string[];
  /** Never empty: the abstract, else a sentence built from title and names. */
  description: string;
  hasPageBreaks: boolean;
  edition?: string;
  publisher?: string;
  distributor?: string;
  pubPlace?: string;
  dates?: { created?: string; published?: string; revised?: string };
  /** The edition's date (the core's rule: the first of revised, published, created that
   * begins with a year, cut to its ISO 8601 prefix). */
  editionDate?: string;
  licence?: { text: string; url?: string };
  availability?: string;
  availabilityStatus?: string;
  /** The source, in one line. */
  source?: string;
  series?: string;
}

export const DEFAULT_METADATA_SEF = path.join(packageRoot, 'lib', 'xslt', 'metadata.sef.json');

/** A record for a document that could not be read (the caller also gets an error). */
function fallback(file: string): EditionMetadata {
  const title = path.basename(file).replace(/\.[^.]+$/, '') || 'Untitled';
  return {
    kind: 'fragment',
    title,
    fullTitle: title,
    authors: [],
    translators: [],
    editors: [],
    contributors: [],
    languages: [],
    identifiers: [],
    subjects: [],
    description: `${title}.`,
    hasPageBreaks: false,
  };
}

/** The transform that reads the metadata record. */
export function metadataJob(file: string, opts: { sefPath?: string } = {}): XsltJob {
  return { sef: opts.sefPath ?? DEFAULT_METADATA_SEF, params: { 'source-file': file } };
}

/** The record from the transform's output (a fallback record when it failed). */
export function metadataFrom(
  out: XsltOutput,
  file: string,
): { metadata: EditionMetadata; diagnostics: Diagnostic[] } {
  let msg = out.error;
  if (out.ok) {
    try {
      return { metadata: JSON.parse(out.principal) as EditionMetadata, diagnostics: [] };
    } catch (err) {
      msg = `the record is not JSON: ${(err as Error).message}`;
    }
  }
  return {
    metadata: fallback(file),
    diagnostics: [diag('error', 'metadata.failed', `metadata extraction failed: ${msg}`, file)],
  };
}

/** Read the metadata record of one TEI document (its text). */
export function extractMetadata(
  teiText: string,
  file: string,
  opts: { sefPath?: string } = {},
): { metadata: EditionMetadata; diagnostics: Diagnostic[] } {
  return metadataFrom(runXslt({ text: teiText }, metadataJob(file, opts)), file);
}

/** The date of an ISO 8601 date or dateTime prefix ("1940", "2015-03", "2026-11-26T10:00"). */
export function isoToDate(v: string | undefined): Date | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?)?)?/.exec(v ?? '');
  if (!m) return undefined;
  const d = new Date(
    Date.UTC(
      Number(m[1]),
      m[2] ? Number(m[2]) - 1 : 0,
      m[3] ? Number(m[3]) : 1,
      m[4] ? Number(m[4]) : 0,
      m[5] ? Number(m[5]) : 0,
      m[6] ? Number(m[6]) : 0,
    ),
  );
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * The one date stamped into outputs (EPUB dcterms:modified and zip times, PDF dates):
 * SOURCE_DATE_EPOCH when given, else the source's revision, publication or creation
 * date, else 2000-01-01, so that a build never depends on the clock.
 */
export function editionDate(md: { editionDate?: string }, epoch: number | undefined): Date {
  if (epoch !== undefined && Number.isFinite(epoch)) return new Date(Math.trunc(epoch) * 1000);
  return isoToDate(md.editionDate) ?? new Date(Date.UTC(2000, 0, 1));
}
