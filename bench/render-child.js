'use strict';
// Renders one TEI file to HTML in this process (no validation) and prints JSON:
// { ms, maxRssMB }. With --repeat N, the <body> content is repeated N times first
// (xml:ids dropped), for the scaling line. With --flat N, the file is ignored and a text of N
// sibling divisions, each with a head and a paragraph, is rendered instead (the scaling of
// flat structure: a dictionary, a collection of letters). With --pages N, a text of N
// paragraphs each followed by a page break without a number is rendered to EPUB (the
// scaling of a transcription's breaks, which once grew with their square). Used by
// bench/run.js.
const fs = require('node:fs');
const { renderHtml } = require('../lib/writers/html.js');
const { renderEpub } = require('../lib/writers/epub.js');

const [file, flag, n] = process.argv.slice(2);
let text = fs.readFileSync(file, 'utf8');
if (flag === '--repeat') {
  const m = /<body(\s[^>]*)?>([\s\S]*)<\/body>/.exec(text);
  if (!m) throw new Error('no <body> to repeat');
  const inner = m[2].replace(/\sxml:id="[^"]*"/g, '');
  text =
    text.slice(0, m.index) +
    `<body${m[1] || ''}>` +
    inner.repeat(Number(n)) +
    '</body>' +
    text.slice(m.index + m[0].length);
}
if (flag === '--flat') {
  const divs = Array.from(
    { length: Number(n) },
    (_, i) => `<div type="entry"><head>Entry ${i + 1}</head><p>Text of entry ${i + 1}.</p></div>`,
  ).join('\n');
  text =
    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Flat</title>' +
    '</titleStmt><publicationStmt><p>bench</p></publicationStmt><sourceDesc><p>generated</p>' +
    `</sourceDesc></fileDesc></teiHeader><text><body>${divs}</body></text></TEI>`;
}
if (flag === '--pages') {
  const pages = Array.from(
    { length: Number(n) },
    (_, i) => `<p>Text of page ${i + 1}, transcribed.</p><pb/>`,
  ).join('\n');
  text =
    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Pages</title>' +
    '</titleStmt><publicationStmt><p>bench</p></publicationStmt><sourceDesc><p>generated</p>' +
    `</sourceDesc></fileDesc></teiHeader><text><body><div>${pages}</div></body></text></TEI>`;
}

(async () => {
  const t0 = process.hrtime.bigint();
  const r = flag === '--pages' ? await renderEpub(text, { file }) : renderHtml(text, { file });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.diagnostics.some((d) => d.severity === 'error')) {
    process.stderr.write(JSON.stringify(r.diagnostics) + '\n');
    process.exit(1);
  }
  process.stdout.write(
    JSON.stringify({
      ms,
      bytes: Buffer.byteLength(text),
      maxRssMB: process.resourceUsage().maxRSS / 1024,
    }) + '\n',
  );
})();
