<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio core: the teiHeader. It is metadata: not rendered in the text flow, but read
  for the title page, the document title and language, and for note attribution
  (who is the translator, who the editor). Header-module elements that also occur in
  texts (author, publisher, idno…) are classified here.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio"
  xmlns="http://www.w3.org/1999/xhtml"
  exclude-result-prefixes="#all">

  <xsl:variable name="e:map-header" static="yes" as="map(xs:string, xs:string)" select="map{
    'teiHeader': 'metadata', 'author': 'inline', 'editor': 'inline', 'publisher': 'inline',
    'pubPlace': 'inline', 'idno': 'inline', 'biblScope': 'inline', 'imprint': 'inline',
    'respStmt': 'inline', 'resp': 'inline', 'edition': 'inline', 'extent': 'inline',
    'availability': 'block', 'licence': 'inline', 'biblStruct': 'contextual', 'biblFull': 'contextual',
    'monogr': 'inline', 'analytic': 'inline', 'series': 'inline', 'sponsor': 'inline',
    'funder': 'inline', 'principal': 'inline', 'meeting': 'inline', 'textLang': 'inline',
    'msIdentifier': 'inline', 'settlement': 'inline', 'repository': 'inline', 'collection': 'inline',
    'msName': 'inline', 'catchwords': 'inline', 'signatures': 'inline', 'locus': 'inline',
    'correspDesc': 'metadata', 'revisionDesc': 'metadata', 'encodingDesc': 'metadata',
    'profileDesc': 'metadata', 'fileDesc': 'metadata', 'xenoData': 'metadata', 'facsimile': 'omit'}"/>

  <!-- ===== who is a translator / an editor (for note series) ===== -->

  <xsl:variable name="e:translator-re" select="'transl|übers|trad|перев|prevaj|trl'"/>
  <xsl:variable name="e:editor-re" select="'edit|hrsg|herausg|éd|redak|urednik|^ed\.?$'"/>

  <!-- 'translator', 'editor' or '' for one element of the header (or any element). -->
  <xsl:function name="e:role-of" as="xs:string">
    <xsl:param name="p" as="element()?"/>
    <xsl:variable name="role" select="lower-case(string-join(($p/@role, $p/ancestor-or-self::tei:respStmt[1]/tei:resp), ' '))"/>
    <xsl:sequence select="
      if (empty($p)) then ''
      else if (matches($role, $e:translator-re)) then 'translator'
      else if ($p/self::tei:editor or matches($role, $e:editor-re)) then 'editor'
      else ''"/>
  </xsl:function>

  <!-- Series of a note: author | translator | editor; app entries: apparatus. -->
  <xsl:function name="e:note-series" as="xs:string">
    <xsl:param name="n"/>
    <!-- most notes say nothing of who wrote them: answered without the tests below,
         which cost saxon-js about 0.05 ms a note -->
    <xsl:sequence select="$n ! (if (self::tei:app) then 'apparatus' else if (@type or @resp) then e:note-series-of(.) else 'author')"/>
  </xsl:function>

  <!-- e:note-series of a note with a @type or @resp -->
  <xsl:function name="e:note-series-of" as="xs:string">
    <xsl:param name="n" as="element()"/>
    <xsl:variable name="type" select="lower-case(normalize-space($n/@type))"/>
    <xsl:variable name="resp" select="tokenize(lower-case(normalize-space($n/@resp)), ' ')"/>
    <xsl:variable name="roles" select="for $r in tokenize(normalize-space($n/@resp), ' ')
      return if (starts-with($r, '#')) then e:role-of(e:by-id($n, substring($r, 2))) else ''"/>
    <xsl:sequence select="
      if ($type = ('translator', 'translation', 'transl', 'trans', 'trl', 'translators')) then 'translator'
      else if ($type = ('editorial', 'editor', 'ed', 'editors', 'commentary')) then 'editor'
      else if ($roles = 'translator' or $resp = ('translator', 'transl', 'trans', 'trl', '#translator', '#transl', '#trl')) then 'translator'
      else if ($roles = 'editor' or $resp = ('editor', 'ed', 'editorial', '#editor', '#ed', '#editors')) then 'editor'
      else 'author'"/>
  </xsl:function>

  <!-- ===== document title and language ===== -->

  <xsl:function name="e:doc-title" as="xs:string">
    <xsl:param name="doc" as="element()"/>
    <xsl:variable name="ts" select="$doc/tei:teiHeader/tei:fileDesc/tei:titleStmt"/>
    <xsl:variable name="main" select="($ts/tei:title[not(@type) or @type = ('main', 'full')], $ts/tei:title)[1]"/>
    <xsl:variable name="sub" select="$ts/tei:title[@type = ('sub', 'subtitle')][1]"/>
    <xsl:sequence select="string-join((e:plain($main)[. != ''], e:plain($sub)[. != '']), ': ')"/>
  </xsl:function>

  <xsl:function name="e:doc-lang" as="xs:string">
    <xsl:param name="doc" as="element()"/>
    <xsl:sequence select="(
      e:lang($doc/@xml:lang), e:lang(($doc/tei:text, $doc/tei:TEI/tei:text)[1]/@xml:lang),
      e:lang(($doc/tei:text/tei:body, $doc/tei:TEI/tei:text/tei:body)[1]/@xml:lang),
      e:lang($doc/tei:teiHeader/tei:profileDesc/tei:langUsage/tei:language[1]/@ident),
      'und')[1]"/>
  </xsl:function>

  <!-- ===== the title page made from the header's metadata record (hook: formats may override) ===== -->
  <xsl:template name="e:title-page">
    <xsl:param name="doc" as="element()" select="."/>
    <xsl:variable name="md" select="e:metadata($doc)"/>
    <xsl:variable name="pub" select="$doc/tei:teiHeader/tei:fileDesc/tei:publicationStmt"/>
    <xsl:variable name="level" select="min((6, count($doc/ancestor-or-self::*[self::tei:TEI or self::tei:teiCorpus])))"/>
    <xsl:variable name="title" select="e:doc-title($doc)"/>
    <header class="edition-title">
      <xsl:element name="h{$level}" namespace="http://www.w3.org/1999/xhtml">
        <xsl:attribute name="class" select="'edition-title-main'"/>
        <xsl:value-of select="if ($title = '') then '[untitled]' else $title"/>
      </xsl:element>
      <xsl:variable name="authors" select="distinct-values($md?authors?*?name)"/>
      <xsl:if test="exists($authors)">
        <p class="edition-authors"><xsl:value-of select="string-join($authors, '; ')"/></p>
      </xsl:if>
      <xsl:variable name="translators" select="distinct-values($md?translators?*?name)"/>
      <xsl:variable name="editors" select="distinct-values($md?editors?*?name)"/>
      <xsl:if test="exists($translators)">
        <p class="edition-translators"><xsl:value-of select="e:label('translated-by') || ' ' || string-join($translators, '; ')"/></p>
      </xsl:if>
      <xsl:if test="exists($editors)">
        <p class="edition-editors"><xsl:value-of select="e:label('edited-by') || ' ' || string-join($editors, '; ')"/></p>
      </xsl:if>
      <xsl:for-each select="$md?contributors?*[?roleLabel]">
        <p class="edition-contributor"><xsl:value-of select="?name || ', ' || ?roleLabel"/></p>
      </xsl:for-each>
      <xsl:variable name="pubbits" select="($pub/(tei:publisher | tei:distributor | tei:authority)[1], $pub/tei:pubPlace[1], $pub/tei:date[1]) ! e:plain(.)[. != '']"/>
      <xsl:if test="exists($pubbits)">
        <p class="edition-publication"><xsl:value-of select="string-join($pubbits, ', ')"/></p>
      </xsl:if>
      <xsl:variable name="licence" select="e:plain($pub/tei:availability)"/>
      <xsl:if test="$licence != '' or exists($md?licence?url)">
        <p class="edition-licence">
          <xsl:value-of select="$licence"/>
          <xsl:if test="exists($md?licence?url)">
            <xsl:if test="$licence != ''"><xsl:text> </xsl:text></xsl:if>
            <a class="link-external" rel="license" href="{$md?licence?url}"><xsl:value-of select="$md?licence?url"/></a>
          </xsl:if>
        </p>
      </xsl:if>
      <xsl:if test="exists($md?source)">
        <p class="edition-source"><xsl:value-of select="e:label('source') || ': ' || $md?source"/></p>
      </xsl:if>
      <xsl:if test="$md?kind = ('edition', 'corpus', 'odd') and $level le 1">
        <details class="edition-cite">
          <summary><xsl:value-of select="e:label('cite')"/></summary>
          <p class="citation"><xsl:value-of select="e:citation($md)"/></p>
        </details>
      </xsl:if>
    </header>
  </xsl:template>

  <!-- A citation of the edition, as one line of text (names, title, roles, publication, licence). -->
  <xsl:function name="e:citation" as="xs:string">
    <xsl:param name="md" as="map(*)"/>
    <xsl:variable name="year" select="($md?dates?published, $md?dates?revised)[1] ! substring(., 1, 4)"/>
    <xsl:sequence select="string-join((
      string-join($md?authors?*?name, '; ')[. != ''],
      $md?fullTitle,
      (e:label('translated-by') || ' ' || e:and-list($md?translators?*?name))[exists($md?translators?*)],
      (e:label('edited-by') || ' ' || e:and-list($md?editors?*?name))[exists($md?editors?*)],
      $md?edition,
      string-join(($md?publisher, $md?pubPlace, $year), ', ')[. != ''],
      $md?identifiers?*?value,
      $md?licence?url
      ) ! replace(., '[.\s]+$', ''), '. ') || '.'"/>
  </xsl:function>

  <!-- What a header-only document shows besides its title page. -->
  <xsl:template name="e:header-summary">
    <xsl:param name="doc" as="element()" select="."/>
    <p class="editorial no-text"><xsl:value-of select="e:label('no-text')"/></p>
    <xsl:for-each select="$doc/tei:teiHeader/(tei:fileDesc/tei:notesStmt/tei:note | tei:encodingDesc/tei:projectDesc/tei:p | tei:fileDesc/tei:sourceDesc/tei:p)[normalize-space(.) != '']">
      <p class="header-summary"><xsl:value-of select="e:plain(.)"/></p>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
