<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio, every format from one rendering: when a build makes two or more of the HTML
  reading edition, the EPUB and the print edition (or the archive, which packages all
  three), the writers share this one transform. It renders the reading edition's page
  once, with the core's marks, and then writes
  - with-html: the page as index.html, with the core's marks, which the writer drops
    from the serialised page (src/writers/shared.ts, dropMarks): then it is html.xsl's
    page, to the byte (a pass copying every node of the page to leave the marks out
    cost Whitman's transform of the three formats 3.2% of its instructions);
  - with-print: print.html, by the print pass (modules/print-pass.xsl), as print.xsl does;
  - with-epub: the book's documents and its JSON manifest (the principal result), as
    epub.xsl does (e:epub-book); without it the principal result is an empty map.
  Tests check that each output is the one its own stylesheet writes.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:e="urn:editio"
  xmlns:p="urn:editio:print"
  xmlns="http://www.w3.org/1999/xhtml"
  exclude-result-prefixes="#all">

  <xsl:import href="modules/epub-book.xsl"/>
  <xsl:include href="modules/print-pass.xsl"/>

  <xsl:param name="with-html" as="xs:boolean" select="false()"/>
  <xsl:param name="with-epub" as="xs:boolean" select="false()"/>
  <xsl:param name="with-print" as="xs:boolean" select="false()"/>

  <!-- the pages, as html.xsl and print.xsl write them -->
  <xsl:output name="page" method="xhtml" html-version="5" encoding="UTF-8" indent="no"
    omit-xml-declaration="yes" include-content-type="no"/>

  <xsl:template match="/" priority="20">
    <xsl:call-template name="e:report"/>
    <xsl:variable name="page" as="document-node()">
      <xsl:document><xsl:call-template name="e:page"/></xsl:document>
    </xsl:variable>
    <xsl:if test="$with-html">
      <xsl:result-document href="index.html" format="page">
        <xsl:sequence select="$page/node()"/>
      </xsl:result-document>
    </xsl:if>
    <xsl:if test="$with-print">
      <xsl:result-document href="print.html" format="page">
        <xsl:call-template name="p:print-page"><xsl:with-param name="page" select="$page"/></xsl:call-template>
      </xsl:result-document>
    </xsl:if>
    <xsl:choose>
      <xsl:when test="$with-epub">
        <xsl:call-template name="e:epub-book"><xsl:with-param name="page" select="$page"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="map{}"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
