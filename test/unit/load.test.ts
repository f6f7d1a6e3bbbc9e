import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadXmlFile, loadXmlString } from '../../src/load';
import type { LoadedXml } from '../../src/load/types';

let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'editio-load-'));
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function write(name: string, content: string | Buffer): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, content);
  return p;
}

function timed(fn: () => LoadedXml): LoadedXml {
  const t0 = Date.now();
  const r = fn();
  // Generous: the point is "no hang", not a benchmark.
  expect(Date.now() - t0).toBeLessThan(5000);
  return r;
}

function codes(r: LoadedXml): string[] {
  return r.diagnostics.map((d) => d.code);
}

const TEI = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/></TEI>';

describe('loadXmlFile: bad input is refused with a clear diagnostic', () => {
  test('missing file', () => {
    const r = timed(() => loadXmlFile(path.join(tmp, 'no-such-file.xml')));
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual(['io.not-found']);
    expect(r.diagnostics[0].severity).toBe('error');
  });

  test('a directory', () => {
    const r = timed(() => loadXmlFile(tmp));
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual(['io.is-directory']);
  });

  test('an empty file', () => {
    const r = timed(() => loadXmlFile(write('empty.xml', '')));
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual(['io.empty']);
  });

  test('a whitespace-only file', () => {
    const r = timed(() => loadXmlFile(write('blank.xml', '  \n\t\n')));
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual(['io.empty']);
  });

  test('a binary file (NUL bytes), with the position of the first NUL', () => {
    const buf = Buffer.concat([
      Buffer.from('<a>\nab'),
      Buffer.from([0, 1, 2, 0xff]),
      Buffer.from('</a>'),
    ]);
    const r = timed(() => loadXmlFile(write('binary.xml', buf)));
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual(['io.binary']);
    expect(r.diagnostics[0]).toMatchObject({ line: 2, column: 3 });
  });

  test('invalid UTF-8, with its position', () => {
    const buf = Buffer.concat([
      Buffer.from('<a>\n\n  é'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('</a>'),
    ]);
    const r = timed(() => loadXmlFile(write('latin1.xml', buf)));
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual(['io.binary']);
    expect(r.diagnostics[0]).toMatchObject({ line: 3, column: 4 });
  });

  test('UTF-16 is refused (only UTF-8 is supported)', () => {
    const buf = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<a/>', 'utf16le')]);
    const r = timed(() => loadXmlFile(write('utf16.xml', buf)));
    expect(codes(r)).toEqual(['io.binary']);
  });

  test('text that is not XML', () => {
    const r = timed(() => loadXmlFile(write('prose.xml', 'Dear reader,\nthis is not XML.\n')));
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual(['xml.not-well-formed']);
    expect(r.diagnostics[0].line).toBeGreaterThan(0);
    expect(r.diagnostics[0].column).toBeGreaterThan(0);
  });

  test('malformed XML is reported at the line and column saxes gives', () => {
    const r = timed(() => loadXmlFile(write('mismatch.xml', '<a>\n  <b>\n  </c>\n</a>\n')));
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual(['xml.not-well-formed']);
    expect(r.diagnostics[0]).toMatchObject({ line: 3, column: 6 });
    expect(r.diagnostics[0].message).toMatch(/not well-formed/);
  });

  test('an undeclared namespace prefix is not well-formed', () => {
    const r = timed(() => loadXmlString('<a>\n<x:b/></a>', 'prefix.xml'));
    expect(codes(r)).toEqual(['xml.not-well-formed']);
    expect(r.diagnostics[0].line).toBe(2);
  });

  test('an external entity is refused and its target is never read', () => {
    const secret = 'TOP-SECRET-' + Math.random().toString(36).slice(2);
    const secretFile = write('secret.txt', secret);
    const xml =
      '<?xml version="1.0"?>\n' +
      `<!DOCTYPE TEI [\n  <!ENTITY x SYSTEM "file://${secretFile}">\n]>\n` +
      '<TEI xmlns="http://www.tei-c.org/ns/1.0"><p>&x;</p></TEI>\n';
    const before = fs.statSync(secretFile).atimeMs;
    const r = timed(() => loadXmlFile(write('xxe.xml', xml)));
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual(['xml.doctype-entity']);
    expect(r.diagnostics[0].line).toBe(4);
    expect(JSON.stringify(r)).not.toContain(secret);
    expect(fs.statSync(secretFile).atimeMs).toBe(before);
  });

  test('an entity-expansion bomb (billion laughs) is refused without expanding', () => {
    let decls = '  <!ENTITY lol0 "lol">\n';
    for (let i = 1; i <= 9; i++) {
      const prev = `&lol${i - 1};`;
      decls += `  <!ENTITY lol${i} "${prev.repeat(10)}">\n`;
    }
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n${decls}]>\n<lolz>&lol9;</lolz>\n`;
    const r = timed(() => loadXmlFile(write('bomb.xml', xml)));
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual(['xml.doctype-entity']);
    expect(JSON.stringify(r.diagnostics)).not.toContain('lollol');
  });

  test('100,000 nested elements hit the depth limit', () => {
    const n = 100000;
    const xml = '<a>'.repeat(n) + '</a>'.repeat(n);
    const r = timed(() => loadXmlFile(write('deep.xml', xml)));
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual(['xml.too-deep']);
    // The 5,001st start tag ends at column 5001 * 3.
    expect(r.diagnostics[0]).toMatchObject({ line: 1, column: 5001 * 3 });
  });

  test('files over the size cap are refused before reading', () => {
    const p = write('big.xml', `<a>${'x'.repeat(2000)}</a>`);
    const r = timed(() => loadXmlFile(p, { maxBytes: 1000 }));
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual(['io.too-large']);
  });
});

describe('loadXmlFile: DOCTYPE policy and what is recorded', () => {
  test('a DOCTYPE without an internal subset is a warning and is ignored', () => {
    const xml = '<!DOCTYPE TEI SYSTEM "http://example.org/tei.dtd">\n' + TEI;
    const r = timed(() => loadXmlFile(write('doctype.xml', xml)));
    expect(r.ok).toBe(true);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({
      severity: 'warning',
      code: 'xml.doctype-ignored',
      line: 1,
    });
  });

  test('an internal subset with only parameter entities is a warning (no DTD is processed)', () => {
    const xml = '<!DOCTYPE TEI [\n<!ENTITY % TEI.core "INCLUDE">\n]>\n' + TEI;
    const r = timed(() => loadXmlString(xml, 'pe.xml'));
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => [d.severity, d.code])).toEqual([
      ['warning', 'xml.doctype-subset-ignored'],
    ]);
  });

  test('xml-model PIs before the root are collected with their pseudo-attributes', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<?xml-model href="schema/editio.rng" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>\n' +
      "<?xml-model href='editio.sch' schematypens='http://purl.oclc.org/dsdl/schematron'?>\n" +
      TEI +
      '\n<?xml-model href="after-root.rng"?>';
    const r = timed(() => loadXmlString(xml, 'models.xml'));
    expect(r.ok).toBe(true);
    expect(r.xmlModels).toEqual([
      {
        href: 'schema/editio.rng',
        type: 'application/xml',
        schematypens: 'http://relaxng.org/ns/structure/1.0',
      },
      { href: 'editio.sch', schematypens: 'http://purl.oclc.org/dsdl/schematron' },
    ]);
    expect(r.rootName).toBe('TEI');
    expect(r.rootNamespace).toBe('http://www.tei-c.org/ns/1.0');
  });

  test('a non-TEI root is not a load error: root name and namespace are recorded', () => {
    const r = timed(() => loadXmlString('<html xmlns="http://www.w3.org/1999/xhtml"/>', 'x.html'));
    expect(r.ok).toBe(true);
    expect(r.diagnostics).toEqual([]);
    expect(r.rootName).toBe('html');
    expect(r.rootNamespace).toBe('http://www.w3.org/1999/xhtml');
    const r2 = timed(() => loadXmlString('<TEI/>', 'nons.xml'));
    expect(r2.ok).toBe(true);
    expect(r2.rootNamespace).toBe('');
  });

  test('a UTF-8 BOM is accepted', () => {
    const r = timed(() =>
      loadXmlFile(
        write('bom.xml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEI)])),
      ),
    );
    expect(r.ok).toBe(true);
    expect(r.text.startsWith('<TEI')).toBe(true);
  });
});
