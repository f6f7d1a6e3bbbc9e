/**
 * Which schemas `editio validate` uses: the document's own <?xml-model?> when it names a
 * local file; --schema and --schematron when given; editio's own otherwise; TEI's
 * tei_all (with a warning) for a schema named by URL, which is never fetched.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { editio, repoRoot } from '../helpers/cli';

const fixture = fs.readFileSync(
  path.join(repoRoot, 'test/fixtures/schema/plain-valid.xml'),
  'utf8',
);
const RNG_NS = 'http://relaxng.org/ns/structure/1.0';
/** A permissive schema: any element named TEI in the TEI namespace, anything inside. */
const LOOSE_RNG = `<grammar xmlns="${RNG_NS}">
  <start><element><nsName ns="http://www.tei-c.org/ns/1.0"/><ref name="any"/></element></start>
  <define name="any"><zeroOrMore><choice><attribute><anyName/></attribute><text/><element><anyName/><ref name="any"/></element></choice></zeroOrMore></define>
</grammar>
`;

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'editio-choice-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function doc(name: string, prolog: string, body = fixture): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(
    p,
    body.replace(
      '<?xml version="1.0" encoding="UTF-8"?>\n',
      `<?xml version="1.0" encoding="UTF-8"?>\n${prolog}`,
    ),
  );
  return p;
}

const withBogus = fixture.replace('</body>', '<bogus>x</bogus></body>');

test('no <?xml-model?>: editio.rng rejects an element TEI does not have', () => {
  const r = editio(['validate', doc('plain.xml', '', withBogus)]);
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/\[rng\.element-not-allowed\]/);
});

test('a local schema named by <?xml-model?> is the one used', () => {
  fs.writeFileSync(path.join(tmp, 'loose.rng'), LOOSE_RNG);
  const p = doc(
    'local.xml',
    `<?xml-model href="loose.rng" schematypens="${RNG_NS}"?>\n`,
    withBogus,
  );
  const r = editio(['validate', p]);
  expect(r.stderr).not.toMatch(/\[rng\./);
  expect(r.status).toBe(0);
});

test('--schema overrides the document’s own schema', () => {
  fs.writeFileSync(path.join(tmp, 'loose.rng'), LOOSE_RNG);
  const p = doc(
    'override.xml',
    `<?xml-model href="loose.rng" schematypens="${RNG_NS}"?>\n`,
    withBogus,
  );
  const r = editio(['validate', '--schema', path.join(repoRoot, 'schema/tei_all.rng'), p]);
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/bogus.*\[rng\.element-not-allowed\]/);
});

test('a schema named by URL is not fetched: tei_all stands in, with a warning', () => {
  const p = doc(
    'remote.xml',
    `<?xml-model href="http://127.0.0.1:9/never.rng" schematypens="${RNG_NS}"?>\n`,
  );
  const r = editio(['validate', p]);
  expect(r.status).toBe(0);
  expect(r.stderr).toMatch(/remote\.xml: warning: .*not fetched.*\[rng\.remote-schema\]/);
});

test('a local schema that does not exist: tei_all stands in, with a warning', () => {
  const p = doc('gone.xml', `<?xml-model href="gone.rng" schematypens="${RNG_NS}"?>\n`);
  const r = editio(['validate', p]);
  expect(r.status).toBe(0);
  expect(r.stderr).toMatch(/\[rng\.schema-not-found\]/);
});

test('editio’s house rules are warnings for a document that follows another schema', () => {
  fs.writeFileSync(path.join(tmp, 'loose.rng'), LOOSE_RNG);
  const noResp = fixture.replace(' resp="#au"', '');
  const own = editio(['validate', doc('own.xml', '', noResp)]);
  expect(own.status).toBe(1);
  expect(own.stderr).toMatch(/error: .*\[sch\.note-resp\]/);
  const other = editio([
    'validate',
    doc('other.xml', `<?xml-model href="loose.rng" schematypens="${RNG_NS}"?>\n`, noResp),
  ]);
  expect(other.status).toBe(0);
  expect(other.stderr).toMatch(/warning: .*\[sch\.note-resp\]/);
});

test('--schematron replaces editio’s rules', () => {
  const sch = path.join(tmp, 'rules.sch');
  fs.writeFileSync(
    sch,
    `<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>
  <pattern><rule context="tei:p"><assert id="no-gaps" test="not(tei:gap)">no gaps in this project</assert></rule></pattern>
</schema>
`,
  );
  const r = editio(['validate', '--schematron', sch, doc('custom.xml', '')]);
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/custom\.xml:\d+:\d+: error: no gaps in this project \[sch\.no-gaps\]/);
});

test('--no-schematron checks RELAX NG only', () => {
  const noReason = fixture.replace('<gap reason="illegible"/>', '<gap/>');
  const p = doc('noreason.xml', '', noReason);
  const full = editio(['validate', p]);
  expect(full.status).toBe(1);
  expect(full.stderr).toMatch(/\[sch\.gap-reason\]/);
  const rng = editio(['validate', '--no-schematron', p]);
  expect(rng.stderr).toBe('');
  expect(rng.status).toBe(0);
  expect(editio(['validate', '--no-schematron', '--schematron', 'x.sch', p]).status).toBe(2);
});
