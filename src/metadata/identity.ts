/**
 * What names an edition across its formats: the urn:uuid of the EPUB's dc:identifier
 * and of the archive's External-Identifier, made from what names the text (identifiers,
 * title, authors, language), not from its bytes.
 */
import { createHash } from 'node:crypto';

/** The part of the metadata record that names the text. */
interface Named {
  identifiers?: { value: string }[];
  title?: string;
  fullTitle?: string;
  authors?: { name: string }[];
  language?: string;
}

/** RFC 4122 UUID v5 (SHA-1, name-based) of a name in the URL namespace. */
/** RFC 4122 UUID v5 (SHA-1, name-based) of a name in the URL namespace. */
export function uuidV5(name: string): string {
  const ns = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/**
 * The identity a UUID v5 is made from. `fallback` stands in for what the record lacks:
 * the EPUB passes the title and language it shows (the file name, the page language).
 */
export function editionIdentity(
  md: Named,
  fallback: { title?: string; lang?: string } = {},
): string {
  return JSON.stringify({
    identifiers: (md.identifiers ?? []).map((i) => i.value),
    title: md.fullTitle || md.title || fallback.title,
    authors: (md.authors ?? []).map((a) => a.name),
    language: md.language || fallback.lang || 'en',
  });
}

/** The edition's urn:uuid (UUID v5). */
export function editionUrn(md: Named, fallback: { title?: string; lang?: string } = {}): string {
  return `urn:uuid:${uuidV5(`editio:${editionIdentity(md, fallback)}`)}`;
}
