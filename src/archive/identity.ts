/**
 * What names an edition in its archival package: its identifier and its one date.
 */
import { editionDate, type EditionMetadata } from '../metadata';
import { editionUrn } from '../metadata/identity';

export { editionUrn };

/** The TEI's first identifier (publicationStmt/idno), else the edition's urn:uuid. */
export function externalIdentifier(md: EditionMetadata): string {
  return md.identifiers?.[0]?.value || editionUrn(md);
}

/** The edition date as YYYY-MM-DD: SOURCE_DATE_EPOCH, else the source's own dates. */
export function editionDay(md: EditionMetadata, epoch: number | undefined): string {
  return editionDate(md, epoch).toISOString().slice(0, 10);
}
