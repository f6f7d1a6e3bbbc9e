<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio core, TEI module "textcrit": the critical apparatus (own behaviour "apparatus").
  The lemma (or, without one, the first reading) stands in the text with a call; the
  entry in the apparatus series of the notes repeats the lemma and gives every reading
  with its witnesses ("om." for an empty reading).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio"
  xmlns="http://www.w3.org/1999/xhtml"
  exclude-result-prefixes="#all">

  <xsl:variable name="e:map-textcrit" static="yes" as="map(xs:string, xs:string)" select="map{
    'app': 'apparatus', 'lem': 'inline', 'rdg': 'inline', 'rdgGrp': 'inline', 'wit': 'inline',
    'witDetail': 'inline', 'listWit': 'list', 'witness': 'listItem', 'lacunaStart': 'anchor',
    'lacunaEnd': 'anchor', 'witStart': 'anchor', 'witEnd': 'anchor', 'variantEncoding': 'metadata'}"/>

  <xsl:function name="e:app-base" as="element()?">
    <xsl:param name="app" as="element()"/>
    <xsl:sequence select="($app/tei:lem, $app/descendant::tei:lem, $app/descendant::tei:rdg)[1]"/>
  </xsl:function>

  <!-- Witness sigla of a reading: the witness's @n, else its id. -->
  <xsl:function name="e:sigla" as="xs:string*">
    <xsl:param name="r" as="element()"/>
    <xsl:sequence select="for $w in tokenize(normalize-space(string-join(($r/@wit, $r/@source), ' ')), ' ')
      return (e:by-id($r, replace($w, '^#', ''))/normalize-space(@n)[. != ''], replace($w, '^#', ''))[1]"/>
  </xsl:function>

  <xsl:template name="e:apparatus">
    <xsl:variable name="base" select="e:app-base(.)"/>
    <xsl:call-template name="e:inline">
      <xsl:with-param name="content" as="item()*">
        <xsl:for-each select="$base">
          <xsl:call-template name="e:inline"/>
        </xsl:for-each>
        <xsl:if test="ancestor::tei:text">
          <xsl:call-template name="e:note-call"/>
        </xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:app" mode="e:footnote">
    <xsl:variable name="base" select="e:app-base(.)"/>
    <xsl:variable name="info" select="e:note-info(.)"/>
    <li id="{$info('id')}">
      <xsl:if test="$e:format-attrs"><xsl:call-template name="e:endnote-attrs"/></xsl:if>
      <xsl:attribute name="class" select="'footnote note-apparatus'"/>
      <xsl:call-template name="e:backlink"/>
      <xsl:text> </xsl:text>
      <xsl:if test="$base/self::tei:lem">
        <!-- a reading that holds flow content (a floatingText, a block quotation) is a div -->
        <xsl:element name="{if (e:has-block($base)) then 'div' else 'span'}" namespace="http://www.w3.org/1999/xhtml">
          <xsl:attribute name="class" select="'app-lemma'"/>
          <xsl:apply-templates select="$base/node()">
            <xsl:with-param name="e:secondary" select="true()" tunnel="yes"/>
          </xsl:apply-templates>
        </xsl:element>
        <xsl:call-template name="e:wit"><xsl:with-param name="r" select="$base"/></xsl:call-template>
        <xsl:call-template name="e:mark"><xsl:with-param name="text" select="'] '"/></xsl:call-template>
      </xsl:if>
      <xsl:for-each select="descendant::tei:rdg[ancestor::tei:app[1] is current()]">
        <xsl:if test="position() gt 1"><xsl:call-template name="e:mark"><xsl:with-param name="text" select="'; '"/></xsl:call-template></xsl:if>
        <xsl:element name="{if (e:has-block(.)) then 'div' else 'span'}" namespace="http://www.w3.org/1999/xhtml">
          <!-- The reading that stands in the text already carries its id there. -->
          <xsl:call-template name="e:attrs"><xsl:with-param name="with-id" select="not(. is $base)"/></xsl:call-template>
          <xsl:choose>
            <xsl:when test="normalize-space(.) = '' and not(*)">
              <xsl:call-template name="e:mark"><xsl:with-param name="text" select="e:label('omitted')"/></xsl:call-template>
            </xsl:when>
            <xsl:otherwise>
              <xsl:apply-templates>
                <xsl:with-param name="e:secondary" select=". is $base" tunnel="yes"/>
              </xsl:apply-templates>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:element>
        <xsl:call-template name="e:wit"><xsl:with-param name="r" select="."/></xsl:call-template>
      </xsl:for-each>
      <xsl:for-each select="tei:note | tei:witDetail | tei:wit">
        <xsl:text> </xsl:text>
        <span class="app-comment"><xsl:apply-templates/></span>
      </xsl:for-each>
    </li>
  </xsl:template>

  <xsl:template name="e:wit">
    <xsl:param name="r" as="element()"/>
    <xsl:variable name="s" select="e:sigla($r)"/>
    <xsl:if test="exists($s)">
      <xsl:text> </xsl:text>
      <span class="app-wit editorial"><xsl:value-of select="string-join($s, ' ')"/></span>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
