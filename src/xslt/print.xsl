<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio print edition: print.html, one HTML page typeset with standard CSS Paged Media
  and GCPM only (@page, margin boxes, string-set, target-counter, leader(),
  float: footnote), so that any Paged Media engine can make the book; editio runs
  WeasyPrint on it (src/writers/pdf.ts).

  Imports the core and overrides notes and page furniture only:
  - e:page: the page shell, print metadata (read by the engine for the PDF's title,
    author, subject, keywords, dates and language) and the print stylesheet;
  - e:note-call: a note is not called and listed at the end but put where it is called,
    as a footnote (class "footnote", floated to the foot of its page by the CSS). Its
    content is the core's own notes-section rendering (mode e:footnote), with block
    elements turned into phrasing elements (an HTML parser would otherwise close the
    paragraph that holds the note). Its label is the core's (author's numbers kept,
    T1…, E1…, a, b… for the apparatus, *1, *2… for other readings), given to
    ::footnote-call and ::footnote-marker
    through data-label;
  - e:alternate: print cannot switch readings, so the edited reading stands in the text
    and the others go to a footnote ("sic: …", labelled *1, *2…), like an apparatus entry;
  - e:footnotes: nothing (the notes are at the foot of their pages);
  - e:toc: contents with page numbers (target-counter); the index of names gives page
    numbers too. scripts/editio-weasyprint.py reads the index's markup (section.name-index,
    the last thing in the body; span.index-occurrences of a.index-in-note or plain links)
    to typeset it after the book with each page once: keep them in step.
  A note inside a footnote (or a choice inside one) is given inline, in brackets:
  footnotes do not nest.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio"
  xmlns:p="urn:editio:print"
  xmlns:h="http://www.w3.org/1999/xhtml"
  xmlns="http://www.w3.org/1999/xhtml"
  exclude-result-prefixes="#all">

  <xsl:import href="core/editio-core.xsl"/>

  <xsl:output method="xhtml" html-version="5" encoding="UTF-8" indent="no" omit-xml-declaration="yes" include-content-type="no"/>

  <!-- Page size: A5 (default), A4 or letter. -->
  <xsl:param name="page-size" as="xs:string" select="'A5'"/>
  <!-- The date to stamp (CCYY-MM-DDThh:mm:ssZ), from SOURCE_DATE_EPOCH; else the source's. -->
  <xsl:param name="modified" as="xs:string?" select="()"/>

  <xsl:template name="e:page">
    <xsl:variable name="doc" select="/*"/>
    <xsl:variable name="is-tei" as="xs:boolean" select="exists($doc/self::tei:TEI | $doc/self::tei:teiCorpus)"/>
    <xsl:variable name="lang" select="((if ($is-tei) then e:doc-lang($doc) else e:lang($doc/@xml:lang))[. != 'und'], $e:labels-lang)[1]"/>
    <xsl:variable name="md" select="e:metadata($doc)"/>
    <xsl:variable name="title" select="if ($is-tei) then e:doc-title($doc) else ''"/>
    <xsl:variable name="shown-title" select="if ($title != '') then $title else if (not($is-tei) and $source-file != '') then replace($source-file, '^.*[/\\]', '') else e:label('untitled')"/>
    <html lang="{$lang}" xml:lang="{$lang}">
      <head>
        <meta charset="utf-8"/>
        <title><xsl:value-of select="$shown-title"/></title>
        <xsl:for-each select="$md?authors?*">
          <meta name="author" content="{?name}"/>
        </xsl:for-each>
        <meta name="description" content="{$md?description}"/>
        <xsl:if test="exists($md?subjects?*)">
          <meta name="keywords" content="{string-join($md?subjects?*, ', ')}"/>
        </xsl:if>
        <meta name="generator" content="editio"/>
        <!-- one date, as for the EPUB: SOURCE_DATE_EPOCH, else the record's edition date -->
        <xsl:variable name="date" select="($modified, $md?editionDate)[1]"/>
        <meta name="dcterms.created" content="{($date, '2000-01-01')[1]}"/>
        <meta name="dcterms.modified" content="{($date, '2000-01-01')[1]}"/>
        <style><xsl:value-of select="p:css()"/></style>
      </head>
      <body data-running="{p:short($shown-title, 60)}">
        <xsl:choose>
          <xsl:when test="$is-tei">
            <xsl:apply-templates select="$doc"/>
          </xsl:when>
          <xsl:otherwise>
            <article class="tei-fragment">
              <h1 class="edition-title-main"><xsl:value-of select="$shown-title"/></h1>
              <xsl:apply-templates select="$doc"/>
            </article>
          </xsl:otherwise>
        </xsl:choose>
      </body>
    </html>
  </xsl:template>

  <!-- A running head must fit the head line: cut at a word, with an ellipsis. -->
  <xsl:function name="p:short" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:param name="max" as="xs:integer"/>
    <xsl:variable name="t" select="normalize-space($s)"/>
    <xsl:sequence select="if (string-length($t) le $max) then $t
      else replace(substring($t, 1, $max), '\s+\S*$', '') || '…'"/>
  </xsl:function>

  <!-- ===== notes: footnotes where they are called ===== -->

  <xsl:template name="e:note-call">
    <xsl:param name="p:in-footnote" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:param name="e:secondary" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="info" select="e:note-info(.)"/>
    <xsl:variable name="rendered" as="element()?">
      <xsl:apply-templates select="." mode="e:footnote">
        <xsl:with-param name="p:in-footnote" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$p:in-footnote or $e:secondary">
        <!-- footnotes do not nest; a secondary copy must not repeat the note -->
        <xsl:if test="not($e:secondary)">
          <span class="note-inline note-{$info('series')}">
            <xsl:call-template name="e:mark"><xsl:with-param name="text" select="' [' || e:note-label(., $info) || ': '"/></xsl:call-template>
            <xsl:apply-templates select="$rendered/node()[not(self::h:a[contains-token(@class, 'note-backlink')] or self::h:span[contains-token(@class, 'note-resp')])]" mode="p:phrasing"/>
            <xsl:call-template name="e:mark"><xsl:with-param name="text" select="']'"/></xsl:call-template>
          </span>
        </xsl:if>
      </xsl:when>
      <xsl:otherwise>
        <xsl:choose>
          <xsl:when test="p:is-long(.)">
            <!-- too long for the foot of a page (a footnote cannot break across pages):
                 called here, given in the notes at the end -->
            <a class="noteref noteref-long" href="#{$info('id')}" id="{$info('call')}"><sup><xsl:value-of select="e:note-label(., $info)"/></sup></a>
          </xsl:when>
          <xsl:otherwise>
            <xsl:call-template name="p:footnote">
              <xsl:with-param name="id" select="$info('id')"/>
              <xsl:with-param name="class" select="string($rendered/@class)"/>
              <xsl:with-param name="label" select="e:note-label(., $info)"/>
              <xsl:with-param name="content" as="node()*">
                <xsl:sequence select="$rendered/(@lang, @xml:lang)"/>
                <xsl:apply-templates select="$rendered/node()[not(self::h:a[contains-token(@class, 'note-backlink')])]" mode="p:phrasing"/>
              </xsl:with-param>
            </xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The footnote element, inside a wrapper that carries the label too: the CSS
       specification puts ::footnote-call on the footnote element, WeasyPrint (57) takes it
       from the footnote's parent; with the label on both, every engine shows it. -->
  <xsl:template name="p:footnote">
    <xsl:param name="id" as="xs:string?"/>
    <xsl:param name="class" as="xs:string"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="content" as="node()*"/>
    <span class="fn-call" data-label="{$label}">
      <span class="{$class}" data-label="{$label}">
        <xsl:if test="exists($id)"><xsl:attribute name="id" select="$id"/></xsl:if>
        <xsl:sequence select="$content"/>
      </span>
    </span>
  </xsl:template>

  <!-- A note too long to sit at the foot of one page (WeasyPrint cannot break a footnote
       across pages, and would cut it): an apparatus entry with hundreds of witnesses, a
       long commentary. Measured on the source: its text plus its witness lists. -->
  <xsl:function name="p:is-long" as="xs:boolean">
    <xsl:param name="n" as="element()"/>
    <xsl:sequence select="string-length(normalize-space($n)) + sum($n//@wit ! string-length(.)) gt 1200"/>
  </xsl:function>

  <!-- The notes section holds only the long notes; every other note is at the foot of its page. -->
  <xsl:template name="e:footnotes">
    <xsl:param name="doc" as="element()" select="."/>
    <xsl:variable name="long" select="$doc/tei:text/descendant::*[self::tei:note[e:is-footnote(.)] or self::tei:app][p:is-long(.)]
      [not(ancestor::tei:note[e:is-footnote(.)])]"/>
    <xsl:if test="exists($long)">
      <section class="notes notes-long" role="doc-endnotes">
        <h2 class="notes-heading"><xsl:value-of select="e:label('notes')"/></h2>
        <ol class="notes-list">
          <xsl:apply-templates select="$long" mode="e:footnote"/>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- Block elements inside a footnote become spans (displayed as blocks by the CSS);
       leading white space inside the note is dropped. -->
  <xsl:mode name="p:phrasing" on-no-match="shallow-copy"/>
  <xsl:template match="h:p | h:div | h:blockquote | h:section | h:ul | h:ol | h:li | h:dl | h:dt | h:dd
      | h:table | h:thead | h:tbody | h:tr | h:td | h:th | h:caption | h:figure | h:figcaption | h:pre
      | h:header | h:footer | h:aside | h:nav | h:h1 | h:h2 | h:h3 | h:h4 | h:h5 | h:h6 | h:hr | h:address" mode="p:phrasing">
    <span>
      <xsl:copy-of select="@* except @class"/>
      <xsl:attribute name="class" select="normalize-space('blk blk-' || local-name() || ' ' || @class)"/>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <!-- ===== choice: the edited reading in the text, the others in a lettered footnote ===== -->

  <xsl:template name="e:alternate">
    <xsl:param name="p:in-footnote" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:param name="e:secondary" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="primary" select="e:choice-primary(.)"/>
    <xsl:variable name="others" select="tei:* except $primary"/>
    <xsl:variable name="readings" as="node()*">
      <xsl:for-each select="$others">
        <xsl:if test="position() gt 1"><xsl:call-template name="e:mark"><xsl:with-param name="text" select="'; '"/></xsl:call-template></xsl:if>
        <span class="reading-label editorial"><xsl:value-of select="p:reading-label(.) || ': '"/></span>
        <span class="reading-alternative">
          <xsl:apply-templates>
            <xsl:with-param name="e:secondary" select="true()" tunnel="yes"/>
          </xsl:apply-templates>
        </span>
      </xsl:for-each>
    </xsl:variable>
    <xsl:call-template name="e:inline">
      <xsl:with-param name="content" as="item()*">
        <xsl:for-each select="$primary">
          <xsl:call-template name="e:inline">
            <xsl:with-param name="class" select="'reading-primary'"/>
          </xsl:call-template>
        </xsl:for-each>
        <xsl:choose>
          <xsl:when test="empty($others) or $e:secondary"/>
          <xsl:when test="$p:in-footnote or not(ancestor::tei:text)">
            <xsl:call-template name="e:mark"><xsl:with-param name="text" select="' ['"/></xsl:call-template>
            <xsl:apply-templates select="$readings" mode="p:phrasing"/>
            <xsl:call-template name="e:mark"><xsl:with-param name="text" select="']'"/></xsl:call-template>
          </xsl:when>
          <xsl:otherwise>
            <!-- labelled *1, *2…: apart from the apparatus's a, b… -->
            <xsl:call-template name="p:footnote">
              <xsl:with-param name="id" select="()"/>
              <xsl:with-param name="class" select="'footnote note-reading'"/>
              <xsl:with-param name="label" select="'*' || (. ! accumulator-before('e:notes'))('#reading')"/>
              <xsl:with-param name="content" as="node()*">
                <xsl:apply-templates select="$readings" mode="p:phrasing"/>
              </xsl:with-param>
            </xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:function name="p:reading-label" as="xs:string">
    <xsl:param name="r" as="element()"/>
    <xsl:sequence select="(map{'sic': 'sic', 'corr': 'corr.', 'orig': 'orig.', 'reg': 'reg.', 'abbr': 'abbr.',
      'expan': 'expan.', 'seg': 'var.', 'unclear': 'unclear', 'supplied': 'suppl.', 'add': 'add.', 'del': 'del.'}(local-name($r)),
      local-name($r))[1]"/>
  </xsl:function>

  <!-- ===== contents, with page numbers ===== -->

  <xsl:template name="e:toc">
    <xsl:call-template name="e:toc-nav"><xsl:with-param name="depth" select="2"/></xsl:call-template>
  </xsl:template>

  <!-- ===== the index of names: page numbers (CSS) instead of occurrence numbers ===== -->
  <xsl:template name="e:occurrence-label">
    <xsl:param name="n" as="xs:integer"/>
  </xsl:template>

  <!-- ===== headings carry their plain text for the running head ===== -->
  <xsl:template name="e:heading-attrs">
    <xsl:attribute name="data-running" select="p:short(e:toc-text(.), 60)"/>
  </xsl:template>

  <!-- ===== the print stylesheet ===== -->

  <xsl:function name="p:css" as="xs:string">
    <xsl:variable name="size" select="(map{'a5': 'A5', 'a4': 'A4', 'letter': 'letter', 'us-letter': 'letter'}(lower-case($page-size)), 'A5')[1]"/>
    <xsl:variable name="small" select="$size = 'A5'"/>
    <xsl:sequence select="replace(replace(replace($p:css-template,
      '@SIZE@', $size),
      '@MARGINS@', if ($small) then '18mm 15mm 20mm 17mm' else '24mm 22mm 26mm 24mm'),
      '@FONTSIZE@', if ($small) then '10pt' else '11pt')"/>
  </xsl:function>

  <xsl:variable name="p:css-template" as="xs:string"><![CDATA[
@page {
  size: @SIZE@;
  margin: @MARGINS@;
  @top-center { content: string(running); font-style: italic; font-size: 8pt; vertical-align: bottom; padding-bottom: 3mm; }
  @bottom-center { content: counter(page); font-size: 8.5pt; vertical-align: top; padding-top: 4mm; }
  @footnote { border-top: 0.4pt solid #444; padding-top: 1.5mm; margin-top: 3mm; }
}
@page :right { @top-center { content: string(section); } }
@page title { @top-center { content: none; } @bottom-center { content: none; } }
html { font-family: "Linux Libertine O", "Libertinus Serif", "EB Garamond", "DejaVu Serif", serif;
  font-size: @FONTSIZE@; line-height: 1.38; font-kerning: normal; font-variant-ligatures: common-ligatures; }
body { margin: 0; string-set: running attr(data-running), section attr(data-running); hyphens: auto;
  text-align: justify; widows: 2; orphans: 2; }
[hidden] { display: none; }
a { color: inherit; text-decoration: none; }

/* title page: its own page, no head, no folio */
header.edition-title { page: title; break-after: page; text-align: center; hyphens: manual; padding-top: 18%; }
header.edition-title h1, header.edition-title h2 { font-size: 1.9em; font-weight: normal; line-height: 1.2; margin: 0 0 .6em; }
header.edition-title p, header.edition-title div { margin: .35em 0; }
header.edition-title .edition-subtitle { font-style: italic; font-size: 1.2em; }
header.edition-title .edition-authors { font-variant: small-caps; letter-spacing: .04em; font-size: 1.15em; margin-top: 1.5em; }
header.edition-title .cite, header.edition-title .edition-cite, header.edition-title .edition-licence,
header.edition-title .edition-source { font-size: .8em; text-align: left; hyphens: auto; }
header.edition-title * { break-inside: avoid; }

/* contents, with page numbers */
nav.toc { break-after: page; }
nav.toc h2, nav.toc h3 { font-size: 1.2em; font-weight: normal; font-variant: small-caps; letter-spacing: .05em; text-align: center; }
nav.toc ol { list-style: none; padding: 0; margin: 0; }
nav.toc ol ol { padding-left: 1.2em; font-size: .95em; }
nav.toc li { margin: .25em 0; text-align: left; hyphens: manual; }
nav.toc a::after { content: leader('.') target-counter(attr(href url), page); }

/* the text */
h1, h2, h3, h4, h5, h6 { font-weight: normal; line-height: 1.25; text-align: center; hyphens: manual;
  break-after: avoid; break-inside: avoid; }
/* top-level divisions start a page and set the right-hand running head; the nested
   ones are undone by descendant selectors (no child combinator: this text is XHTML) */
section.tei-div, section.tei-div1 { break-before: page; }
section.tei-div section, section.tei-div1 section { break-before: auto; }
section.tei-div h2, section.tei-div h3, section.tei-div1 h2, section.tei-div1 h3 {
  font-size: 1.3em; margin: 0 0 1.2em; string-set: section attr(data-running); }
section.tei-div section h3, section.tei-div section h4, section.tei-div1 section h3, section.tei-div1 section h4 {
  font-size: 1.05em; font-style: italic; margin: 1.2em 0 .5em; string-set: none; }
section h3, section h4, section h5, section h6 { font-size: 1.05em; font-style: italic; margin: 1.2em 0 .5em; }
p { margin: 0; text-indent: 1.2em; }
h1 + p, h2 + p, h3 + p, h4 + p, h5 + p, h6 + p, p:first-child, blockquote + p, .tei-lg + p { text-indent: 0; }
blockquote { margin: .6em 1.4em; font-size: .95em; }
blockquote p { text-indent: 0; }
.tei-lg { margin: .6em 0 .6em 1.5em; text-align: left; hyphens: manual; break-inside: avoid; }
.tei-l { display: block; padding-left: 1.5em; text-indent: -1.5em; }
.tei-sp { margin: .5em 0; }
.tei-speaker { font-variant: small-caps; letter-spacing: .03em; }
.tei-stage { font-style: italic; }
i, em, .rend-italic, cite, .tei-title { font-style: italic; }
.rend-smallcaps { font-variant: small-caps; }
.rend-bold, b { font-weight: bold; }
.rend-underline { text-decoration: underline; }
.rend-sup, sup { vertical-align: super; font-size: .7em; line-height: 0; }
.rend-sub, sub { vertical-align: sub; font-size: .7em; line-height: 0; }
.rend-center { text-align: center; }
.rend-right { text-align: right; }
q { quotes: "“" "”" "‘" "’"; }
q.marked::before, q.marked::after { content: ""; }
figure { margin: 1em 0; text-align: center; break-inside: avoid; }
img, svg { max-width: 100%; }
table { border-collapse: collapse; margin: .8em auto; font-size: .9em; }
td, th { border: .4pt solid #666; padding: .2em .4em; text-align: left; hyphens: manual; }
ul, ol { margin: .5em 0; padding-left: 1.6em; }
pre, code { font-family: "DejaVu Sans Mono", monospace; font-size: .85em; }
pre { white-space: pre-wrap; text-align: left; }

/* editorial marks: the editor's, not the author's */
.editorial, .editorial-mark, .tei-gap, .gap { font-style: normal; color: #333; }
.tei-gap, .gap { font-size: .92em; }
.tei-unclear { font-style: normal; }
.tei-supplied { }
.tei-del, .rend-strike { text-decoration: line-through; }
.tei-add { }
[role="doc-pagebreak"] { font-size: .7em; color: #555; vertical-align: super; line-height: 0; }
.lb-hyphen { display: none; }

/* footnotes at the foot of the page where they are called */
.footnote { float: footnote; footnote-display: block; footnote-policy: line; font-size: 8pt; line-height: 1.3; text-indent: 0;
  text-align: justify; hyphens: auto; font-style: normal; font-weight: normal; font-variant: normal; }
.footnote::footnote-call, .fn-call::footnote-call { content: attr(data-label); vertical-align: super;
  font-size: 65%; line-height: 0; font-style: normal; font-weight: normal; padding-left: .05em; }
a.noteref-long sup { font-size: 65%; }
section.notes-long { break-before: page; }
section.notes-long ol { list-style: none; padding: 0; font-size: 8.5pt; }
section.notes-long li { margin: .3em 0; }
.footnote::footnote-marker { content: attr(data-label) ". "; }

.footnote .blk { display: block; text-indent: 0; margin: .2em 0 0; }
.footnote .blk-li { display: list-item; margin-left: 1.2em; }
.footnote .blk-blockquote { margin: .2em 1em; }
.footnote .note-resp { font-style: italic; }
.note-missing { font-style: italic; }
.note-inline { font-size: .95em; }

/* the index of names */
section.name-index { break-before: page; }
section.name-index h2, section.name-index h3 { font-size: 1.2em; font-variant: small-caps; letter-spacing: .05em; }
section.name-index h3, section.name-index h4 { font-size: 1em; text-align: left; font-variant: small-caps; }
ul.index-list { list-style: none; padding: 0; margin: 0; font-size: .9em; text-align: left; hyphens: manual; }
li.index-entry { padding-left: 1em; text-indent: -1em; margin: .15em 0; }
.index-occurrences a::after { content: target-counter(attr(href url), page); }
.index-occurrences a.index-in-note::after { content: target-counter(attr(href url), page) "n"; }
]]></xsl:variable>
</xsl:stylesheet>
