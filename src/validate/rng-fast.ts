/**
 * A fast RELAX NG validity check on salve's simplified grammar, with James
 * Clark's derivative algorithm ("An algorithm for RELAX NG validation", the
 * one jing uses): patterns are hash-consed and every derivative is memoised,
 * so TEI's huge choices cost once per (pattern, name) instead of once per
 * element.
 *
 * fastCheck only answers "valid" or "not valid", with no messages and no positions:
 * it is the fast path, and where salve is stricter than the RELAX NG specification
 * (whitespace-only text, see `wsDeriv`) it follows salve, so that "valid" is never
 * wrong. An invalid document is then read again by rng-errors.ts, which uses the
 * recovery operations below (jing's) to report every error as jing does.
 *
 * The grammar is read from salve's JSON form (the disk cache written by
 * rng-grammar.ts) without building salve's pattern objects.
 */
import { SaxesParser } from 'saxes';
import { installPatternCache, rememberPatterns, translatePattern } from './xsd-regexp';

// Pattern kinds.
const EMPTY = 0;
const NOT_ALLOWED = 1;
const TEXT = 2;
const CHOICE = 3;
const INTERLEAVE = 4;
const GROUP = 5;
const ONE_OR_MORE = 6;
const LIST = 7;
const DATA = 8;
const VALUE = 9;
const ATTRIBUTE = 10;
const ELEMENT = 11;
const AFTER = 12;

// Name class kinds.
type NameClass =
  | { k: 'name'; ns: string; local: string }
  | { k: 'any'; except?: NameClass }
  | { k: 'ns'; ns: string; except?: NameClass }
  | { k: 'choice'; a: NameClass; b: NameClass };

function contains(nc: NameClass, ns: string, local: string): boolean {
  switch (nc.k) {
    case 'name':
      return nc.local === local && nc.ns === ns;
    case 'any':
      return nc.except === undefined || !contains(nc.except, ns, local);
    case 'ns':
      return nc.ns === ns && (nc.except === undefined || !contains(nc.except, ns, local));
    case 'choice':
      return contains(nc.a, ns, local) || contains(nc.b, ns, local);
  }
}

/** How specifically a name class holds a name: 2 by name, 1 by namespace, 0 any, -1 not. */
function specificity(nc: NameClass, ns: string, local: string): number {
  switch (nc.k) {
    case 'name':
      return nc.local === local && nc.ns === ns ? 2 : -1;
    case 'any':
      return nc.except === undefined || !contains(nc.except, ns, local) ? 0 : -1;
    case 'ns':
      return nc.ns === ns && (nc.except === undefined || !contains(nc.except, ns, local)) ? 1 : -1;
    case 'choice':
      return Math.max(specificity(nc.a, ns, local), specificity(nc.b, ns, local));
  }
}

/** salve's datatype interface, as far as it is used here. */
interface SalveDatatype {
  name: string;
  needsContext: boolean;
  parseParams(location?: string, params?: { name: string; value: string }[]): unknown;
  parseValue(location: string, value: string, context?: unknown): unknown;
  disallows(value: string, params?: unknown, context?: unknown): unknown;
  equal(value: string, schemaValue: unknown, context?: unknown): boolean;
}

interface Resolver {
  resolveName(name: string, attribute?: boolean): unknown;
}

type DatatypesModule = {
  registry: { get(uri: string): { types: Record<string, SalveDatatype> } | undefined };
};
let datatypes: DatatypesModule | undefined;
function datatypeOf(lib: string, type: string): SalveDatatype {
  if (datatypes === undefined) {
    installPatternCache(); // before salve's datatypes load: see xsd-regexp.ts
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    datatypes = require('salve-annos/lib/salve/datatypes') as DatatypesModule;
  }
  const dt = datatypes.registry.get(lib)?.types[type];
  if (dt === undefined) throw new Error(`unknown datatype ${lib} ${type}`);
  return dt;
}

interface DataSpec {
  lib: string;
  type: string;
  params: { name: string; value: string }[];
  except?: Pat;
  dt?: SalveDatatype;
  parsedParams?: unknown;
}

interface ValueSpec {
  lib: string;
  type: string;
  value: string;
  ns: string;
  dt?: SalveDatatype;
  parsed?: unknown;
}

function normalizeToken(s: string): string {
  return s.replace(/[ \t\n\r]+/g, ' ').trim();
}

class Pat {
  readonly nullable: boolean;
  /** textDeriv does not depend on the text. */
  readonly dataFree: boolean;
  /** An ID-typed datatype is reachable without crossing an element. */
  readonly hasId: boolean;
  stoMemo?: Map<string, Pat>;
  saMemo?: Map<string, Pat>;
  stcMemo?: Pat;
  etMemo?: Pat;
  tdMemo?: Pat;
  /** Memos of the error path (rng-errors.ts): recovering start tag, missing attributes. */
  strMemo?: Map<string, Pat>;
  imaMemo?: Pat;
  /** RELAX NG content type (0 empty, 1 element, 2 mixed, 3 data), -1 until asked. */
  ct = -1;
  constructor(
    readonly id: number,
    readonly kind: number,
    readonly a: Pat | undefined,
    readonly b: Pat | undefined,
    readonly nc?: NameClass,
    readonly data?: DataSpec,
    readonly value?: ValueSpec,
  ) {
    switch (kind) {
      case EMPTY:
      case TEXT:
        this.nullable = true;
        break;
      case CHOICE:
        this.nullable = a!.nullable || b!.nullable;
        break;
      case INTERLEAVE:
      case GROUP:
        this.nullable = a!.nullable && b!.nullable;
        break;
      case ONE_OR_MORE:
        this.nullable = a!.nullable;
        break;
      default:
        this.nullable = false;
    }
    switch (kind) {
      case LIST:
      case DATA:
      case VALUE:
        this.dataFree = false;
        break;
      case CHOICE:
      case INTERLEAVE:
      case GROUP:
        this.dataFree = a!.dataFree && b!.dataFree;
        break;
      case ONE_OR_MORE:
      case AFTER:
        this.dataFree = a!.dataFree;
        break;
      default:
        this.dataFree = true;
    }
    switch (kind) {
      case DATA:
        this.hasId = data!.type === 'ID';
        break;
      case CHOICE:
      case INTERLEAVE:
      case GROUP:
        this.hasId = a!.hasId || b!.hasId;
        break;
      case ONE_OR_MORE:
      case LIST:
        this.hasId = a!.hasId;
        break;
      default:
        this.hasId = false;
    }
  }
}

/** An element pattern: its content is set once read (elements are recursive). */
class ElementPat extends Pat {
  content: Pat | undefined;
  constructor(id: number, nc: NameClass) {
    super(id, ELEMENT, undefined, undefined, nc);
  }
}

/** The result of a check. */
export type FastVerdict = 'valid' | 'invalid';

/** Thrown to stop at the first sign of invalidity. */
class Invalid extends Error {}

type Op = 0 | 1 | 2 | 3 | 4; // group(x,q), group(q,x), interleave(x,q), interleave(q,x), after(x,q)
const GROUP_R = 0;
const GROUP_L = 1;
const INTER_R = 2;
const INTER_L = 3;
const AFTER_R = 4;

/**
 * A compiled grammar and its pattern store. The store grows as documents are
 * validated (memoised derivatives), and is shared by all documents validated
 * against the grammar.
 */
export class FastGrammar {
  private nextId = 0;
  private readonly table = new Map<string, Pat>();
  private readonly numTable = new Map<number | string, Pat>();
  private readonly specIds = new Map<string, number>();
  readonly empty: Pat;
  readonly notAllowed: Pat;
  readonly text: Pat;
  start: Pat;

  constructor() {
    this.empty = new Pat(this.nextId++, EMPTY, undefined, undefined);
    this.notAllowed = new Pat(this.nextId++, NOT_ALLOWED, undefined, undefined);
    this.text = new Pat(this.nextId++, TEXT, undefined, undefined);
    this.start = this.notAllowed;
  }

  // ---- smart constructors (hash-consed) -------------------------------------

  private intern(kind: number, a: Pat, b?: Pat): Pat {
    // A number key while ids fit in 22 bits each (kind: 4 bits; 48 bits in all).
    const bid = b === undefined ? 0 : b.id + 1;
    const key: number | string =
      a.id < 0x3fffff && bid < 0x3fffff
        ? (kind * 0x400000 + a.id) * 0x400000 + bid
        : `${kind}.${a.id}.${bid}`;
    let p = this.numTable.get(key);
    if (p === undefined) {
      p = new Pat(this.nextId++, kind, a, b);
      this.numTable.set(key, p);
    }
    return p;
  }

  choice(a: Pat, b: Pat): Pat {
    if (a.kind === NOT_ALLOWED) return b;
    if (b.kind === NOT_ALLOWED) return a;
    if (a === b) return a;
    if (a.kind !== CHOICE && b.kind !== CHOICE) {
      return a.id < b.id ? this.intern(CHOICE, a, b) : this.intern(CHOICE, b, a);
    }
    // Normalise: a set of alternatives, sorted by id, nested to the right.
    const members: Pat[] = [];
    const collect = (p: Pat): boolean => {
      while (p.kind === CHOICE) {
        members.push(p.a!);
        if (members.length > 64) return false;
        p = p.b!;
      }
      members.push(p);
      return true;
    };
    if (!collect(a) || !collect(b)) return this.intern(CHOICE, a, b);
    members.sort((x, y) => x.id - y.id);
    let r = members[members.length - 1];
    for (let i = members.length - 2; i >= 0; i--) {
      if (members[i] !== r && members[i] !== members[i + 1]) r = this.intern(CHOICE, members[i], r);
    }
    return r;
  }

  group(a: Pat, b: Pat): Pat {
    if (a.kind === NOT_ALLOWED || b.kind === NOT_ALLOWED) return this.notAllowed;
    if (a.kind === EMPTY) return b;
    if (b.kind === EMPTY) return a;
    return this.intern(GROUP, a, b);
  }

  interleave(a: Pat, b: Pat): Pat {
    if (a.kind === NOT_ALLOWED || b.kind === NOT_ALLOWED) return this.notAllowed;
    if (a.kind === EMPTY) return b;
    if (b.kind === EMPTY) return a;
    return a.id < b.id ? this.intern(INTERLEAVE, a, b) : this.intern(INTERLEAVE, b, a);
  }

  after(a: Pat, b: Pat): Pat {
    if (a.kind === NOT_ALLOWED || b.kind === NOT_ALLOWED) return this.notAllowed;
    return this.intern(AFTER, a, b);
  }

  oneOrMore(a: Pat): Pat {
    if (a.kind === NOT_ALLOWED || a.kind === EMPTY) return a;
    return this.intern(ONE_OR_MORE, a);
  }

  list(a: Pat): Pat {
    if (a.kind === NOT_ALLOWED) return a;
    return this.intern(LIST, a);
  }

  attribute(nc: NameClass, a: Pat): Pat {
    const key = `${ATTRIBUTE}.${JSON.stringify(nc)}.${a.id}`;
    let p = this.table.get(key);
    if (p === undefined) {
      p = new Pat(this.nextId++, ATTRIBUTE, a, undefined, nc);
      this.table.set(key, p);
    }
    return p;
  }

  data(spec: DataSpec): Pat {
    const key = `${DATA}.${JSON.stringify([spec.lib, spec.type, spec.params])}.${spec.except?.id ?? ''}`;
    let p = this.table.get(key);
    if (p === undefined) {
      p = new Pat(this.nextId++, DATA, undefined, undefined, undefined, spec);
      this.table.set(key, p);
    }
    return p;
  }

  value(spec: ValueSpec): Pat {
    const key = `${VALUE}.${JSON.stringify([spec.lib, spec.type, spec.value, spec.ns])}`;
    let p = this.table.get(key);
    if (p === undefined) {
      p = new Pat(this.nextId++, VALUE, undefined, undefined, undefined, undefined, spec);
      this.table.set(key, p);
    }
    return p;
  }

  newElement(nc: NameClass): ElementPat {
    return new ElementPat(this.nextId++, nc);
  }

  /** Number of distinct patterns (for tests and curiosity). */
  get size(): number {
    return this.nextId;
  }

  // ---- derivatives -------------------------------------------------------------

  private applyOp(op: Op, x: Pat, q: Pat): Pat {
    switch (op) {
      case GROUP_R:
        return this.group(x, q);
      case GROUP_L:
        return this.group(q, x);
      case INTER_R:
        return this.interleave(x, q);
      case INTER_L:
        return this.interleave(q, x);
      default:
        return this.after(x, q);
    }
  }

  private applyAfter(p: Pat, op: Op, q: Pat): Pat {
    switch (p.kind) {
      case AFTER:
        return this.after(p.a!, this.applyOp(op, p.b!, q));
      case CHOICE:
        return this.choice(this.applyAfter(p.a!, op, q), this.applyAfter(p.b!, op, q));
      default:
        return this.notAllowed;
    }
  }

  startTagOpen(p: Pat, ns: string, local: string, key: string): Pat {
    return this.startTag(p, ns, local, key, false);
  }

  /**
   * startTagOpen with `recover`: a group may also skip its first member when that member
   * is not nullable (jing's recovery: the element came before one that is required, "not
   * allowed yet"). Each variant has its own memo.
   */
  private startTag(p: Pat, ns: string, local: string, key: string, recover: boolean): Pat {
    let memo = recover ? p.strMemo : p.stoMemo;
    const hit = memo?.get(key);
    if (hit !== undefined) return hit;
    let r: Pat;
    switch (p.kind) {
      case CHOICE:
        r = this.choice(
          this.startTag(p.a!, ns, local, key, recover),
          this.startTag(p.b!, ns, local, key, recover),
        );
        break;
      case ELEMENT: {
        const e = p as ElementPat;
        r = contains(e.nc!, ns, local) ? this.after(e.content!, this.empty) : this.notAllowed;
        break;
      }
      case INTERLEAVE:
        r = this.choice(
          this.applyAfter(this.startTag(p.a!, ns, local, key, recover), INTER_R, p.b!),
          this.applyAfter(this.startTag(p.b!, ns, local, key, recover), INTER_L, p.a!),
        );
        break;
      case ONE_OR_MORE:
        r = this.applyAfter(
          this.startTag(p.a!, ns, local, key, recover),
          GROUP_R,
          this.choice(p, this.empty),
        );
        break;
      case GROUP: {
        const x = this.applyAfter(this.startTag(p.a!, ns, local, key, recover), GROUP_R, p.b!);
        r =
          p.a!.nullable || recover
            ? this.choice(x, this.startTag(p.b!, ns, local, key, recover))
            : x;
        break;
      }
      case AFTER:
        r = this.applyAfter(this.startTag(p.a!, ns, local, key, recover), AFTER_R, p.b!);
        break;
      default:
        return this.notAllowed;
    }
    if (memo === undefined) {
      memo = new Map();
      if (recover) p.strMemo = memo;
      else p.stoMemo = memo;
    }
    memo.set(key, r);
    return r;
  }

  startAttribute(p: Pat, ns: string, local: string, key: string): Pat {
    let memo = p.saMemo;
    const hit = memo?.get(key);
    if (hit !== undefined) return hit;
    let r: Pat;
    switch (p.kind) {
      case AFTER:
        r = this.applyAfter(this.startAttribute(p.a!, ns, local, key), AFTER_R, p.b!);
        break;
      case CHOICE:
        r = this.choice(
          this.startAttribute(p.a!, ns, local, key),
          this.startAttribute(p.b!, ns, local, key),
        );
        break;
      case GROUP:
        r = this.choice(
          this.applyAfter(this.startAttribute(p.a!, ns, local, key), GROUP_R, p.b!),
          this.applyAfter(this.startAttribute(p.b!, ns, local, key), GROUP_L, p.a!),
        );
        break;
      case INTERLEAVE:
        r = this.choice(
          this.applyAfter(this.startAttribute(p.a!, ns, local, key), INTER_R, p.b!),
          this.applyAfter(this.startAttribute(p.b!, ns, local, key), INTER_L, p.a!),
        );
        break;
      case ONE_OR_MORE:
        r = this.applyAfter(
          this.startAttribute(p.a!, ns, local, key),
          GROUP_R,
          this.choice(p, this.empty),
        );
        break;
      case ATTRIBUTE:
        r = contains(p.nc!, ns, local) ? this.after(p.a!, this.empty) : this.notAllowed;
        break;
      default:
        return this.notAllowed;
    }
    if (memo === undefined) memo = p.saMemo = new Map();
    memo.set(key, r);
    return r;
  }

  /** After startAttribute: keep the continuations whose attribute content matches `v`. */
  attributeValue(p: Pat, v: string, ctx: TextContext): Pat {
    switch (p.kind) {
      case AFTER: {
        const c = p.a!;
        if (c.hasId) ctx.sawId = true;
        const ok = (c.nullable && !/\S/.test(v)) || this.valueOk(c, v, ctx);
        return ok ? p.b! : this.notAllowed;
      }
      case CHOICE:
        return this.choice(this.attributeValue(p.a!, v, ctx), this.attributeValue(p.b!, v, ctx));
      default:
        return this.notAllowed;
    }
  }

  /** Is textDeriv(c, v) nullable? Short-cuts choices (TEI's many-typed dates). */
  private valueOk(c: Pat, v: string, ctx: TextContext): boolean {
    switch (c.kind) {
      case CHOICE:
        return this.valueOk(c.a!, v, ctx) || this.valueOk(c.b!, v, ctx);
      case DATA:
        return this.dataMatches(c.data!, v, ctx);
      case VALUE:
        return valueMatches(c.value!, v, ctx);
      case TEXT:
        return true;
      default:
        return this.textDeriv(c, v, ctx).nullable;
    }
  }

  startTagClose(p: Pat): Pat {
    return this.endAttributes(p, false);
  }

  /**
   * The end of the attributes: an attribute still expected fails (startTagClose), or,
   * with `ignoreMissing`, is taken as present (jing's recovery after a missing one).
   * Each variant has its own memo.
   */
  private endAttributes(p: Pat, ignoreMissing: boolean): Pat {
    const hit = ignoreMissing ? p.imaMemo : p.stcMemo;
    if (hit !== undefined) return hit;
    const f = (q: Pat): Pat => this.endAttributes(q, ignoreMissing);
    let r: Pat;
    switch (p.kind) {
      case AFTER:
        r = ignoreMissing ? this.afterKeep(f(p.a!), p.b!) : this.after(f(p.a!), p.b!);
        break;
      case CHOICE:
        r = this.choice(f(p.a!), f(p.b!));
        break;
      case GROUP:
        r = this.group(f(p.a!), f(p.b!));
        break;
      case INTERLEAVE:
        r = this.interleave(f(p.a!), f(p.b!));
        break;
      case ONE_OR_MORE:
        r = this.oneOrMore(f(p.a!));
        break;
      case ATTRIBUTE:
        r = ignoreMissing ? this.empty : this.notAllowed;
        break;
      default:
        r = p;
    }
    if (ignoreMissing) p.imaMemo = r;
    else p.stcMemo = r;
    return r;
  }

  endTag(p: Pat): Pat {
    if (p.etMemo !== undefined) return p.etMemo;
    let r: Pat;
    switch (p.kind) {
      case AFTER:
        r = p.a!.nullable ? p.b! : this.notAllowed;
        break;
      case CHOICE:
        r = this.choice(this.endTag(p.a!), this.endTag(p.b!));
        break;
      default:
        r = this.notAllowed;
    }
    p.etMemo = r;
    return r;
  }

  // ---- recovery after an error (jing's, for rng-errors.ts) ---------------------

  /**
   * after(a, b) even when `a` is notAllowed: the state inside an element that is
   * nowhere in the grammar, which still knows where to resume (`b`) at its end tag.
   */
  afterKeep(a: Pat, b: Pat): Pat {
    return a.kind === NOT_ALLOWED ? this.intern(AFTER, a, b) : this.after(a, b);
  }

  /** startTagOpen with jing's recovery (see startTag). */
  startTagOpenRecover(p: Pat, ns: string, local: string, key: string): Pat {
    return this.startTag(p, ns, local, key, true);
  }

  /** Where to resume after an element (or an attribute) that failed: the afters' continuations. */
  recoverAfter(p: Pat): Pat {
    switch (p.kind) {
      case AFTER:
        return p.b!;
      case CHOICE:
        return this.choice(this.recoverAfter(p.a!), this.recoverAfter(p.b!));
      default:
        return this.notAllowed;
    }
  }

  /** startTagClose with every attribute still required taken as present. */
  ignoreMissingAttributes(p: Pat): Pat {
    return this.endAttributes(p, true);
  }

  /** after(content, empty) for each after of p: whether the content alone could end. */
  emptyAfter(p: Pat): Pat {
    switch (p.kind) {
      case AFTER:
        return this.afterKeep(p.a!, this.empty);
      case CHOICE:
        return this.choice(this.emptyAfter(p.a!), this.emptyAfter(p.b!));
      default:
        return this.notAllowed;
    }
  }

  private readonly findMemo = new Map<string, Pat>();
  /** The grammar's element patterns: by name (name classes of names only), and the rest. */
  private elementIndex?: { byName: Map<string, ElementPat[]>; wild: ElementPat[] };

  /**
   * The content of every element pattern in the grammar whose name class holds the
   * name most specifically (a name before a namespace before any name), as a choice;
   * notAllowed when no element of the grammar has that name. (Looked up in an index of
   * the grammar's elements made once: a document with many names the grammar does not
   * know must not cost a walk of the whole grammar for each.)
   */
  findElement(ns: string, local: string, key: string): Pat {
    const hit = this.findMemo.get(key);
    if (hit !== undefined) return hit;
    const index = (this.elementIndex ??= this.indexElements());
    let best = -1;
    let found: Pat = this.notAllowed;
    const consider = (e: ElementPat, s: number): void => {
      if (s > best) {
        best = s;
        found = e.content!;
      } else if (s === best && s >= 0) {
        found = this.choice(found, e.content!);
      }
    };
    for (const e of index.byName.get(key) ?? []) consider(e, 2);
    for (const e of index.wild) consider(e, specificity(e.nc!, ns, local));
    this.findMemo.set(key, found);
    return found;
  }

  /** Every element pattern reachable from the start pattern, indexed by the names it holds. */
  private indexElements(): { byName: Map<string, ElementPat[]>; wild: ElementPat[] } {
    const byName = new Map<string, ElementPat[]>();
    const wild: ElementPat[] = [];
    const names = (nc: NameClass, out: string[]): boolean => {
      if (nc.k === 'name') {
        out.push(`${nc.ns}\u0000${nc.local}`);
        return true;
      }
      return nc.k === 'choice' && names(nc.a, out) && names(nc.b, out);
    };
    const seen = new Set<Pat>();
    const stack: Pat[] = [this.start];
    while (stack.length > 0) {
      const p = stack.pop()!;
      if (seen.has(p)) continue;
      seen.add(p);
      switch (p.kind) {
        case CHOICE:
        case GROUP:
        case INTERLEAVE:
          stack.push(p.b!, p.a!);
          break;
        case ONE_OR_MORE:
          stack.push(p.a!);
          break;
        case ELEMENT: {
          const e = p as ElementPat;
          const keys: string[] = [];
          if (names(e.nc!, keys)) {
            for (const k of new Set(keys)) {
              const list = byName.get(k);
              if (list) list.push(e);
              else byName.set(k, [e]);
            }
          } else wild.push(e);
          stack.push(e.content!);
          break;
        }
        default:
          break;
      }
    }
    return { byName, wild };
  }

  textDeriv(p: Pat, s: string, ctx: TextContext): Pat {
    if (p.dataFree && p.tdMemo !== undefined) return p.tdMemo;
    let r: Pat;
    switch (p.kind) {
      case CHOICE:
        r = this.choice(this.textDeriv(p.a!, s, ctx), this.textDeriv(p.b!, s, ctx));
        break;
      case INTERLEAVE:
        r = this.choice(
          this.interleave(this.textDeriv(p.a!, s, ctx), p.b!),
          this.interleave(p.a!, this.textDeriv(p.b!, s, ctx)),
        );
        break;
      case GROUP: {
        const x = this.group(this.textDeriv(p.a!, s, ctx), p.b!);
        r = p.a!.nullable ? this.choice(x, this.textDeriv(p.b!, s, ctx)) : x;
        break;
      }
      case AFTER:
        r = this.after(this.textDeriv(p.a!, s, ctx), p.b!);
        break;
      case ONE_OR_MORE:
        r = this.group(this.textDeriv(p.a!, s, ctx), this.choice(p, this.empty));
        break;
      case TEXT:
        r = p;
        break;
      case VALUE:
        r = valueMatches(p.value!, s, ctx) ? this.empty : this.notAllowed;
        break;
      case DATA:
        r = this.dataMatches(p.data!, s, ctx) ? this.empty : this.notAllowed;
        break;
      case LIST: {
        let q = p.a!;
        const trimmed = s.trim();
        if (trimmed !== '') {
          for (const tok of trimmed.split(/[ \t\n\r]+/)) {
            q = this.textDeriv(q, tok, ctx);
            if (q.kind === NOT_ALLOWED) break;
          }
        }
        r = q.nullable ? this.empty : this.notAllowed;
        break;
      }
      default:
        r = this.notAllowed;
    }
    if (p.dataFree) p.tdMemo = r;
    return r;
  }

  private dataMatches(d: DataSpec, s: string, ctx: TextContext): boolean {
    if (d.lib === '' && d.except === undefined) return true; // string, token: anything
    if (d.dt === undefined) {
      d.dt = datatypeOf(d.lib, d.type);
      d.parsedParams = d.dt.parseParams('', d.params.length ? d.params : undefined);
    }
    if (d.dt.disallows(s, d.parsedParams, { resolver: ctx.resolver() })) return false;
    if (d.except !== undefined && this.textDeriv(d.except, s, ctx).nullable) return false;
    return true;
  }
}

function valueMatches(v: ValueSpec, s: string, ctx: TextContext): boolean {
  if (v.lib === '') {
    if (v.type === 'string') return s === v.value;
    if (v.type === 'token') return normalizeToken(s) === normalizeToken(v.value);
  }
  if (v.dt === undefined) {
    v.dt = datatypeOf(v.lib, v.type);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { EName } = require('salve-annos/lib/salve/ename') as {
      EName: new (ns: string, name: string) => unknown;
    };
    const ns = v.ns;
    const context = v.dt.needsContext
      ? { resolver: { resolveName: (name: string) => new EName(ns, name) } }
      : undefined;
    v.parsed = v.dt.parseValue('', v.value, context);
  }
  return v.dt.equal(s, v.parsed, { resolver: ctx.resolver() });
}

/** What text and value checks need from the document. */
export interface TextContext {
  resolver(): Resolver;
  sawId: boolean;
}

// ---- questions the error path asks of a pattern (rng-errors.ts) --------------------

/** A pattern of a FastGrammar, opaque outside this module. */
export type FastPattern = Pat;

/**
 * notAllowed as jing counts it: also an after whose content is notAllowed (inside an
 * element the grammar does not know, where errors are not reported).
 */
export function isNotAllowed(p: Pat): boolean {
  while (p.kind === AFTER) p = p.a!;
  return p.kind === NOT_ALLOWED;
}

/**
 * Whether the content of the element just opened is data (a datatype, a value, a
 * list): its text is then checked as one string at the end tag (jing's "text typed").
 * The RELAX NG content type, the greatest over the pattern: empty < element < mixed < data.
 */
export function isDataContent(p: Pat): boolean {
  return contentType(p) === 3;
}

function contentType(p: Pat): number {
  if (p.ct >= 0) return p.ct;
  let r: number;
  switch (p.kind) {
    case ELEMENT:
      r = 1;
      break;
    case TEXT:
      r = 2;
      break;
    case DATA:
    case VALUE:
    case LIST:
      r = 3;
      break;
    case CHOICE:
    case GROUP:
    case INTERLEAVE:
    case AFTER:
      r = Math.max(contentType(p.a!), contentType(p.b!));
      break;
    case ONE_OR_MORE:
      r = contentType(p.a!);
      break;
    default:
      r = 0;
  }
  p.ct = r;
  return r;
}

/**
 * The names of the elements (or attributes) that p requires, as jing words its
 * "missing required element" messages: a group's first required member (every
 * attribute of a group), the ones that all of a choice's branches require; only
 * names given by name count.
 */
export function requiredNames(p: Pat, what: 'element' | 'attribute'): string[] {
  const want = what === 'element' ? ELEMENT : ATTRIBUTE;
  const memo = new Map<Pat, Set<string>>();
  const req = (q: Pat): Set<string> => {
    const hit = memo.get(q);
    if (hit !== undefined) return hit;
    memo.set(q, new Set());
    let r: Set<string>;
    switch (q.kind) {
      case CHOICE: {
        const a = req(q.a!);
        const b = req(q.b!);
        r = new Set([...a].filter((n) => b.has(n)));
        break;
      }
      case GROUP:
        // elements: the first member's, or the next's when the first may be absent
        if (want === ELEMENT) r = q.a!.nullable ? req(q.b!) : req(q.a!);
        else r = new Set([...req(q.a!), ...req(q.b!)]);
        break;
      case INTERLEAVE:
        r = new Set([...req(q.a!), ...req(q.b!)]);
        break;
      case ONE_OR_MORE:
      case AFTER:
        r = req(q.a!);
        break;
      default:
        r = q.kind === want && q.nc!.k === 'name' ? new Set([q.nc!.local]) : new Set();
    }
    memo.set(q, r);
    return r;
  };
  return [...req(p)].sort();
}

/**
 * The names (local parts, "*" for a wildcard) of the elements that may start here,
 * or of the attributes that may come here, for "expected ..." in messages.
 */
export function possibleNames(p: Pat, what: 'element' | 'attribute'): string[] {
  const want = what === 'element' ? ELEMENT : ATTRIBUTE;
  const out = new Set<string>();
  const seen = new Set<Pat>();
  const names = (nc: NameClass): void => {
    if (nc.k === 'name') out.add(nc.local);
    else if (nc.k === 'choice') {
      names(nc.a);
      names(nc.b);
    } else out.add('*');
  };
  const walk = (q: Pat): void => {
    if (seen.has(q)) return;
    seen.add(q);
    switch (q.kind) {
      case CHOICE:
      case INTERLEAVE:
        walk(q.a!);
        walk(q.b!);
        break;
      case GROUP:
        walk(q.a!);
        if (q.a!.nullable || want === ATTRIBUTE) walk(q.b!);
        break;
      case ONE_OR_MORE:
      case AFTER:
        walk(q.a!);
        break;
      default:
        if (q.kind === want) names(q.nc!);
    }
  };
  walk(p);
  return [...out].sort();
}

// ---- reading salve's JSON (format version 3) --------------------------------

type Json = unknown[];

/** Unwrap salve's `[0, ...items]` arrays. */
function items(x: unknown): unknown[] {
  const a = x as Json;
  return a[0] === 0 ? a.slice(1) : [a];
}

function readNameClass(x: Json): NameClass {
  switch (x[0]) {
    case 18:
      return { k: 'name', ns: x[1] as string, local: x[2] as string };
    case 19: {
      const [a, b] = items(x[1]) as Json[];
      return { k: 'choice', a: readNameClass(a), b: readNameClass(b) };
    }
    case 20:
      return x.length > 2 && x[2] !== undefined
        ? { k: 'ns', ns: x[1] as string, except: readNameClass(x[2] as Json) }
        : { k: 'ns', ns: x[1] as string };
    case 21:
      return x.length > 1 && x[1] !== undefined
        ? { k: 'any', except: readNameClass(x[1] as Json) }
        : { k: 'any' };
    default:
      throw new Error(`unexpected name class kind ${String(x[0])}`);
  }
}

/**
 * Build a FastGrammar from salve's JSON (the text or the parsed object).
 * Throws on anything it does not understand; the caller then uses salve.
 */
export function readFastGrammar(json: string | { v: number; o: number; d: Json }): FastGrammar {
  const parsed =
    typeof json === 'string' ? (JSON.parse(json) as { v: number; o: number; d: Json }) : json;
  if (parsed.v !== 3) throw new Error(`unsupported salve JSON version ${parsed.v}`);
  if ((parsed.o & 1) === 0) throw new Error('salve JSON with paths is not supported');
  const g = new FastGrammar();
  const root = parsed.d;
  if (root[0] !== 15) throw new Error('not a grammar');
  const defs = items(root[2]) as Json[];
  const elements = new Map<string, ElementPat>();
  const bodies: [ElementPat, Json][] = [];
  for (const d of defs) {
    if (d[0] !== 14) throw new Error('unexpected definition');
    const [el] = items(d[2]) as Json[];
    if (el[0] !== 13) throw new Error('a definition that is not an element');
    const e = g.newElement(readNameClass(el[1] as Json));
    elements.set(String(d[1]), e);
    const [body] = items(el[2]) as Json[];
    bodies.push([e, body]);
  }
  const read = (x: Json): Pat => {
    switch (x[0]) {
      case 1:
        return g.empty;
      case 6:
        return g.notAllowed;
      case 7:
        return g.text;
      case 8: {
        const e = elements.get(String(x[1]));
        if (e === undefined) throw new Error(`undefined reference ${String(x[1])}`);
        return e;
      }
      case 9:
        return g.oneOrMore(read((items(x[1]) as Json[])[0]));
      case 10: {
        const [a, b] = items(x[1]) as Json[];
        return g.choice(read(a), read(b));
      }
      case 11: {
        const [a, b] = items(x[1]) as Json[];
        return g.group(read(a), read(b));
      }
      case 17: {
        const [a, b] = items(x[1]) as Json[];
        return g.interleave(read(a), read(b));
      }
      case 3:
        return g.list(read((items(x[1]) as Json[])[0]));
      case 12:
        return g.attribute(readNameClass(x[1] as Json), read((items(x[2]) as Json[])[0]));
      case 2: {
        const rawParams = x.length > 3 && x[3] !== undefined ? items(x[3]) : [];
        const params: { name: string; value: string }[] = [];
        for (let i = 0; i + 1 < rawParams.length; i += 2) {
          params.push({ name: rawParams[i] as string, value: rawParams[i + 1] as string });
        }
        const exceptJson = x.length > 4 ? x[4] : undefined;
        return g.data({
          type: (x[1] as string | undefined) ?? 'token',
          lib: (x[2] as string | undefined) ?? '',
          params,
          except:
            exceptJson !== undefined && exceptJson !== null
              ? read((items(exceptJson) as Json[])[0])
              : undefined,
        });
      }
      case 5:
        return g.value({
          value: x[1] as string,
          type: (x[2] as string | undefined) ?? 'token',
          lib: (x[3] as string | undefined) ?? '',
          ns: (x[4] as string | undefined) ?? '',
        });
      default:
        throw new Error(`unexpected pattern kind ${String(x[0])}`);
    }
  };
  for (const [e, body] of bodies) e.content = read(body);
  g.start = read(root[1] as Json);
  return g;
}

// ---- driving it with a document -----------------------------------------------

const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

type NameResolverLike = Resolver & {
  enterContext(): void;
  leaveContext(): void;
  definePrefix(prefix: string, uri: string): void;
};

/**
 * The namespace declarations in scope while a document is read, and a name resolver
 * for the datatypes that need one (QName values), made only when one is asked for:
 * it then replays the declarations in scope. Shared by fastCheck and rng-errors.ts.
 */
export class NamespaceScopes {
  private resolverObj: NameResolverLike | undefined;
  private readonly scopes: [string, string][][] = [];

  /** Enter an element: its xmlns attributes. Returns whether it declared any. */
  enter(attributes: Record<string, { prefix: string; local: string; value: string }>): boolean {
    const defs: [string, string][] = [];
    for (const qname of Object.keys(attributes)) {
      const a = attributes[qname];
      if (qname === 'xmlns') defs.push(['', a.value]);
      else if (a.prefix === 'xmlns') defs.push([a.local, a.value]);
    }
    if (defs.length === 0) return false;
    this.scopes.push(defs);
    if (this.resolverObj !== undefined) this.define(this.resolverObj, defs);
    return true;
  }

  /** Leave an element whose enter() returned true. */
  leave(): void {
    this.scopes.pop();
    this.resolverObj?.leaveContext();
  }

  readonly resolver = (): NameResolverLike => {
    if (this.resolverObj === undefined) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { DefaultNameResolver } = require('salve-annos/lib/salve/default_name_resolver') as {
        DefaultNameResolver: new () => NameResolverLike;
      };
      const r = new DefaultNameResolver();
      for (const defs of this.scopes) this.define(r, defs);
      this.resolverObj = r;
    }
    return this.resolverObj;
  };

  private define(r: NameResolverLike, defs: [string, string][]): void {
    r.enterContext();
    for (const [prefix, uri] of defs) r.definePrefix(prefix, uri);
  }
}

/**
 * Is the document valid? Mirrors the events that relaxng.ts fires at salve,
 * including salve's treatment of whitespace-only text.
 */
export function fastCheck(g: FastGrammar, src: string): FastVerdict {
  const scopes = new NamespaceScopes();
  const ctx: TextContext = { resolver: scopes.resolver, sawId: false };
  const ids = new Set<string>();
  let p = g.start;
  const stack: boolean[] = []; // whether the element declared namespaces
  let textBuf = '';
  let suspendedWs: string | undefined;
  let ignoreNextWs = false;

  const check = (q: Pat): Pat => {
    if (q.kind === NOT_ALLOWED) throw new Invalid();
    return q;
  };

  const flushText = (): void => {
    if (textBuf === '') return;
    const t = textBuf;
    textBuf = '';
    if (!/\S/.test(t)) {
      suspendedWs = t;
      return;
    }
    suspendedWs = undefined;
    p = check(g.textDeriv(p, t, ctx));
  };

  const parser = new SaxesParser({ xmlns: true });
  parser.on('text', (t) => {
    textBuf += t;
  });
  parser.on('cdata', (t) => {
    textBuf += t;
  });
  parser.on('opentag', (node) => {
    flushText();
    ignoreNextWs = false;
    suspendedWs = undefined;
    stack.push(scopes.enter(node.attributes));
    const uri = node.uri ?? '';
    const local = node.local ?? node.name;
    p = check(g.startTagOpen(p, uri, local, `${uri}\u0000${local}`));
    for (const qname of Object.keys(node.attributes)) {
      const a = node.attributes[qname];
      if (qname === 'xmlns' || a.prefix === 'xmlns' || a.uri === XMLNS_NS) continue;
      const q = check(g.startAttribute(p, a.uri, a.local, `${a.uri}\u0000${a.local}`));
      ctx.sawId = false;
      p = check(g.attributeValue(q, a.value, ctx));
      if (ctx.sawId) {
        // salve reports a second use of an ID value; let it.
        if (ids.has(a.value)) throw new Invalid();
        ids.add(a.value);
      }
    }
    p = check(g.startTagClose(p));
  });
  parser.on('closetag', () => {
    flushText();
    if (!ignoreNextWs && suspendedWs !== undefined) {
      // salve fires whitespace-only text only here: content that is nothing but
      // whitespace. Its empty pattern accepts whitespace; otherwise the text
      // must match like any other.
      p = check(wsDeriv(g, p, suspendedWs, ctx));
    }
    suspendedWs = undefined;
    ignoreNextWs = true;
    p = check(g.endTag(p));
    if (stack.pop()) scopes.leave();
  });
  parser.on('error', () => {
    throw new Invalid();
  });
  try {
    parser.write(src).close();
  } catch (e) {
    if (e instanceof Invalid) return 'invalid';
    throw e;
  }
  return p.nullable ? 'valid' : 'invalid';
}

/** Whitespace-only content: like textDeriv, but an empty pattern accepts it (as salve's does). */
function wsDeriv(g: FastGrammar, p: Pat, s: string, ctx: TextContext): Pat {
  const d = g.textDeriv(p, s, ctx);
  if (d.kind !== NOT_ALLOWED) return d;
  // After(content, rest) with an empty-ish content: salve's Empty walker
  // matches whitespace; accept only when the content is exactly empty.
  const keep = (q: Pat): Pat => {
    switch (q.kind) {
      case AFTER:
        return q.a!.kind === EMPTY ? q : g.notAllowed;
      case CHOICE:
        return g.choice(keep(q.a!), keep(q.b!));
      default:
        return g.notAllowed;
    }
  };
  return keep(p);
}

// ---- a compact form of the grammar, for the disk cache ---------------------------

/** Version of the compact form; bump when it or the pattern algebra changes. */
export const FAST_FORMAT = 2;

interface CompactGrammar {
  v: number;
  /** Name classes. */
  n: NameClass[];
  /** Data specs: [lib, type, params (name, value, ...), except pattern or -1]. */
  d: [string, string, string[], number][];
  /** Value specs: [lib, type, value, ns]. */
  l: [string, string, string, string][];
  /** Patterns, flattened: kind followed by its operands, in id order from 3. */
  p: number[];
  /** Element contents: element pattern, content pattern, ... */
  e: number[];
  s: number;
  /** The data specs' `pattern` parameters as salve translates them: [pattern, source,
   * flags] (xsd-regexp.ts). */
  r: [string, string, string][];
}

/** The grammar as it was read (before any document), in a compact JSON form. */
export function writeFastGrammar(g: FastGrammar): string {
  const byId: Pat[] = [];
  const seen = new Set<number>();
  const elements: ElementPat[] = [];
  const visit = (root: Pat): void => {
    const todo = [root];
    while (todo.length) {
      const p = todo.pop()!;
      if (seen.has(p.id)) continue;
      seen.add(p.id);
      byId[p.id] = p;
      if (p.a) todo.push(p.a);
      if (p.b) todo.push(p.b);
      if (p.data?.except) todo.push(p.data.except);
      if (p.kind === ELEMENT) {
        elements.push(p as ElementPat);
        todo.push((p as ElementPat).content!);
      }
    }
  };
  visit(g.start);
  const ncs: NameClass[] = [];
  const ncIndex = new Map<string, number>();
  const nc = (x: NameClass): number => {
    const k = JSON.stringify(x);
    let i = ncIndex.get(k);
    if (i === undefined) {
      i = ncs.length;
      ncs.push(x);
      ncIndex.set(k, i);
    }
    return i;
  };
  const index = new Map<number, number>([
    [g.empty.id, 0],
    [g.notAllowed.id, 1],
    [g.text.id, 2],
  ]);
  const out: CompactGrammar = { v: FAST_FORMAT, n: ncs, d: [], l: [], p: [], e: [], s: 0, r: [] };
  const translated = new Set<string>();
  let next = 3;
  for (const p of byId) {
    if (p === undefined || p.kind === EMPTY || p.kind === NOT_ALLOWED || p.kind === TEXT) continue;
    const ix = (q: Pat): number => {
      const i = index.get(q.id);
      if (i === undefined) throw new Error('pattern out of order');
      return i;
    };
    switch (p.kind) {
      case CHOICE:
      case GROUP:
      case INTERLEAVE:
        out.p.push(p.kind, ix(p.a!), ix(p.b!));
        break;
      case ONE_OR_MORE:
      case LIST:
        out.p.push(p.kind, ix(p.a!));
        break;
      case ATTRIBUTE:
        out.p.push(p.kind, nc(p.nc!), ix(p.a!));
        break;
      case ELEMENT:
        out.p.push(p.kind, nc(p.nc!));
        break;
      case DATA: {
        const d = p.data!;
        const params: string[] = [];
        for (const x of d.params) {
          params.push(x.name, x.value);
          if (x.name === 'pattern' && d.lib !== '' && !translated.has(x.value)) {
            translated.add(x.value);
            try {
              out.r.push([x.value, ...translatePattern(x.value)]);
            } catch {
              // a bad pattern: salve reports it when the parameter is read
            }
          }
        }
        out.d.push([d.lib, d.type, params, d.except ? ix(d.except) : -1]);
        out.p.push(p.kind, out.d.length - 1);
        break;
      }
      case VALUE: {
        const v = p.value!;
        out.l.push([v.lib, v.type, v.value, v.ns]);
        out.p.push(p.kind, out.l.length - 1);
        break;
      }
      default:
        throw new Error(`cannot write pattern kind ${p.kind}`);
    }
    index.set(p.id, next++);
  }
  for (const e of elements) out.e.push(index.get(e.id)!, index.get(e.content!.id)!);
  out.s = index.get(g.start.id)!;
  return JSON.stringify(out);
}

/** Read what writeFastGrammar wrote. Throws when it is not that. */
export function readCompactGrammar(text: string): FastGrammar {
  const c = JSON.parse(text) as CompactGrammar;
  if (c.v !== FAST_FORMAT) throw new Error('compact grammar of another version');
  rememberPatterns(c.r);
  const g = new FastGrammar();
  const pats: Pat[] = [g.empty, g.notAllowed, g.text];
  const p = c.p;
  for (let i = 0; i < p.length;) {
    const kind = p[i++];
    switch (kind) {
      case CHOICE:
        pats.push(g.choice(pats[p[i++]], pats[p[i++]]));
        break;
      case GROUP:
        pats.push(g.group(pats[p[i++]], pats[p[i++]]));
        break;
      case INTERLEAVE:
        pats.push(g.interleave(pats[p[i++]], pats[p[i++]]));
        break;
      case ONE_OR_MORE:
        pats.push(g.oneOrMore(pats[p[i++]]));
        break;
      case LIST:
        pats.push(g.list(pats[p[i++]]));
        break;
      case ATTRIBUTE: {
        const n = c.n[p[i++]];
        pats.push(g.attribute(n, pats[p[i++]]));
        break;
      }
      case ELEMENT:
        pats.push(g.newElement(c.n[p[i++]]));
        break;
      case DATA: {
        const [lib, type, raw, except] = c.d[p[i++]];
        const params: { name: string; value: string }[] = [];
        for (let j = 0; j + 1 < raw.length; j += 2)
          params.push({ name: raw[j], value: raw[j + 1] });
        pats.push(g.data({ lib, type, params, except: except >= 0 ? pats[except] : undefined }));
        break;
      }
      case VALUE: {
        const [lib, type, value, ns] = c.l[p[i++]];
        pats.push(g.value({ lib, type, value, ns }));
        break;
      }
      default:
        throw new Error(`bad compact grammar (kind ${kind})`);
    }
  }
  for (let i = 0; i < c.e.length; i += 2) {
    const e = pats[c.e[i]];
    if (!(e instanceof ElementPat)) throw new Error('bad compact grammar (element)');
    e.content = pats[c.e[i + 1]];
  }
  g.start = pats[c.s];
  return g;
}
