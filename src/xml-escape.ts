/**
 * Escaping for XML that editio writes as text, not through a serialiser: the EPUB's
 * package documents (src/writers/epub.ts) and the collection page (src/batch/collection.ts).
 */

function escapeMarkup(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Markup escaped, for element content or a double-quoted attribute value: & < > ". */
export function escapeXml(s: string): string {
  return escapeMarkup(s).replace(/"/g, '&quot;');
}

// (the characters XML 1.0 forbids, and a surrogate without its pair)
const NOT_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text from outside (a report on disk, say) for element content: what XML 1.0 forbids
 * dropped, & < > escaped, and a CR written as a reference (a parser would make it LF).
 */
export function safeXmlText(s: string): string {
  return escapeMarkup(s.replace(NOT_XML, '')).replace(/\r/g, '&#xD;');
}

/** The same for a double-quoted attribute value: " escaped too, and tab and LF as
 * references (a parser would make them spaces). */
export function safeXmlAttribute(s: string): string {
  return escapeXml(s.replace(NOT_XML, ''))
    .replace(/\t/g, '&#x9;')
    .replace(/\n/g, '&#xA;')
    .replace(/\r/g, '&#xD;');
}
