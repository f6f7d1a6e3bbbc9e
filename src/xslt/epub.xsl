<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio EPUB 3 layer, for a build whose only rendered format is the EPUB: TEI → the
  book's XHTML content documents and its JSON manifest (the principal result), which
  src/writers/epub.ts packages. The book is modules/epub-book.xsl's; editions.xsl makes
  the same book, to the byte, from the page it shares with other formats.

  Here no page is rendered: each content document is rendered straight from the TEI, and
  the core's hooks give the EPUB's form at once (what epub-book.xsl's pass over a page
  does there): epub:type on note calls, back-links and note entries, epub:type and role
  on divisions whose @type says what they are, page breaks and graphics in the EPUB's
  form, and no table of contents in the text (the navigation document has it).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio"
  xmlns:epub="http://www.idpf.org/2007/ops"
  xmlns="http://www.w3.org/1999/xhtml"
  exclude-result-prefixes="#all">

  <xsl:import href="modules/epub-book.xsl"/>

  <!-- no page, so no marks for a pass -->
  <xsl:variable name="e:mark-sources" as="xs:boolean" select="false()"/>
  <xsl:variable name="e:format-attrs" as="xs:boolean" select="true()"/>

  <xsl:template match="/" priority="10">
    <xsl:call-template name="e:report"/>
    <xsl:call-template name="e:epub-book"/>
  </xsl:template>

  <!-- epub:type (and a division's role) where the pass would add them. (A section is
       always a division's: e:section renders divisions alone; one without @type has no
       semantics.) -->
  <xsl:template name="e:noteref-attrs"><xsl:attribute name="epub:type" select="'noteref'"/></xsl:template>
  <xsl:template name="e:backlink-attrs"><xsl:attribute name="epub:type" select="'backlink'"/></xsl:template>
  <xsl:template name="e:endnote-attrs"><xsl:attribute name="epub:type" select="'endnote'"/></xsl:template>
  <xsl:template name="e:section-attrs">
    <xsl:if test="@type"><xsl:call-template name="e:section-semantics"/></xsl:if>
  </xsl:template>

  <xsl:template name="e:page-break">
    <xsl:call-template name="e:epub-page-break"/>
  </xsl:template>

  <!-- a graphic, the EPUB's way (with its description); media as the core renders it,
       without the description -->
  <xsl:template name="e:graphic">
    <xsl:choose>
      <xsl:when test="self::tei:graphic"><xsl:call-template name="e:epub-graphic"/></xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="e:graphic-core"><xsl:with-param name="with-desc" select="false()"/></xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- the contents are the navigation document's -->
  <xsl:template name="e:toc"/>
</xsl:stylesheet>
