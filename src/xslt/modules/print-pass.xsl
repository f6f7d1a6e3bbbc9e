<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio print edition, the pass: print.html from the reading edition's rendered page
  (rendered with the core's marks, see editio-core.xsl), in standard CSS Paged Media and
  GCPM only (@page, margin boxes, string-set, target-counter, leader(), float: footnote),
  so that any Paged Media engine can make the book; editio runs WeasyPrint on it
  (src/writers/pdf.ts). editions.xsl makes print.html this way when it shares a build
  with other formats. print.xsl, which makes print.html alone by overriding the core,
  includes this module for the page shell, the print stylesheet and the decisions both
  share (p:is-long, p:reading-label, p:footnote, p:short); a test holds their outputs
  equal to the byte.

  What print changes, in mode p:pass over the page's XHTML:
  - the page shell (p:print-page): print metadata (read by the engine for the PDF's
    title, author, subject, keywords, dates and language) and the print stylesheet;
  - a note call: the note is put where it is called, as a footnote (class "footnote",
    floated to the foot of its page by the CSS). Its content is the page's entry for the
    note in the notes section, without its back-link, with block elements turned into
    phrasing elements (an HTML parser would otherwise close the paragraph that holds the
    note). Its label is the core's (author's numbers kept, T1…, E1…, a, b… for the
    apparatus, *1, *2… for other readings), given to ::footnote-call and
    ::footnote-marker through data-label. A note too long for the foot of a page is
    called there and given in a notes section at the end;
  - a choice: print cannot switch readings, so the edited reading stands in the text and
    the others go to a footnote ("sic: …", labelled *1, *2…), like an apparatus entry;
  - the notes section: only the long notes (the others are at the foot of their pages);
  - the contents: two levels, with page numbers (target-counter); the index of names
    gives page numbers too (its links lose their occurrence numbers).
    scripts/editio-weasyprint.py reads the index's markup (section.name-index, the last
    thing in the body; span.index-occurrences of a.index-in-note or plain links) to
    typeset it after the book with each page once: keep them in step;
  - headings carry their plain text for the running head (data-running).
  A note inside a footnote (or a choice inside one) is given inline, in brackets:
  footnotes do not nest. The core's marks are dropped everywhere.
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

  <!-- Page size: A5 (default), A4 or letter. -->
  <xsl:param name="page-size" as="xs:string" select="'A5'"/>
  <!-- The date to stamp (CCYY-MM-DDThh:mm:ssZ), from SOURCE_DATE_EPOCH; else the source's. -->
  <xsl:param name="modified" as="xs:string?" select="()"/>

  <!-- the page's entries of the notes section, by id -->
  <xsl:key name="p:entry" match="h:li[parent::h:ol[@class = 'notes-list']]" use="@id"/>

  <!-- The print page around the text: rendered here by print.xsl's overrides (no $page),
       or made from the rendered page by the pass. -->
  <xsl:template name="p:print-page">
    <xsl:param name="page" as="document-node()?" select="()"/>
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
          <xsl:when test="exists($page)">
            <!-- the page's content (its title page, contents, text, notes, index), for print -->
            <xsl:apply-templates select="$page/h:html/h:body/h:main/node()" mode="p:pass"/>
          </xsl:when>
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

  <!-- ===== the pass ===== -->
  <!-- Tunnel parameters: p:in-footnote (inside a footnote: notes and readings are given
       inline), p:phrasing (inside a footnote: blocks become spans). -->
  <xsl:mode name="p:pass" on-no-match="shallow-copy"/>

  <xsl:variable name="p:blocks" as="xs:string*" select="('p', 'div', 'blockquote', 'section', 'ul', 'ol', 'li',
    'dl', 'dt', 'dd', 'table', 'thead', 'tbody', 'tr', 'td', 'th', 'caption', 'figure', 'figcaption', 'pre',
    'header', 'footer', 'aside', 'nav', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'address')"/>

  <!-- (an element the pass does not change is copied by the core's rule for the passes
       over the page, editio-core.xsl) -->

  <xsl:template match="h:p | h:div | h:blockquote | h:section | h:ul | h:ol | h:li | h:dl | h:dt | h:dd
      | h:table | h:thead | h:tbody | h:tr | h:td | h:th | h:caption | h:figure | h:figcaption | h:pre
      | h:header | h:footer | h:aside | h:nav | h:h1 | h:h2 | h:h3 | h:h4 | h:h5 | h:h6 | h:hr | h:address" mode="p:pass">
    <xsl:param name="p:phrasing" tunnel="yes" select="false()"/>
    <xsl:choose>
      <!-- the commonest case, outside a footnote and without marks: copied as it is, by
           the core's rule for any element (p:copy's typed parameters and untyped context
           cost saxon-js some forty steps a block; Quintilian: 9,600 blocks) -->
      <xsl:when test="not($p:phrasing) and not(@data-editio-src or @data-editio-drop)">
        <xsl:next-match/>
      </xsl:when>
      <xsl:otherwise><xsl:call-template name="p:copy"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The element without the core's marks, then $extra; inside a footnote a block
       becomes a span (displayed as a block by the CSS). Its content: $content, or its
       children through the pass. -->
  <xsl:template name="p:copy">
    <xsl:param name="p:phrasing" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:param name="extra" as="attribute()*" select="()"/>
    <xsl:param name="content" as="node()*" select="()"/>
    <xsl:param name="has-content" as="xs:boolean" select="false()"/>
    <xsl:param name="attrs" as="attribute()*" select="if (@data-editio-src or @data-editio-drop)
      then @* except (@data-editio-src, @data-editio-secondary, @data-editio-drop) else @*"/>
    <xsl:choose>
      <xsl:when test="$p:phrasing and local-name() = $p:blocks">
        <span>
          <xsl:copy-of select="$attrs[not(name() = 'class')], $extra"/>
          <xsl:attribute name="class" select="normalize-space('blk blk-' || local-name() || ' ' || $attrs[name() = 'class'])"/>
          <xsl:choose>
            <xsl:when test="$has-content"><xsl:sequence select="$content"/></xsl:when>
            <xsl:otherwise><xsl:apply-templates mode="p:pass"/></xsl:otherwise>
          </xsl:choose>
        </span>
      </xsl:when>
      <xsl:otherwise>
        <xsl:copy copy-namespaces="no">
          <xsl:copy-of select="$attrs, $extra"/>
          <xsl:choose>
            <xsl:when test="$has-content"><xsl:sequence select="$content"/></xsl:when>
            <xsl:otherwise><xsl:apply-templates mode="p:pass"/></xsl:otherwise>
          </xsl:choose>
        </xsl:copy>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- marked elements: by the TEI element they render -->
  <xsl:template match="h:section[@data-editio-src] | h:nav[@data-editio-src] | h:div[@data-editio-src]
      | h:span[@data-editio-src] | h:img[@data-editio-src] | h:a[@data-editio-src] | h:span[@data-editio-drop]
      | h:h1[@data-editio-src] | h:h2[@data-editio-src] | h:h3[@data-editio-src]
      | h:h4[@data-editio-src] | h:h5[@data-editio-src] | h:h6[@data-editio-src]" mode="p:pass">
    <xsl:variable name="tei" select="if (@data-editio-src) then key('e:source', @data-editio-src, $e:source) else ()"/>
    <xsl:choose>
      <xsl:when test="self::h:a[@role = 'doc-noteref']">
        <xsl:call-template name="p:note"><xsl:with-param name="tei" select="$tei"/></xsl:call-template>
      </xsl:when>
      <xsl:when test="exists($tei/self::tei:choice)">
        <xsl:call-template name="p:choice"><xsl:with-param name="tei" select="$tei"/></xsl:call-template>
      </xsl:when>
      <xsl:when test="self::h:nav[@role = 'doc-toc']">
        <!-- two levels, with page numbers -->
        <xsl:variable name="toc" as="node()*">
          <xsl:for-each select="$tei">
            <xsl:call-template name="e:toc-nav"><xsl:with-param name="depth" select="2"/></xsl:call-template>
          </xsl:for-each>
        </xsl:variable>
        <xsl:apply-templates select="$toc" mode="e:strip"/>
      </xsl:when>
      <xsl:when test="self::h:section[@role = 'doc-endnotes']">
        <xsl:call-template name="p:long-notes">
          <xsl:with-param name="doc" select="$tei"/>
          <xsl:with-param name="page" select="root(.)"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="self::h:h1 or self::h:h2 or self::h:h3 or self::h:h4 or self::h:h5 or self::h:h6">
        <!-- the heading's plain text, for the running head -->
        <xsl:call-template name="p:copy">
          <xsl:with-param name="extra" as="attribute()*">
            <xsl:attribute name="data-running" select="p:short(e:toc-text($tei), 60)"/>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="p:copy"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- the index of names: page numbers (CSS) instead of occurrence numbers -->
  <xsl:template match="h:a[parent::h:span[@class = 'index-occurrences']]" mode="p:pass">
    <xsl:copy copy-namespaces="no"><xsl:copy-of select="@*"/></xsl:copy>
  </xsl:template>

  <!-- ===== notes: footnotes where they are called ===== -->

  <xsl:template name="p:note">
    <xsl:param name="tei" as="element()"/>
    <xsl:param name="p:in-footnote" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="secondary" select="@data-editio-secondary = 'true'"/>
    <xsl:variable name="entry" select="key('p:entry', substring(@href, 2))[1]"/>
    <xsl:variable name="label" select="string(h:sup)"/>
    <xsl:choose>
      <xsl:when test="$p:in-footnote or $secondary">
        <!-- footnotes do not nest; a secondary copy must not repeat the note -->
        <xsl:if test="not($secondary)">
          <span class="note-inline note-{e:note-info($tei)('series')}">
            <xsl:call-template name="e:mark"><xsl:with-param name="text" select="' [' || $label || ': '"/></xsl:call-template>
            <xsl:apply-templates select="$entry/node()[not(self::h:a[contains-token(@class, 'note-backlink')] or self::h:span[contains-token(@class, 'note-resp')])]" mode="p:pass">
              <xsl:with-param name="p:in-footnote" select="true()" tunnel="yes"/>
              <xsl:with-param name="p:phrasing" select="true()" tunnel="yes"/>
            </xsl:apply-templates>
            <xsl:call-template name="e:mark"><xsl:with-param name="text" select="']'"/></xsl:call-template>
          </span>
        </xsl:if>
      </xsl:when>
      <xsl:when test="p:is-long($tei)">
        <!-- too long for the foot of a page (a footnote cannot break across pages):
             called here, given in the notes at the end -->
        <a class="noteref noteref-long" href="{@href}" id="{@id}"><sup><xsl:value-of select="$label"/></sup></a>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="p:footnote">
          <xsl:with-param name="id" select="string($entry/@id)"/>
          <xsl:with-param name="class" select="string($entry/@class)"/>
          <xsl:with-param name="label" select="$label"/>
          <xsl:with-param name="content" as="node()*">
            <xsl:sequence select="$entry/(@lang, @xml:lang)"/>
            <xsl:apply-templates select="$entry/node()[not(self::h:a[contains-token(@class, 'note-backlink')])]" mode="p:pass">
              <xsl:with-param name="p:in-footnote" select="true()" tunnel="yes"/>
              <xsl:with-param name="p:phrasing" select="true()" tunnel="yes"/>
            </xsl:apply-templates>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The notes section holds only the long notes; every other note is at the foot of its
       page. Its entries: rendered here by print.xsl (no $page), or the page's own entries
       for those notes, through the pass. -->
  <xsl:template name="p:long-notes">
    <xsl:param name="doc" as="element()"/>
    <xsl:param name="page" as="document-node()?" select="()"/>
    <xsl:variable name="long" select="e:note-entries($doc)[p:is-long(.)]
      [not(ancestor::tei:note[e:is-footnote(.)])]"/>
    <xsl:if test="exists($long)">
      <section class="notes notes-long" role="doc-endnotes">
        <h2 class="notes-heading"><xsl:value-of select="e:label('notes')"/></h2>
        <ol class="notes-list">
          <xsl:choose>
            <xsl:when test="exists($page)">
              <xsl:for-each select="$long">
                <xsl:apply-templates select="key('p:entry', e:note-info(.)('id'), $page)[1]" mode="p:pass">
                  <xsl:with-param name="p:in-footnote" select="false()" tunnel="yes"/>
                  <xsl:with-param name="p:phrasing" select="false()" tunnel="yes"/>
                </xsl:apply-templates>
              </xsl:for-each>
            </xsl:when>
            <xsl:otherwise>
              <xsl:apply-templates select="$long" mode="e:footnote"/>
            </xsl:otherwise>
          </xsl:choose>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- ===== choice: the edited reading in the text, the others in a lettered footnote ===== -->

  <xsl:template name="p:choice">
    <xsl:param name="tei" as="element()"/>
    <xsl:param name="p:in-footnote" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="secondary" select="@data-editio-secondary = 'true'"/>
    <xsl:variable name="primary" select="e:choice-primary($tei)"/>
    <xsl:variable name="others" select="$tei/tei:* except $primary"/>
    <xsl:variable name="shown" select="*[contains-token(@class, 'reading-primary')][1]"/>
    <xsl:variable name="alternatives" select="*[contains-token(@class, 'reading-alternative')]"/>
    <xsl:variable name="readings" as="node()*">
      <xsl:for-each select="$alternatives">
        <xsl:variable name="i" select="position()"/>
        <xsl:if test="$i gt 1"><xsl:call-template name="e:mark"><xsl:with-param name="text" select="'; '"/></xsl:call-template></xsl:if>
        <span class="reading-label editorial"><xsl:value-of select="p:reading-label($others[$i]) || ': '"/></span>
        <span class="reading-alternative"><xsl:apply-templates mode="p:pass"/></span>
      </xsl:for-each>
    </xsl:variable>
    <xsl:call-template name="p:copy">
      <xsl:with-param name="has-content" select="true()"/>
      <xsl:with-param name="content" as="node()*">
        <!-- the edited reading, as print shows it: no hover title, no switch class -->
        <xsl:for-each select="$shown">
          <xsl:call-template name="p:copy">
            <xsl:with-param name="attrs" as="attribute()*">
              <xsl:for-each select="@* except (@title, @data-editio-src, @data-editio-secondary, @data-editio-drop)">
                <xsl:choose>
                  <xsl:when test="name() = 'class'">
                    <xsl:attribute name="class" select="string-join(tokenize(.)[. ne 'reading-edited'], ' ')"/>
                  </xsl:when>
                  <xsl:otherwise><xsl:sequence select="."/></xsl:otherwise>
                </xsl:choose>
              </xsl:for-each>
            </xsl:with-param>
          </xsl:call-template>
        </xsl:for-each>
        <xsl:choose>
          <xsl:when test="empty($others) or $secondary"/>
          <xsl:when test="$p:in-footnote or not($tei/ancestor::tei:text)">
            <xsl:call-template name="e:mark"><xsl:with-param name="text" select="' ['"/></xsl:call-template>
            <xsl:apply-templates select="$readings" mode="p:pass">
              <xsl:with-param name="p:phrasing" select="true()" tunnel="yes"/>
            </xsl:apply-templates>
            <xsl:call-template name="e:mark"><xsl:with-param name="text" select="']'"/></xsl:call-template>
          </xsl:when>
          <xsl:otherwise>
            <!-- labelled *1, *2…: apart from the apparatus's a, b… -->
            <xsl:call-template name="p:footnote">
              <xsl:with-param name="id" select="()"/>
              <xsl:with-param name="class" select="'footnote note-reading'"/>
              <xsl:with-param name="label" select="'*' || ($tei ! accumulator-before('e:notes'))('#reading')"/>
              <xsl:with-param name="content" as="node()*">
                <xsl:apply-templates select="$readings" mode="p:pass">
                  <xsl:with-param name="p:phrasing" select="true()" tunnel="yes"/>
                </xsl:apply-templates>
              </xsl:with-param>
            </xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
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

  <xsl:function name="p:reading-label" as="xs:string">
    <xsl:param name="r" as="element()"/>
    <xsl:sequence select="(map{'sic': 'sic', 'corr': 'corr.', 'orig': 'orig.', 'reg': 'reg.', 'abbr': 'abbr.',
      'expan': 'expan.', 'seg': 'var.', 'unclear': 'unclear', 'supplied': 'suppl.', 'add': 'add.', 'del': 'del.'}(local-name($r)),
      local-name($r))[1]"/>
  </xsl:function>

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
