<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio core, TEI module "figures": figure (with head and figDesc as its caption),
  table/row/cell, formula (MathML kept as MathML, in its namespace, via foreign.xsl).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio"
  xmlns="http://www.w3.org/1999/xhtml"
  exclude-result-prefixes="#all">

  <xsl:variable name="e:map-figures" static="yes" as="map(xs:string, xs:string)" select="map{
    'figure': 'figure', 'figDesc': 'inline', 'table': 'table', 'row': 'row', 'cell': 'cell',
    'formula': 'formula', 'notatedMusic': 'figure'}"/>

  <!-- figure: <figure> with the graphic(s) and content, head + figDesc as figcaption. -->
  <xsl:template name="e:figure">
    <figure>
      <xsl:call-template name="e:attrs"/>
      <xsl:apply-templates select="node() except (tei:head | tei:figDesc)"/>
      <xsl:if test="tei:head or tei:figDesc">
        <figcaption>
          <xsl:for-each select="tei:head">
            <span><xsl:call-template name="e:attrs"/><xsl:apply-templates/></span>
            <xsl:text> </xsl:text>
          </xsl:for-each>
          <xsl:for-each select="tei:figDesc">
            <span><xsl:call-template name="e:attrs"/><xsl:apply-templates/></span>
          </xsl:for-each>
        </figcaption>
      </xsl:if>
    </figure>
  </xsl:template>

  <!-- table: head(s) as caption, rows in a tbody; stray children in a full-width row. -->
  <xsl:template name="e:table">
    <table>
      <xsl:call-template name="e:attrs"/>
      <xsl:if test="tei:head">
        <caption>
          <xsl:for-each select="tei:head">
            <span><xsl:call-template name="e:attrs"/><xsl:apply-templates/></span>
          </xsl:for-each>
        </caption>
      </xsl:if>
      <tbody>
        <xsl:for-each select="node() except tei:head">
          <xsl:choose>
            <xsl:when test="self::tei:row"><xsl:apply-templates select="."/></xsl:when>
            <xsl:when test="self::text()[normalize-space() = '']"/>
            <xsl:when test="self::tei:cell">
              <tr class="interstitial"><xsl:apply-templates select="."/></tr>
            </xsl:when>
            <xsl:when test="self::element() or self::text()">
              <tr class="interstitial"><td><xsl:apply-templates select="."/></td></tr>
            </xsl:when>
          </xsl:choose>
        </xsl:for-each>
      </tbody>
    </table>
  </xsl:template>

  <xsl:template name="e:row">
    <xsl:choose>
      <xsl:when test="../self::tei:table">
        <tr>
          <xsl:call-template name="e:attrs"/>
          <xsl:for-each select="node()">
            <xsl:choose>
              <xsl:when test="self::tei:cell"><xsl:apply-templates select="."/></xsl:when>
              <xsl:when test="self::text()[normalize-space() = '']"/>
              <xsl:when test="self::element() or self::text()">
                <td class="interstitial"><xsl:apply-templates select="."/></td>
              </xsl:when>
            </xsl:choose>
          </xsl:for-each>
        </tr>
      </xsl:when>
      <xsl:otherwise><xsl:call-template name="e:block"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="e:cell">
    <xsl:choose>
      <xsl:when test="../self::tei:row[../self::tei:table] or ../self::tei:table">
        <xsl:element name="{if (@role = 'label' or ../@role = 'label') then 'th' else 'td'}" namespace="http://www.w3.org/1999/xhtml">
          <xsl:call-template name="e:attrs"/>
          <xsl:if test="matches(@cols, '^\s*[1-9][0-9]{0,2}\s*$')"><xsl:attribute name="colspan" select="normalize-space(@cols)"/></xsl:if>
          <xsl:if test="matches(@rows, '^\s*[1-9][0-9]{0,2}\s*$')"><xsl:attribute name="rowspan" select="normalize-space(@rows)"/></xsl:if>
          <xsl:apply-templates/>
        </xsl:element>
      </xsl:when>
      <xsl:otherwise><xsl:call-template name="e:block"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- formula: MathML/SVG children pass through the whitelist; text notations stay text. -->
  <xsl:template name="e:formula">
    <xsl:call-template name="e:inline">
      <xsl:with-param name="tag" select="if (e:flow-context(..)) then 'div' else 'span'"/>
      <xsl:with-param name="extra-attrs" as="attribute()*">
        <xsl:if test="matches(@notation, '^[A-Za-z][A-Za-z0-9_.\-]{0,30}$')">
          <xsl:attribute name="data-notation" select="@notation"/>
        </xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>
</xsl:stylesheet>
