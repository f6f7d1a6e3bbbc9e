<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio HTML reading edition: one self-contained XHTML5 page.

  Imports the core and overrides only what differs for the reading edition: the page
  shell (e:page: <html>, <head>, stylesheet) and the table of contents (e:toc).
  Hooks left for later work: e:reading-switch (choice/apparatus toggles), e:index,
  e:metadata-panel; popovers will override e:note-call.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio"
  xmlns="http://www.w3.org/1999/xhtml"
  exclude-result-prefixes="#all">

  <xsl:import href="core/editio-core.xsl"/>

  <xsl:output method="xhtml" html-version="5" encoding="UTF-8" indent="no" omit-xml-declaration="yes" include-content-type="no"/>

  <!-- Stylesheet text; the writer may pass its own (e.g. a theme). -->
  <xsl:param name="css" as="xs:string?" select="()"/>

  <xsl:template name="e:page">
    <xsl:variable name="doc" select="/*"/>
    <xsl:variable name="lang" select="if ($doc/self::tei:TEI or $doc/self::tei:teiCorpus) then e:doc-lang($doc) else (e:lang($doc/@xml:lang), 'und')[1]"/>
    <xsl:variable name="title" select="if ($doc/self::tei:TEI or $doc/self::tei:teiCorpus) then e:doc-title($doc) else ''"/>
    <html>
      <xsl:if test="$lang != 'und'">
        <xsl:attribute name="lang" select="$lang"/>
        <xsl:attribute name="xml:lang" select="$lang"/>
      </xsl:if>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="editio"/>
        <title><xsl:value-of select="if ($title = '') then 'Untitled' else $title"/></title>
        <style><xsl:value-of select="($css, $e:default-css)[1]"/></style>
      </head>
      <body>
        <xsl:call-template name="e:reading-switch"/>
        <main>
          <xsl:choose>
            <xsl:when test="$doc/self::tei:TEI or $doc/self::tei:teiCorpus">
              <xsl:apply-templates select="$doc"/>
            </xsl:when>
            <xsl:otherwise>
              <!-- not a TEI document (a surface, a fragment): its content as is -->
              <article class="tei-fragment"><xsl:apply-templates select="$doc"/></article>
            </xsl:otherwise>
          </xsl:choose>
        </main>
      </body>
    </html>
  </xsl:template>

  <!-- Hook: reading switch (corrected/original readings), added later. -->
  <xsl:template name="e:reading-switch"/>

  <!-- Table of contents: divisions with a head, nested. -->
  <xsl:template name="e:toc">
    <xsl:variable name="top" select="e:toc-divs(tei:text)"/>
    <xsl:if test="count(tei:text//tei:head[parent::*[e:is-section(.)]]) ge 2">
      <nav class="toc" role="doc-toc">
        <xsl:attribute name="aria-label" select="e:label('contents')"/>
        <xsl:element name="h{min((6, 1 + count(ancestor-or-self::*[self::tei:TEI or self::tei:teiCorpus])))}">
          <xsl:value-of select="e:label('contents')"/>
        </xsl:element>
        <xsl:call-template name="e:toc-list">
          <xsl:with-param name="divs" select="$top"/>
        </xsl:call-template>
      </nav>
    </xsl:if>
  </xsl:template>

  <xsl:function name="e:is-section" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="exists($el[self::tei:div or self::tei:div1 or self::tei:div2 or self::tei:div3 or self::tei:div4 or self::tei:div5 or self::tei:div6 or self::tei:div7])"/>
  </xsl:function>

  <xsl:template name="e:toc-list">
    <xsl:param name="divs" as="element()*"/>
    <xsl:variable name="entries" select="$divs[tei:head or exists(descendant::tei:head[parent::*[e:is-div(.)]])]"/>
    <xsl:if test="exists($entries)">
      <ol>
        <xsl:for-each select="$entries">
          <li>
            <a href="#{e:section-id(.)}">
              <xsl:value-of select="if (tei:head) then normalize-space(string-join(tei:head[1] ! e:toc-text(.), '')) else '[' || (normalize-space(@n), normalize-space(@type), 'section')[. != ''][1] || ']'"/>
            </a>
            <xsl:call-template name="e:toc-list">
              <xsl:with-param name="divs" select="*[e:is-section(.)]"/>
            </xsl:call-template>
          </li>
        </xsl:for-each>
      </ol>
    </xsl:if>
  </xsl:template>

  <xsl:function name="e:toc-text" as="xs:string">
    <xsl:param name="head" as="element()"/>
    <xsl:variable name="t" as="item()*"><xsl:apply-templates select="$head/node()" mode="e:toc"/></xsl:variable>
    <xsl:sequence select="string-join($t ! string(.), '')"/>
  </xsl:function>

  <xsl:variable name="e:default-css" as="xs:string"><![CDATA[
:root { --fg: #1b1b1b; --bg: #fdfcf8; --muted: #6a6a6a; --accent: #7a2e0e; --ed: #2b5b84; --rule: #d8d4c8; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6e2d8; --bg: #161514; --muted: #a29e95; --accent: #e0a27c; --ed: #8fbbe3; --rule: #3a3834; }
}
html { background: var(--bg); color: var(--fg); }
body { margin: 0 auto; max-width: 42rem; padding: 1.5rem 1.25rem 4rem; font: 1.075rem/1.6 Georgia, "Iowan Old Style", "Palatino Linotype", serif; hyphens: auto; }
h1, h2, h3, h4, h5, h6 { line-height: 1.25; font-weight: normal; }
h1 { font-size: 2rem; } h2 { font-size: 1.5rem; } h3 { font-size: 1.25rem; }
a { color: var(--accent); }
.edition-title { text-align: center; margin: 2rem 0 3rem; }
.edition-title p { margin: .25rem 0; color: var(--muted); }
.toc ol { list-style: none; padding-left: 1.25rem; }
.toc ol.toc-top { padding-left: 0; }
blockquote { margin: 1rem 1.5rem; }
.tei-lg { margin: 1rem 0 1rem 1.5rem; }
.tei-l { padding-left: 2em; text-indent: -2em; }
.tei-l[data-n]::before { content: attr(data-n); float: right; color: var(--muted); font-size: .75em; }
.tei-sp { margin: .75rem 0; }
.tei-speaker { font-variant: small-caps; font-weight: bold; }
.tei-stage { font-style: italic; }
.tei-titlePage, .tei-opener, .tei-closer, .tei-trailer { margin: 1rem 0; }
.tei-closer, .tei-signed, .tei-dateline { text-align: right; }
.rend-italic { font-style: italic; } .rend-bold { font-weight: bold; }
.rend-underline { text-decoration: underline; } .rend-smallcaps { font-variant: small-caps; }
.rend-caps { text-transform: uppercase; } .rend-spaced { letter-spacing: .15em; }
.rend-center { text-align: center; display: block; } .rend-right { text-align: right; display: block; }
.rend-strike { text-decoration: line-through; } .rend-large { font-size: 1.2em; } .rend-small { font-size: .85em; }
.rend-monospace { font-family: ui-monospace, monospace; } .rend-red { color: #a11; }
.rend-blackletter { font-family: "UnifrakturMaguntia", serif; } .rend-overline { text-decoration: overline; }
.editorial, .editorial-mark, .app-wit, .note-resp { color: var(--ed); font-family: system-ui, sans-serif; font-size: .85em; font-style: normal; }
.tei-gap, .tei-space, .tei-handShift { white-space: nowrap; }
.tei-unclear, .tei-damage { text-decoration: underline dotted var(--ed); }
ins.tei-add { text-decoration: none; border-bottom: 1px solid var(--ed); }
del.tei-del { text-decoration: line-through; text-decoration-color: var(--ed); }
.tei-choice .reading-primary { text-decoration: underline dotted var(--rule); }
.tei-pb { color: var(--muted); font-size: .75em; margin: 0 .25em; }
.noteref { text-decoration: none; } .noteref sup { font-size: .7em; }
.noteref-translator sup, .noteref-editor sup, .noteref-apparatus sup { color: var(--ed); }
.notes { border-top: 1px solid var(--rule); margin-top: 3rem; font-size: .92em; }
.notes-list { list-style: none; padding-left: 0; }
.notes-list li.footnote { margin: .5rem 0; }
.note-backlink { display: inline-block; min-width: 2em; text-decoration: none; }
.note-missing .tei-gap { font-style: italic; }
table { border-collapse: collapse; margin: 1rem 0; }
td, th { border: 1px solid var(--rule); padding: .2rem .5rem; vertical-align: top; }
figure { margin: 1.5rem 0; text-align: center; } figure img { max-width: 100%; height: auto; }
figcaption { font-size: .9em; color: var(--muted); }
pre { white-space: pre-wrap; font-size: .85em; }
.foreign-markup { font-family: ui-monospace, monospace; font-size: .85em; }
.no-text { font-style: italic; }
q.marked { quotes: none; }
@media print {
  :root { --fg: #000; --bg: #fff; --muted: #444; --accent: #000; --ed: #333; }
  body { max-width: none; font-size: 11pt; }
  a { text-decoration: none; }
  .toc { page-break-after: always; }
  h1, h2, h3 { page-break-after: avoid; }
  .notes { page-break-before: always; }
}
]]></xsl:variable>
</xsl:stylesheet>
