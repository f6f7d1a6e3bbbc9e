<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio core: the classifier.

  Every TEI element is classified into one behaviour, named after the TEI Processing
  Model's model/@behaviour values (alternate, anchor, block, body, break, cell, cit,
  document, figure, glyph, graphic, heading, index, inline, link, list, listItem,
  metadata, note, omit, paragraph, row, section, table, text, title), plus editio's own
  where none fits: gap, verse-line, speech, apparatus, code, formula.

  The data lives in one static map per TEI module ($e:map-core, $e:map-textstructure, …,
  each declared in its module's stylesheet). The map value "contextual" means: block
  when the parent is a flow container (div, body, sp, note, item, …), inline otherwise.

  Rendering: the maps are turned, at compile time, into one template rule per behaviour
  whose match pattern lists that behaviour's element names (shadow attributes over the
  static maps). saxon-js indexes template rules by element name, so classifying an
  element costs one rule look-up: measured on a 3.5 MB document, this is about twice as
  fast as calling a classifier function and choosing among the behaviours at run time.
  Elements whose behaviour depends on their context (head, contextual ones, cit, note
  outside the text) and unknown elements go through e:behaviour() and e:dispatch.
  Module stylesheets add templates (priority 0 and up) where an element needs more than
  its behaviour's default; a format layer overrides templates by import precedence.

  This file is included after the module stylesheets: a static variable can only use
  static variables declared before it.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio"
  exclude-result-prefixes="#all">

  <xsl:variable name="e:behaviour-map" static="yes" as="map(xs:string, xs:string)" select="map:merge((
      $e:map-core, $e:map-textstructure, $e:map-transcr, $e:map-namesdates, $e:map-verse,
      $e:map-drama, $e:map-figures, $e:map-textcrit, $e:map-linking, $e:map-header),
      map{'duplicates': 'use-last'})"/>

  <!-- Elements whose behaviour is decided at run time, from their context. -->
  <xsl:variable name="e:contextual-names" static="yes" as="xs:string*" select="
      ('head', 'note', map:keys($e:behaviour-map)[$e:behaviour-map(.) = ('contextual', 'cit')])"/>

  <!-- Behaviour → the match pattern of its template rule ("tei:ab | tei:p"), for the
       context-free elements; "tei:*[false()]" (matching nothing) for a behaviour that
       only context-dependent elements have. Sorted, so that the output is deterministic. -->
  <xsl:variable name="e:patterns" static="yes" as="map(xs:string, xs:string)" select="
      map:merge(('paragraph', 'block', 'metadata-block', 'inline', 'section', 'heading', 'body', 'text',
        'document', 'list', 'listItem', 'table', 'row', 'cell', 'figure', 'graphic', 'link', 'alternate',
        'break', 'anchor', 'glyph', 'title', 'verse-line', 'speech', 'gap', 'apparatus', 'code', 'formula',
        'omit', 'index', 'metadata') ! (let $b := . return map{$b:
        (string-join(sort(map:keys($e:behaviour-map)[$e:behaviour-map(.) = $b][not(. = $e:contextual-names)])
          ! ('tei:' || .), ' | ')[. != ''], 'tei:*[false()]')[1]}))"/>

  <!-- Parents whose content model is flow (HTML block context). -->
  <xsl:variable name="e:flow-containers" as="map(xs:string, xs:boolean)" select="map:merge((
      $e:division-names, 'body', 'front', 'back', 'text',
      'group', 'titlePage', 'opener', 'closer', 'argument', 'epigraph', 'trailer', 'postscript',
      'floatingText', 'sp', 'spGrp', 'figure', 'note', 'item', 'cell', 'listBibl', 'standOff',
      'sourceDoc', 'surface', 'surfaceGrp', 'zone', 'lg', 'TEI', 'teiCorpus', 'castList', 'person',
      'place', 'org', 'event', 'witness') ! map{.: true()})"/>

  <!-- The known-element test (unknown ones are reported once per name). -->
  <xsl:function name="e:is-known" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="map:contains($e:behaviour-map, local-name($el))"/>
  </xsl:function>

  <xsl:function name="e:flow-context" as="xs:boolean">
    <xsl:param name="parent"/>
    <xsl:sequence select="
      if (not($parent instance of element())) then true()
      else if (map:contains($e:flow-containers, local-name($parent))) then true()
      else if (local-name($parent) = ('quote', 'cit', 'said', 'q') and namespace-uri($parent) = 'http://www.tei-c.org/ns/1.0')
        then (map:contains($e:flow-containers, local-name($parent ! ..)) or e:has-block($parent))
      else false()"/>
  </xsl:function>

  <!-- Parents in which a head is a heading (elsewhere it is a block or inline label). -->
  <xsl:variable name="e:heading-parents" as="xs:string*" select="
      ($e:division-names, 'body', 'front', 'back', 'group', 'text', 'floatingText')"/>

  <!-- The behaviour of a TEI element. -->
  <xsl:function name="e:behaviour" as="xs:string">
    <xsl:param name="el"/>
    <xsl:variable name="n" select="local-name($el)"/>
    <xsl:variable name="b" select="$e:behaviour-map($n)"/>
    <xsl:sequence select="
      if (empty($b)) then 'inline'
      else if ($n eq 'head') then
        (if (local-name($el ! ..) = $e:heading-parents) then 'heading'
         else if (e:flow-context($el ! ..)) then 'block' else 'inline')
      else if ($n eq 'note' and empty($el ! ancestor::tei:text)) then
        (if (e:flow-context($el ! ..)) then 'block' else 'inline')
      else if ($b eq 'contextual') then (if (e:flow-context($el ! ..)) then 'block' else 'inline')
      else if ($b eq 'cit') then (if (e:flow-context($el ! ..) or e:has-block($el)) then 'cit-block' else 'cit')
      else $b"/>
  </xsl:function>

  <!-- Elements that always render as HTML flow (block) content. Contextual elements
       (bibl, stage, label…) are block only inside a flow container, and every flow
       container but note is in this set, so the set decides e:has-block alone. -->
  <xsl:variable name="e:block-names" as="map(xs:string, xs:boolean)" select="map:merge((
      ('p', 'ab', $e:division-names, 'lg', 'l', 'line', 'list',
       'listBibl', 'listPerson', 'listPlace', 'listOrg', 'listEvent', 'listWit', 'listObject', 'listNym',
       'listAnnotation', 'castList', 'castGroup', 'table', 'row', 'cell', 'figure', 'notatedMusic', 'sp',
       'spGrp', 'eg', 'titlePage', 'docTitle', 'opener', 'closer', 'argument', 'epigraph', 'trailer',
       'postscript', 'floatingText', 'group', 'text', 'body', 'front', 'back', 'item', 'castItem', 'person',
       'personGrp', 'place', 'org', 'event', 'witness', 'sourceDoc', 'surface', 'surfaceGrp', 'zone',
       'standOff', 'noteGrp', 'set', 'prologue', 'epilogue', 'performance') ! map{.: true()}))"/>

  <!-- Every local name e:is-block-element can accept: $e:block-names, and egXML (from the
       Examples namespace). A name outside it is never a block, whatever its namespace: a
       map look-up rules an element out without a function call. -->
  <xsl:variable name="e:block-local-names" as="map(xs:string, xs:boolean)"
    select="map:put($e:block-names, 'egXML', true())"/>

  <xsl:function name="e:is-block-element" as="xs:boolean">
    <xsl:param name="d"/>
    <xsl:sequence select="if (namespace-uri($d) = 'http://www.tei-c.org/ns/1.0') then map:contains($e:block-names, local-name($d))
      else (local-name($d) = 'egXML' and namespace-uri($d) = 'http://www.tei-c.org/ns/Examples')"/>
  </xsl:function>

  <!-- True when rendering $n would put flow content (a div, list, table…) inside it.
       The blocks inside a footnote within $n do not count: they go to the notes section.
       (A search of the descendants. Tried and measured slower on a 3.5 MB document: an
       accumulator counting blocks in document order; saxon-js's accumulators cost more
       than the searches they save.) -->
  <xsl:function name="e:has-block" as="xs:boolean">
    <xsl:param name="n"/>
    <!-- the name test first: it rules out nearly every descendant without a function call -->
    <xsl:sequence select="exists($n ! *) and (some $d in $n ! descendant::*
        [map:contains($e:block-local-names, local-name())][e:is-block-element(.)]
      satisfies not($d ! ancestor::tei:note[1][ancestor::*[. is $n]][e:is-footnote(.)]))"/>
  </xsl:function>

  <!-- ===== one template rule per behaviour, for the context-free elements ===== -->
  <xsl:template _match="{$e:patterns('paragraph')}" priority="-0.5"><xsl:call-template name="e:paragraph"/></xsl:template>
  <xsl:template _match="{$e:patterns('block')} | {$e:patterns('metadata-block')}" priority="-0.5"><xsl:call-template name="e:block"/></xsl:template>
  <xsl:template _match="{$e:patterns('inline')}" priority="-0.5"><xsl:call-template name="e:inline"/></xsl:template>
  <xsl:template _match="{$e:patterns('section')}" priority="-0.5"><xsl:call-template name="e:section"/></xsl:template>
  <xsl:template _match="{$e:patterns('heading')}" priority="-0.5"><xsl:call-template name="e:heading"/></xsl:template>
  <xsl:template _match="{$e:patterns('body')} | {$e:patterns('text')}" priority="-0.5"><xsl:call-template name="e:body"/></xsl:template>
  <xsl:template _match="{$e:patterns('document')}" priority="-0.5"><xsl:call-template name="e:document"/></xsl:template>
  <xsl:template _match="{$e:patterns('list')}" priority="-0.5"><xsl:call-template name="e:list"/></xsl:template>
  <xsl:template _match="{$e:patterns('listItem')}" priority="-0.5"><xsl:call-template name="e:listItem"/></xsl:template>
  <xsl:template _match="{$e:patterns('table')}" priority="-0.5"><xsl:call-template name="e:table"/></xsl:template>
  <xsl:template _match="{$e:patterns('row')}" priority="-0.5"><xsl:call-template name="e:row"/></xsl:template>
  <xsl:template _match="{$e:patterns('cell')}" priority="-0.5"><xsl:call-template name="e:cell"/></xsl:template>
  <xsl:template _match="{$e:patterns('figure')}" priority="-0.5"><xsl:call-template name="e:figure"/></xsl:template>
  <xsl:template _match="{$e:patterns('graphic')}" priority="-0.5"><xsl:call-template name="e:graphic"/></xsl:template>
  <xsl:template _match="{$e:patterns('link')}" priority="-0.5"><xsl:call-template name="e:link"/></xsl:template>
  <xsl:template _match="{$e:patterns('alternate')}" priority="-0.5"><xsl:call-template name="e:alternate"/></xsl:template>
  <xsl:template _match="{$e:patterns('break')}" priority="-0.5"><xsl:call-template name="e:break"/></xsl:template>
  <xsl:template _match="{$e:patterns('anchor')}" priority="-0.5"><xsl:call-template name="e:anchor"/></xsl:template>
  <xsl:template _match="{$e:patterns('glyph')}" priority="-0.5"><xsl:call-template name="e:glyph"/></xsl:template>
  <xsl:template _match="{$e:patterns('title')}" priority="-0.5"><xsl:call-template name="e:title"/></xsl:template>
  <xsl:template _match="{$e:patterns('verse-line')}" priority="-0.5"><xsl:call-template name="e:verse-line"/></xsl:template>
  <xsl:template _match="{$e:patterns('speech')}" priority="-0.5"><xsl:call-template name="e:speech"/></xsl:template>
  <xsl:template _match="{$e:patterns('gap')}" priority="-0.5"><xsl:call-template name="e:gap"/></xsl:template>
  <xsl:template _match="{$e:patterns('apparatus')}" priority="-0.5"><xsl:call-template name="e:apparatus"/></xsl:template>
  <xsl:template _match="{$e:patterns('code')}" priority="-0.5"><xsl:call-template name="e:code"/></xsl:template>
  <xsl:template _match="{$e:patterns('formula')}" priority="-0.5"><xsl:call-template name="e:formula"/></xsl:template>
  <xsl:template _match="{$e:patterns('omit')} | {$e:patterns('index')}" priority="-0.5"><xsl:call-template name="e:omit"/></xsl:template>
  <xsl:template _match="{$e:patterns('metadata')}" priority="-0.5"><xsl:call-template name="e:metadata"/></xsl:template>

  <!-- The two commonest context-dependent elements, a division's head and a note in the
       text, have rules of their own: through e:behaviour and e:dispatch's string tests, a
       note cost ~250 µs more in saxon-js (measured on 4,000 notes). Elsewhere they are
       classified like the others. -->
  <xsl:template match="tei:head" priority="-0.5">
    <xsl:choose>
      <xsl:when test="local-name(..) = $e:heading-parents">
        <xsl:call-template name="e:heading"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="e:dispatch"><xsl:with-param name="behaviour" select="e:behaviour(.)"/></xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="tei:note" priority="-0.5">
    <xsl:choose>
      <xsl:when test="ancestor::tei:text"><xsl:call-template name="e:note"/></xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="e:dispatch"><xsl:with-param name="behaviour" select="e:behaviour(.)"/></xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===== context-dependent and unknown elements: classify, then render ===== -->
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
