/**
 * The EPUB 3 edition, `<stem>.epub`.
 *
 * Rendering is the XSLT's: src/xslt/epub.xsl (compiled to lib/xslt/epub.sef.json: the book
 * of src/xslt/modules/epub-book.xsl, rendered straight from the TEI; editions.xsl makes the
 * same book from a page shared with other formats) writes every content document (cover,
 * title page, the text split at its top-level divisions, endnotes, index of names) with
 * xsl:result-document, plus a JSON manifest (the core's metadata record, the reading
 * order, the table of contents, the images). This module only packages:
 *
 * 1. images named by graphic/@url are read from beside the source (never outside its
 *    folder); a missing or unusable one gives a warning and the core's "[image: …]"
 *    placeholder, never a broken package;
 * 2. links written as "#id" are resolved to the file that holds the id (notes, index
 *    entries and cross-references cross files); a link to nothing loses its href. In a
 *    build, each document is resolved and deflated as the worker writes it (BookStream);
 * 3. the page list is read from the page breaks as rendered;
 * 4. the package document, navigation document and NCX are made here, from the metadata
 *    record (titles, MARC relator roles, licence, source, series, accessibility);
 * 5. epub-gen-memory packages them. It is used as a packager only: its HTML sanitiser
 *    drops attributes (datetime, data-*, SVG viewBox…) and mangles self-closing elements,
 *    so every document goes in through its template options (chapterXHTML, contentOPF,
 *    tocXHTML, tocNCX), each of which is a one-line EJS template that prints editio's own
 *    well-formed XHTML, and the sanitiser only ever sees an empty string. Its zip (JSZip)
 *    is then rewritten in a fixed order with fixed timestamps, so that two builds of the
 *    same source give the same bytes.
 *
 * Deterministic: the identifier is a UUID v5 of the document's identity (identifiers,
 * title, authors, language); dates come from SOURCE_DATE_EPOCH, else the source's own
 * revision or publication date.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diag, type Diagnostic } from '../diagnostics';
import type { XsltSession } from '../render/session';
import { jobKey, locateElement, messageDiagnostics, runXslt, type XsltJob } from '../render/xslt';
import type { Writer, WriterContext } from './types';
import { packageRoot } from '../paths';
import { editionDate, type Contributor, type EditionMetadata } from '../metadata';
import { editionUrn } from '../metadata/identity';
import { deflateBody, writeZipParallel } from '../archive/zip';
import { loadPackager, type EPubCtor } from './packager';
import { escapeXml } from '../xml-escape';
import { epubParams, isPageHref, RESULT_BASE, sharedJob, sharedRender } from './shared';

export const DEFAULT_EPUB_SEF = path.join(packageRoot, 'lib', 'xslt', 'epub.sef.json');

// ---------------------------------------------------------------------------------------
// The manifest written by epub.xsl

interface TocEntry {
  label: string;
  href: string;
  children: TocEntry[];
}

interface Manifest {
  /** The core's metadata record (the same e:metadata the other formats read). */
  metadata: EditionMetadata;
  lang: string;
  title: string;
  documents: { href: string; kind: string; title: string }[];
  toc: TocEntry[];
  images: { url: string; href: string }[];
  counts: { notes: number };
  /** The text has gaps, spaces, unclear or supplied passages. */
  hasGaps: boolean;
}

export interface RenderEpubOptions {
  /** The source path as the user gave it (for diagnostics). */
  file: string;
  /** Absolute path of the source: images are looked up beside it. */
  absPath?: string;
  /** Seconds since the epoch for dcterms:modified and the zip timestamps. */
  sourceDateEpoch?: number;
  /** 0: one file per front/body/back; 1: one per top-level division (default); 2: deeper. */
  splitDepth?: number;
  /** Notes in one endnotes document ("book", default) or at the end of each file ("chapter"). */
  notes?: 'book' | 'chapter';
  /** Use another compiled stylesheet (tests). */
  sefPath?: string;
  /** The build's XSLT session (the source parsed once, maybe rendered in a worker). */
  session?: XsltSession;
  /** The transform to run instead of the EPUB's own: a rendering shared with other
   * formats (src/writers/shared.ts). */
  job?: XsltJob;
  /** The transform's documents as the session's worker wrote them (epubWriter.start). */
  stream?: BookStream;
}

export interface RenderEpubResult {
  /** The .epub, or undefined when rendering failed (see diagnostics). */
  epub?: Buffer;
  diagnostics: Diagnostic[];
  /** Milliseconds: transform, assemble (links, images, package documents), zip. */
  timings: { transform: number; assemble: number; zip: number };
}

// ---------------------------------------------------------------------------------------
// Small helpers

/** An ISO date (YYYY, YYYY-MM, YYYY-MM-DD[Thh:mm[:ss]]) as a Date at UTC, or undefined. */

/** CCYY-MM-DDThh:mm:ssZ, as dcterms:modified wants it. */
function w3cdtf(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const IMAGE_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  webp: 'image/webp',
};

function imageType(file: string): string | undefined {
  return IMAGE_TYPES[path.extname(file).slice(1).toLowerCase()];
}

/*
 * Start tags with an id, and anchors with an href, in saxon-js's serialisation: attribute
 * values are quoted with '"' and hold no raw '"', '<' or '>' (saxon-js escapes them), so
 * a tag runs from '<' to the first '>', and one match of each pattern finds the first id
 * or href of one tag (one pass over each document, not a match per tag and a search in
 * each: Quintilian's 26 documents, 4.6 MB, took ~45 ms to resolve).
 */
const ID_TAG = /<[A-Za-z][^<>]*?\sid="([^"<>]*)"/g;
const HREF_TAG = /<a(?=\s)[^<>]*?(\shref="([^"<>]*)")/g;

function idsOf(xhtml: string): string[] {
  const out: string[] = [];
  for (const m of xhtml.matchAll(ID_TAG)) out.push(m[1]!);
  return out;
}

// ---------------------------------------------------------------------------------------
// The transform

interface Rendered {
  manifest: Manifest;
  docs: Map<string, string>;
}

/** The transform that writes the book's documents and its JSON manifest. */
export function epubJob(opts: RenderEpubOptions): XsltJob {
  if (opts.job) return opts.job;
  return {
    sef: opts.sefPath ?? DEFAULT_EPUB_SEF,
    params: { 'source-file': opts.file, ...epubParams(opts) },
    resultBase: RESULT_BASE,
  };
}

async function transform(
  teiText: string,
  opts: RenderEpubOptions,
  diagnostics: Diagnostic[],
): Promise<Rendered | undefined> {
  const job = epubJob(opts);
  const out = opts.session ? await opts.session.run(job) : runXslt({ text: teiText }, job);
  diagnostics.push(...messageDiagnostics(out.messages, teiText, opts.file, { ownOnly: true }));
  let manifest: Manifest | undefined;
  try {
    if (out.ok) manifest = JSON.parse(out.principal) as Manifest;
  } catch (err) {
    out.error = `the manifest is not JSON: ${(err as Error).message}`;
  }
  if (!manifest) {
    diagnostics.push(
      diag('error', 'epub.transform-failed', `EPUB rendering failed: ${out.error}`, opts.file),
    );
    return undefined;
  }
  // (a shared rendering writes the pages too: they are not the book's)
  return { manifest, docs: new Map(out.documents.filter(([href]) => !isPageHref(href))) };
}

// ---------------------------------------------------------------------------------------
// Assembly: images, links, page list, package documents

interface Item {
  id: string;
  href: string;
  mediaType: string;
  properties?: string;
}

/** Read the images the text names; replace the ones that cannot be packaged. */
function resolveImages(
  r: Rendered,
  opts: RenderEpubOptions,
  diagnostics: Diagnostic[],
  teiText: string,
): { href: string; data: Buffer; mediaType: string }[] {
  const out: { href: string; data: Buffer; mediaType: string }[] = [];
  const dir = opts.absPath ? path.dirname(opts.absPath) : undefined;
  for (const img of r.manifest.images) {
    let problem: string | undefined;
    let data: Buffer | undefined;
    const mediaType = imageType(img.url.replace(/[?#].*$/, ''));
    let rel = img.url.replace(/[?#].*$/, '');
    try {
      rel = decodeURIComponent(rel);
    } catch {
      /* keep as written */
    }
    if (!dir) problem = 'the source has no folder to look in';
    else if (!mediaType) problem = 'its type is not one an EPUB may hold';
    else {
      const abs = path.resolve(dir, rel);
      if (abs !== dir && !abs.startsWith(dir + path.sep)) {
        problem = "it is outside the source's folder";
      } else {
        try {
          data = fs.readFileSync(abs);
        } catch {
          problem = `${abs} was not found`;
        }
      }
    }
    if (data && mediaType) {
      out.push({ href: img.href, data, mediaType });
      continue;
    }
    const pos = locateElement(teiText, 'graphic');
    diagnostics.push(
      diag(
        'warning',
        'epub.image-missing',
        `image "${img.url}" is left out of the EPUB (${problem}); a placeholder stands in its place`,
        opts.file,
        pos.line,
        pos.column,
      ),
    );
    const src = `src="${escapeXml(img.href)}"`;
    for (const [name, doc] of r.docs) {
      if (!doc.includes(src)) continue;
      r.docs.set(
        name,
        doc.replace(/<img\b[^<>]*>/g, (tag) => {
          if (!tag.includes(` ${src}`)) return tag;
          const alt = / alt="([^"]*)"/.exec(tag)?.[1] ?? '';
          const cls = / class="([^"]*)"/.exec(tag)?.[1];
          return (
            `<span class="${cls ? `${cls} ` : ''}graphic-missing editorial">` +
            `[image${alt ? `: ${alt}` : ''}]</span>`
          );
        }),
      );
    }
  }
  return out;
}

/**
 * A document's links resolved: "#id" to the file that holds the id (`where`), and an href
 * that leads nowhere inside the book (a relative link to a file that is not in it, an id
 * that does not exist) dropped. With `complete` false, some documents may be still to
 * come: a link that leads to none known yet leaves the document undecided (undefined).
 */
function fixLinks(
  name: string,
  doc: string,
  where: Map<string, string>,
  has: (file: string) => boolean,
  complete: boolean,
  /** Collects what an undecided document waits for: "#" and an id, or a file. */
  awaited?: Set<string>,
): string | undefined {
  let undecided = false;
  const fix = (attr: string, href: string): string => {
    if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(href)) return attr; // http:, mailto: …
    let key: string;
    if (href.startsWith('#')) {
      let id = href.slice(1);
      try {
        id = decodeURIComponent(id);
      } catch {
        /* as written */
      }
      const file = where.get(id);
      if (file) return file === name ? attr : ` href="${file}${href}"`;
      key = `#${id}`;
    } else {
      key = href.replace(/#.*$/, '');
      if (has(key)) return attr;
    }
    if (!complete) {
      undecided = true;
      awaited?.add(key);
    }
    return '';
  };
  // (the href attribute ends the match)
  const fixed = doc.replace(HREF_TAG, (m: string, attr: string, href: string) => {
    if (undecided && !awaited) return m;
    const to = fix(attr, href);
    return to === attr ? m : m.slice(0, m.length - attr.length) + to;
  });
  return undecided ? undefined : fixed;
}

/**
 * Resolve the links of the documents in `order` (fixLinks), an id being held by the
 * first document in that order that has it; returns where each id is.
 */
export function resolveLinks(docs: Map<string, string>, order: string[]): Map<string, string> {
  const where = new Map<string, string>();
  for (const name of order) {
    for (const id of idsOf(docs.get(name) ?? '')) if (!where.has(id)) where.set(id, name);
  }
  for (const name of order) {
    const doc = docs.get(name);
    if (doc !== undefined)
      docs.set(
        name,
        fixLinks(name, doc, where, (f) => docs.has(f), true)!,
      );
  }
  return where;
}

/** What the package says of a content document: its page breaks as rendered ([file,
 * id, label], in order) and whether it holds MathML or SVG. Link resolution changes
 * only the hrefs of anchors, so these are the same before it and after. */
interface DocFacts {
  pages: [string, string, string][];
  mathml: boolean;
  svg: boolean;
}

function docFacts(name: string, doc: string): DocFacts {
  const pages: [string, string, string][] = [];
  if (doc.includes('epub:type="pagebreak"')) {
    for (const m of doc.matchAll(/<span\s[^<>]*epub:type="pagebreak"[^<>]*>/g)) {
      const id = / id="([^"]*)"/.exec(m[0])?.[1];
      const label = / title="([^"]*)"/.exec(m[0])?.[1];
      if (id && label) pages.push([name, id, label]);
    }
  }
  return {
    pages,
    mathml: /<math\b[^<>]*xmlns="http:\/\/www\.w3\.org\/1998\/Math\/MathML"/.test(doc),
    svg: /<svg\b[^<>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/.test(doc),
  };
}

function tocHref(href: string, where: Map<string, string>): string | undefined {
  if (!href.startsWith('#')) return href;
  const file = where.get(href.slice(1));
  return file ? `${file}${href}` : undefined;
}

function navDocument(
  m: Manifest,
  where: Map<string, string>,
  pages: [string, string, string][],
  landmarks: [string, string, string][],
): string {
  const list = (entries: TocEntry[], indent: string): string => {
    const items: string[] = [];
    for (const e of entries) {
      const href = tocHref(e.href, where);
      const kids = e.children.length ? list(e.children, `${indent}  `) : '';
      if (href) {
        items.push(
          `${indent}<li><a href="${escapeXml(href)}">${escapeXml(e.label)}</a>${kids}</li>`,
        );
      } else if (kids) {
        items.push(`${indent}<li><span>${escapeXml(e.label)}</span>${kids}</li>`);
      }
    }
    return items.length ? `\n${indent}<ol>\n${items.join('\n')}\n${indent}</ol>` : '';
  };
  const contents = 'Contents';
  let out =
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n' +
    `<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="${escapeXml(m.lang)}" xml:lang="${escapeXml(m.lang)}">\n` +
    `<head>\n<meta charset="utf-8" />\n<title>${escapeXml(contents)}</title>\n` +
    '<link rel="stylesheet" type="text/css" href="style.css" />\n</head>\n<body epub:type="frontmatter">\n' +
    `<nav id="toc" epub:type="toc" role="doc-toc" aria-labelledby="toc-heading">\n<h2 id="toc-heading">${escapeXml(contents)}</h2>` +
    list(m.toc, '') +
    '\n</nav>\n' +
    '<nav id="landmarks" epub:type="landmarks" aria-labelledby="landmarks-heading" hidden="hidden">\n' +
    '<h2 id="landmarks-heading">Landmarks</h2>\n<ol>\n' +
    landmarks
      .map(
        ([type, href, label]) =>
          `<li><a epub:type="${type}" href="${escapeXml(href)}">${escapeXml(label)}</a></li>`,
      )
      .join('\n') +
    '\n</ol>\n</nav>\n';
  if (pages.length) {
    out +=
      '<nav id="page-list" epub:type="page-list" aria-labelledby="page-list-heading" hidden="hidden">\n' +
      '<h2 id="page-list-heading">Pages</h2>\n<ol>\n' +
      pages
        .map(([f, id, n]) => `<li><a href="${escapeXml(f)}#${escapeXml(id)}">${n}</a></li>`)
        .join('\n') +
      '\n</ol>\n</nav>\n';
  }
  return `${out}</body>\n</html>\n`;
}

function ncxDocument(
  m: Manifest,
  uid: string,
  where: Map<string, string>,
  pages: [string, string, string][],
): string {
  let order = 0;
  let depth = 0;
  const points = (entries: TocEntry[], level: number, indent: string): string => {
    depth = Math.max(depth, level);
    return entries
      .map((e) => {
        const href = tocHref(e.href, where);
        const kids = points(e.children, level + 1, `${indent}  `);
        if (!href) return kids;
        order++;
        return (
          `${indent}<navPoint id="np-${order}" playOrder="${order}">` +
          `<navLabel><text>${escapeXml(e.label)}</text></navLabel><content src="${escapeXml(href)}" />` +
          (kids ? `\n${kids}\n${indent}` : '') +
          '</navPoint>'
        );
      })
      .filter((s) => s !== '')
      .join('\n');
  };
  const map = points(m.toc, 1, '  ');
  const pageTargets = pages
    .map(([f, id, n], i) => {
      order++;
      const type = /^\d+$/.test(n) ? 'normal' : /^[ivxlcdm]+$/i.test(n) ? 'front' : 'special';
      return (
        `  <pageTarget id="pt-${i + 1}" type="${type}" playOrder="${order}">` +
        `<navLabel><text>${n}</text></navLabel><content src="${escapeXml(f)}#${escapeXml(id)}" /></pageTarget>`
      );
    })
    .join('\n');
  const maxPage = pages.reduce(
    (mx, [, , n]) => (/^\d+$/.test(n) ? Math.max(mx, Number(n)) : mx),
    0,
  );
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">\n<head>\n' +
    `<meta name="dtb:uid" content="${escapeXml(uid)}" />\n<meta name="dtb:depth" content="${Math.max(1, depth)}" />\n` +
    `<meta name="dtb:totalPageCount" content="${pages.length}" />\n<meta name="dtb:maxPageNumber" content="${maxPage}" />\n` +
    `</head>\n<docTitle><text>${escapeXml(m.title)}</text></docTitle>\n<navMap>\n${map}\n</navMap>\n` +
    (pages.length
      ? `<pageList>\n<navLabel><text>Pages</text></navLabel>\n${pageTargets}\n</pageList>\n`
      : '') +
    '</ncx>\n'
  );
}

function accessibilitySummary(
  m: Manifest,
  hasImages: boolean,
  pages: number,
  hasMath: boolean,
): string {
  const parts = [
    'This publication meets WCAG 2.1 Level AA as far as automated checks can tell.',
    'It has a table of contents, headings for its divisions and landmarks, and is read in the order of its source text.',
  ];
  if (m.counts.notes > 0) {
    parts.push(
      `Its ${m.counts.notes} notes are endnotes, each linked from its call in the text and back to it; translator's and editor's notes are labelled as such.`,
    );
  }
  parts.push(
    m.hasGaps
      ? "Editorial interventions are marked in the text: gaps, unclear and supplied passages are shown in square brackets with the editor's reason and extent, and corrections keep the reading they replace."
      : "Editorial interventions, if any, are marked in the text in square brackets with the editor's reason.",
  );
  if (pages > 0) parts.push('Page breaks of the source are marked, and a page list leads to them.');
  if (hasMath) parts.push('Mathematics is encoded as MathML.');
  if (hasImages) parts.push('Images have text alternatives.');
  parts.push('The cover is typographic: its text is repeated as its text alternative.');
  return parts.join(' ');
}

function packageDocument(
  m: Manifest,
  uid: string,
  modified: Date,
  items: Item[],
  spine: string[],
  feats: { pages: number; images: boolean; math: boolean; index: boolean },
): string {
  const md = m.metadata;
  const lines: string[] = [];
  const add = (s: string) => lines.push(`    ${s}`);
  add(`<dc:identifier id="uid">${escapeXml(uid)}</dc:identifier>`);
  (md.identifiers ?? []).forEach((idn, i) => {
    add(`<dc:identifier id="id-${i + 1}">${escapeXml(idn.value)}</dc:identifier>`);
  });
  add(`<dc:title id="title">${escapeXml(md.title || m.title)}</dc:title>`);
  add('<meta refines="#title" property="title-type">main</meta>');
  if (md.subtitle) {
    add(`<dc:title id="subtitle">${escapeXml(md.subtitle)}</dc:title>`);
    add('<meta refines="#subtitle" property="title-type">subtitle</meta>');
  }
  if (md.fullTitle && md.subtitle) {
    add(`<dc:title id="fulltitle">${escapeXml(md.fullTitle)}</dc:title>`);
    add('<meta refines="#fulltitle" property="title-type">expanded</meta>');
  }
  let n = 0;
  const agent = (el: 'creator' | 'contributor', a: Contributor) => {
    n++;
    add(`<dc:${el} id="agent-${n}">${escapeXml(a.name)}</dc:${el}>`);
    if (/^[a-z]{3}$/.test(a.role)) {
      add(`<meta refines="#agent-${n}" property="role" scheme="marc:relators">${a.role}</meta>`);
    }
  };
  for (const a of md.authors ?? []) agent('creator', a);
  for (const a of [...(md.translators ?? []), ...(md.editors ?? []), ...(md.contributors ?? [])]) {
    agent('contributor', a);
  }
  add(`<dc:language>${escapeXml(md.language || m.lang)}</dc:language>`);
  const published = md.dates?.published;
  if (published && /^\d{4}(-\d{2}(-\d{2})?)?$/.test(published))
    add(`<dc:date>${published}</dc:date>`);
  add(`<meta property="dcterms:modified">${w3cdtf(modified)}</meta>`);
  if (md.publisher) add(`<dc:publisher>${escapeXml(md.publisher)}</dc:publisher>`);
  if (md.licence) {
    const text =
      md.licence.url && !md.licence.text.includes(md.licence.url)
        ? `${md.licence.text} (${md.licence.url})`
        : md.licence.text;
    add(`<dc:rights>${escapeXml(text)}</dc:rights>`);
  }
  if (md.source) add(`<dc:source>${escapeXml(md.source)}</dc:source>`);
  const description = md.description || `${md.fullTitle || m.title}.`;
  add(`<dc:description>${escapeXml(description)}</dc:description>`);
  for (const s of md.subjects ?? []) add(`<dc:subject>${escapeXml(s)}</dc:subject>`);
  if (md.series) {
    add(`<meta property="belongs-to-collection" id="collection">${escapeXml(md.series)}</meta>`);
    add('<meta refines="#collection" property="collection-type">series</meta>');
  }
  // Accessibility (EPUB Accessibility 1.1, schema.org properties)
  add('<meta property="schema:accessMode">textual</meta>');
  add('<meta property="schema:accessMode">visual</meta>');
  add('<meta property="schema:accessModeSufficient">textual</meta>');
  add('<meta property="schema:accessModeSufficient">textual,visual</meta>');
  const features = [
    'structuralNavigation',
    'tableOfContents',
    'readingOrder',
    'alternativeText',
    'displayTransformability',
  ];
  if (feats.pages > 0) features.push('printPageNumbers', 'pageNavigation');
  if (feats.index) features.push('index');
  if (m.counts.notes > 0) features.push('annotations');
  if (feats.math) features.push('MathML');
  for (const f of features) add(`<meta property="schema:accessibilityFeature">${f}</meta>`);
  add('<meta property="schema:accessibilityHazard">none</meta>');
  add(
    `<meta property="schema:accessibilitySummary">${escapeXml(accessibilitySummary(m, feats.images, feats.pages, feats.math))}</meta>`,
  );
  add('<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>');
  add('<meta name="cover" content="cover-image" />');
  add('<meta name="generator" content="editio" />');

  const manifest = items
    .map(
      (it) =>
        `    <item id="${it.id}" href="${escapeXml(it.href)}" media-type="${it.mediaType}"${it.properties ? ` properties="${it.properties}"` : ''} />`,
    )
    .join('\n');
  const refs = spine.map((id) => `    <itemref idref="${id}" />`).join('\n');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="${escapeXml(m.lang)}">\n` +
    '  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n' +
    `${lines.join('\n')}\n  </metadata>\n  <manifest>\n${manifest}\n  </manifest>\n` +
    `  <spine toc="ncx">\n${refs}\n  </spine>\n</package>\n`
  );
}

/** A document's body, its deflating begun now on libuv's thread pool. */
function earlyBody(text: string): EarlyBody {
  const data = Buffer.from(text, 'utf8');
  return { text, data, deflated: deflateBody(data) };
}

/**
 * The book's documents as the worker writes them (XsltSession.watch), each made final as
 * soon as its links are known, while the worker renders the next: its ids are noted, and
 * once every link it has leads to an id or a file already written, it is resolved, its
 * deflating begins and its facts are read (DocFacts). A document with a link to what has
 * not come waits for it (epub-book.xsl writes the endnotes before the text, so that the
 * text's note calls find their notes at once; the notes' back-links wait for the last
 * file of the text). Quintilian, 3.5 MB, 26 documents: ~0.1 s of resolving, deflating and
 * reading after the transform is done during it.
 *
 * The result is the one resolveLinks() gives once the transform has ended, or it is not
 * used: finish() gives it only when no id is in two documents (which one holds it depends
 * on the reading order, known at the end) and the book's documents are those that came,
 * as they came (a missing image changes the documents that show it).
 */
export class BookStream {
  /** The documents as written, by href. */
  private readonly written = new Map<string, string>();
  /** Each id of an XHTML document, and the document that holds it. */
  private readonly where = new Map<string, string>();
  /** The documents already resolved: their bodies begun, and their facts. */
  private readonly resolved = new Map<string, { body: EarlyBody; facts: DocFacts }>();
  /** What documents wait for ("#" and an id, or a file) → the documents waiting for it. */
  private readonly waitingFor = new Map<string, string[]>();
  /** How many things each waiting document still waits for. */
  private readonly waits = new Map<string, number>();
  /** An id in two documents, a document written twice, or a failure here: the book is
   * resolved whole at the end. */
  private unsure = false;

  /** A document the transform has written. */
  add(href: string, content: string): void {
    try {
      this.take(href, content);
    } catch {
      this.unsure = true; // (whatever failed here, the end resolves the book whole)
    }
  }

  private take(href: string, content: string): void {
    if (isPageHref(href)) return;
    if (this.written.has(href)) this.unsure = true;
    this.written.set(href, content);
    if (this.unsure) return;
    const arrived = [href];
    if (href.endsWith('.xhtml')) {
      for (const id of idsOf(content)) {
        const at = this.where.get(id);
        if (at === undefined) {
          this.where.set(id, href);
          arrived.push(`#${id}`);
        } else if (at !== href) this.unsure = true;
      }
      if (this.unsure) return;
      const awaited = new Set<string>();
      if (!this.resolve(href, awaited)) {
        this.waits.set(href, awaited.size);
        for (const key of awaited) {
          const list = this.waitingFor.get(key);
          if (list) list.push(href);
          else this.waitingFor.set(key, [href]);
        }
      }
    }
    // the documents that waited for this one, or for its ids
    for (const key of arrived) {
      const list = this.waitingFor.get(key);
      if (!list) continue;
      this.waitingFor.delete(key);
      for (const doc of list) {
        const left = this.waits.get(doc)! - 1;
        this.waits.set(doc, left);
        if (left === 0) {
          this.waits.delete(doc);
          this.resolve(doc);
        }
      }
    }
  }

  /** The XHTML documents written and not resolved yet. */
  get unresolved(): string[] {
    return [...this.written.keys()].filter((h) => h.endsWith('.xhtml') && !this.resolved.has(h));
  }

  /** Resolve a document if every link it has is decided now. */
  private resolve(href: string, awaited?: Set<string>): boolean {
    const text = this.written.get(href)!;
    const fixed = fixLinks(href, text, this.where, (f) => this.written.has(f), false, awaited);
    if (fixed === undefined) return false;
    this.resolved.set(href, { body: earlyBody(fixed), facts: docFacts(href, text) });
    return true;
  }

  /**
   * The book's documents resolved (`docs`, in place), their bodies (`early`) and facts
   * (`facts`), those left done now; where each id is, or undefined when what came is not
   * the book (then resolve it whole).
   */
  finish(
    docs: Map<string, string>,
    order: string[],
    early: Map<string, EarlyBody>,
    facts: Map<string, DocFacts>,
  ): Map<string, string> | undefined {
    if (this.unsure || docs.size !== this.written.size) return undefined;
    for (const [href, text] of docs) if (this.written.get(href) !== text) return undefined;
    let xhtml = 0;
    for (const href of this.written.keys()) if (href.endsWith('.xhtml')) xhtml++;
    if (xhtml !== order.length || order.some((h) => !h.endsWith('.xhtml') || !docs.has(h)))
      return undefined;
    for (const name of order) {
      let done = this.resolved.get(name);
      if (!done) {
        const text = docs.get(name)!;
        const fixed = fixLinks(name, text, this.where, (f) => docs.has(f), true)!;
        done = { body: earlyBody(fixed), facts: docFacts(name, text) };
      }
      docs.set(name, done.body.text);
      early.set(`OEBPS/${name}`, done.body);
      facts.set(name, done.facts);
    }
    for (const [href, text] of docs) {
      if (!early.has(`OEBPS/${href}`)) early.set(`OEBPS/${href}`, earlyBody(text));
    }
    return this.where;
  }
}

// ---------------------------------------------------------------------------------------
// Packaging with epub-gen-memory

export interface ZipObject {
  name: string;
  dir: boolean;
  async(type: 'nodebuffer'): Promise<Buffer>;
  async(type: 'string'): Promise<string>;
}

/** An entry's body begun before packaging: its text, its bytes and their deflating. */
export interface EarlyBody {
  text: string;
  data: Buffer;
  deflated: Promise<Buffer>;
}
export interface ZipLike {
  forEach(cb: (rel: string, file: ZipObject) => void): void;
}
/** The packager's EPub class (writers/packager.ts: bundled, with a code cache). */
function epubClass(): EPubCtor {
  return loadPackager().EPub;
}

/**
 * A JSZip entry's text: as it was given, when it was given as text (JSZip keeps a promise
 * of it, `_data`, with `_dataBinary` false), else read through JSZip, which streams it
 * in 16 KB pieces, a turn of the event loop each (Quintilian's 4.7 MB: ~15-25 ms).
 */
async function givenText(file: ZipObject): Promise<string> {
  const { _data: given, _dataBinary: binary } = file as ZipObject & {
    _data?: unknown;
    _dataBinary?: unknown;
  };
  if (binary === false && typeof (given as PromiseLike<unknown> | undefined)?.then === 'function') {
    const text = await (given as PromiseLike<unknown>);
    if (typeof text === 'string') return text;
  }
  return file.async('string');
}

/**
 * The bodies of a JSZip's files, by path. A file with a body begun early is read back as
 * text (givenText: as bytes, JSZip encodes each 16 KB piece of a text in JavaScript, ~40 ms
 * for a 3.5 MB source's 4.7 MB of documents), and the early body is taken only if the
 * file holds that very text; any other file, as its bytes.
 */
export async function zipBodies(
  zip: ZipLike,
  early: Map<string, EarlyBody>,
): Promise<Map<string, { data: Buffer; deflated?: Promise<Buffer> }>> {
  const files: { name: string; file: ZipObject }[] = [];
  zip.forEach((rel, file) => files.push({ name: rel, file }));
  const data = new Map<string, { data: Buffer; deflated?: Promise<Buffer> }>();
  for (const { name, file } of files) {
    if (file.dir) continue;
    const mine = early.get(name);
    if (mine && (await givenText(file)) === mine.text) data.set(name, mine);
    else data.set(name, { data: await file.async('nodebuffer') });
  }
  return data;
}

async function pack(
  options: Record<string, unknown>,
  chapters: { filename: string; title: string; xhtml: string }[],
  /** Entries added as they are (the cover, images), with their body when begun early. */
  extra: { path: string; data: Buffer; deflated?: Promise<Buffer> }[],
  date: Date,
  /** Documents' bodies begun early, by path: used for an entry whose content is this. */
  early: Map<string, EarlyBody> = new Map(),
): Promise<Buffer> {
  const EPub = epubClass();
  const book = new EPub(
    options,
    chapters.map((c) => ({ title: c.title, filename: c.filename, content: '', xhtml: c.xhtml })),
  );
  await book.render();
  const zip = (book as unknown as { zip: ZipLike }).zip;
  // Write the zip anew (src/archive/zip.ts: Node's zlib, not JSZip's JavaScript deflate,
  // the documents deflated in parallel):
  // mimetype first (stored), then every entry in sorted order, with one fixed timestamp
  // and no directory entries.
  const data = await zipBodies(zip, early);
  for (const x of extra) data.set(x.path, { data: x.data, deflated: x.deflated });
  const names = [...data.keys()].filter((n) => n !== 'mimetype').sort();
  return writeZipParallel(
    [
      { name: 'mimetype', data: Buffer.from('application/epub+zip', 'ascii'), store: true },
      ...names.map((name) => {
        const d = data.get(name)!;
        return { name, data: d.data, deflated: d.deflated };
      }),
    ],
    date,
  );
}

// ---------------------------------------------------------------------------------------

/** Render one TEI document (text) as an EPUB 3 book. */
export async function renderEpub(
  teiText: string,
  opts: RenderEpubOptions,
): Promise<RenderEpubResult> {
  const diagnostics: Diagnostic[] = [];
  const t = performance.now();
  const r = await transform(teiText, opts, diagnostics);
  const transformed = performance.now() - t;
  if (!r) return { diagnostics, timings: { transform: transformed, assemble: 0, zip: 0 } };
  const book = await assemble(r, teiText, opts, diagnostics, opts.stream);
  return { epub: book.epub, diagnostics, timings: { ...book.timings, transform: transformed } };
}

/** The book from the transform's documents and manifest: images, links, the package. */
async function assemble(
  r: Rendered,
  teiText: string,
  opts: RenderEpubOptions,
  diagnostics: Diagnostic[],
  stream?: BookStream,
): Promise<{ epub: Buffer; timings: RenderEpubResult['timings'] }> {
  const timings = { transform: 0, assemble: 0, zip: 0 };
  let t = performance.now();
  const m = r.manifest;

  const images = resolveImages(r, opts, diagnostics, teiText);
  const order = m.documents.map((d) => d.href);
  // The documents made final, and their deflating begun on libuv's thread pool: most of
  // them while the transform ran (BookStream), else now, while this thread makes the
  // package documents and has epub-gen-memory package them (a 3.5 MB text's 26
  // documents: ~0.1 s of deflate). The zip takes a body begun here only for an entry
  // whose content is this.
  const early = new Map<string, EarlyBody>();
  const facts = new Map<string, DocFacts>();
  let where = stream?.finish(r.docs, order, early, facts);
  if (!where) {
    where = resolveLinks(r.docs, order);
    for (const [href, doc] of r.docs) early.set(`OEBPS/${href}`, earlyBody(doc));
    for (const name of order) facts.set(name, docFacts(name, r.docs.get(name) ?? ''));
  }
  const pages = order.flatMap((name) => facts.get(name)?.pages ?? []);

  const uid = editionUrn(m.metadata, { title: m.title, lang: m.lang });
  const modified = editionDate(m.metadata, opts.sourceDateEpoch);
  const zipDate = new Date(
    Math.min(Math.max(modified.getTime(), Date.UTC(1980, 0, 1, 12)), Date.UTC(2099, 11, 31)),
  );

  // Manifest items and spine
  const items: Item[] = [
    { id: 'nav', href: 'toc.xhtml', mediaType: 'application/xhtml+xml', properties: 'nav' },
    { id: 'ncx', href: 'toc.ncx', mediaType: 'application/x-dtbncx+xml' },
    { id: 'css', href: 'style.css', mediaType: 'text/css' },
    {
      id: 'cover-image',
      href: 'images/cover.svg',
      mediaType: 'image/svg+xml',
      properties: 'cover-image',
    },
  ];
  let hasMath = false;
  const spine: string[] = [];
  const chapters: { filename: string; title: string; xhtml: string }[] = [];
  m.documents.forEach((d, i) => {
    const xhtml = r.docs.get(d.href) ?? '';
    const props: string[] = [];
    const f = facts.get(d.href);
    if (f?.mathml) {
      props.push('mathml');
      hasMath = true;
    }
    if (f?.svg) props.push('svg');
    const id = d.kind === 'cover' ? 'cover' : d.kind === 'titlepage' ? 'titlepage' : `doc-${i}`;
    items.push({
      id,
      href: d.href,
      mediaType: 'application/xhtml+xml',
      properties: props.join(' ') || undefined,
    });
    spine.push(id);
    if (d.kind === 'titlepage') spine.push('nav');
    chapters.push({ filename: d.href, title: d.title, xhtml });
  });
  images.forEach((img, i) =>
    items.push({ id: `img-${i + 1}`, href: img.href, mediaType: img.mediaType }),
  );

  const firstBody =
    m.documents.find((d) => d.kind === 'bodymatter') ?? m.documents[2] ?? m.documents[0];
  const landmarks: [string, string, string][] = [
    ['cover', 'cover.xhtml', 'Cover'],
    ['titlepage', 'titlepage.xhtml', 'Title page'],
    ['toc', 'toc.xhtml#toc', 'Contents'],
  ];
  if (firstBody) landmarks.push(['bodymatter', firstBody.href, 'Start of the text']);
  const notesDoc = m.documents.find((d) => d.kind === 'endnotes');
  if (notesDoc) landmarks.push(['endnotes', notesDoc.href, notesDoc.title]);
  const indexDoc = m.documents.find((d) => d.kind === 'index');
  if (indexDoc) landmarks.push(['index', indexDoc.href, indexDoc.title]);

  const nav = navDocument(m, where, pages, landmarks);
  const ncx = ncxDocument(m, uid, where, pages);
  const opf = packageDocument(m, uid, modified, items, spine, {
    pages: pages.length,
    images: images.length > 0,
    math: hasMath,
    index: Boolean(indexDoc),
  });
  timings.assemble = performance.now() - t;

  t = performance.now();
  const cover = early.get('OEBPS/images/cover.svg');
  const epub = await pack(
    {
      title: m.title,
      author: (m.metadata.authors ?? []).map((a) => a.name),
      lang: m.lang,
      css: EPUB_CSS,
      version: 3,
      verbose: false,
      // epub-gen-memory's templates, replaced by editio's finished documents
      contentOPF: '<%- editioOpf %>',
      tocXHTML: '<%- editioNav %>',
      tocNCX: '<%- editioNcx %>',
      chapterXHTML: '<%- xhtml %>',
      editioOpf: opf,
      editioNav: nav,
      editioNcx: ncx,
    },
    chapters,
    [
      {
        path: 'OEBPS/images/cover.svg',
        data: cover?.data ?? Buffer.alloc(0),
        deflated: cover?.deflated,
      },
      ...images.map((img) => ({ path: `OEBPS/${img.href}`, data: img.data })),
    ],
    zipDate,
    early,
  );
  timings.zip = performance.now() - t;
  return { epub, timings };
}

let primed = false;

/**
 * Package a small book made here (a title page, a chapter with a note call and a page
 * break, its endnote), once a process, and drop it: the first run of the assembly and of
 * epub-gen-memory (its option checks, templates and sanitiser) is slower than the next,
 * and the build runs this while its worker renders, when this thread has nothing to do.
 * The flagship's packaging, after the transform: median 55 ms without, ~38 ms with (8 runs).
 */
function primeAssembly(): void {
  if (primed) return;
  primed = true;
  primerBook().catch(() => undefined);
}

/** The small book primeAssembly packages (tests hold it to EPUBCheck, so that it runs the
 * whole assembly, as a real book does). */
export function primerBook(): Promise<Buffer> {
  const who: Contributor[] = [{ name: 'A. Author', role: 'aut', kind: 'person' }];
  const page = (body: string) =>
    '<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml" ' +
    'xmlns:epub="http://www.idpf.org/2007/ops" lang="en" xml:lang="en"><head><meta charset="utf-8"/>' +
    `<title>Primer</title></head><body>${body}</body></html>`;
  const r: Rendered = {
    manifest: {
      metadata: {
        kind: 'edition',
        title: 'Primer',
        fullTitle: 'Primer',
        authors: who,
        translators: [],
        editors: [],
        contributors: [],
        languages: ['en'],
        language: 'en',
        identifiers: [{ value: 'primer' }],
        subjects: ['primer'],
        description: 'A primer.',
        hasPageBreaks: true,
        editionDate: '2000',
        licence: { text: 'CC0', url: 'https://creativecommons.org/publicdomain/zero/1.0/' },
      },
      lang: 'en',
      title: 'Primer',
      documents: [
        { href: 'cover.xhtml', kind: 'cover', title: 'Cover' },
        { href: 'titlepage.xhtml', kind: 'titlepage', title: 'Title page' },
        { href: 'text-001.xhtml', kind: 'bodymatter', title: 'One' },
        { href: 'endnotes.xhtml', kind: 'endnotes', title: 'Notes' },
      ],
      toc: [{ label: 'One', href: 'text-001.xhtml', children: [] }],
      images: [],
      counts: { notes: 1 },
      hasGaps: false,
    },
    docs: new Map([
      [
        'cover.xhtml',
        page('<section epub:type="cover"><img src="images/cover.svg" alt="Primer"/></section>'),
      ],
      ['titlepage.xhtml', page('<section epub:type="titlepage"><h1>Primer</h1></section>')],
      [
        'text-001.xhtml',
        page(
          '<section id="one"><h2>One</h2><p>Text<a id="call-1" href="#note-1" epub:type="noteref">1</a>' +
            '<span id="page-1" epub:type="pagebreak" role="doc-pagebreak" title="1">[1]</span></p></section>',
        ),
      ],
      [
        'endnotes.xhtml',
        page(
          '<ol class="notes-list"><li id="note-1" epub:type="endnote"><a href="#call-1" epub:type="backlink">1</a> A note.</li></ol>',
        ),
      ],
      ['images/cover.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>'],
    ]),
  };
  return assemble(r, '', { file: 'primer', sourceDateEpoch: 946684800 }, []).then((b) => b.epub);
}

/** The e-reader stylesheet: relative sizes, no fixed colours on text, fonts left to the reader. */
export const EPUB_CSS = `@charset "utf-8";
/* editio EPUB: relative sizes only; the reader's font, size, margins and night mode win. */
body { margin: 0; padding: 0 1em; hyphens: auto; -epub-hyphens: auto; widows: 2; orphans: 2; }
p { margin: 0; text-indent: 1.2em; }
p:first-child, h1 + p, h2 + p, h3 + p, h4 + p, h5 + p, h6 + p, header + p, blockquote + p, .tei-label + p { text-indent: 0; }
h1, h2, h3, h4, h5, h6 { font-weight: normal; line-height: 1.25; text-align: center; page-break-after: avoid; break-after: avoid; hyphens: none; -epub-hyphens: none; }
h1 { font-size: 1.6em; margin: 2em 0 1em; } h2 { font-size: 1.4em; margin: 1.5em 0 1em; }
h3 { font-size: 1.2em; margin: 1.25em 0 .75em; } h4, h5, h6 { font-size: 1em; font-style: italic; }
[hidden] { display: none; }
.cover { margin: 0; padding: 0; text-align: center; height: 100%; }
.cover img { max-width: 100%; max-height: 100%; height: auto; }
.edition-title { text-align: center; margin: 3em 0 2em; }
.edition-title h1 { font-size: 1.6em; margin-bottom: 1.5em; }
.edition-title p { text-indent: 0; margin: .5em 0; }
.edition-licence, .edition-source, .edition-cite { font-size: .85em; text-align: left; hyphens: none; }
.edition-cite summary { font-style: italic; }
.tei-titlePage { text-align: center; margin: 2em 0; }
.tei-titlePage div, .tei-docTitle { margin: .5em 0; }
.tei-titlePart.type-main { font-size: 1.3em; }
blockquote { margin: 1em 1.5em; }
blockquote p { text-indent: 0; }
.tei-lg { margin: 1em 0 1em 1.5em; }
.tei-l { text-indent: -2em; padding-left: 2em; }
.tei-sp { margin: .75em 0; }
.tei-speaker { font-variant: small-caps; }
.tei-stage { font-style: italic; }
.tei-closer, .tei-signed, .tei-dateline { text-align: right; }
.tei-label { font-variant: small-caps; }
.rend-italic { font-style: italic; } .rend-bold { font-weight: bold; }
.rend-underline { text-decoration: underline; } .rend-smallcaps { font-variant: small-caps; }
.rend-caps { text-transform: uppercase; } .rend-spaced { letter-spacing: .15em; }
.rend-center { text-align: center; display: block; } .rend-right { text-align: right; display: block; }
.rend-strike { text-decoration: line-through; } .rend-large { font-size: 1.2em; } .rend-small { font-size: .85em; }
.rend-monospace { font-family: monospace; } .rend-overline { text-decoration: overline; }
/* editorial matter: the editor's words, set apart without colour */
.editorial, .editorial-mark, .app-wit, .note-resp { font-size: .85em; font-style: normal; font-variant: small-caps; }
.tei-unclear, .tei-damage, .editorial-flag { text-decoration: underline dotted; }
ins.tei-add { text-decoration: underline; }
del.tei-del { text-decoration: line-through; }
.tei-pb { font-size: .75em; margin: 0 .25em; }
/* notes */
a.noteref { text-decoration: none; }
a.noteref sup { font-size: .75em; line-height: 0; }
.notes ol, .notes-list { list-style: none; margin: 0; padding: 0; }
li.footnote { margin: .75em 0; }
.note-backlink { margin-right: .3em; }
.note-missing .tei-gap { font-style: italic; }
/* index */
.index-list { list-style: none; margin: 0; padding: 0; }
.index-entry { margin: .4em 0; padding-left: 1.5em; text-indent: -1.5em; }
.index-name { font-weight: bold; }
a.index-in-note { font-style: italic; }
/* tables, figures, code */
table { border-collapse: collapse; margin: 1em 0; }
td, th { border: 1px solid; padding: .2em .4em; vertical-align: top; }
figure { margin: 1em 0; text-align: center; }
figure img, img { max-width: 100%; height: auto; }
figcaption { font-size: .9em; text-indent: 0; }
pre { white-space: pre-wrap; font-size: .85em; }
.foreign-markup { font-family: monospace; font-size: .85em; }
q.marked { quotes: none; }
.tei-choice .reading-primary { text-decoration: none; }
nav ol { list-style: none; padding-left: 1.25em; }
nav > ol { padding-left: 0; }
`;

// ---------------------------------------------------------------------------------------

/** The book streams begun by epubWriter.start, by session: [the job's key, its stream]. */
const streams = new WeakMap<XsltSession, [string, BookStream]>();

export function epubOptions(ctx: WriterContext): RenderEpubOptions {
  const s = sharedRender(ctx);
  const opts: RenderEpubOptions = {
    file: ctx.loaded.file,
    absPath: ctx.loaded.absPath,
    sourceDateEpoch: ctx.sourceDateEpoch,
    splitDepth: ctx.options?.epubSplitDepth,
    notes: ctx.options?.epubNotes,
    session: ctx.xslt,
    job: s?.epub ? sharedJob(ctx, s) : undefined,
  };
  const begun = ctx.xslt && streams.get(ctx.xslt);
  if (begun?.[0] === jobKey(epubJob(opts))) opts.stream = begun[1];
  return opts;
}

/** The EPUB 3 edition: `<stem>.epub`. */
export const epubWriter: Writer = {
  format: 'epub',
  description: 'the EPUB 3 e-book (<stem>.epub)',
  available: () =>
    fs.existsSync(DEFAULT_EPUB_SEF)
      ? { ok: true }
      : { ok: false, reason: 'the compiled EPUB stylesheet is missing; run `npm run build`' },
  jobs: (ctx) => [epubJob(epubOptions(ctx))],
  // The packager (~40 ms bundled with its code cache, 100-180 ms required as published:
  // writers/packager.ts), loaded while the worker renders: packaging is the
  // last step of the build. A small book is then packaged, once a process, so that the
  // book of the build does not pay for the first run of this code (see primeAssembly).
  preload() {
    epubClass();
    primeAssembly();
  },
  // The book's documents are taken as the worker writes them (BookStream).
  start(ctx) {
    const session = ctx.xslt;
    if (!session?.threaded || streams.has(session)) return;
    const job = epubJob(epubOptions(ctx));
    const stream = new BookStream();
    streams.set(session, [jobKey(job), stream]);
    session.watch(job, (href, content) => stream.add(href, content));
  },
  async write(ctx) {
    const r = await renderEpub(ctx.loaded.text, epubOptions(ctx));
    return {
      files: r.epub
        ? [
            {
              path: `${ctx.stem}.epub`,
              data: r.epub,
              format: 'epub',
              mediaType: 'application/epub+zip',
            },
          ]
        : [],
      diagnostics: r.diagnostics,
    };
  },
};
