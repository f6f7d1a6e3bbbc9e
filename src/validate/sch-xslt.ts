/**
 * ISO Schematron → XSLT 3.0, generated in TypeScript.
 *
 * Each pattern becomes a named template run on the document node. A rule context is
 * an XSLT match pattern, and a pattern P matches exactly the nodes that the expression
 * `//(P)` selects, so each rule is a `select` (much faster in saxon-js than a
 * template-dispatch walk); subtracting the nodes of the pattern's earlier rules gives
 * ISO's "first matching rule wins, once per node". A context that uses current()
 * (whose meaning differs between a pattern and an expression) gets a real
 * `match=` template instead. Per node, the rule's lets run, then its asserts/reports.
 *
 * The stylesheet returns a flat sequence of strings, four per record:
 *   'F', <index of the assert/report in `asserts`>, <child-index path of the element>, <message>
 *   'E', <index of the pattern>, <error code>, <error description>   (a pattern that failed to run)
 * The path (`1/3/2`) is mapped to a line and column by sch-positions.ts.
 *
 * Supported: sch:ns, sch:pattern, sch:rule (@context, @role), sch:assert, sch:report,
 * sch:let (schema, pattern and rule level; @value or content), sch:value-of, sch:name,
 * @role, @id, abstract patterns (@is-a + sch:param), abstract rules + sch:extends,
 * sch:include (local files), and xsl:key / xsl:function at schema level (the xslt
 * query bindings allow them). sch:phase is ignored (all patterns run), as are
 * sch:diagnostics, sch:title, sch:p.
 */
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { SaxesParser } from 'saxes';

export const SCH_NS = 'http://purl.oclc.org/dsdl/schematron';
const XSL_NS = 'http://www.w3.org/1999/XSL/Transform';
const XS_NS = 'http://www.w3.org/2001/XMLSchema';
/** Namespace of the generator's own names (modes, functions, variables). */
const SXI_NS = 'urn:editio:schematron-internal';
/** Bumped when the generated XSLT changes shape (it is part of the cache key anyway). */
export const GENERATOR_VERSION = '1';

export interface XElement {
  uri: string;
  local: string;
  qname: string;
  /** Attributes in no namespace, by local name. */
  attrs: Record<string, string>;
  /** All attributes as written (for verbatim copies), namespace declarations excluded. */
  rawAttrs: { qname: string; value: string }[];
  /** In-scope namespaces, '' for the default namespace. */
  ns: Record<string, string>;
  children: XNode[];
  file: string;
  line: number;
}
export type XNode = XElement | string;

export class SchematronSchemaError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line = 0,
  ) {
    super(message);
  }
}

/** Parse an XML file into a small namespace-aware tree. */
export function parseXmlTree(text: string, file: string): XElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XElement[] = [];
  let root: XElement | undefined;
  parser.on('opentag', (tag) => {
    const parentNs = stack.length ? stack[stack.length - 1].ns : {};
    const ns: Record<string, string> = { ...parentNs, ...(tag.ns ?? {}) };
    const attrs: Record<string, string> = {};
    const rawAttrs: { qname: string; value: string }[] = [];
    for (const a of Object.values(tag.attributes)) {
      if (a.prefix === 'xmlns' || a.name === 'xmlns') continue;
      rawAttrs.push({ qname: a.name, value: a.value });
      if (a.uri === '') attrs[a.local] = a.value;
    }
    const el: XElement = {
      uri: tag.uri ?? '',
      local: tag.local ?? tag.name,
      qname: tag.name,
      attrs,
      rawAttrs,
      ns,
      children: [],
      file,
      line: parser.line,
    };
    if (stack.length) stack[stack.length - 1].children.push(el);
    else root = el;
    stack.push(el);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const onText = (t: string) => {
    if (stack.length) stack[stack.length - 1].children.push(t);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  try {
    parser.write(text).close();
  } catch (e) {
    throw new SchematronSchemaError(`not well-formed: ${(e as Error).message}`, file);
  }
  if (!root) throw new SchematronSchemaError('no root element', file);
  return root;
}

const isSch = (n: XNode, local?: string): n is XElement =>
  typeof n !== 'string' && n.uri === SCH_NS && (local === undefined || n.local === local);
const elems = (el: XElement, local?: string): XElement[] =>
  el.children.filter((c): c is XElement => isSch(c, local));

/** Replace sch:include by the element it points to (local files only). */
function resolveIncludes(el: XElement, depth = 0): XElement {
  const children: XNode[] = [];
  for (const c of el.children) {
    if (typeof c === 'string') children.push(c);
    else if (isSch(c, 'include')) {
      const href = c.attrs.href ?? '';
      if (/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith('file:')) {
        throw new SchematronSchemaError(`sch:include of a non-local URI refused: ${href}`, c.file);
      }
      if (depth > 20) throw new SchematronSchemaError('sch:include nested too deeply', c.file);
      const target = href.startsWith('file:')
        ? new URL(href).pathname
        : path.resolve(path.dirname(c.file), href.replace(/#.*$/, ''));
      let text: string;
      try {
        text = fs.readFileSync(target, 'utf8');
      } catch {
        throw new SchematronSchemaError(`cannot read sch:include ${href}`, c.file, c.line);
      }
      children.push(resolveIncludes(parseXmlTree(text, target), depth + 1));
    } else children.push(resolveIncludes(c, depth));
  }
  return { ...el, children };
}

export interface AssertInfo {
  kind: 'assert' | 'report';
  id?: string;
  role?: string;
  patternId?: string;
}

export interface GeneratedXslt {
  xslt: string;
  asserts: AssertInfo[];
  /** Pattern ids (or `#n`) by pattern index. */
  patterns: string[];
  queryBinding: string;
}

const escAttr = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
const escText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Copy an element verbatim (xsl:key, xsl:function, let content), with its namespaces. */
function serialize(el: XElement, parentNs: Record<string, string> = {}): string {
  let out = `<${el.qname}`;
  for (const [p, u] of Object.entries(el.ns)) {
    if (parentNs[p] !== u)
      out += p === '' ? ` xmlns="${escAttr(u)}"` : ` xmlns:${p}="${escAttr(u)}"`;
  }
  for (const a of el.rawAttrs) out += ` ${a.qname}="${escAttr(a.value)}"`;
  out += '>';
  for (const c of el.children) out += typeof c === 'string' ? escText(c) : serialize(c, el.ns);
  return `${out}</${el.qname}>`;
}

/** Substitute abstract-pattern parameters (`$name`) in an XPath expression. */
function substitute(expr: string, params: Map<string, string>): string {
  if (params.size === 0) return expr;
  return expr.replace(/\$([\p{L}_][\p{L}\p{N}_.\-:]*)/gu, (m, name: string) =>
    params.has(name) ? params.get(name)! : m,
  );
}

interface Ctx {
  params: Map<string, string>;
}

/** Prefixes declared by sch:ns: the only ones XPath expressions may rely on. */
function namespaceDecls(schema: XElement): Map<string, string> {
  const decls = new Map<string, string>();
  decls.set('xs', XS_NS);
  for (const n of elems(schema, 'ns')) {
    if (n.attrs.prefix && n.attrs.uri !== undefined) decls.set(n.attrs.prefix, n.attrs.uri);
  }
  return decls;
}

/** Split an XPath expression on its top-level `|` (outside brackets, strings, comments). */
export function splitUnion(expr: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === '"' || c === "'") {
      const end = expr.indexOf(c, i + 1);
      i = end < 0 ? expr.length : end;
    } else if (c === '(' && expr[i + 1] === ':') {
      const end = expr.indexOf(':)', i + 2);
      i = end < 0 ? expr.length : end + 1;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === '|' && depth === 0) {
      if (expr[i + 1] === '|')
        i++; // `||` is string concatenation
      else {
        parts.push(expr.slice(start, i));
        start = i + 1;
      }
    }
  }
  parts.push(expr.slice(start));
  return parts.map((p) => p.trim());
}

/**
 * The nodes a match pattern matches, as an expression: a pattern P matches exactly the
 * nodes selected by `//(P)`. Branches that start at the root (`/x`, `//x`) are used as
 * they are, so that they are evaluated once rather than once per node.
 */
export function patternToSelect(pattern: string): string {
  return splitUnion(pattern)
    .map((b) => (b.startsWith('/') ? `(${b})` : `/descendant-or-self::node()/(${b})`))
    .join(' | ');
}

export function generateXslt(schText: string, schPath: string): GeneratedXslt {
  const schema = resolveIncludes(parseXmlTree(schText, schPath));
  if (!isSch(schema, 'schema')) {
    throw new SchematronSchemaError('the root element is not sch:schema', schPath);
  }
  const queryBinding = (schema.attrs.queryBinding ?? 'xslt').toLowerCase();
  const nsDecls = namespaceDecls(schema);
  const asserts: AssertInfo[] = [];
  const patterns: string[] = [];

  // Abstract rules (in patterns or sch:rules) and abstract patterns, by id.
  const abstractRules = new Map<string, XElement>();
  const abstractPatterns = new Map<string, XElement>();
  const collectAbstract = (el: XElement) => {
    for (const c of el.children) {
      if (typeof c === 'string') continue;
      if (c.uri !== SCH_NS) continue;
      if (c.local === 'rule' && c.attrs.abstract === 'true' && c.attrs.id) {
        abstractRules.set(c.attrs.id, c);
      } else if (c.local === 'pattern' && c.attrs.abstract === 'true' && c.attrs.id) {
        abstractPatterns.set(c.attrs.id, c);
      }
      if (c.local === 'pattern' || c.local === 'rules') collectAbstract(c);
    }
  };
  collectAbstract(schema);

  const out: string[] = [];
  const nsAttrs = [...nsDecls].map(([p, u]) => ` xmlns:${p}="${escAttr(u)}"`).join('');
  out.push(
    `<xsl:stylesheet version="3.0" xmlns:xsl="${XSL_NS}" xmlns:sxi="${SXI_NS}"` +
      ` xmlns:err="http://www.w3.org/2005/xqt-errors"${nsAttrs} exclude-result-prefixes="#all"` +
      // Relative URIs in doc()/document() resolve against the schema, as in Schematron.
      ` xml:base="${escAttr(pathToFileURL(schPath).href)}">`,
  );
  out.push(
    `<xsl:function name="sxi:loc" as="xs:string"><xsl:param name="n" as="item()"/>` +
      `<xsl:sequence select="if ($n instance of node()) then string-join(for $a in $n/ancestor-or-self::* ` +
      `return string(count($a/preceding-sibling::*) + 1), '/') else ''"/></xsl:function>`,
  );

  const letXslt = (l: XElement, ctx: Ctx): string => {
    const name = l.attrs.name;
    if (!name) throw new SchematronSchemaError('sch:let without @name', l.file, l.line);
    if (l.attrs.value !== undefined) {
      return `<xsl:variable name="${escAttr(name)}" select="${escAttr(substitute(l.attrs.value, ctx.params))}"/>`;
    }
    const content = l.children.map((c) => (typeof c === 'string' ? escText(c) : serialize(c)));
    return `<xsl:variable name="${escAttr(name)}">${content.join('')}</xsl:variable>`;
  };

  // Schema-level lets and pass-through XSLT declarations.
  for (const c of schema.children) {
    if (typeof c === 'string') continue;
    if (c.uri === SCH_NS && c.local === 'let') out.push(letXslt(c, { params: new Map() }));
    else if (c.uri === XSL_NS && (c.local === 'key' || c.local === 'function')) {
      out.push(serialize(c));
    }
  }

  const messageXslt = (el: XElement, ctx: Ctx): string => {
    let m = '';
    for (const c of el.children) {
      if (typeof c === 'string') m += `<xsl:text>${escText(c)}</xsl:text>`;
      else if (c.uri === SCH_NS && c.local === 'value-of') {
        m += `<xsl:value-of select="${escAttr(substitute(c.attrs.select ?? '.', ctx.params))}"/>`;
      } else if (c.uri === SCH_NS && c.local === 'name') {
        m += `<xsl:value-of select="name(${escAttr(substitute(c.attrs.path ?? '.', ctx.params))})"/>`;
      } else m += messageXslt(c, ctx); // sch:emph, sch:dir, sch:span, foreign markup: their text
    }
    return m;
  };

  /** Lets, asserts and reports of a rule, with sch:extends expanded. */
  const ruleBody = (rule: XElement, ctx: Ctx, patternId: string, seen: Set<string>): string => {
    let body = '';
    for (const c of rule.children) {
      if (!isSch(c)) continue;
      if (c.local === 'let') body += letXslt(c, ctx);
      else if (c.local === 'extends') {
        const ref = c.attrs.rule;
        const target = ref ? abstractRules.get(ref) : undefined;
        if (!target || seen.has(ref!)) {
          throw new SchematronSchemaError(`sch:extends: no abstract rule '${ref}'`, c.file, c.line);
        }
        body += ruleBody(target, ctx, patternId, new Set([...seen, ref!]));
      } else if (c.local === 'assert' || c.local === 'report') {
        const test = c.attrs.test;
        if (test === undefined) {
          throw new SchematronSchemaError(`sch:${c.local} without @test`, c.file, c.line);
        }
        const index = asserts.length;
        asserts.push({
          kind: c.local,
          id: c.attrs.id,
          role: c.attrs.role ?? rule.attrs.role,
          patternId,
        });
        const t = substitute(test, ctx.params);
        const cond = c.local === 'assert' ? `not((${t}))` : `(${t})`;
        body +=
          `<xsl:if test="${escAttr(cond)}"><xsl:variable name="sxi:m">${messageXslt(c, ctx)}</xsl:variable>` +
          `<xsl:sequence select="'F', '${index}', sxi:loc(.), string($sxi:m)"/></xsl:if>`;
      }
    }
    return body;
  };

  const rootCalls: string[] = [];
  const concrete = schema.children.filter(
    (c): c is XElement => isSch(c, 'pattern') && c.attrs.abstract !== 'true',
  );
  concrete.forEach((pat, k) => {
    let source = pat;
    const params = new Map<string, string>();
    if (pat.attrs['is-a']) {
      const abs = abstractPatterns.get(pat.attrs['is-a']);
      if (!abs) {
        throw new SchematronSchemaError(
          `no abstract pattern '${pat.attrs['is-a']}'`,
          pat.file,
          pat.line,
        );
      }
      for (const p of elems(pat, 'param')) {
        if (p.attrs.name) params.set(p.attrs.name, p.attrs.value ?? '');
      }
      source = abs;
    }
    const ctx: Ctx = { params };
    const patternId = pat.attrs.id ?? `#${k + 1}`;
    patterns.push(patternId);
    const rules = elems(source, 'rule').filter((r) => r.attrs.abstract !== 'true');

    // The pattern runs on the document node: its lets first, then each rule in turn on
    // the nodes its context matches and no earlier rule of the pattern has matched.
    let run = `<xsl:template name="sxi:run${k}">`;
    for (const l of elems(source, 'let')) run += letXslt(l, ctx);
    rules.forEach((rule, i) => {
      const context = substitute(rule.attrs.context ?? '', ctx.params);
      if (!context.trim()) {
        throw new SchematronSchemaError('sch:rule without @context', rule.file, rule.line);
      }
      // Namespaces in scope on the rule that sch:ns does not bind (a lenient extra).
      let ns = '';
      for (const [p, u] of Object.entries(rule.ns)) {
        if (p !== '' && p !== 'xsl' && p !== 'sxi' && p !== 'err' && !nsDecls.has(p)) {
          ns += ` xmlns:${p}="${escAttr(u)}"`;
        }
      }
      const earlier = i > 0 ? ` except $sxi:u${i - 1}` : '';
      if (/\bcurrent\s*\(/.test(context)) {
        // current() in a pattern means the node being matched: use a real match pattern.
        const mode = `sxi:m${k}_${i}`;
        out.push(`<xsl:mode name="${mode}" on-no-match="deep-skip"/>`);
        out.push(
          `<xsl:template match="${escAttr(context)}" mode="${mode}"${ns}><xsl:sequence select="."/></xsl:template>`,
        );
        run +=
          `<xsl:variable name="sxi:a${i}" as="node()*"><xsl:apply-templates mode="${mode}" ` +
          `select="/descendant-or-self::node() | //@*"/></xsl:variable>` +
          `<xsl:variable name="sxi:r${i}" select="$sxi:a${i}${earlier}"/>`;
      } else {
        run += `<xsl:variable name="sxi:r${i}" select="(${escAttr(patternToSelect(context))})${earlier}"${ns}/>`;
      }
      if (i < rules.length - 1) {
        run += `<xsl:variable name="sxi:u${i}" select="${i > 0 ? `$sxi:u${i - 1} | ` : ''}$sxi:r${i}"/>`;
      }
      run += `<xsl:for-each select="$sxi:r${i}"${ns}>${ruleBody(rule, ctx, patternId, new Set())}</xsl:for-each>`;
    });
    out.push(`${run}</xsl:template>`);
    rootCalls.push(
      `<xsl:try><xsl:call-template name="sxi:run${k}"/><xsl:catch>` +
        `<xsl:sequence select="'E', '${k}', string($err:code), string($err:description)"/>` +
        `</xsl:catch></xsl:try>`,
    );
  });

  out.push(`<xsl:template match="/">${rootCalls.join('')}</xsl:template>`);
  out.push(`</xsl:stylesheet>`);
  return { xslt: out.join('\n'), asserts, patterns, queryBinding };
}
