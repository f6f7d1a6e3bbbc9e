/**
 * Running editio's compiled stylesheets on saxon-js: one function, `runXslt`, for every
 * format (HTML, EPUB, print, the metadata record), and one way of turning the
 * stylesheets' messages into diagnostics.
 *
 * A run is described by an `XsltJob` (which SEF, which parameters): plain data, so that
 * it can be sent to a worker thread (session.ts) and compared with another job (`jobKey`)
 * to run it only once per build. Its `XsltOutput` is plain data too.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { compileCachedModule, registerModule, writeCodeCache } from '../cjs-module';
import { diag, type Diagnostic } from '../diagnostics';
import { packageRoot } from '../paths';

// saxon-js ships no type declarations; we use a narrow slice of its API.
export interface SaxonApi {
  transform(options: Record<string, unknown>, mode?: 'sync'): { principalResult: unknown };
  getResource(options: { text: string; type: 'xml' }): Promise<unknown>;
  /** The platform's file reader, which Schematron's read guard wraps. */
  getPlatform(): { readFile: (uri: unknown, ...rest: unknown[]) => unknown };
  getProcessorInfo(): { productVersion: string };
  XError: new (message: string, code: string) => Error;
}

let saxon: SaxonApi | undefined;
/** saxon-js, loaded on first use (it costs ~250 ms to load, ~150 ms with the code cache). */
export function SaxonJS(): SaxonApi {
  saxon ??= loadSaxon();
  return saxon;
}

/*
 * saxon-js is one 2.4 MB script that V8 compiles in every process and worker that uses
 * it. `npm run build` stores V8's code cache for it (writeSaxonCodeCache, after a warm-up
 * transform, so that the functions a transform needs are in it too), and loadSaxon
 * compiles the script with that cache. The cache's name carries the script's hash and
 * Node's version; V8 refuses a cache made by another V8 or with other flags, and then
 * compiles the script from its source, as require would. (Node 22's
 * module.enableCompileCache does this for every module; editio supports Node 20.)
 */
function saxonScript(): { file: string; source: string; cache: string } {
  const file = require.resolve('saxon-js');
  const known = knownSaxonScript(file);
  if (known) return known;
  const source = patchSaxon(fs.readFileSync(file, 'utf8'));
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const name = `saxon-js-${hash}-node${process.versions.node}-${process.arch}.v8cache`;
  return { file, source, cache: path.join(CACHE_DIR, name) };
}

/*
 * Patching saxon-js and hashing the result cost ~50 ms of every cold process and worker.
 * So `npm run build` also keeps the patched script and a record of what it was made
 * from (the script's size and time, the patches, Node); a later load that finds the
 * same reads the patched script and the cache's name from there. Anything else (another
 * saxon-js, other patches, EDITIO_SAXON_PATCHES=0, a missing file) takes the path above.
 */
const CACHE_DIR = path.join(packageRoot, 'lib', 'cache');
const SAXON_RECORD = path.join(CACHE_DIR, 'saxon-js.json');

interface SaxonRecord {
  key: string;
  patched: string;
  cache: string;
  /** What the cache was warmed with (writeSaxonCodeCache's warmUpId); not part of the key:
   * any cache serves a load, but a build with another warm-up writes it again. */
  warmUp?: string;
}

function saxonRecordKey(file: string): string {
  const st = fs.statSync(file);
  const patches =
    process.env.EDITIO_SAXON_PATCHES === '0'
      ? 'off'
      : createHash('sha256').update(JSON.stringify(SAXON_PATCHES)).digest('hex');
  return JSON.stringify([st.size, st.mtimeMs, patches, process.versions.node, process.arch]);
}

function knownSaxonScript(
  file: string,
): { file: string; source: string; cache: string; warmUp?: string } | undefined {
  try {
    const rec = JSON.parse(fs.readFileSync(SAXON_RECORD, 'utf8')) as SaxonRecord;
    if (rec.key !== saxonRecordKey(file)) return undefined;
    const source = fs.readFileSync(path.join(CACHE_DIR, path.basename(rec.patched)), 'utf8');
    return {
      file,
      source,
      cache: path.join(CACHE_DIR, path.basename(rec.cache)),
      warmUp: rec.warmUp,
    };
  } catch {
    return undefined;
  }
}

function writeSaxonRecord(
  s: { file: string; source: string; cache: string },
  warmUp: string,
): void {
  const patched = path.basename(s.cache).replace(/\.v8cache$/, '.js');
  const tmp = path.join(CACHE_DIR, `${patched}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, s.source);
  fs.renameSync(tmp, path.join(CACHE_DIR, patched));
  const rec: SaxonRecord = {
    key: saxonRecordKey(s.file),
    patched,
    cache: path.basename(s.cache),
    warmUp,
  };
  fs.writeFileSync(`${SAXON_RECORD}.${process.pid}.tmp`, JSON.stringify(rec));
  fs.renameSync(`${SAXON_RECORD}.${process.pid}.tmp`, SAXON_RECORD);
}

/*
 * Patches to saxon-js 2.7's own code, each of which spares work and changes no result.
 * Each applies only where its text occurs exactly once (this saxon-js), else the script
 * is compiled as it is; EDITIO_SAXON_PATCHES=0 turns them off. Outputs with and
 * without them are compared in test/unit/saxon-loader.test.ts.
 *
 * 1. A name test (`self::tei:p`, `child::tei:head`, as in every pattern and path) made a
 *    QName object of each element it tested, checking its local name against the NCName
 *    production with a regular expression, only to compare local name and namespace.
 *    For an element, the patched test compares the node's own localName and namespaceURI
 *    (the parts saxon-js's QName takes from it, its namespace '' when null); attributes
 *    and other nodes keep saxon-js's path.
 * 2. Every atomic value (each string, number, boolean, QName a transform makes) asserted
 *    its own type code with a fresh regular expression: an internal consistency check,
 *    which on a 2.7 MB document cost ~0.5 s of 18.
 * 3. An attribute step with a name (`@rend`, `$el/@type`, `@xml:lang`) built a node of
 *    every attribute of the element, each with a QName checked against the NCName
 *    production, and then kept the one with that name. The core asks several such
 *    questions of every element (e:attrs alone: @xml:id, @xml:lang, @rend, @rendition,
 *    @type, @n). The patched step finds the attribute by its local name and namespace
 *    (the XML namespace for an `xml:` prefix, as saxon-js's own test takes it) and builds
 *    that one node, as saxon-js would. Other attribute steps (`@*`), and elements of an
 *    HTML document (whose `xml:` attributes saxon-js treats apart), keep saxon-js's path.
 *    Two texts: the step (used only when the second is in) and the axis function.
 * 4. Each transform built a log line of its options before deciding whether to print it
 *    (at log level 2, which editio never sets), and each option went through toString():
 *    the source tree too, which serialised the whole document to keep 30 characters of
 *    it (~0.1 s a transform on a 3.5 MB text, for each format). A node now shows as its
 *    name in that line.
 * 5. Every xsl:call-template and xsl:apply-templates with parameters put them, and a copy
 *    of every tunnel parameter in force, into two new maps of saxon-js's own kind: a trie
 *    that takes one level per character of the key's hash, so that each parameter cost
 *    some ten objects (Quintilian: ~0.2 s of the insertions alone, and much of the
 *    transform's garbage collection). Those two maps are now a small class over a
 *    JavaScript Map keyed by the parameter's name (its matchKey, "q" and the expanded
 *    QName, equal exactly when saxon-js's QNames are equal), with the four methods the
 *    parameter maps are used through. Other maps (XPath maps) keep saxon-js's trie.
 * 6. generate-id() walked a node's ancestors and counted each one's preceding siblings,
 *    at every call: the cost of a node grew with the length of every sibling list above
 *    it, and the EPUB and print layers ask it of every element they mark and of every TEI
 *    element (the key that finds a mark's source). The id is the same string, now
 *    remembered for each node of a document (a WeakMap) and made from its parent's id and
 *    its own position, itself made from its previous sibling's; attributes, namespace
 *    nodes and nodes outside a document node (a tree still growing) keep saxon-js's path.
 * 7. Each matches(), replace() and tokenize() translated its XPath regular expression into
 *    a JavaScript one anew: a class such as \d or \p{L} became every range of Unicode it
 *    stands for, 0.1-0.7 ms a call (a date test, a URL's control characters, a page
 *    number's letters). The translation (the JavaScript source, flags and group count) is
 *    kept per expression and flags: a RegExp without the g or y flag (whose lastIndex no
 *    method reads or writes) is shared, one with them is made anew from the kept source.
 *    An input with surrogates goes through saxon-js's own path, which may refuse it where
 *    the engine lacks Unicode regular expressions.
 * 8. The descendant axis (and descendant-or-self, and the following and preceding axes,
 *    which saxon-js builds on them) was an iterator of iterators: each node's children
 *    mapped to a join of the child and its own descendants, so that every node a step
 *    returned went through two iterators per level between it and the step's context
 *    node, each level allocating three. Every `//x`, `descendant::`, key index and pass
 *    over a page walked the tree that way (measured under cachegrind: 4-5% of the EPUB
 *    transform of the flagship and of Whitman). The patched axis is one iterator that
 *    walks the tree in document order by firstChild, nextSibling and parentNode,
 *    leaving out of a document node's own children what saxon-js leaves out (the XML
 *    declaration, text, CDATA) and giving attributes and other leaves no descendants.
 *    A step on the child, descendant or descendant-or-self axis (of an element or a
 *    fragment, for the child axis) tests its node test as it walks, instead of through
 *    a filtering iterator over the walk.
 * 9. A sequence of expressions (`(a, b)`, and the instructions of a sequence constructor
 *    evaluated as one: a template's body, a variable's content) was a JavaScript
 *    generator wrapped in an iterator, resumed once for every item. It is now an iterator
 *    that evaluates each operand when the one before it is spent, as the generator did,
 *    and hands on its items.
 * 10. key(), accumulator-before() and the like name their key or accumulator by a string,
 *    which saxon-js resolved against the stylesheet's namespaces at every call: a
 *    resolver made anew from the instruction's namespace declarations (a string split
 *    and parsed each time) and a QName checked against the NCName production. The
 *    expanded name is now remembered for each instruction and name, as resolved the
 *    first time (a name that fails to resolve is not remembered, and fails each time).
 * 11. The HTML and XHTML serialisers ask of every attribute whether it holds a URI (to
 *    escape it), and made the table of such attributes (an object of fourteen arrays)
 *    anew for each question. The table is made once.
 * 12. Every QName saxon-js makes (an element's name when a template rule is sought for
 *    it, each attribute copied, each parameter read by name) tested its local name and
 *    prefix against the NCName production, a regular expression of every Unicode range
 *    a name may hold. The answer is now kept per string (up to 10,000 strings; others
 *    are tested each time).
 * 13. A few more things made at every use that are the same at every use: an xsl:param
 *    made its name's QName and parsed its declared type each time it read a supplied
 *    value; a namespace test (`tei:*`) and the search for an element's template rules
 *    made a QName of the element to read its namespace or local name, which an element
 *    node has as properties. These are now made once per instruction, or read from the
 *    node (attributes and other nodes keep saxon-js's path).
 * 14. The serialiser escaped each text and attribute value with two tables and two
 *    functions made anew for each value (now made once), and then looked at each
 *    character of it, one by one, for one the output encoding needs written as a
 *    character reference. With an encoding that holds every character (UTF-8, as
 *    editio's outputs), a value with none of the characters that loop stops at (controls,
 *    U+007F-U+009F, U+2028, surrogates) is now passed on after one regular-expression
 *    test, as the loop would have passed it on.
 * 15. Each transform looked for the stylesheet's package and global-context declarations
 *    by walking the whole compiled stylesheet, three times (~25 ms a transform on a cold
 *    start, with editions.sef). One walk now sorts every node of a stylesheet by kind,
 *    in the walk's order, once per stylesheet, and each look goes through its kind's list.
 * 16. Every comparison of two strings (a value comparison, a map's key) first asked of
 *    each whether it holds a character outside the Basic Multilingual Plane, by making an
 *    array of its characters: now one regular-expression test for a high surrogate
 *    followed by a low one, which is what that array's code points above U+FFFF are.
 * 17. The source document was parsed by sax-js, bundled in saxon-js, which reads the
 *    text one character at a time through a state machine: Quintilian (3.5 MB) took
 *    0.5-0.9 s in a build's rendering worker. saxes (editio's own parser, which the build
 *    has already used to check the document) now reads it, and the tree is built through
 *    the same DOM calls saxon-js makes: the same elements, attributes (an id's whitespace
 *    collapsed as saxon-js does), text, comments, processing instructions, and the line
 *    number it keeps for each element. Adjacent text and CDATA become one text node,
 *    as saxon-js's final normalize() made them, so that walk is not needed. The worker's
 *    parse of Quintilian: median 650 ms before, 490 ms after (6 builds each). A
 *    saxon-js without saxes at hand keeps its own parser.
 * 18. saxon-js carries its XPath and XSLT compiler as a compiled stylesheet, an object
 *    literal of 1.9 MB (three quarters of its code), made whenever saxon-js is loaded:
 *    in every process and rendering worker, and kept in V8's code cache. A transform of
 *    a compiled SEF never uses it; XPath.evaluate() and the like do. The literal is now
 *    made the first time saxon-js asks for its "compiler" resource.
 * 19. To copy an element that is already in a tree (xsl:sequence of a node into a new
 *    tree, as editions.xsl writes the page it keeps as index.html; xsl:copy-of) and to
 *    serialise one, saxon-js asks each element of the subtree for its namespace nodes,
 *    and each answer walks all the element's ancestors, reading their attributes for
 *    declarations: the flagship's page, ~5,000 elements some ten deep, each a walk to its
 *    root. These three recursive walks now hand each child the list they worked out for
 *    its parent (fc.__nsOf): a child without declarations, and in a namespace, has its
 *    parent's list; any other adds its own in front and drops what they hide, which is
 *    the list, in its order, that the walk to the root gives. The flagship's transform
 *    to HTML and EPUB: 4,151 M instructions before, 3,960 M after (cachegrind).
 * 20. The HTML and XHTML serialisers percent-encode the characters outside printable ASCII
 *    in URI attributes (href, src…): an element with one had all its attributes copied
 *    into a new map, and each URI attribute's value, NFC-normalised, taken apart into
 *    code points and put together again one character at a time (Quintilian's 3,546
 *    note calls and back-links). A URI attribute
 *    of printable ASCII alone comes out of that unchanged, so an element whose URI
 *    attributes are all such now goes on as it came. (The copy also marked those
 *    attributes as not subject to a character map or Unicode normalisation, which no
 *    editio stylesheet asks for.) Quintilian's HTML transform under cachegrind: 11,019 M
 *    to 10,840 M instructions (-1.6%).
 * 21. A map is a trie of its keys' hash strings, one character a level. A look-up and an
 *    in-place put went down it by recursion, making the rest of the hash string anew at
 *    each level; they now walk it in a loop. map:merge and the map constructor asked
 *    whether each key was there and then put it, two walks; they now put a key that is
 *    not there in one (__putNew), and map:merge decides its duplicates policy once, not
 *    at each key. The trie built is the same, node for node and in the same order.
 * 22. Every template rule, function call, xsl:for-each and the like runs in a new dynamic
 *    context: newContext() made one with the constructor, which gives it two parameter
 *    maps, three arrays and three objects of its own, and then replaced every one of them
 *    with its parent's (or with fresh ones). The constructor, asked by newContext, now
 *    leaves those fields null for newContext to fill, in the same order, so that the
 *    context has the same fields (and shape) as before. Quintilian's EPUB transform
 *    allocated ~15% fewer bytes (1,052 MB to ~900 MB, sampled) and took 60-100 ms less
 *    (12 paired cold runs, two series); the flagship's HTML and EPUB transform, 42 ms less
 *    (16 pairs). Its instruction count hardly moves: what it spares is memory traffic and
 *    garbage collection, which cachegrind's count does not weigh.
 */
export const SAXON_PATCHES: readonly (readonly [string, string])[] = [
  [
    'h=(b=fc.X(b))&&a.equals(b);return h}}',
    'h=1===b.nodeType?b.localName===a.local&&(b.namespaceURI||"")===a.q:(b=fc.X(b))&&a.equals(b);return h}}',
  ],
  ['constructor(a){Aa.ba(this.b().test(a));this.code=a}', 'constructor(a){this.code=a}'],
  [
    'axis:function(k){const F=oc(k.nodeTest||"").ga(),T=k.name;return t=>{t.failIfNoCurrentFocus("XPDY0002",T+" axis",k);t=t.getCurrentFocus();if(!W.Q(t))throw new J("Context item for "+T+" axis is not a node - supplied:"+Aa.showValue(t),"XPTY0020",k);return W.Ch[T](t).filter(F)}}',
    'axis:function(k){const F=oc(k.nodeTest||"").ga(),T=k.name,AN="attribute"===T?/^\\*?NA nQ\\{([^{}]*)\\}([^{}\\s*]+)$/.exec(k.nodeTest||""):null;return t=>{t.failIfNoCurrentFocus("XPDY0002",T+" axis",k);t=t.getCurrentFocus();if(!W.Q(t))throw new J("Context item for "+T+" axis is not a node - supplied:"+Aa.showValue(t),"XPTY0020",k);if(AN&&W.Ch.attrNamed){const r=W.Ch.attrNamed(t,AN[1],AN[2]);if(null!==r)return r}return "child"===T&&(1===t.nodeType||11===t.nodeType)?new __editioKids(t.firstChild,F):"descendant"===T?new __editioDesc(t,!1,F):"descendant-or-self"===T?new __editioDesc(t,!0,F):W.Ch[T](t).filter(F)}}',
  ],
  [
    'E+=B+"="+x[B].toString().substring(0,30)',
    'E+=B+"="+(x[B].nodeType?"#"+x[B].nodeName:x[B].toString().substring(0,30))',
  ],
  [
    'function v(k,F,T){k=z(k,"withParam");const t=[new lc,new lc];',
    'function v(k,F,T){k=z(k,"withParam");const t=[new __editioParams,new __editioParams];',
  ],
  [
    'return q}();const mc={',
    'return q}();const __editioParams=function(){function P(){this.m=new Map}P.prototype={containsKey:function(k){return this.m.has(k.matchKey())},get:function(k){const e=this.m.get(k.matchKey());return void 0===e?[]:e.v},inSituPut:function(k,v){this.m.set(k.matchKey(),{k,v})},forAllPairs:function(f){this.m.forEach(function(e){f(e)})}};return P}();const mc={',
  ],
  [
    'Ch:{ancestor:A.Lc,',
    'Ch:{attrNamed:function(q,u,n){if(1!==q.nodeType)return Tb;const d=q.ownerDocument;if(!d||d.documentElement&&ya.isHTMLElement(d.documentElement))return null;const g=q.attributes;for(let z=0;z<g.length;z++){const x=g[z];if(x.localName===n&&("xml"===x.prefix?dc.oc:x.namespaceURI||"")===u){const v=x.name;return"xmlns"!==v.substring(0,5)||5!==v.length&&":"!==v.charAt(5)?Ub(new ec(b.QName.fromParts(x.prefix,x.namespaceURI,x.localName),x.value,q)):Tb}}return Tb},ancestor:A.Lc,',
  ],
  [
    'var Ma=function(){function a(){null===h&&(h=ya.resource("regexCategories"));return h}function b(g,e,l=null,z=null){',
    'var Ma=function(){function a(){null===h&&(h=ya.resource("regexCategories"));return h}const __editioRx=new Map;function b(g,e,l=null,z=null){const k=g+"\\u0000"+(null==e?"":String(e)),c=__editioRx.get(k);if(void 0===c||null!==l&&/[\\uD800-\\uDFFF]/.test(l)){let n;const r=__editioRxB(g,e,l,function(q){n=q;z&&z(q)});void 0===c&&1e4>__editioRx.size&&__editioRx.set(k,{r:/[gy]/.test(r.flags)?null:r,s:r.source,f:r.flags,n});return r}z&&void 0!==c.n&&z(c.n);return c.r||new RegExp(c.s,c.f)}function __editioRxB(g,e,l=null,z=null){',
  ],
  [
    'ma(){return this.b}}\nclass Ib extends Ab{',
    'ma(){return this.b}}class __editioDesc extends Ab{constructor(r,s,f){super();this.r=r;this.t=9===r.nodeType;this.c=void 0;this.s=s;this.f=f}d(x){for(;x&&(7===x.nodeType&&"xml"===x.target||3===x.nodeType||4===x.nodeType);)x=x.nextSibling;return x||null}k(x){return this.t&&x===this.r?this.d(x.firstChild):1===x.nodeType||11===x.nodeType?x.firstChild||null:null}next(){for(;;){let n=this.c;if(null===n)return null;const r=this.r;if(void 0===n)n=this.s?r:this.k(r);else{let x=this.k(n);if(null===x)for(;n!==r;){x=this.t&&n.parentNode===r?this.d(n.nextSibling):n.nextSibling||null;if(x)break;n=n.parentNode}n=x}this.c=n;if(null===n||void 0===this.f)return n;const b=this.f(n);if("done"===b)return null;if(b)return n}}}class __editioKids extends Ab{constructor(n,f){super();this.n=n||null;this.f=f}next(){for(let n=this.n;null!==n;n=n.nextSibling||null){const b=this.f(n);if("done"===b){this.n=n.nextSibling||null;return null}if(b){this.n=n.nextSibling||null;return n}}return this.n=null}}class __editioSeq extends Ab{constructor(f,t){super();this.f=f;this.t=t;this.i=0;this.c=null}next(){for(;;){if(null!==this.c){const a=this.c.next();if(null!==a)return a;this.c=null}if(this.i>=this.f.length)return null;this.c=this.f[this.i++](this.t)}}}\nclass Ib extends Ab{',
  ],
  [
    'function b(k){const F=(k.C||[]).map(m);return T=>new Rb(function*(){for(const t of F){const R=t(T);let U;for(;null!==(U=R.next());)yield U}}())}',
    'function b(k){const F=(k.C||[]).map(m);return T=>new __editioSeq(F,T)}',
  ],
  [
    'function a(c,d,n,m,u=null){d=d.fixed.evaluator;if(c=c.next()){c=Ma.trim(c.toString());if(u&&Ma.isNCName(c))return"##local"===u&&(u=d.inScopeNamespaces(n)[""]||""),"Q{"+u+"}"+c;try{const Q=D.QName.fromString(c,d.stylesheetResolver(n,!1));if(null===Q)throw new J("Invalid QName "+c,m,n);return"Q{"+Q.q+"}"+Q.local}',
    'const __editioQn=new WeakMap;function a(c,d,n,m,u=null){d=d.fixed.evaluator;if(c=c.next()){c=Ma.trim(c.toString());const __q=null===u&&null!==n&&"object"===typeof n?__editioQn.get(n):void 0,__r=void 0===__q?void 0:__q.get(c);if(void 0!==__r)return __r;if(u&&Ma.isNCName(c))return"##local"===u&&(u=d.inScopeNamespaces(n)[""]||""),"Q{"+u+"}"+c;try{const Q=D.QName.fromString(c,d.stylesheetResolver(n,!1));if(null===Q)throw new J("Invalid QName "+c,m,n);const __s="Q{"+Q.q+"}"+Q.local;if(null===u&&null!==n&&"object"===typeof n){let __m=__editioQn.get(n);void 0===__m&&__editioQn.set(n,__m=new Map);__m.set(c,__s)}return __s}',
  ],
  [
    'function q(w,M){return(M={action:["form"],archive:["object"],background:["body"],cite:["blockquote","del","ins","q"],classid:["object"],codebase:["applet","object"],data:["object"],datasrc:"button div input object select span table textarea".split(" "),"for":["script"],formaction:["button","input"],href:["a","area","base","link"],icon:["command"],longdesc:["frame","iframe","img"],manifest:["html"],name:["a"],poster:["video"],profile:["head"],src:"audio embed frame iframe img input script source track video".split(" "),\nusemap:["img","input","object"]}[M.local])&&M.includes(w.local)}',
    'const __editioUriAttrs={action:["form"],archive:["object"],background:["body"],cite:["blockquote","del","ins","q"],classid:["object"],codebase:["applet","object"],data:["object"],datasrc:"button div input object select span table textarea".split(" "),"for":["script"],formaction:["button","input"],href:["a","area","base","link"],icon:["command"],longdesc:["frame","iframe","img"],manifest:["html"],name:["a"],poster:["video"],profile:["head"],src:"audio embed frame iframe img input script source track video".split(" "),\nusemap:["img","input","object"]};function q(w,M){return(M=__editioUriAttrs[M.local])&&M.includes(w.local)}',
  ],
  [
    'let P=null,q=null;return{fg:function(){P=b(',
    'let P=null,q=null;const __editioNc=new Map;return{fg:function(){P=b(',
  ],
  [
    'isNCName:function(g){return P.test(g)&&!/:/.test(g)},',
    'isNCName:function(g){if("string"!==typeof g)return P.test(g)&&!/:/.test(g);let r=__editioNc.get(g);if(void 0===r){r=P.test(g)&&!/:/.test(g);1e4>__editioNc.size&&__editioNc.set(g,r)}return r},',
  ],
  [
    'return ia=>{var ua=t?ia.tunnelParams:ia.localParams,Ba=Sa.XS.QName.fromEQName(F);if(ua.containsKey(Ba))ua=ua.get(Ba),\n""!==nc(k.as||"*").T().p&&(ua=Y(ua));',
    'let __qn=null,__as=null;return ia=>{var ua=t?ia.tunnelParams:ia.localParams,Ba=null===__qn?__qn=Sa.XS.QName.fromEQName(F):__qn;if(ua.containsKey(Ba))ua=ua.get(Ba),\n""!==(null===__as?__as=nc(k.as||"*").T().p:__as)&&(ua=Y(ua));',
  ],
  [
    'ga(){return a=>fc.Q(a)&&a.nodeType===this.Ba&&fc.X(a).q===this.q}',
    'ga(){return a=>fc.Q(a)&&a.nodeType===this.Ba&&(1===a.nodeType?(a.namespaceURI||"")===this.q:fc.X(a).q===this.q)}',
  ],
  [
    'var I=fc.X(e);if(I=I?I.local:null)I=D+" "+I',
    'var I=1===e.nodeType?e.localName||null:(I=fc.X(e))?I.local:null;if(I)I=D+" "+I',
  ],
  [
    'var le=function(){function a(w,M,aa){function ja(Y,y){function da(ea){return va=>ea[va]}const W={"<":"&lt;",">":"&gt;","&":"&amp;",\'"\':"&#34;","\\n":"&#10;","\\r":"&#13;","\\t":"&#9;"},ka={"<":"&lt;",">":"&gt;","&":"&amp;"};return y?Y.replace(/&|<|>|"|\\n|\\r|\\t/g,da(W)):Y.replace(/&|<|>/g,da(ka))}',
    'var le=function(){const __editioEscA={"<":"&lt;",">":"&gt;","&":"&amp;",\'"\':"&#34;","\\n":"&#10;","\\r":"&#13;","\\t":"&#9;"},__editioEscT={"<":"&lt;",">":"&gt;","&":"&amp;"},__editioEscAf=va=>__editioEscA[va],__editioEscTf=va=>__editioEscT[va];function a(w,M,aa){function ja(Y,y){return y?Y.replace(/&|<|>|"|\\n|\\r|\\t/g,__editioEscAf):Y.replace(/&|<|>/g,__editioEscTf)}',
  ],
  [
    'const ja=this.encoding;return function(Y){let y="";var da=0;const W=Y.length;if(0===W)return"";',
    'const ja=this.encoding,__f="string"===typeof ja&&"ISO-8859-1"!==ja.toUpperCase()&&"US-ASCII"!==ja.toUpperCase();return function(Y){if(__f&&"string"===typeof Y&&!/[\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F\\u2028\\uD800-\\uDC00]/.test(Y))return Y;let y="";var da=0;const W=Y.length;if(0===W)return"";',
  ],
  [
    'function I(x,E,B){function L(X,V){H(x,X,V)}function H(X,V,ha){X.N===V&&ha(X);X.C&&X.C.forEach(function(w){H(w,V,ha)})}',
    'const __editioByN=new WeakMap;function I(x,E,B){function L(X,V){let m=__editioByN.get(x);if(void 0===m){m=new Map;const W=function(w){let r=m.get(w.N);void 0===r&&m.set(w.N,r=[]);r.push(w);w.C&&w.C.forEach(W)};W(x);__editioByN.set(x,m)}const r=m.get(X)||[];for(let i=0;i<r.length;i++)V(r[i])}',
  ],
  [
    'function P(D,r){function c(Q){0===',
    'function __editioParse(D,r){let S;try{S=require("saxes")}catch(e){return null}if("function"!==typeof S.SaxesParser)return null;const n=(new Te).createDocument(null,null,null),p=new S.SaxesParser({xmlns:!0,position:!0});let m=null,u=0,t="";function f(){""!==t&&(m.appendChild(n.createTextNode(t)),t="")}function c(Q){0===u?n.appendChild(Q):(f(),m.appendChild(Q))}p.on("opentag",function(Q){const na=n.createElementNS(Q.uri,Q.name),A=Q.attributes;c(na);m=na;u++;for(const O in A){const ca=A[O],x=n.createAttributeNS(ca.uri,O);let v=ca.value;if("id"===ca.name||"xml:id"===ca.name)v=v.replace(/\\s+/g," ").trim();x.value=x.nodeValue=v;na.setAttributeNode(x)}r&&(na.Zj=""+p.line)});p.on("closetag",function(){f();0===--u?m=null:m=m.parentNode});p.on("text",function(Q){0<u&&(t+=Q)});p.on("cdata",function(Q){0<u&&(t+=Q)});p.on("comment",function(Q){c(n.createComment(Q))});p.on("processinginstruction",function(Q){c(n.createProcessingInstruction(Q.target,Q.body))});p.write(D).close();return n}function P(D,r){const __t=__editioParse(D,r);if(null!==__t)return __t;function c(Q){0===',
  ],
  [
    'var ra={N:"package",when:"2024-10-17T11:57:47.897041+01:00"',
    'var ra=null,__editioRa=()=>({N:"package",when:"2024-10-17T11:57:47.897041+01:00"',
  ],
  ['"4869c939"},sa={IsBasicLatin:', '"4869c939"}),sa={IsBasicLatin:'],
  [
    'compiler:ra};return{name:"Node.js"',
    'get compiler(){return null===ra?ra=__editioRa():ra}};return{name:"Node.js"',
  ],
  [
    'function Ha(a){return Array.from(a).some(b=>65535<b.codePointAt(0))}',
    'function Ha(a){return"string"===typeof a?/[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]/.test(a):Array.from(a).some(b=>65535<b.codePointAt(0))}',
  ],
  [
    'gf:function(q){return A.wa(q).mapOneToMany(function(g){return A.he(g)})},he:function(q){return Vb([Ub(q),A.gf(q)])}',
    'gf:function(q){return new __editioDesc(q,!1)},he:function(q){return new __editioDesc(q,!0)}',
  ],
  [
    'function h(c){function d(u){return u.replace(',
    'function __editioPosOf(x){let p=__editioPos.get(x);if(void 0!==p)return p;const b=[];let y=x;for(;null!==y&&void 0===(p=__editioPos.get(y));)b.push(y),y=y.previousSibling;let n=null===y?0:p;for(let i=b.length-1;0<=i;i--)__editioPos.set(b[i],++n);return n}const __editioPos=new WeakMap,__editioGids=new WeakMap;function __editioGid(c){let e=__editioGids.get(c);if(void 0!==e)return e.s;const b=[];let x=c;for(;null!==x&&void 0===(e=__editioGids.get(x));)b.push(x),x=x.parentNode;if(null===x){x=b.pop();if(9!==x.nodeType)return null;e={s:"d"+fc.pj(x)+ke.xg(1,"a"),u:0};__editioGids.set(x,e)}for(let i=b.length-1;0<=i;i--){const u=e.u+1;e={s:e.s+ke.xg(__editioPosOf(b[i]),0===u%2?"a":"A"),u};__editioGids.set(b[i],e)}return e.s}function h(c){if(!(c instanceof gc)&&2!==c.nodeType&&void 0!==c.parentNode){const r=__editioGid(c);if(null!==r)return r}function d(u){return u.replace(',
  ],
  [
    '}else break;return e},Jj:function(q){',
    '}else break;return e},__nsOf:function(q,p){if(null==p)return fc.inScopeNamespaces(q);let l=null,o=null;const z=fc.X(q);""===z.prefix&&""===z.q&&((l={xml:!0})[""]=!0);const g=q.attributes;for(let i=0;i<g.length;i++){let v=g[i].name;if("xmlns"===v.substring(0,5)){null===l&&(l={xml:!0});if(5!==v.length||l[""]){if(":"===v.charAt(5)&&(v=v.substring(6),!l[v])){l[v]=!0;(o||(o=[])).push({prefix:v,q:g[i].value})}}else{l[""]=!0;""!==g[i].value&&(o||(o=[])).push({prefix:"",q:g[i].value})}}}if(null===l)return p;const e=[p[0]];if(null!==o)for(const x of o)e.push(x);for(let i=1;i<p.length;i++)l[p[i].prefix]||e.push(p[i]);return e},Jj:function(q){',
  ],
  [
    'function P(f,I,D){switch(f.nodeType){case 9:case 11:I.startDoc(D?{BASE_URI:D}:{});f=f.childNodes;for(D=0;D<f.length;++D)P(f[D],I,null);I.endDoc();break;case 1:let r={};fc.va.namespace(f).forEachItem(function(d){"xml"!==\nd.prefix&&(r[d.prefix]=d.q)});let c=new je;fc.va.attribute(f).forEachItem(function(d){c.set(d.nc,{value:d.value,Wa:0})});I.startElement(fc.X(f),c,r,{});f=f.childNodes;for(D=0;D<f.length;++D)P(f[D],I,null);',
    'function P(f,I,D,__n){switch(f.nodeType){case 9:case 11:I.startDoc(D?{BASE_URI:D}:{});f=f.childNodes;for(D=0;D<f.length;++D)P(f[D],I,null);I.endDoc();break;case 1:let r={};const __s=fc.__nsOf(f,__n);for(const d of __s)"xml"!==d.prefix&&(r[d.prefix]=d.q);let c=new je;fc.va.attribute(f).forEachItem(function(d){c.set(d.nc,{value:d.value,Wa:0})});I.startElement(fc.X(f),c,r,{});f=f.childNodes;for(D=0;D<f.length;++D)P(f[D],I,null,__s);',
  ],
  [
    'function q(f,I,D,r=!1){switch(f.nodeType){case 9:case 11:r&&(I.Bc=f);I.startDoc();f=f.childNodes;for(var c=0;c<f.length;++c)q(f[c],I,D,r);I.endDoc();break;case 1:r&&\n(I.Bc=f);I.startElement(fc.X(f));fc.va.attribute(f).forEachItem(function(d){fc.X(d);I.attribute(fc.X(d),d.value)});D&&fc.va.namespace(f).forEachItem(function(d){I.namespace(d.prefix,d.q)});f=f.childNodes;for(c=0;c<f.length;++c)q(f[c],I,D,r);',
    'function q(f,I,D,r=!1,__n){switch(f.nodeType){case 9:case 11:r&&(I.Bc=f);I.startDoc();f=f.childNodes;for(var c=0;c<f.length;++c)q(f[c],I,D,r);I.endDoc();break;case 1:r&&\n(I.Bc=f);I.startElement(fc.X(f));fc.va.attribute(f).forEachItem(function(d){fc.X(d);I.attribute(fc.X(d),d.value)});const __s=D?fc.__nsOf(f,__n):null;if(D)for(const d of __s)I.namespace(d.prefix,d.q);f=f.childNodes;for(c=0;c<f.length;++c)q(f[c],I,D,r,__s);',
  ],
  [
    'function n(w,M,aa,ja=null){function Y(ka,ea){switch(ka.nodeType){case 9:case 11:ea.startDoc(W);ka=ka.childNodes;for(var va=0;va<ka.length;++va)Y(ka[va],ea);ea.endDoc();break;case 1:let pa={};fc.va.namespace(ka).forEachItem(function(F){pa[F.prefix]=F.q});let k=new je;fc.va.attribute(ka).forEachItem(function(F){k.set(F.nc,{value:F.value,Wa:{}})});ea.startElement(fc.X(ka),k,pa,W);ka=ka.childNodes;for(va=0;va<ka.length;++va)Y(ka[va],ea);',
    'function n(w,M,aa,ja=null){function Y(ka,ea,__n){switch(ka.nodeType){case 9:case 11:ea.startDoc(W);ka=ka.childNodes;for(var va=0;va<ka.length;++va)Y(ka[va],ea);ea.endDoc();break;case 1:let pa={};const __s=fc.__nsOf(ka,__n);for(const F of __s)pa[F.prefix]=F.q;let k=new je;fc.va.attribute(ka).forEachItem(function(F){k.set(F.nc,{value:F.value,Wa:{}})});ea.startElement(fc.X(ka),k,pa,W);ka=ka.childNodes;for(va=0;va<ka.length;++va)Y(ka[va],ea,__s);',
  ],
  [
    'class H extends Wd{startElement(w,M,aa,ja){let Y=!1;M.forEach((y,da)=>Y=Y||q(w,da));',
    'class H extends Wd{startElement(w,M,aa,ja){let Y=!1;M.forEach((y,da)=>Y=Y||q(w,da)&&!/^[ -~]*$/.test(y.value));',
  ],
  [
    'function a(l,z){if(""===z)return l.Va;const v=z.charAt(0);return l.ra.hasOwnProperty(v)?a(l.ra[v],z.substring(1)):[]}',
    'function a(l,z){for(let i=0;i<z.length;i++){const v=z.charAt(i);if(!l.ra.hasOwnProperty(v))return[];l=l.ra[v]}return l.Va}',
  ],
  [
    'function h(l,z,v,G){if(""===G){for(G=0;G<l.Va.length;G++)if(l.la.Fc(l.Va[G].k,z)){l.Va[G]={k:z,v};return}l.Va.push({k:z,v})}else{const p=G.charAt(0);let f;l.ra.hasOwnProperty(p)?f=l.ra[p]:(f=new q(l.la),f.id=g++,l.ra[p]=f);h(f,z,v,G.substring(1))}}',
    'function __editioLeaf(l,G){for(let i=0;i<G.length;i++){const p=G.charAt(i);let f;l.ra.hasOwnProperty(p)?f=l.ra[p]:(f=new q(l.la),f.id=g++,l.ra[p]=f);l=f}return l}function h(l,z,v,G){l=__editioLeaf(l,G);for(G=0;G<l.Va.length;G++)if(l.la.Fc(l.Va[G].k,z)){l.Va[G]={k:z,v};return}l.Va.push({k:z,v})}',
  ],
  [
    'inSituPut:function(l,z){h(this,l,z,this.la.hash(l))},',
    'inSituPut:function(k,v){h(this,k,v,this.la.hash(k))},__putNew:function(k,v){const l=__editioLeaf(this,this.la.hash(k));for(let G=0;G<l.Va.length;G++)if(l.la.Fc(l.Va[G].k,k))return!1;l.Va.push({k,v});return!0},',
  ],
  [
    'p[0].forEachItem(function(c){c.forAllPairs(function(d){if(!f.containsKey(d.k)||["use-last","unspecified","use-any"].includes(r))f.inSituPut(d.k,d.v);else{',
    'const __u=["use-last","unspecified","use-any"].includes(r);p[0].forEachItem(function(c){c.forAllPairs(function(d){if(__u)f.inSituPut(d.k,d.v);else if(!f.__putNew(d.k,d.v)){',
  ],
  [
    'I.forAllPairs(function(D){if(f.containsKey(D.k))throw new J("Duplicate key value \'"+D.k.toString()+"\'","XSLT"===z.fixed.la.Xb?"XTDE3365":"XQDY0137",v);f.inSituPut(D.k,D.v)})',
    'I.forAllPairs(function(D){if(!f.__putNew(D.k,D.v))throw new J("Duplicate key value \'"+D.k.toString()+"\'","XSLT"===z.fixed.la.Xb?"XTDE3365":"XQDY0137",v)})',
  ],
  [
    'class rf{constructor(){this.depth=0;this.masterDocument=this.g=this.resultDocument=this.currentComponent=this.focus=null;this.tempOutputState=!1;this.outputURIs=[];this.fixed={md:null,nd:[],Ga:null};this.localParams=new lc;this.tunnelParams=new lc;this.currentTemplate=null;this.currentMode={};this.currentMergeGroup=this.currentGroupingKey=this.currentGroup=this.currentEvent=this.currentError=null;this.regexGroups=[];this.useAccumulators=null;this.localVars=[];this.messageCounts={};this.b=null}',
    'class rf{constructor(__s){this.depth=0;this.masterDocument=this.g=this.resultDocument=this.currentComponent=this.focus=null;this.tempOutputState=!1;this.outputURIs=__s?null:[];this.fixed=__s?null:{md:null,nd:[],Ga:null};this.localParams=__s?null:new lc;this.tunnelParams=__s?null:new lc;this.currentTemplate=null;this.currentMode=__s?null:{};this.currentMergeGroup=this.currentGroupingKey=this.currentGroup=this.currentEvent=this.currentError=null;this.regexGroups=__s?null:[];this.useAccumulators=null;this.localVars=__s?null:[];this.messageCounts=__s?null:{};this.b=null}',
  ],
  ['newContext(a){const b=new rf;', 'newContext(a){const b=new rf(!0);'],
];

/** saxon-js's source with SAXON_PATCHES applied where they fit. */
export function patchSaxon(source: string): string {
  if (process.env.EDITIO_SAXON_PATCHES === '0') return source;
  return applyPatches(source, SAXON_PATCHES).source;
}

/**
 * A source with each [from, to] pair applied where `from` occurs exactly once (elsewhere
 * it is left alone); `applied` counts the pairs that were.
 */
export function applyPatches(
  source: string,
  patches: readonly (readonly [string, string])[],
): { source: string; applied: number } {
  let s = source;
  let applied = 0;
  for (const [from, to] of patches) {
    const at = s.indexOf(from);
    if (at >= 0 && s.indexOf(from, at + 1) < 0) {
      s = s.slice(0, at) + to + s.slice(at + from.length);
      applied++;
    }
  }
  return { source: s, applied };
}

/** Where this Node keeps the code cache for this saxon-js. */
export function saxonCodeCachePath(): string {
  return saxonScript().cache;
}

/**
 * True when the kept record describes this saxon-js, these patches and this Node, so
 * that a load reads the kept patched script, and (given warmUpId) a cache warmed that
 * way. A cache can exist while the record is of other patches (a checkout of another
 * revision built since): the build then writes both again, or every process would patch
 * and hash saxon-js anew.
 */
export function saxonRecordCurrent(warmUpId?: string): boolean {
  const known = knownSaxonScript(require.resolve('saxon-js'));
  return known !== undefined && (warmUpId === undefined || known.warmUp === warmUpId);
}

/*
 * saxon-js requires axios when it loads, only to read resources named by http(s) URLs.
 * editio never reads from the network (a hostile document must not make a build fetch
 * anything), and loading axios and its dependencies took ~0.1-0.15 s of every process and
 * rendering worker. saxon-js is given this stand-in instead: any such read fails, and
 * saxon-js reports it as a resource it could not read (FODC0002).
 */
const noNetwork = {
  get: (url: unknown) =>
    Promise.reject(new Error(`editio does not read from the network (${String(url)})`)),
};

function compileSaxon(
  s: { file: string; source: string },
  cachedData?: Buffer,
): { script: vm.Script; exports: () => SaxonApi } {
  const req = Module.createRequire(s.file);
  const c = compileCachedModule(s.file, s.source, {
    cachedData,
    parent: module,
    require: Object.assign((id: string): unknown => (id === 'axios' ? noNetwork : req(id)), req),
  });
  return {
    script: c.script,
    exports: () => {
      // run it as Node would run the module, and register it, so that a plain
      // require('saxon-js') elsewhere gets this same instance
      const mod = c.run();
      registerModule(mod);
      return mod.exports as SaxonApi;
    },
  };
}

function loadSaxon(): SaxonApi {
  try {
    const s = saxonScript();
    if (!require.cache[s.file]) {
      // without a cache, or with one V8 refuses, V8 compiles the script as require would
      return compileSaxon(
        s,
        fs.existsSync(s.cache) ? fs.readFileSync(s.cache) : undefined,
      ).exports();
    }
  } catch {
    /* fall back to a plain require */
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('saxon-js') as SaxonApi;
}

/**
 * Write the code cache for saxon-js (`npm run build`), after running `warmUp` (a
 * transform) with it, so that the functions a transform compiles are cached too; the
 * record keeps `warmUpId` (see saxonRecordCurrent). Returns the cache's path.
 */
export function writeSaxonCodeCache(warmUp: (api: SaxonApi) => void, warmUpId = ''): string {
  if (saxon) throw new Error('saxon-js is already loaded in this process');
  const s = saxonScript();
  const c = compileSaxon(s);
  saxon = c.exports();
  warmUp(saxon);
  writeCodeCache(c.script, s.cache);
  writeSaxonRecord(s, warmUpId);
  // the scripts and caches of other patches or Node versions (~5 MB each) are stale now
  const keep = path.basename(s.cache).replace(/\.v8cache$/, '');
  for (const f of fs.readdirSync(CACHE_DIR)) {
    const m = /^(saxon-js-[0-9a-f]+-node[^/]*)\.(?:js|v8cache)$/.exec(f);
    if (m && m[1] !== keep) fs.rmSync(path.join(CACHE_DIR, f), { force: true });
  }
  return s.cache;
}

const sefCache = new Map<string, unknown>();

/** The compiled stylesheet as an object, parsed once per process. */
export function loadSef(sefPath: string): unknown {
  let sef = sefCache.get(sefPath);
  if (sef === undefined) {
    if (!fs.existsSync(sefPath)) {
      throw new Error(
        `compiled stylesheet not found: ${sefPath} (run \`node scripts/compile-xslt.js\`)`,
      );
    }
    // editio's SEFs are written in ASCII (scripts/compile-xslt.js): read so, their text is
    // a one-byte string, which takes less time to decode and to parse than UTF-16
    const bytes = fs.readFileSync(sefPath);
    sef = JSON.parse(bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8'));
    primeSef(sefPath, bytes, sef as SefNode);
    sefCache.set(sefPath, sef);
  }
  return sef;
}

/** A node of a SEF: its children under `C`. */
interface SefNode {
  C?: SefNode[];
  parentNode?: SefNode;
  PRIMED?: boolean;
}

/** The file beside a SEF that records its SHA-256 (scripts/compile-xslt.js writes it). */
export function sefDigestPath(sefPath: string): string {
  return `${sefPath}.sha256`;
}

/*
 * Before its first transform with a SEF, saxon-js 2.7 "primes" it: it verifies the SEF's
 * checksum by walking the whole tree, then links every node to its parent. The checksum
 * walk costs ~40 ms a stylesheet in every process and worker (a default build loads four
 * SEFs in its worker). editio's own SEFs carry a SHA-256 of their bytes, recorded when
 * they are compiled: when the SEF read matches it, editio links the parents itself and
 * marks the SEF primed, as saxon-js would have. A SEF without that record (Schematron's,
 * a stale build) or another saxon-js version is primed by saxon-js, checksum and all.
 */
function primeSef(sefPath: string, bytes: Buffer, sef: SefNode): void {
  if (sef.PRIMED || !/^2\.7(\.|$)/.test(SaxonJS().getProcessorInfo().productVersion)) return;
  let recorded: string;
  try {
    recorded = fs.readFileSync(sefDigestPath(sefPath), 'utf8').trim();
  } catch {
    return;
  }
  if (recorded !== createHash('sha256').update(bytes).digest('hex')) return;
  const link = (n: SefNode): void => {
    if (n.C) {
      for (const c of n.C) {
        c.parentNode = n;
        link(c);
      }
    }
  };
  link(sef);
  sef.PRIMED = true;
}

/** One run of a compiled stylesheet over the build's source document. */
export interface XsltJob {
  /** Absolute path of the SEF. */
  sef: string;
  /** Stylesheet parameters (strings, numbers, booleans). */
  params: Record<string, string | number | boolean>;
  /** Collect the xsl:result-document outputs, whose URIs are relative to this base. */
  resultBase?: string;
}

export interface XsltOutput {
  ok: boolean;
  /** The principal result, serialised. */
  principal: string;
  /** xsl:result-document outputs: [href relative to resultBase, serialised content]. */
  documents: [string, string][];
  /** The text of every xsl:message, in order. */
  messages: string[];
  /** Why the transform failed (ok false). */
  error?: string;
}

/** A stable key: two jobs with the same key give the same output on the same source. */
export function jobKey(job: XsltJob): string {
  const params = Object.keys(job.params)
    .sort()
    .map((k) => [k, job.params[k]]);
  return JSON.stringify([job.sef, params, job.resultBase ?? null]);
}

function messageText(m: unknown): string {
  if (m && typeof m === 'object' && 'textContent' in m) {
    return String((m as { textContent: unknown }).textContent ?? '');
  }
  return String(m ?? '');
}

/** Parse a source text into saxon-js's tree, once, for several transforms. */
export function parseSource(text: string): Promise<unknown> {
  return SaxonJS().getResource({ text, type: 'xml' });
}

/**
 * Run one job, synchronously, on a source given as text or as a tree from
 * parseSource(). Never throws: a failure is an output with ok false and its error.
 */
export function runXslt(
  source: { text: string } | { doc: unknown },
  job: XsltJob,
  /** Given: each xsl:result-document output goes here as it is written, and not into
   * the output's documents. */
  onDocument?: (href: string, content: string) => void,
): XsltOutput {
  const messages: string[] = [];
  const documents: [string, string][] = [];
  try {
    const options: Record<string, unknown> = {
      stylesheetInternal: loadSef(job.sef),
      destination: 'serialized',
      stylesheetParams: job.params,
      deliverMessage: (m: unknown) => messages.push(messageText(m)),
    };
    if ('doc' in source) options.sourceNode = source.doc;
    else options.sourceText = source.text;
    const base = job.resultBase;
    if (base !== undefined) {
      options.baseOutputURI = base;
      options.deliverResultDocument = () => ({
        destination: 'serialized',
        save: (uri: unknown, content: unknown) => {
          const u = String(uri);
          const href = u.startsWith(base) ? u.slice(base.length) : u;
          if (onDocument) onDocument(href, String(content));
          else documents.push([href, String(content)]);
        },
      });
    }
    const result = SaxonJS().transform(options, 'sync');
    return { ok: true, principal: String(result.principalResult ?? ''), documents, messages };
  } catch (err) {
    const msg = (err as { message?: string })?.message ?? String(err);
    return { ok: false, principal: '', documents, messages, error: msg };
  }
}

/** Position of the first start tag `<name` (any prefix) in the source, for a diagnostic. */
export function locateElement(text: string, name: string): { line: number; column: number } {
  if (!name) return { line: 0, column: 0 };
  const esc = name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  const re = new RegExp(`<(?:[\\w.-]+:)?${esc}[\\s/>]`);
  // Prefer an occurrence after the header.
  const headerEnd = text.indexOf('</teiHeader>');
  let idx = -1;
  if (headerEnd >= 0) {
    const m = re.exec(text.slice(headerEnd));
    if (m) idx = headerEnd + m.index;
  }
  if (idx < 0) {
    const m = re.exec(text);
    if (!m) return { line: 0, column: 0 };
    idx = m.index;
  }
  let line = 1;
  let lastNl = -1;
  for (let i = 0; i < idx; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lastNl = i;
    }
  }
  return { line, column: idx - lastNl };
}

export const DIAG_PREFIX = 'EDITIO-DIAG ';

interface XslDiag {
  severity?: string;
  code?: string;
  name?: string;
  message?: string;
}

/**
 * The stylesheet's messages as diagnostics. The core reports an unknown element each
 * time it renders one (`EDITIO-DIAG {json}`); here they become one diagnostic per
 * (code, name), with a count and the position of the first occurrence in the source.
 * Other messages become `xslt.message` notes, unless `ownOnly` drops them.
 */
export function messageDiagnostics(
  messages: string[],
  teiText: string,
  file: string,
  opts: { ownOnly?: boolean } = {},
): Diagnostic[] {
  const byKey = new Map<string, { d: Diagnostic; count: number }>();
  for (const text of messages) {
    let parsed: XslDiag | undefined;
    if (text.startsWith(DIAG_PREFIX)) {
      try {
        parsed = JSON.parse(text.slice(DIAG_PREFIX.length)) as XslDiag;
      } catch {
        parsed = undefined;
      }
    }
    if (!parsed && opts.ownOnly) continue;
    const key = parsed ? `${parsed.code}\u0000${parsed.name ?? ''}` : `raw\u0000${text}`;
    const seen = byKey.get(key);
    if (seen) {
      seen.count++;
      continue;
    }
    let d: Diagnostic;
    if (parsed) {
      const sev =
        parsed.severity === 'error' || parsed.severity === 'info' ? parsed.severity : 'warning';
      const pos = locateElement(teiText, parsed.name ?? '');
      d = diag(
        sev,
        parsed.code ?? 'xslt.message',
        parsed.message ?? text,
        file,
        pos.line,
        pos.column,
      );
    } else {
      d = diag('info', 'xslt.message', text, file);
    }
    byKey.set(key, { d, count: 1 });
  }
  return [...byKey.values()].map(({ d, count }) =>
    count > 1 ? { ...d, message: `${d.message} (${count} occurrences)` } : d,
  );
}
