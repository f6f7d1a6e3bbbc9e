<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio core, TEI module "namesdates": persons, places, organisations and their parts.
  Names render as spans carrying their authority reference as inert data (never a live
  link: @ref values are data, and unsafe ones are dropped).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio"
  xmlns="http://www.w3.org/1999/xhtml"
  exclude-result-prefixes="#all">

  <xsl:variable name="e:map-namesdates" static="yes" as="map(xs:string, xs:string)" select="map{
    'persName': 'inline', 'placeName': 'inline', 'orgName': 'inline', 'geogName': 'inline',
    'roleName': 'inline', 'forename': 'inline', 'surname': 'inline', 'addName': 'inline',
    'nameLink': 'inline', 'genName': 'inline', 'settlement': 'inline', 'region': 'inline',
    'country': 'inline', 'bloc': 'inline', 'district': 'inline', 'geogFeat': 'inline',
    'offset': 'inline', 'objectName': 'inline', 'eventName': 'inline',
    'listPerson': 'list', 'listPlace': 'list', 'listOrg': 'list', 'listEvent': 'list', 'listObject': 'list',
    'listNym': 'list', 'listRelation': 'omit', 'relation': 'omit',
    'person': 'listItem', 'personGrp': 'listItem', 'place': 'listItem', 'org': 'listItem',
    'event': 'listItem', 'object': 'listItem', 'nym': 'listItem',
    'birth': 'inline', 'death': 'inline', 'floruit': 'inline', 'occupation': 'inline',
    'residence': 'inline', 'affiliation': 'inline', 'sex': 'inline', 'gender': 'inline', 'age': 'inline',
    'nationality': 'inline', 'faith': 'inline', 'education': 'inline', 'state': 'inline',
    'trait': 'inline', 'socecStatus': 'inline', 'langKnowledge': 'inline', 'location': 'inline',
    'geo': 'inline', 'population': 'inline', 'climate': 'inline', 'terrain': 'inline'}"/>

  <xsl:template match="tei:persName | tei:placeName | tei:orgName | tei:geogName | tei:objectName | tei:eventName">
    <xsl:call-template name="e:name"/>
  </xsl:template>

  <!-- ===== occurrences of named entities, for the index =====
       A name in the text whose @ref points into the document ("#LT") gets a stable id:
       its xml:id, else occ-LT-3 for the third name in the text pointing at #LT. The
       count comes from an accumulator (one pass), the index finds occurrences through a
       key on @ref tokens: no quadratic search on large documents. -->
  <!-- The names an index lists occurrences of: one list for the test, the key and the
       accumulator (whose patterns are made from it at compile time). -->
  <xsl:variable name="e:indexed-names" static="yes" as="xs:string+"
    select="('persName', 'placeName', 'orgName', 'geogName', 'name', 'rs', 'objectName', 'eventName')"/>
  <xsl:variable name="e:indexed-name-pattern" static="yes" as="xs:string"
    select="'(' || string-join($e:indexed-names ! ('tei:' || .), ' | ') || ')'"/>

  <!-- (only the indexed names, which the index keeps: a name test is answered in saxon-js's
       code, where *[@ref] evaluated a predicate at every element) -->
  <xsl:key name="e:ref" _match="{$e:indexed-name-pattern}[@ref]" use="tokenize(normalize-space(@ref), ' ')[starts-with(., '#')] ! substring(., 2)"/>

  <xsl:function name="e:is-indexed-name" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="namespace-uri($el) eq 'http://www.tei-c.org/ns/1.0' and local-name($el) = $e:indexed-names"/>
  </xsl:function>

  <!-- The id a name's first local pointer names ("#LT #x" → "LT"), or (). -->
  <xsl:function name="e:ref-key" as="xs:string?">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="(tokenize(normalize-space($el/@ref), ' ')[starts-with(., '#') and e:is-id-name(substring(., 2))])[1] ! substring(., 2)"/>
  </xsl:function>

  <!-- Per key, the occurrences so far; under '#occ', the last occurrence's id and node
       (so that its id is worked out once, here, though the text and the index ask). -->
  <xsl:accumulator name="e:refs" as="map(*)" initial-value="map{}">
    <!-- (the names first: a name test is answered in saxon-js's code, where *[@ref]
         evaluated a predicate at every element of the document) -->
    <xsl:accumulator-rule _match="{$e:indexed-name-pattern}[@ref][ancestor::tei:text]" phase="start"
      select="let $k := e:ref-key(.) return if (empty($k)) then $value else
        let $c := ($value($k), 0)[1] + 1 return map:put(map:put($value, $k, $c), '#occ', map{'node': .,
          'id': if (e:owns-id(.)) then string(@xml:id) else e:fresh-id(., 'occ-' || $k || '-' || $c)})"/>
  </xsl:accumulator>

  <!-- The id of a name occurrence in the text (an indexed name in the text pointing at a
       local id), or () when it is not one: the accumulator's rule fired at it or not. -->
  <xsl:function name="e:occurrence-id" as="xs:string?">
    <xsl:param name="el"/>
    <xsl:variable name="occ" select="($el ! accumulator-before('e:refs'))('#occ')"/>
    <xsl:sequence select="if (exists($occ) and $occ('node') is $el) then $occ('id') else ()"/>
  </xsl:function>

  <!-- True when a node is rendered only as a secondary copy (a hidden reading, an apparatus
       reading other than the base): it then carries no id. -->
  <xsl:function name="e:in-secondary" as="xs:boolean">
    <xsl:param name="n" as="node()"/>
    <!-- (the name test first: most nodes have no choice above them) -->
    <xsl:sequence select="exists($n/ancestor::tei:choice) and exists($n/ancestor::*[parent::tei:choice][not(. is e:choice-primary(..))])
      or exists($n/ancestor::tei:rdg[not(. is e:app-base(ancestor::tei:app[1]))])"/>
  </xsl:function>

  <!-- ===== the index of persons, organisations and places =====
       Entries come from listPerson / listOrg / listPlace in the header or standOff (of the
       document and of an enclosing teiCorpus); each entry links to every occurrence in the
       text. Entries that never occur in the text are left out. -->
  <xsl:template name="e:name-index">
    <xsl:param name="doc" as="element()" select="."/>
    <xsl:variable name="scopes" select="($doc, $doc/ancestor::tei:teiCorpus)/(tei:teiHeader | tei:standOff)"/>
    <xsl:variable name="groups" as="map(*)*" select="
      map{'key': 'persons', 'entries': ($scopes/descendant::tei:person | $scopes/descendant::tei:personGrp)[@xml:id][ancestor::tei:listPerson]},
      map{'key': 'orgs', 'entries': $scopes/descendant::tei:org[@xml:id][ancestor::tei:listOrg or ancestor::tei:listPerson]},
      map{'key': 'places', 'entries': $scopes/descendant::tei:place[@xml:id][ancestor::tei:listPlace]}"/>
    <xsl:variable name="level" select="min((6, 1 + count($doc/ancestor-or-self::*[self::tei:TEI or self::tei:teiCorpus])))"/>
    <xsl:variable name="rendered" as="element()*">
      <xsl:for-each select="$groups">
        <xsl:variable name="g" select="."/>
        <xsl:variable name="items" as="element()*">
          <xsl:for-each select="$g?entries">
            <xsl:sort select="lower-case(e:entry-sort-key(.))"/>
            <xsl:variable name="occ" select="key('e:ref', string(@xml:id), $doc)[ancestor::tei:text][e:is-indexed-name(.)][not(e:in-secondary(.))]"/>
            <xsl:if test="exists($occ)">
              <xsl:call-template name="e:index-entry">
                <xsl:with-param name="occurrences" select="$occ"/>
              </xsl:call-template>
            </xsl:if>
          </xsl:for-each>
        </xsl:variable>
        <xsl:if test="exists($items)">
          <section class="index-group index-{$g?key}">
            <xsl:element name="h{min((6, $level + 1))}" namespace="http://www.w3.org/1999/xhtml"><xsl:value-of select="e:label('index-' || $g?key)"/></xsl:element>
            <ul class="index-list"><xsl:sequence select="$items"/></ul>
          </section>
        </xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <xsl:if test="exists($rendered)">
      <section class="name-index" role="doc-index">
        <xsl:attribute name="aria-label" select="e:label('index')"/>
        <xsl:element name="h{$level}" namespace="http://www.w3.org/1999/xhtml"><xsl:value-of select="e:label('index')"/></xsl:element>
        <xsl:sequence select="$rendered"/>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- Hook: the text of the link to one occurrence (its number; print gives the page). -->
  <xsl:template name="e:occurrence-label">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:value-of select="$n"/>
  </xsl:template>

  <xsl:function name="e:entry-name" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="n" select="e:plain-no-notes(($entry/(tei:persName | tei:orgName | tei:placeName | tei:geogName | tei:name)[not(@type = ('variant', 'alt'))], $entry/(tei:persName | tei:orgName | tei:placeName | tei:geogName | tei:name))[1])"/>
    <xsl:sequence select="if ($n != '') then $n else string($entry/@xml:id)"/>
  </xsl:function>

  <xsl:function name="e:entry-sort-key" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="first" select="($entry/(tei:persName | tei:orgName | tei:placeName | tei:name))[1]"/>
    <xsl:sequence select="if ($first/tei:surname) then e:plain($first/tei:surname[1]) || ' ' || e:entry-name($entry)
      else if ($entry/self::tei:person and not($first/*) and contains(e:entry-name($entry), ' ')) then replace(e:entry-name($entry), '^(.*)\s(\S+)$', '$2 $1')
      else e:entry-name($entry)"/>
  </xsl:function>

  <xsl:template name="e:index-entry">
    <xsl:param name="occurrences" as="element()*"/>
    <xsl:variable name="name" select="e:entry-name(.)"/>
    <xsl:variable name="years" select="string-join((tei:birth, tei:death) ! (@when, @notBefore, @notAfter)[1] ! substring(string(.), 1, 4), '–')"/>
    <xsl:variable name="dates" select="if (tei:birth and tei:death) then $years
      else if (tei:birth) then '* ' || $years else if (tei:death) then '† ' || $years else ''"/>
    <xsl:variable name="variants" select="(tei:persName | tei:orgName | tei:placeName)[@type = ('variant', 'alt')] ! e:plain(.)"/>
    <xsl:variable name="note" select="e:plain(tei:note[1])"/>
    <li class="index-entry" id="{e:fresh-id(., 'idx-' || @xml:id)}">
      <span class="index-name"><xsl:value-of select="$name"/></span>
      <xsl:if test="$dates != '' or exists($variants)">
        <xsl:value-of select="' (' || string-join(($dates[. != ''], $variants), '; ') || ')'"/>
      </xsl:if>
      <xsl:if test="$note != ''">
        <xsl:text>: </xsl:text>
        <span class="index-note"><xsl:value-of select="$note"/></span>
      </xsl:if>
      <xsl:text> </xsl:text>
      <span class="index-occurrences" role="group">
        <xsl:attribute name="aria-label" select="e:label('occurrences-of') || ' ' || $name"/>
        <xsl:for-each select="$occurrences">
          <xsl:variable name="fn" select="ancestor::tei:note[e:is-footnote(.)][1]"/>
          <xsl:if test="position() gt 1"><xsl:text>, </xsl:text></xsl:if>
          <a href="#{e:occurrence-id(.)}">
            <xsl:if test="exists($fn)">
              <xsl:attribute name="class" select="'index-in-note'"/>
              <xsl:attribute name="title" select="e:label('in-note') || ' ' || e:note-info($fn)('label')"/>
            </xsl:if>
            <xsl:call-template name="e:occurrence-label"><xsl:with-param name="n" select="position()"/></xsl:call-template>
          </a>
        </xsl:for-each>
      </span>
    </li>
  </xsl:template>
</xsl:stylesheet>
