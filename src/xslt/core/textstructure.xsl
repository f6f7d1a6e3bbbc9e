<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio core, TEI module "textstructure": TEI, teiCorpus, text, group, front, body,
  back, div/div1–7, titlePage and its parts, opener/closer, argument, epigraph, trailer,
  floatingText. Also the per-document notes section (e:footnotes) and the TOC hook.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio"
  xmlns="http://www.w3.org/1999/xhtml"
  exclude-result-prefixes="#all">

  <xsl:variable name="e:map-textstructure" static="yes" as="map(xs:string, xs:string)" select="map{
    'TEI': 'document', 'teiCorpus': 'document', 'text': 'text', 'group': 'block',
    'front': 'body', 'body': 'body', 'back': 'body',
    'div': 'section', 'div1': 'section', 'div2': 'section', 'div3': 'section', 'div4': 'section',
    'div5': 'section', 'div6': 'section', 'div7': 'section', 'head': 'heading',
    'titlePage': 'block', 'docTitle': 'block', 'titlePart': 'contextual', 'byline': 'contextual',
    'docAuthor': 'contextual', 'docDate': 'contextual', 'docEdition': 'contextual',
    'docImprint': 'contextual', 'imprimatur': 'contextual',
    'argument': 'block', 'epigraph': 'block', 'trailer': 'block', 'opener': 'block', 'closer': 'block',
    'salute': 'contextual', 'signed': 'contextual', 'dateline': 'contextual', 'postscript': 'block',
    'floatingText': 'block', 'divGen': 'omit'}"/>

  <xsl:variable name="e:series-order" as="xs:string*" select="('author', 'translator', 'editor', 'apparatus')"/>

  <!-- ===== document ===== -->
  <xsl:template name="e:document">
    <xsl:variable name="lang" select="e:doc-lang(.)"/>
    <xsl:choose>
      <xsl:when test="self::tei:teiCorpus">
        <div class="tei-teiCorpus">
          <xsl:if test="$lang != 'und'">
            <xsl:attribute name="lang" select="$lang"/>
            <xsl:attribute name="xml:lang" select="$lang"/>
          </xsl:if>
          <xsl:call-template name="e:title-page"/>
          <xsl:if test="not(tei:TEI or tei:teiCorpus)">
            <xsl:call-template name="e:header-summary"/>
          </xsl:if>
          <xsl:apply-templates select="tei:TEI | tei:teiCorpus"/>
        </div>
      </xsl:when>
      <xsl:otherwise>
        <article class="tei-TEI">
          <xsl:if test="$lang != 'und'">
            <xsl:attribute name="lang" select="$lang"/>
            <xsl:attribute name="xml:lang" select="$lang"/>
          </xsl:if>
          <xsl:call-template name="e:title-page"/>
          <xsl:call-template name="e:toc"/>
          <xsl:choose>
            <xsl:when test="tei:text">
              <xsl:apply-templates select="tei:text"/>
            </xsl:when>
            <xsl:when test="tei:sourceDoc">
              <xsl:apply-templates select="tei:sourceDoc"/>
            </xsl:when>
            <xsl:otherwise>
              <xsl:call-template name="e:header-summary"/>
            </xsl:otherwise>
          </xsl:choose>
          <xsl:apply-templates select="tei:standOff"/>
          <xsl:call-template name="e:footnotes"/>
          <xsl:call-template name="e:name-index"/>
        </article>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Hook: table of contents (the HTML and print layers fill it in with e:toc-list). -->
  <xsl:template name="e:toc"/>

  <!-- The contents as a <nav>, when the text has two headed divisions or more (the HTML
       and print layers' e:toc). -->
  <xsl:template name="e:toc-nav">
    <!-- levels shown (the print edition lists two) -->
    <xsl:param name="depth" as="xs:integer" select="99"/>
    <xsl:variable name="top" select="e:toc-divs(tei:text)"/>
    <!-- (one descendant step, stopping at the second head: "tei:text//tei:head" took a
         child step, a filter, at every node of the text) -->
    <xsl:if test="exists((tei:text/descendant::tei:head[parent::*[e:is-div(.)]])[2])">
      <nav class="toc" role="doc-toc">
        <xsl:attribute name="aria-label" select="e:label('contents')"/>
        <xsl:if test="$e:mark-sources"><xsl:call-template name="e:source-mark"/></xsl:if>
        <xsl:element name="h{min((6, 1 + count(ancestor-or-self::*[self::tei:TEI or self::tei:teiCorpus])))}" namespace="http://www.w3.org/1999/xhtml">
          <xsl:value-of select="e:label('contents')"/>
        </xsl:element>
        <xsl:call-template name="e:toc-list">
          <xsl:with-param name="divs" select="$top"/>
          <xsl:with-param name="depth" select="$depth"/>
        </xsl:call-template>
      </nav>
    </xsl:if>
  </xsl:template>

  <!-- The nested list of divisions with a head, linked to their ids. -->
  <xsl:template name="e:toc-list">
    <xsl:param name="divs" as="element()*"/>
    <!-- levels still to show (the print edition lists two) -->
    <xsl:param name="depth" as="xs:integer" select="99"/>
    <xsl:variable name="entries" select="$divs[tei:head or exists(descendant::tei:head[parent::*[e:is-div(.)]])]"/>
    <xsl:if test="exists($entries)">
      <ol>
        <xsl:for-each select="$entries">
          <li>
            <a href="#{e:section-id(.)}">
              <xsl:value-of select="if (tei:head) then normalize-space(string-join(tei:head[1] ! e:toc-text(.), '')) else '[' || (normalize-space(@n), normalize-space(@type), 'section')[. != ''][1] || ']'"/>
            </a>
            <xsl:if test="$depth gt 1">
              <xsl:call-template name="e:toc-list">
                <!-- (a name test where the text has only <div>s, see $e:div-only) -->
                <xsl:with-param name="divs" select="if (e:div-only(.)) then tei:div else *[e:is-div(.)]"/>
                <xsl:with-param name="depth" select="$depth - 1"/>
              </xsl:call-template>
            </xsl:if>
          </li>
        </xsl:for-each>
      </ol>
    </xsl:if>
  </xsl:template>

  <xsl:function name="e:toc-text" as="xs:string">
    <xsl:param name="head" as="element()"/>
    <xsl:variable name="t" as="item()*"><xsl:apply-templates select="$head/node()" mode="e:toc"/></xsl:variable>
    <xsl:sequence select="string-join($t ! string(.), '')"/>
  </xsl:function>


  <!-- ===== notes section: all notes and apparatus entries of one TEI, by series ===== -->

  <!-- The entries of a TEI's notes section, in document order: the footnotes and the
       apparatus entries of its text (the HTML page lists them all, the EPUB counts them,
       the print edition keeps the long ones). (One descendant step for each kind, not a
       filter at every node; and no union, which sorts, when there is no apparatus.) -->
  <xsl:function name="e:note-entries" as="element()*">
    <xsl:param name="doc"/>
    <xsl:variable name="id" select="generate-id($doc)"/>
    <xsl:sequence select="if (map:contains($e:note-entries-by-tei, $id)) then $e:note-entries-by-tei($id) else e:find-note-entries($doc)"/>
  </xsl:function>
  <!-- The source's TEIs' entries, by generate-id(): asked for the table of notes, the
       notes section and the EPUB's count, a filter of every note each time (Quintilian:
       1,773 notes, ~65,000 closure calls a time in saxon-js). -->
  <xsl:variable name="e:note-entries-by-tei" as="map(*)"
    select="map:merge($e:id-root ! descendant::tei:TEI ! map{generate-id(.): e:find-note-entries(.)})"/>
  <xsl:function name="e:find-note-entries" as="element()*">
    <xsl:param name="doc"/>
    <xsl:sequence select="e:note-entries-in($doc ! tei:text)"/>
  </xsl:function>
  <!-- The entries of the notes section for the text in $scope (a TEI's text, or what one
       EPUB file holds of it: nodes in document order, none inside another): its footnotes
       (e:is-footnote, nested ones too) and its apparatus entries, in document order. The
       one rule every notes list follows. (The notes alone are found with "!", in order
       as they come: a path's "/" sorts its result again, ~6 ms a time for Quintilian's
       1,773 notes.) -->
  <xsl:function name="e:note-entries-in" as="element()*">
    <xsl:param name="scope" as="node()*"/>
    <xsl:variable name="apps" select="$scope ! descendant-or-self::tei:app[ancestor::tei:text]"/>
    <xsl:sequence select="if (empty($apps)) then $scope ! descendant-or-self::tei:note[e:is-footnote(.)]
      else $scope/descendant-or-self::tei:note[e:is-footnote(.)] | $apps"/>
  </xsl:function>
  <xsl:template name="e:footnotes">
    <xsl:param name="doc" as="element()" select="."/>
    <!-- the notes to list (the EPUB may list each chapter's at its end) -->
    <xsl:param name="items" as="element()*" select="e:note-entries($doc)"/>
    <xsl:variable name="level" select="min((6, 1 + count($doc/ancestor-or-self::*[self::tei:TEI or self::tei:teiCorpus])))"/>
    <xsl:if test="exists($items)">
      <section class="notes" role="doc-endnotes">
        <xsl:attribute name="aria-label" select="e:label('notes')"/>
        <xsl:if test="$e:mark-sources"><xsl:for-each select="$doc"><xsl:call-template name="e:source-mark"/></xsl:for-each></xsl:if>
        <xsl:for-each-group select="$items" group-by="e:note-series(.)">
          <xsl:sort select="index-of($e:series-order, current-grouping-key())"/>
          <section class="notes-series notes-{current-grouping-key()}">
            <xsl:element name="h{$level}" namespace="http://www.w3.org/1999/xhtml">
              <xsl:attribute name="class" select="'notes-heading'"/>
              <xsl:value-of select="e:label('notes-' || current-grouping-key())"/>
            </xsl:element>
            <ol class="notes-list">
              <xsl:apply-templates select="current-group()" mode="e:footnote"/>
            </ol>
          </section>
        </xsl:for-each-group>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- ===== table of contents data: divisions with a head ===== -->
  <xsl:function name="e:toc-divs" as="element()*">
    <xsl:param name="scope" as="element()?"/>
    <xsl:sequence _select="$scope/*[{$e:division-test} or self::tei:front or self::tei:body or self::tei:back]
      ! (if (self::tei:front or self::tei:body or self::tei:back) then e:toc-divs(.) else .)"/>
  </xsl:function>

  <!-- A TOC entry's text: the head without notes, ids or markup. -->
  <xsl:mode name="e:toc" on-no-match="text-only-copy"/>
  <xsl:template match="tei:note | tei:index | tei:fw | tei:interp" mode="e:toc"/>
  <xsl:template match="tei:lb" mode="e:toc"><xsl:text> </xsl:text></xsl:template>
  <xsl:template match="tei:choice" mode="e:toc">
    <xsl:apply-templates select="e:choice-primary(.)" mode="#current"/>
  </xsl:template>
  <xsl:template match="tei:app" mode="e:toc">
    <xsl:apply-templates select="(tei:lem, tei:rdg)[1]" mode="#current"/>
  </xsl:template>
  <xsl:template match="tei:gap" mode="e:toc">
    <xsl:value-of select="e:gap-text(.)"/>
  </xsl:template>
</xsl:stylesheet>
