import * as fs from 'fs';
import * as path from 'path';
import type { Diagnostic } from '../../src/diagnostics';
import type { LoadedXml } from '../../src/load/types';
import { validateSchematron } from '../../src/validate/schematron';
import { elementPositions } from '../../src/validate/sch-positions';
import { privateCacheDir } from '../helpers/cache-dir';

const repoRoot = path.resolve(__dirname, '..', '..');
const fixtures = path.join(repoRoot, 'test', 'fixtures', 'sch');
const editioSch = path.join(repoRoot, 'schema', 'editio.sch');
const teiAllSch = path.resolve(repoRoot, '../shared/schema-vendor/tei_all.sch');

// Compiled stylesheets go to a private cache so tests do not depend on earlier runs.
const cacheDir = privateCacheDir('editio-sch-test-');

function loadedFromText(text: string, file = 'doc.xml', dir = fixtures): LoadedXml {
  return {
    file,
    absPath: path.join(dir, file),
    text,
    ok: true,
    diagnostics: [],
    xmlModels: [],
  };
}

function loadFixture(name: string): LoadedXml {
  return loadedFromText(fs.readFileSync(path.join(fixtures, name), 'utf8'), name);
}

/** `code@line:col` for compact comparisons. */
const brief = (ds: Diagnostic[]) => ds.map((d) => `${d.code}@${d.line}:${d.column}`).sort();

describe('editio.sch', () => {
  it('accepts the valid fixture', async () => {
    expect(await validateSchematron(loadFixture('valid.xml'), editioSch)).toEqual([]);
  });

  const cases: [string, string[], RegExp][] = [
    [
      'pointer-unresolved.xml',
      ['sch.pointer-resolves@17:9'],
      /@target on ref points to #nowhere #p9/,
    ],
    ['note-resp-unresolved.xml', ['sch.pointer-resolves@19:9'], /@resp on note points to #editor/],
    ['gap-no-reason.xml', ['sch.gap-reason@19:51'], /gap without @reason/],
    ['note-no-resp.xml', ['sch.note-resp@19:9'], /note has no @resp/],
    ['note-number-hole.xml', ['sch.note-number-hole@20:9'], /notes skip 2 \(before note 3\)/],
    ['note-number-duplicate.xml', ['sch.note-number-duplicate@20:9'], /note number 2 is used more/],
    // The duplicated id also leaves #p2 dangling.
    [
      'xml-id-duplicate.xml',
      ['sch.pointer-resolves@17:9', 'sch.xml-id-unique@18:7'],
      /xml:id "p1" is already used by an earlier p/,
    ],
  ];
  it.each(cases)('%s', async (name, expected, message) => {
    const ds = await validateSchematron(loadFixture(name), editioSch);
    expect(brief(ds)).toEqual(expected);
    expect(ds.every((d) => d.severity === 'error' && d.file === name)).toBe(true);
    expect(ds.map((d) => d.message).join('\n')).toMatch(message);
  });

  it('reports a note with a non-local @resp, and notes starting above 1', async () => {
    const text = fs
      .readFileSync(path.join(fixtures, 'valid.xml'), 'utf8')
      .replace('<note resp="#ed">', '<note resp="editor">')
      .replace('<note resp="#serge" n="1">', '<note resp="#serge" n="4">')
      .replace('<note resp="#serge" n="2">', '<note resp="#serge" n="5">')
      .replace('<note resp="#serge" n="3" ', '<note resp="#serge" n="6" ');
    const ds = await validateSchematron(loadedFromText(text), editioSch);
    expect(brief(ds)).toEqual(['sch.note-number-hole@16:29', 'sch.note-resp-local@19:9']);
    expect(ds.find((d) => d.code === 'sch.note-number-hole')?.message).toMatch(/skip 1–3/);
  });
});

describe('Schematron features', () => {
  const custom = path.join(fixtures, 'custom.sch');

  it('runs let, value-of, name, report, roles, abstract patterns and rules', async () => {
    const ds = await validateSchematron(loadFixture('custom.xml'), custom);
    const byCode = (c: string) => ds.filter((d) => d.code === c);
    expect(brief(ds)).toEqual([
      'sch.assert@7:3',
      'sch.code-format@5:5',
      'sch.empty@5:5',
      'sch.list-long@3:3',
      'sch.required-attribute@4:28',
      'sch.shadowed@5:5',
    ]);
    expect(byCode('sch.list-long')[0]).toMatchObject({
      severity: 'warning',
      message: 'list "long" has 3 items (of 5), more than 2',
    });
    expect(byCode('sch.code-format')[0]).toMatchObject({
      severity: 'info',
      message: '@code "abc" on item is not three capitals',
    });
    expect(byCode('sch.required-attribute')[0]).toMatchObject({
      severity: 'error', // role="fatal"
      message: 'item needs @id',
    });
    expect(byCode('sch.empty')[0].severity).toBe('warning'); // role="warn"
    expect(byCode('sch.assert')[0]).toMatchObject({
      severity: 'error',
      message: 'list without a name',
    });
    // The first matching rule of a pattern wins: `shadowed` never fires on t:list.
    expect(byCode('sch.shadowed').map((d) => d.message)).toEqual(['only items get here: item']);
  });

  it('maps every element to the exact line and column of its start tag', async () => {
    // Build a document whose expected positions are known by construction: CRLF and CR
    // line ends, astral characters, comments/CDATA/PIs holding `<`, a newline after a name.
    let text = '<?xml version="1.0"?>\r\n<!-- <not-an-element> -->\r';
    let line = 3;
    let col = 1;
    const append = (s: string) => {
      for (const ch of s) {
        if (ch === '\n') {
          line++;
          col = 1;
        } else col++;
      }
      text += s;
    };
    const expected: string[] = [];
    const open = (name: string, close: boolean, extra = '') => {
      expected.push(`${line}:${col}`);
      const tag = `<${name} at="${line}:${col}"${extra}${close ? '/>' : '>'}`;
      append(tag);
    };
    open('r', false, ' xmlns="urn:x"');
    for (let i = 0; i < 30; i++) {
      append(['\n', '😀 ', '<![CDATA[ <x> ]]>', '<?pi <y>?>', 'é\t', ' a > b '][i % 6]);
      if (i % 4 === 0) {
        open('c', false);
        append('😀😀');
        open('d', true);
        append('</c>');
      } else if (i % 4 === 1) {
        expected.push(`${line}:${col}`);
        append(`<e\n at="${line}:${col}" />`);
      } else open('f', true, ` g="&lt;>"`);
    }
    append('</r>\n');
    // Windows line ends for the body, too.
    text = text.replace(/\n/g, (m, off: number) => (text[off - 1] === '\r' ? m : '\r\n'));

    const positions = elementPositions(text);
    const seen: string[] = [];
    const walk = (p: string, node: NonNullable<typeof positions.root>) => {
      const pos = positions.locate(p)!;
      seen.push(`${pos.line}:${pos.column}`);
      node.children.forEach((c, i) => walk(`${p}/${i + 1}`, c));
    };
    walk('1', positions.root!);
    expect(seen).toEqual(expected);

    // End to end: report every element with its own `at` attribute as the message.
    const sch = path.join(cacheDir, 'every.sch');
    fs.writeFileSync(
      sch,
      `<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt3">
         <ns prefix="x" uri="urn:x"/>
         <pattern><rule context="x:*"><report id="at" test="true()"><value-of select="@at"/></report></rule></pattern>
         <pattern><rule context="@g"><report id="attr" test="true()"><value-of select="../@at"/></report></rule></pattern>
       </schema>`,
    );
    const ds = await validateSchematron(loadedFromText(text), sch);
    expect(ds.filter((d) => d.code === 'sch.at')).toHaveLength(expected.length);
    expect(ds.length).toBeGreaterThan(expected.length);
    for (const d of ds) expect(`${d.line}:${d.column}`).toBe(d.message);
  });

  it('reports a schema that does not compile, and a pattern that fails at run time', async () => {
    const bad = path.join(cacheDir, 'bad.sch');
    fs.writeFileSync(
      bad,
      `<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
         <pattern><rule context="*"><assert test="count(">x</assert></rule></pattern>
       </schema>`,
    );
    const [d] = await validateSchematron(loadFixture('custom.xml'), bad);
    expect(d).toMatchObject({ severity: 'error', code: 'sch.schema-error' });

    const failing = path.join(cacheDir, 'failing.sch');
    fs.writeFileSync(
      failing,
      `<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
         <pattern id="boom"><rule context="/*"><assert test="xs:integer('x')">x</assert></rule></pattern>
         <pattern id="ok"><rule context="/*"><report id="root" test="true()">root</report></rule></pattern>
       </schema>`,
    );
    const ds = await validateSchematron(loadFixture('custom.xml'), failing);
    expect(brief(ds)).toEqual(['sch.pattern-error@0:0', 'sch.root@1:1']);
    expect(ds[0].message).toMatch(/pattern boom could not run/);
  });

  it('refuses document() outside the document and schema folders, and any URL', async () => {
    const sch = path.join(cacheDir, 'fetch.sch');
    fs.writeFileSync(
      sch,
      `<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
         <pattern id="local"><rule context="/*"><report id="local" test="true()"><value-of
           select="name(doc('${path.join(fixtures, 'custom.xml')}')/*)"/></report></rule></pattern>
         <pattern id="outside"><rule context="/*"><report test="doc-available('/etc/hostname')">x</report>
           <report test="doc('file:///etc/passwd')">x</report></rule></pattern>
         <pattern id="http"><rule context="/*"><report test="doc('http://example.org/x.xml')">x</report></rule></pattern>
       </schema>`,
    );
    const ds = await validateSchematron(loadFixture('custom.xml'), sch);
    expect(ds.map((d) => `${d.code} ${d.message}`).sort()).toEqual([
      expect.stringMatching(/^sch\.local doc$/),
      expect.stringMatching(/^sch\.pattern-error pattern http could not run/),
      expect.stringMatching(/^sch\.pattern-error pattern outside could not run/),
    ]);
  });

  it('gives nothing for a document the loader rejected', async () => {
    const loaded = { ...loadFixture('gap-no-reason.xml'), ok: false };
    expect(await validateSchematron(loaded, editioSch)).toEqual([]);
  });
});

describe('tei_all.sch', () => {
  const present = fs.existsSync(teiAllSch);
  (present ? it : it.skip)('runs TEI’s embedded rules on a small TEI document', async () => {
    const text = fs
      .readFileSync(path.join(fixtures, 'valid.xml'), 'utf8')
      .replace(
        '<p xml:id="p1">',
        '<p xml:id="p1"><date when="1940-08-01" from="1940-07-01"/><ptr target="#p2" cRef="x"/>',
      );
    const ds = await validateSchematron(loadedFromText(text), teiAllSch);
    expect(ds.filter((d) => /pattern-error|schema-error|runtime-error/.test(d.code))).toEqual([]);
    // att.datable.w3c: @when with @from is a (nonfatal) report; ptr with @target and @cRef an error.
    expect(ds.map((d) => `${d.severity}@${d.line}:${d.column}`).sort()).toEqual([
      'error@16:65',
      'warning@16:22',
    ]);
  });
  if (!present) {
    console.warn(`tei_all.sch test skipped: ${teiAllSch} not found`);
  }
});
