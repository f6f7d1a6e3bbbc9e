/**
 * Hostile and broken input through the real CLI: each case gets a clear one-line
 * diagnostic naming the file, the right exit status, no stack trace, and finishes
 * (a spawn timeout guards against hangs; speed itself is measured in `npm run bench`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { editio } from '../helpers/cli';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'editio-bad-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const TEI_HEAD =
  '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>';

function write(name: string, data: string | Buffer): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, data);
  return p;
}

interface Case {
  name: string;
  make: () => string;
  status: number;
  code: RegExp;
}

const secret = 'editio-secret-' + process.pid;
const cases: Case[] = [
  { name: 'an empty file', make: () => write('empty.xml', ''), status: 1, code: /\[io\.empty\]/ },
  {
    name: 'a binary file',
    make: () =>
      write('binary.xml', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0xff, 0xfe])),
    status: 1,
    code: /\[io\.binary\]/,
  },
  {
    name: 'text that is not XML',
    make: () => write('prose.xml', 'Dear reader,\nthis is not XML.\n'),
    status: 1,
    code: /:1:\d+: error: .*\[xml\.not-well-formed\]/,
  },
  {
    name: 'a DOCTYPE declaring an external entity',
    make: () => {
      const target = write('secret.txt', secret);
      return write(
        'xxe.xml',
        `<?xml version="1.0"?>\n<!DOCTYPE TEI [\n<!ENTITY x SYSTEM "file://${target}">\n]>\n${TEI_HEAD}<text><body><p>&x;</p></body></text></TEI>`,
      );
    },
    status: 1,
    code: /:\d+:\d+: error: .*\[xml\.doctype-entity\]/,
  },
  {
    name: 'an entity-expansion bomb',
    make: () => {
      let dtd = '<!ENTITY a0 "lol">';
      for (let i = 1; i < 10; i++) dtd += `<!ENTITY a${i} "${`&a${i - 1};`.repeat(10)}">`;
      return write(
        'bomb.xml',
        `<?xml version="1.0"?>\n<!DOCTYPE TEI [${dtd}]>\n${TEI_HEAD}<text><body><p>&a9;</p></body></text></TEI>`,
      );
    },
    status: 1,
    code: /\[xml\.doctype-entity\]/,
  },
  {
    name: '100,000 nested elements',
    make: () =>
      write(
        'deep.xml',
        `${TEI_HEAD.replace('</teiHeader>', '</teiHeader>')}<text><body><p>${'<hi>'.repeat(100000)}x${'</hi>'.repeat(100000)}</p></body></text></TEI>`,
      ),
    status: 1,
    code: /:\d+:\d+: error: .*\[xml\.too-deep\]/,
  },
  {
    name: 'a non-TEI root',
    make: () => write('html.xml', '<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>'),
    status: 1,
    code: /\[tei\.not-tei\]/,
  },
  {
    name: 'TEI elements in no namespace',
    make: () => write('nons.xml', '<TEI><text><body><p>x</p></body></text></TEI>'),
    status: 1,
    code: /\[tei\.not-tei\]/,
  },
  {
    name: 'a missing file',
    make: () => path.join(tmp, 'does-not-exist.xml'),
    status: 2,
    code: /\[io\.not-found\]/,
  },
];

// A directory is an error for validate; build takes it as a collection (every .xml file
// in it): a folder with none is a usage error. (Batch builds: batch.test.ts.)
test('editio validate on a directory: exit 2 [io.is-directory]', () => {
  const r = editio(['validate', tmp]);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/\[io\.is-directory\]/);
});
test('editio build on a folder with no .xml file: exit 2, said plainly', () => {
  const empty = fs.mkdtempSync(path.join(tmp, 'empty-'));
  const r = editio(['build', empty, '--out', path.join(tmp, 'out-empty')]);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/no \.xml file/);
  expect(r.stderr).not.toMatch(/\n\s+at [\w.<>]+ \(/);
});

describe.each(['validate', 'build'])('editio %s on bad input', (cmd) => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const file = c.make();
    const out = path.join(tmp, 'out-' + cmd);
    const args = cmd === 'build' ? ['build', file, '--out', out] : ['validate', file];
    const r = editio(args, { timeoutMs: 30000 });
    expect(r.status).toBe(c.status);
    expect(r.stderr).toMatch(c.code);
    expect(r.stderr).toContain(path.basename(file));
    expect(r.stderr).not.toMatch(/\n\s+at [\w.<>]+ \(/); // no stack trace
    expect(r.stderr + r.stdout).not.toContain(secret); // nothing read through an entity
    if (cmd === 'build')
      expect(fs.existsSync(path.join(out, path.basename(file).replace(/\.xml$/, '')))).toBe(false);
  });
});
