/**
 * What names an edition in its archival package: its identifier and its one date.
 */
import { editionDate, type EditionMetadata } from '../metadata';
import { uuidV5 } from '../writers/epub';

/**
 * The identity a UUID v5 is made from: what names this text, not its bytes. The same
 * JSON as the EPUB writer's (src/writers/epub.ts, identity()), whose `m.lang` is the
 * record's language, else the labels' language "en", so that a text without an idno has
 * the same urn:uuid in its EPUB and in its bag.
 */
export function editionIdentity(md: EditionMetadata): string {
  return JSON.stringify({
    identifiers: (md.identifiers ?? []).map((i) => i.value),
    title: md.fullTitle || md.title,
    authors: (md.authors ?? []).map((a) => a.name),
    language: md.language || 'en',
  });
}

/** The edition's urn:uuid (UUID v5), as the EPUB's dc:identifier. */
export function editionUrn(md: EditionMetadata): string {
  return `urn:uuid:${uuidV5(`editio:${editionIdentity(md)}`)}`;
}

/** The TEI's first identifier (publicationStmt/idno), else the edition's urn:uuid. */
export function externalIdentifier(md: EditionMetadata): string {
  return md.identifiers?.[0]?.value || editionUrn(md);
}

/** The edition date as YYYY-MM-DD: SOURCE_DATE_EPOCH, else the source's own dates. */
export function editionDay(md: EditionMetadata, epoch: number | undefined): string {
  return editionDate(md.dates, epoch).toISOString().slice(0, 10);
}
