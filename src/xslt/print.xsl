<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio print edition: print.html, one HTML page typeset with standard CSS Paged Media
  and GCPM only (@page, margin boxes, string-set, target-counter, leader(),
  float: footnote), so that any Paged Media engine can make the book; editio runs
  WeasyPrint on it (src/writers/pdf.ts).

  This stylesheet makes print.html alone (a build of print or the PDF: rendering the
  print edition straight from TEI costs less than the page and a pass). When a build
  makes print.html with other formats, editions.xsl makes it from the one shared
  rendering by the pass in modules/print-pass.xsl, which does what the overrides below
  do; the page shell, the stylesheet and the shared decisions (p:is-long,
  p:reading-label, p:footnote, p:short) live in that module, included here, and a test
  holds the two outputs equal to the byte.

  Imports the core and overrides notes and page furniture only:
  - e:page: the page shell (p:print-page), print metadata (read by the engine for the
    PDF's title, author, subject, keywords, dates and language) and the print stylesheet;
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
  - e:footnotes: only the notes too long for the foot of a page;
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
  <!-- the page shell, the stylesheet and the decisions shared with the print pass -->
  <xsl:include href="modules/print-pass.xsl"/>

  <xsl:output method="xhtml" html-version="5" encoding="UTF-8" indent="no" omit-xml-declaration="yes" include-content-type="no"/>

  <xsl:template name="e:page">
    <xsl:call-template name="p:print-page"/>
  </xsl:template>

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
            <xsl:call-template name="e:mark"><xsl:with-param name="text" select="' [' || $info('label') || ': '"/></xsl:call-template>
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
            <a class="noteref noteref-long" href="#{$info('id')}" id="{$info('call')}"><sup><xsl:value-of select="$info('label')"/></sup></a>
          </xsl:when>
          <xsl:otherwise>
            <xsl:call-template name="p:footnote">
              <xsl:with-param name="id" select="$info('id')"/>
              <xsl:with-param name="class" select="string($rendered/@class)"/>
              <xsl:with-param name="label" select="$info('label')"/>
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

  <!-- The notes section holds only the long notes (as the print pass's). -->
  <xsl:template name="e:footnotes">
    <xsl:param name="doc" as="element()" select="."/>
    <xsl:call-template name="p:long-notes"><xsl:with-param name="doc" select="$doc"/></xsl:call-template>
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

</xsl:stylesheet>
