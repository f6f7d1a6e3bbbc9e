/**
 * editio's own Schematron rules (schema/editio.sch), checked natively: one saxes pass
 * over the source, no saxon-js.
 *
 * schema/editio.sch stays the statement of the rules, and any other Schematron schema
 * runs on the generic engine (schematron.ts). But editio checks its own rules on every
 * document it builds, and on saxon-js that cost a worker ~0.3 s on the flagship (most of
 * it starting a stylesheet cold) and 1.3 s on a 3.5 MB text, on the build's critical
 * path; here it takes 20 ms on the flagship and 0.15 s on the 3.5 MB text. The two must agree to the letter: a test runs both on
 * the fixtures, the flagship and the corpus, and compares every diagnostic (code,
 * message, line, column, order). The native check is used only for a schema whose text
 * is the one it was written for (`EDITIO_RULES_SHA256`); a changed editio.sch falls back
 * to the generic engine, and a test says that this file needs the same change.
 */
import { createHash } from 'node:crypto';
import { SaxesParser, type SaxesAttributeNS, type SaxesTagNS } from 'saxes';
import { diag, type Diagnostic } from '../diagnostics';
import type { ParseObserver } from '../load';
import type { LoadedXml } from '../load/types';
import { startTagLocator, type Position } from './sch-positions';

/** sha256 of the schema/editio.sch these rules implement. */
export const EDITIO_RULES_SHA256 =
  '149a910f1b7c2fb302d8a088c701a5c6524996cf9573ab41b3c74d39cf1a64d7';

/** Whether a Schematron schema's text is the one these rules implement. */
export function isEditioRules(schText: string): boolean {
  return createHash('sha256').update(schText).digest('hex') === EDITIO_RULES_SHA256;
}

const TEI = 'http://www.tei-c.org/ns/1.0';
const XML = 'http://www.w3.org/XML/1998/namespace';

/** editio.sch's $pointer-attributes. */
const POINTER_ATTRIBUTES = new Set([
  'ref', 'target', 'corresp', 'resp', 'who', 'source', 'hand', 'wit', 'facs', 'sameAs',
  'copyOf', 'next', 'prev', 'ana', 'select', 'spanTo', 'scribeRef', 'scriptRef', 'decls',
  'inst', 'synch', 'exclude', 'edRef', 'rendition', 'change', 'active', 'passive', 'mutual',
]); // prettier-ignore

/** XPath's normalize-space() then tokenize(., ' '): XML whitespace only. */
function tokens(value: string): string[] {
  const s = value.replace(/[ \t\r\n]+/g, ' ').replace(/^ | $/g, '');
  return s === '' ? [] : s.split(' ');
}

/** The ids a value points to: its `#id` tokens, without the `#`. */
function localTargets(value: string): string[] {
  return tokens(value)
    .filter((t) => t.startsWith('#'))
    .map((t) => t.slice(1));
}

/** `xs:integer(.)` when `. castable as xs:integer`, else undefined. */
function asInteger(value: string | undefined): bigint | undefined {
  const m = value === undefined ? null : /^[ \t\r\n]*([+-]?[0-9]+)[ \t\r\n]*$/.exec(value);
  return m ? BigInt(m[1]) : undefined;
}

interface Element {
  qname: string;
  pos: Position;
}

interface Note extends Element {
  n?: string;
  resp?: string;
}

/** What the pass records, in document order. */
interface Facts {
  /** Each xml:id value with the first element that carries it. */
  ids: Map<string, Element>;
  /** Every xml:id attribute: its value and its element. */
  idAttributes: { value: string; el: Element }[];
  /** Pointer attributes (no namespace, a name in POINTER_ATTRIBUTES). */
  pointers: { name: string; value: string; el: Element }[];
  gapsWithoutReason: Element[];
  notes: Note[];
  /** xml:ids and #ref targets in the first teiHeader's titleStmt/author. */
  authorIds: Set<string>;
}

/** The pass's handlers, on a parser of `text` made with { xmlns: true, position: true }. */
function observer(text: string, parser: SaxesParser): Required<ParseObserver> & { facts: Facts } {
  const facts: Facts = {
    ids: new Map(),
    idAttributes: [],
    pointers: [],
    gapsWithoutReason: [],
    notes: [],
    authorIds: new Set(),
  };
  const locator = startTagLocator(text, parser);
  let pos: Position = { line: 0, column: 0 };
  // The open elements: whether each is a TEI titleStmt (in the first teiHeader), and
  // whether the first teiHeader / an author of its titleStmt is open
  const stack: { titleStmt: boolean; header: boolean; author: boolean }[] = [];
  let headerSeen = false;
  let inHeader = 0;
  let inAuthor = 0;

  const opentagstart = () => {
    pos = locator.here();
  };
  const opentag = (tag: SaxesTagNS) => {
    const el: Element = { qname: tag.name, pos };
    const tei = tag.uri === TEI;
    const parent = stack[stack.length - 1];
    const header = tei && tag.local === 'teiHeader' && !headerSeen;
    if (header) headerSeen = true;
    if (header) inHeader++;
    const author = tei && tag.local === 'author' && inHeader > 0 && Boolean(parent?.titleStmt);
    if (author) inAuthor++;
    stack.push({ titleStmt: tei && tag.local === 'titleStmt' && inHeader > 0, header, author });

    let reason = false;
    let n: string | undefined;
    let resp: string | undefined;
    for (const a of Object.values(tag.attributes) as SaxesAttributeNS[]) {
      if (a.uri === XML && a.local === 'id') {
        if (!facts.ids.has(a.value)) facts.ids.set(a.value, el);
        facts.idAttributes.push({ value: a.value, el });
        if (inAuthor > 0) facts.authorIds.add(a.value);
      } else if (a.uri === '' && a.prefix === '' && a.name !== 'xmlns') {
        if (POINTER_ATTRIBUTES.has(a.local))
          facts.pointers.push({ name: a.name, value: a.value, el });
        if (a.local === 'reason') reason = true;
        else if (a.local === 'n') n = a.value;
        else if (a.local === 'resp') resp = a.value;
        if (a.local === 'ref' && inAuthor > 0) {
          for (const t of localTargets(a.value)) facts.authorIds.add(t);
        }
      }
    }
    if (tei && tag.local === 'gap' && !reason) facts.gapsWithoutReason.push(el);
    if (tei && tag.local === 'note') facts.notes.push({ ...el, n, resp });
  };
  const closetag = () => {
    const top = stack.pop();
    if (top?.header) inHeader--;
    if (top?.author) inAuthor--;
  };
  return { opentagstart, opentag, closetag, facts };
}

function collect(text: string): Facts {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const o = observer(text, parser);
  parser.on('opentagstart', o.opentagstart);
  parser.on('opentag', o.opentag);
  parser.on('closetag', o.closetag);
  parser.write(text).close();
  return o.facts;
}

/** Facts gathered during a document's load (gatherDuringLoad), by its LoadedXml. */
const gathered = new WeakMap<LoadedXml, Facts>();

/**
 * Gather what the rules check during the loader's own parse, one saxes pass instead of
 * two (a 3.5 MB text: ~0.15 s less on the thread that validates while the worker
 * renders): give `observe` to the loader, then `keep` the document it loaded.
 * checkEditioRules then uses these facts, and parses the text itself only without them.
 */
export function gatherDuringLoad(): {
  observe: (text: string, parser: SaxesParser) => ParseObserver;
  keep(loaded: LoadedXml): void;
} {
  let seen: { text: string; o: ReturnType<typeof observer> } | undefined;
  return {
    observe: (text, parser) => {
      const o = observer(text, parser);
      seen = { text, o };
      return o;
    },
    keep(loaded) {
      // only a text the loader read whole, and this very text
      if (seen && loaded.ok && seen.text === loaded.text) gathered.set(loaded, seen.o.facts);
    },
  };
}

/** Whether the rules' facts for this document were gathered during its load. */
export function gatheredDuringLoad(loaded: LoadedXml): boolean {
  return gathered.has(loaded);
}

/**
 * editio.sch's diagnostics for a loaded document, as validateSchematron would give them
 * for that schema. A document that did not load gives none: the loader has reported it.
 */
export function checkEditioRules(loaded: LoadedXml): Diagnostic[] {
  if (!loaded.ok) return [];
  const facts = gathered.get(loaded) ?? collect(loaded.text);
  const out: Diagnostic[] = [];
  const report = (code: string, message: string, el: Element) =>
    out.push(
      diag(
        'error',
        `sch.${code}`,
        message.replace(/\s+/g, ' ').trim(),
        loaded.file,
        el.pos.line,
        el.pos.column,
      ),
    );

  // pattern "pointers"
  for (const p of facts.pointers) {
    const unresolved = tokens(p.value).filter(
      (t) => t.startsWith('#') && !facts.ids.has(t.slice(1)),
    );
    if (unresolved.length > 0) {
      report(
        'pointer-resolves',
        `@${p.name} on ${p.el.qname} points to ${unresolved.join(' ')}, but no element has that xml:id in this document`,
        p.el,
      );
    }
  }

  // pattern "gaps"
  for (const g of facts.gapsWithoutReason) {
    report(
      'gap-reason',
      'gap without @reason: say why the text is missing (e.g. reason="illegible")',
      g,
    );
  }

  // pattern "notes"
  for (const note of facts.notes) {
    if (note.resp === undefined) {
      report(
        'note-resp',
        `note${note.n === undefined ? '' : ` n=${note.n}`} has no @resp: say whose note it is (e.g. resp="#author")`,
        note,
      );
    } else if (!tokens(note.resp).every((t) => t.startsWith('#'))) {
      report(
        'note-resp-local',
        `note/@resp "${note.resp}" is not a list of local pointers (#id)`,
        note,
      );
    }
  }

  // pattern "author-note-numbers": the author's notes with a numeric @n
  const authorNotes: { note: Note; n: bigint }[] = [];
  for (const note of facts.notes) {
    const n = asInteger(note.n);
    if (n === undefined || note.resp === undefined) continue;
    if (localTargets(note.resp).some((t) => facts.authorIds.has(t))) authorNotes.push({ note, n });
  }
  // $prev: the largest number below n, found by binary search in the sorted distinct
  // numbers (a scan of every note for every note was quadratic in the notes)
  const sorted = [...new Set(authorNotes.map((a) => a.n))].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  const below = (n: bigint): bigint => {
    let lo = 0;
    let hi = sorted.length; // sorted[lo - 1] < n <= sorted[hi]
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < n) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? sorted[lo - 1] : 0n;
  };
  const seen = new Set<bigint>();
  for (const { note, n } of authorNotes) {
    const duplicate = seen.has(n);
    seen.add(n);
    const prev = below(n);
    if (duplicate)
      report('note-number-duplicate', `the author's note number ${n} is used more than once`, note);
    if (n - prev > 1n && !duplicate) {
      const skipped = n - prev === 2n ? `${prev + 1n}` : `${prev + 1n}–${n - 1n}`;
      report(
        'note-number-hole',
        `the author's notes skip ${skipped} (before note ${n}); keep a lost note as a note holding a gap`,
        note,
      );
    }
  }

  // pattern "ids"
  for (const { value, el } of facts.idAttributes) {
    const first = facts.ids.get(value)!;
    if (first !== el) {
      report('xml-id-unique', `xml:id "${value}" is already used by an earlier ${first.qname}`, el);
    }
  }
  return out;
}
