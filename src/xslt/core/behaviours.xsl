<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio core: the classifier.

  Every TEI element is classified into one behaviour, named after the TEI Processing
  Model's model/@behaviour values (alternate, anchor, block, body, break, cell, cit,
  document, figure, glyph, graphic, heading, index, inline, link, list, listItem,
  metadata, note, omit, paragraph, row, section, table, text, title), plus editio's own
  where none fits: gap, verse-line, speech, apparatus, code, formula.

  The data lives in one map per TEI module ($e:map-core, $e:map-textstructure, …, each
  declared in its module's stylesheet); a format layer may add or change entries by
  overriding $e:map-overrides. The map value "contextual" means: block when the parent
  is a flow container (div, body, sp, note, item, …), inline otherwise.

  Rendering: the generic template for tei:* asks e:behaviour() and calls the one named
  template for that behaviour (render.xsl). Module stylesheets only add templates where
  an element needs more than its behaviour's default.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio"
  exclude-result-prefixes="#all">

  <!-- A format layer overrides this to re-classify elements (e.g. map{'fw':'block'}). -->
  <xsl:variable name="e:map-overrides" as="map(xs:string, xs:string)" select="map{}"/>

  <xsl:variable name="e:behaviour-map" as="map(xs:string, xs:string)" select="map:merge((
      $e:map-core, $e:map-textstructure, $e:map-transcr, $e:map-namesdates, $e:map-verse,
      $e:map-drama, $e:map-figures, $e:map-textcrit, $e:map-linking, $e:map-header,
      $e:map-overrides), map{'duplicates': 'use-last'})"/>

  <!-- Parents whose content model is flow (HTML block context). -->
  <xsl:variable name="e:flow-containers" as="xs:string*" select="(
      'div', 'div1', 'div2', 'div3', 'div4', 'div5', 'div6', 'div7', 'body', 'front', 'back', 'text',
      'group', 'titlePage', 'opener', 'closer', 'argument', 'epigraph', 'trailer', 'postscript',
      'floatingText', 'sp', 'spGrp', 'figure', 'note', 'item', 'cell', 'listBibl', 'standOff',
      'sourceDoc', 'surface', 'surfaceGrp', 'zone', 'lg', 'TEI', 'teiCorpus', 'castList', 'person',
      'place', 'org', 'event', 'witness')"/>

  <!-- Behaviours that render as HTML flow (block) content. -->
  <xsl:variable name="e:block-behaviours" as="xs:string*" select="(
      'document', 'text', 'body', 'section', 'heading', 'paragraph', 'block', 'list', 'listItem',
      'table', 'row', 'cell', 'figure', 'verse-line', 'speech', 'code', 'metadata-block', 'cit-block')"/>

  <!-- The known-element test (unknown ones are reported once per name). -->
  <xsl:function name="e:is-known" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="map:contains($e:behaviour-map, local-name($el))"/>
  </xsl:function>

  <xsl:function name="e:flow-context" as="xs:boolean">
    <xsl:param name="parent" as="node()?"/>
    <xsl:sequence select="
      if (not($parent instance of element())) then true()
      else if (local-name($parent) = $e:flow-containers) then true()
      else if (local-name($parent) = ('quote', 'cit', 'said', 'q') and namespace-uri($parent) = 'http://www.tei-c.org/ns/1.0')
        then (local-name($parent/..) = $e:flow-containers or e:has-block($parent))
      else false()"/>
  </xsl:function>

  <!-- The behaviour of a TEI element. -->
  <xsl:function name="e:behaviour" as="xs:string">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="n" select="local-name($el)"/>
    <xsl:variable name="b" select="$e:behaviour-map($n)"/>
    <xsl:sequence select="
      if (empty($b)) then 'inline'
      else if ($n = 'head') then
        (if (local-name($el/..) = ('div', 'div1', 'div2', 'div3', 'div4', 'div5', 'div6', 'div7', 'body', 'front', 'back', 'group', 'text', 'floatingText')) then 'heading'
         else if (e:flow-context($el/..)) then 'block' else 'inline')
      else if ($n = 'note' and not($el/ancestor::tei:text)) then
        (if (e:flow-context($el/..)) then 'block' else 'inline')
      else if ($b = 'contextual') then (if (e:flow-context($el/..)) then 'block' else 'inline')
      else if ($b = 'cit') then (if (e:flow-context($el/..) or e:has-block($el)) then 'cit-block' else 'cit')
      else $b"/>
  </xsl:function>

  <!-- Elements that always render as HTML flow (block) content. Contextual elements
       (bibl, stage, label…) are block only inside a flow container, and every flow
       container but note is in this set, so the set decides e:has-block alone. -->
  <xsl:variable name="e:block-names" as="map(xs:string, xs:boolean)" select="map:merge((
      ('p', 'ab', 'div', 'div1', 'div2', 'div3', 'div4', 'div5', 'div6', 'div7', 'lg', 'l', 'line', 'list',
       'listBibl', 'listPerson', 'listPlace', 'listOrg', 'listEvent', 'listWit', 'listObject', 'listNym',
       'listAnnotation', 'castList', 'castGroup', 'table', 'row', 'cell', 'figure', 'notatedMusic', 'sp',
       'spGrp', 'eg', 'titlePage', 'docTitle', 'opener', 'closer', 'argument', 'epigraph', 'trailer',
       'postscript', 'floatingText', 'group', 'text', 'body', 'front', 'back', 'item', 'castItem', 'person',
       'personGrp', 'place', 'org', 'event', 'witness', 'sourceDoc', 'surface', 'surfaceGrp', 'zone',
       'standOff', 'noteGrp', 'set', 'prologue', 'epilogue', 'performance') ! map{.: true()}))"/>

  <!-- True when rendering $n would put flow content (a div, list, table…) inside it.
       Notes do not count: their content goes to the notes section. -->
  <xsl:function name="e:has-block" as="xs:boolean">
    <xsl:param name="n" as="element()"/>
    <xsl:sequence select="exists($n/*) and (some $d in $n/descendant::*[
        if (namespace-uri() = 'http://www.tei-c.org/ns/1.0') then map:contains($e:block-names, local-name())
        else (local-name() = 'egXML' and namespace-uri() = 'http://www.tei-c.org/ns/Examples')]
      satisfies not($d/ancestor::tei:note[1][ancestor::*[. is $n]][e:is-footnote(.)]))"/>
  </xsl:function>

  <!-- ===== the generic template: classify, then render the behaviour ===== -->
  <xsl:template match="tei:*" priority="-1">
    <xsl:if test="not(map:contains($e:behaviour-map, local-name()))">
      <xsl:call-template name="e:diag">
        <xsl:with-param name="code" select="'xslt.unknown-element'"/>
        <xsl:with-param name="name" select="local-name()"/>
        <xsl:with-param name="message" select="'TEI element &lt;' || local-name() || '&gt; has no rendering of its own; its text is kept as inline content'"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:call-template name="e:dispatch">
      <xsl:with-param name="behaviour" select="e:behaviour(.)"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="e:dispatch">
    <xsl:param name="behaviour" as="xs:string"/>
    <xsl:choose>
      <xsl:when test="$behaviour = 'paragraph'"><xsl:call-template name="e:paragraph"/></xsl:when>
      <xsl:when test="$behaviour = ('block', 'metadata-block')"><xsl:call-template name="e:block"/></xsl:when>
      <xsl:when test="$behaviour = 'inline'"><xsl:call-template name="e:inline"/></xsl:when>
      <xsl:when test="$behaviour = 'section'"><xsl:call-template name="e:section"/></xsl:when>
      <xsl:when test="$behaviour = 'heading'"><xsl:call-template name="e:heading"/></xsl:when>
      <xsl:when test="$behaviour = ('body', 'text')"><xsl:call-template name="e:body"/></xsl:when>
      <xsl:when test="$behaviour = 'document'"><xsl:call-template name="e:document"/></xsl:when>
      <xsl:when test="$behaviour = 'list'"><xsl:call-template name="e:list"/></xsl:when>
      <xsl:when test="$behaviour = 'listItem'"><xsl:call-template name="e:listItem"/></xsl:when>
      <xsl:when test="$behaviour = 'table'"><xsl:call-template name="e:table"/></xsl:when>
      <xsl:when test="$behaviour = 'row'"><xsl:call-template name="e:row"/></xsl:when>
      <xsl:when test="$behaviour = 'cell'"><xsl:call-template name="e:cell"/></xsl:when>
      <xsl:when test="$behaviour = 'figure'"><xsl:call-template name="e:figure"/></xsl:when>
      <xsl:when test="$behaviour = 'graphic'"><xsl:call-template name="e:graphic"/></xsl:when>
      <xsl:when test="$behaviour = 'link'"><xsl:call-template name="e:link"/></xsl:when>
      <xsl:when test="$behaviour = 'note'"><xsl:call-template name="e:note"/></xsl:when>
      <xsl:when test="$behaviour = 'alternate'"><xsl:call-template name="e:alternate"/></xsl:when>
      <xsl:when test="$behaviour = 'break'"><xsl:call-template name="e:break"/></xsl:when>
      <xsl:when test="$behaviour = 'anchor'"><xsl:call-template name="e:anchor"/></xsl:when>
      <xsl:when test="$behaviour = 'glyph'"><xsl:call-template name="e:glyph"/></xsl:when>
      <xsl:when test="$behaviour = 'title'"><xsl:call-template name="e:title"/></xsl:when>
      <xsl:when test="$behaviour = ('cit', 'cit-block')"><xsl:call-template name="e:cit"/></xsl:when>
      <xsl:when test="$behaviour = 'verse-line'"><xsl:call-template name="e:verse-line"/></xsl:when>
      <xsl:when test="$behaviour = 'speech'"><xsl:call-template name="e:speech"/></xsl:when>
      <xsl:when test="$behaviour = 'gap'"><xsl:call-template name="e:gap"/></xsl:when>
      <xsl:when test="$behaviour = 'apparatus'"><xsl:call-template name="e:apparatus"/></xsl:when>
      <xsl:when test="$behaviour = 'code'"><xsl:call-template name="e:code"/></xsl:when>
      <xsl:when test="$behaviour = 'formula'"><xsl:call-template name="e:formula"/></xsl:when>
      <xsl:when test="$behaviour = ('omit', 'index')"><xsl:call-template name="e:omit"/></xsl:when>
      <xsl:when test="$behaviour = 'metadata'"><xsl:call-template name="e:metadata"/></xsl:when>
      <xsl:otherwise><xsl:call-template name="e:inline"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
