<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio core, TEI module "linking" (and standOff): seg/anchor live in core.xsl;
  link groups and alignment are metadata. standOff renders its lists of persons, places,
  organisations and bibliography after the text; its other contents are metadata.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio"
  xmlns="http://www.w3.org/1999/xhtml"
  exclude-result-prefixes="#all">

  <xsl:variable name="e:map-linking" static="yes" as="map(xs:string, xs:string)" select="map{
    'standOff': 'block', 'link': 'omit', 'linkGrp': 'omit', 'join': 'omit', 'joinGrp': 'omit',
    'alt': 'omit', 'altGrp': 'omit', 'timeline': 'omit', 'when': 'omit',
    'listAnnotation': 'list', 'annotation': 'listItem'}"/>

  <xsl:template match="tei:standOff">
    <xsl:variable name="lists" select="tei:listPerson | tei:listPlace | tei:listOrg | tei:listBibl | tei:listAnnotation | tei:listEvent"/>
    <xsl:if test="exists($lists)">
      <section>
        <xsl:call-template name="e:attrs"/>
        <xsl:apply-templates select="$lists"/>
      </section>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
