/**
 * The PDF tests read fonts through pdffonts' table (test/helpers/poppler.ts). These are
 * tables poppler-utils 22 printed for PDFs editio made: the flagship with Linux
 * Libertine, and a trial with Gentium Book Plus, whose italic's name (38 characters with
 * its subset tag) is longer than pdffonts' name column and pushes the rest of its row
 * right (its "sub" is set to "no", as pdffonts pads it, "%-3s", so that each column is
 * told apart). A misread row would let the font checks pass or fail on the wrong columns.
 */
import { parsePdffonts } from '../helpers/poppler';

const head =
  'name                                 type              encoding         emb sub uni object ID\n' +
  '------------------------------------ ----------------- ---------------- --- --- --- ---------\n';

describe("pdffonts' table", () => {
  test('a type with spaces in it is one column', () => {
    const rows = parsePdffonts(
      head +
        'JQNXUJ+Linux-Libertine-O             CID Type 0C (OT)  Identity-H       yes yes yes    183  0\n' +
        'KQYRHS+Linux-Libertine-O-Italic      CID Type 0C (OT)  Identity-H       yes yes yes    187  0\n',
    );
    expect(rows).toEqual([
      {
        name: 'JQNXUJ+Linux-Libertine-O',
        type: 'CID Type 0C (OT)',
        encoding: 'Identity-H',
        emb: true,
        sub: true,
        uni: true,
      },
      {
        name: 'KQYRHS+Linux-Libertine-O-Italic',
        type: 'CID Type 0C (OT)',
        encoding: 'Identity-H',
        emb: true,
        sub: true,
        uni: true,
      },
    ]);
  });

  test('a name longer than its column moves the rest of its row, not the others', () => {
    const rows = parsePdffonts(
      head +
        'FLMDCA+Gentium-Book-Plus-Medium      CID TrueType      Identity-H       yes yes yes    395  0\n' +
        'YYJKRA+Gentium-Book-Plus-Medium-Italic CID TrueType      Identity-H       yes no  yes    399  0\n',
    );
    expect(rows?.map((r) => [r.name, r.type, r.encoding, r.emb, r.sub, r.uni])).toEqual([
      ['FLMDCA+Gentium-Book-Plus-Medium', 'CID TrueType', 'Identity-H', true, true, true],
      ['YYJKRA+Gentium-Book-Plus-Medium-Italic', 'CID TrueType', 'Identity-H', true, false, true],
    ]);
  });

  test('no table, no rows', () => {
    expect(parsePdffonts("Syntax Error: Couldn't open file")).toBeUndefined();
    expect(parsePdffonts(head)).toEqual([]);
  });
});
