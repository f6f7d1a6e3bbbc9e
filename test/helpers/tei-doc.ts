/**
 * A minimal TEI document for tests that build their input: a teiHeader whose titleStmt
 * holds `titleStmt` (a title by default), then `<text>` holding `text`.
 */
export function teiDocument(text: string, titleStmt = '<title>T</title>'): string {
  return (
    `<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>${titleStmt}` +
    '</titleStmt><publicationStmt><p>P</p></publicationStmt><sourceDesc><p>S</p></sourceDesc>' +
    `</fileDesc></teiHeader>\n<text>${text}</text></TEI>\n`
  );
}
