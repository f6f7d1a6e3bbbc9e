<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio core, TEI module "transcr": supplied, subst, damage, space, surplus, restore,
  handShift, g (glyphs resolved through charDecl), mod, retrace, metamark, fw, and the
  sourceDoc/surface/zone/line transcription used when a document has no text.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio"
  xmlns="http://www.w3.org/1999/xhtml"
  exclude-result-prefixes="#all">

  <xsl:variable name="e:map-transcr" static="yes" as="map(xs:string, xs:string)" select="map{
    'supplied': 'inline', 'subst': 'inline', 'damage': 'inline', 'damageSpan': 'anchor',
    'space': 'gap', 'surplus': 'inline', 'restore': 'inline', 'handShift': 'break',
    'g': 'glyph', 'mod': 'inline', 'retrace': 'inline', 'metamark': 'inline', 'am': 'inline',
    'ex': 'inline', 'secl': 'inline', 'undo': 'inline', 'redo': 'inline', 'fw': 'omit',
    'addSpan': 'anchor', 'delSpan': 'anchor', 'handNotes': 'metadata', 'listTranspose': 'omit',
    'sourceDoc': 'block', 'surfaceGrp': 'block', 'surface': 'block', 'zone': 'block', 'line': 'verse-line',
    'path': 'omit', 'transpose': 'omit', 'substJoin': 'omit'}"/>

  <!-- supplied: text the editor provides, in brackets ([ ] lost, ⟨ ⟩ omitted by the scribe). -->
  <xsl:template match="tei:supplied">
    <xsl:variable name="omitted" select="@reason = ('omitted', 'omission')"/>
    <xsl:call-template name="e:inline">
      <xsl:with-param name="class" select="'editorial'"/>
      <xsl:with-param name="extra-attrs" as="attribute()*">
        <xsl:attribute name="title" select="string-join((e:label('supplied'), normalize-space(@reason)[. != '']), ': ')"/>
      </xsl:with-param>
      <xsl:with-param name="content" as="item()*">
        <xsl:call-template name="e:mark"><xsl:with-param name="text" select="if ($omitted) then '⟨' else '['"/></xsl:call-template>
        <xsl:apply-templates/>
        <xsl:call-template name="e:mark"><xsl:with-param name="text" select="if ($omitted) then '⟩' else ']'"/></xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- surplus: text the editor judges superfluous, in braces. -->
  <xsl:template match="tei:surplus | tei:secl">
    <xsl:call-template name="e:inline">
      <xsl:with-param name="class" select="'editorial'"/>
      <xsl:with-param name="extra-attrs" as="attribute()*">
        <xsl:attribute name="title" select="e:label('surplus')"/>
      </xsl:with-param>
      <xsl:with-param name="content" as="item()*">
        <xsl:call-template name="e:mark"><xsl:with-param name="text" select="'{'"/></xsl:call-template>
        <xsl:apply-templates/>
        <xsl:call-template name="e:mark"><xsl:with-param name="text" select="'}'"/></xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:damage | tei:restore">
    <xsl:call-template name="e:inline">
      <xsl:with-param name="class" select="'editorial-flag'"/>
      <xsl:with-param name="extra-attrs" as="attribute()*">
        <xsl:attribute name="title" select="string-join((local-name(), normalize-space(@agent)[. != ''], normalize-space(@type)[. != '']), ': ')"/>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- space: a blank left in the source, described by the editor. -->
  <xsl:template match="tei:space">
    <xsl:variable name="qty" select="normalize-space(@quantity)"/>
    <xsl:variable name="unit" select="if ($qty != '') then normalize-space(@unit) else ''"/>
    <xsl:variable name="extent" select="string-join((normalize-space(@extent)[. != ''], string-join(($qty[. != ''], $unit[. != '']), ' ')[. != '']), ', ')"/>
    <span>
      <xsl:call-template name="e:attrs"><xsl:with-param name="class" select="'editorial'"/></xsl:call-template>
      <xsl:value-of select="'[' || e:label('space') || (if ($extent != '') then ': ' || $extent else '') || ']'"/>
    </span>
  </xsl:template>

  <!-- handShift: a visible editorial marker. -->
  <xsl:template match="tei:handShift">
    <span>
      <xsl:call-template name="e:attrs"><xsl:with-param name="class" select="'editorial'"/></xsl:call-template>
      <xsl:value-of select="'[' || e:label('new-hand') || (if (normalize-space(@new) != '') then ': ' || replace(normalize-space(@new), '^#', '') else '') || ']'"/>
    </span>
  </xsl:template>

  <!-- g: a glyph; its content, else the charDecl mapping, else its name. -->
  <xsl:template name="e:glyph">
    <xsl:variable name="decl" select="if (starts-with(normalize-space(@ref), '#')) then e:by-id(., substring(normalize-space(@ref), 2)) else ()"/>
    <xsl:variable name="mapped" select="($decl/tei:mapping[@type = ('standard', 'normalized', 'normalised')], $decl/tei:mapping)[1]"/>
    <xsl:call-template name="e:inline">
      <xsl:with-param name="content" as="item()*">
        <xsl:choose>
          <xsl:when test="normalize-space(.) != '' or *"><xsl:apply-templates/></xsl:when>
          <xsl:when test="exists($mapped)"><xsl:value-of select="$mapped"/></xsl:when>
          <xsl:otherwise>
            <xsl:call-template name="e:mark">
              <xsl:with-param name="text" select="'[' || e:label('glyph') || (if (exists($decl)) then ': ' || e:plain(($decl/tei:charName, $decl/tei:glyphName, $decl/@xml:id)[1]) else '') || ']'"/>
            </xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>
</xsl:stylesheet>
