<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio core, TEI module "drama": speeches (own behaviour "speech"), speakers, stage
  directions (block between speeches, inline inside a line), cast lists.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio"
  xmlns="http://www.w3.org/1999/xhtml"
  exclude-result-prefixes="#all">

  <xsl:variable name="e:map-drama" static="yes" as="map(xs:string, xs:string)" select="map{
    'sp': 'speech', 'spGrp': 'block', 'speaker': 'contextual', 'stage': 'contextual',
    'move': 'omit', 'castList': 'list', 'castGroup': 'list', 'castItem': 'listItem',
    'role': 'inline', 'roleDesc': 'inline', 'actor': 'inline', 'set': 'block',
    'camera': 'contextual', 'sound': 'contextual', 'tech': 'contextual', 'view': 'contextual',
    'caption': 'contextual', 'prologue': 'block', 'epilogue': 'block', 'performance': 'block'}"/>

  <xsl:template name="e:speech">
    <div role="group">
      <xsl:call-template name="e:attrs"/>
      <xsl:if test="normalize-space(@who) != ''">
        <xsl:attribute name="data-who" select="normalize-space(@who)"/>
      </xsl:if>
      <xsl:apply-templates/>
    </div>
  </xsl:template>

</xsl:stylesheet>
