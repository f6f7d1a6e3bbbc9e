<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio metadata record: the teiHeader as one JSON object (the core's e:metadata map),
  for the TypeScript side (src/metadata/index.ts: EPUB, archive and report writers).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:e="urn:editio"
  exclude-result-prefixes="#all">

  <xsl:import href="core/editio-core.xsl"/>

  <xsl:output method="json" indent="no"/>

  <xsl:template match="/" priority="10">
    <xsl:sequence select="e:metadata(/*)"/>
  </xsl:template>
</xsl:stylesheet>
