<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio core, TEI module "verse": line groups and lines (own behaviour "verse-line":
  one line per block, its number kept as data for the layers to show).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio"
  xmlns="http://www.w3.org/1999/xhtml"
  exclude-result-prefixes="#all">

  <xsl:variable name="e:map-verse" static="yes" as="map(xs:string, xs:string)" select="map{
    'lg': 'block', 'l': 'verse-line', 'caesura': 'break', 'rhyme': 'inline', 'metDecl': 'metadata',
    'metSym': 'metadata'}"/>

  <xsl:template name="e:verse-line">
    <div>
      <xsl:call-template name="e:attrs"/>
      <xsl:if test="@part = ('M', 'F')"><xsl:attribute name="data-part" select="@part"/></xsl:if>
      <xsl:apply-templates/>
    </div>
  </xsl:template>

  <xsl:template match="tei:caesura">
    <span class="tei-caesura"><xsl:text> </xsl:text></span>
  </xsl:template>
</xsl:stylesheet>
