<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio core: ONE metadata record for a TEI document, read from its teiHeader once.

  e:metadata($root) returns a map whose shape is the EditionMetadata interface of
  src/metadata/index.ts (keys are camelCase; absent values are left out, never empty
  strings; lists are arrays). Every format uses it: html.xsl for the title page,
  Dublin Core <meta> and schema.org JSON-LD; metadata.xsl serialises it as JSON for the
  EPUB and archive writers.

  Roles are MARC relator codes (aut, trl, edt, ann, trc, mrk, pfr, com, ill, pbl, fnd,
  ctb), decided from the element (author, editor…), an explicit code (@role, resp/@key,
  resp/@ref ending in a code), or the wording of resp ("translated from … by").
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:array="http://www.w3.org/2005/xpath-functions/array"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio"
  exclude-result-prefixes="#all">

  <xsl:variable name="e:marc-codes" as="xs:string*" select="('aut', 'trl', 'edt', 'ann', 'trc', 'mrk', 'pfr',
    'com', 'ill', 'pbl', 'fnd', 'ctb', 'cmm', 'dtc', 'own', 'dnr', 'spn', 'his', 'rev', 'cre', 'oth')"/>

  <!-- A MARC relator code from a role text (resp, @role). -->
  <xsl:function name="e:marc-role" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:variable name="t" select="lower-case(normalize-space($text))"/>
    <xsl:sequence select="
      if ($t = $e:marc-codes) then $t
      else if (matches($t, '^(translat|trans\.|transl|übersetz|übertr|trad|перев|prevod|prevaj)')
        or matches($t, 'translat(ed|ion|or)\s+(by|from|into)') or matches($t, '^(trl|translator)$')) then 'trl'
      else if (matches($t, '^(edit|ed\.|ed$|eds\.?$|hrsg|herausg|éd|redak|urednik|general edit)')
        or matches($t, '(edited by|editor of|editors of)')) then 'edt'
      else if (matches($t, '^(author|auth|written by|verfasser|auteur)')) then 'aut'
      else if (matches($t, 'transcri')) then 'trc'
      else if (matches($t, 'encod|mark-?up|(^|\W)tei(\W|$)|convert')) then 'mrk'
      else if (matches($t, 'proof|correct')) then 'pfr'
      else if (matches($t, 'annotat|comment')) then 'ann'
      else if (matches($t, 'compil')) then 'com'
      else if (matches($t, 'illustr')) then 'ill'
      else if (matches($t, 'publish')) then 'pbl'
      else if (matches($t, 'fund')) then 'fnd'
      else 'ctb'"/>
  </xsl:function>

  <!-- The named party inside a responsibility element (persName, orgName, name…), or the element. -->
  <xsl:function name="e:party" as="element()">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="($el/(tei:persName | tei:orgName | tei:name | tei:person | tei:org)[1], $el)[1]"/>
  </xsl:function>

  <!-- The text of an element without its notes. -->
  <xsl:function name="e:plain-no-notes" as="xs:string">
    <xsl:param name="el" as="element()*"/>
    <xsl:sequence select="normalize-space(string-join($el/descendant::text()[not(ancestor::tei:note)], ''))"/>
  </xsl:function>

  <!-- At most $max characters, cut at a word, with an ellipsis. -->
  <xsl:function name="e:shorten" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:param name="max" as="xs:integer"/>
    <xsl:sequence select="if (string-length($s) le $max) then $s
      else replace(substring($s, 1, $max), '\s+\S*$', '') || '…'"/>
  </xsl:function>

  <!-- One contributor as a map: name, role, roleLabel, id, kind (person | organisation). -->
  <xsl:function name="e:contributor" as="map(*)?">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="party" select="e:party($el)"/>
    <xsl:variable name="name" select="e:plain-no-notes($party)"/>
    <xsl:variable name="resp" select="e:plain($el/self::tei:respStmt/tei:resp)"/>
    <xsl:variable name="explicit" select="(($el/@role, $el/tei:resp/@key, $el/tei:resp/@ref ! replace(., '^.*[/#]', ''))
      ! lower-case(normalize-space(.)))[. = $e:marc-codes][1]"/>
    <xsl:variable name="role" select="
      if (exists($explicit)) then $explicit
      else if ($el/self::tei:author) then 'aut'
      else if ($el/self::tei:editor) then (if (normalize-space($el/@role) != '') then (e:marc-role($el/@role)[. != 'ctb'], 'edt')[1] else 'edt')
      else if ($el/self::tei:funder) then 'fnd'
      else if ($el/self::tei:sponsor) then 'spn'
      else if ($el/self::tei:principal) then 'edt'
      else e:marc-role($resp)"/>
    <xsl:variable name="ref" select="e:first-pointer(($party/@ref, $el/@ref)[1])"/>
    <xsl:variable name="target" select="if (starts-with(string($ref), '#')) then e:by-id($el, substring($ref, 2)) else ()"/>
    <xsl:variable name="id" select="($party/@xml:id, $el/@xml:id, $target/@xml:id)[1]"/>
    <xsl:variable name="org" select="exists($party/self::tei:orgName | $party/self::tei:org | $target/self::tei:org)
      or lower-case($party/self::tei:name/@type) = ('org', 'organisation', 'organization', 'project', 'institution', 'corporate')"/>
    <xsl:if test="$name != ''">
      <xsl:sequence select="map:merge((
        map{'name': $name, 'role': $role, 'kind': if ($org) then 'organisation' else 'person'},
        if ($resp != '') then map{'roleLabel': $resp} else (),
        if (exists($id)) then map{'id': string($id)} else ()))"/>
    </xsl:if>
  </xsl:function>

  <!-- An ISO date from a date-like element: @when, @notBefore, @from, else its text if ISO. -->
  <xsl:function name="e:iso-date" as="xs:string?">
    <xsl:param name="d" as="element()*"/>
    <xsl:sequence select="(for $x in $d return ($x/@when, $x/@when-iso, $x/@notBefore, $x/@from, normalize-space($x))[e:is-iso-date(.)][1] ! string(.))[1]"/>
  </xsl:function>

  <!-- "A, B and C" -->
  <xsl:function name="e:and-list" as="xs:string">
    <xsl:param name="items" as="xs:string*"/>
    <xsl:sequence select="if (count($items) le 1) then string($items[1])
      else string-join($items[position() lt last()], ', ') || ' ' || e:label('and') || ' ' || $items[last()]"/>
  </xsl:function>

  <!-- The metadata record of a TEI (or teiCorpus) document. Any other root gives a minimal record.
       The source's own root element's record is made once per transform, although the
       page head and the title page both ask (saxon-js does not cache function results). -->
  <xsl:function name="e:metadata" as="map(*)">
    <xsl:param name="root" as="element()"/>
    <xsl:sequence select="if ($root is $e:id-root/*) then $e:root-metadata else e:metadata-of($root)"/>
  </xsl:function>
  <xsl:variable name="e:root-metadata" as="map(*)?" select="$e:id-root/* ! e:metadata-of(.)"/>

  <xsl:function name="e:metadata-of" as="map(*)">
    <xsl:param name="root" as="element()"/>
    <xsl:variable name="tei" select="$root[self::tei:TEI or self::tei:teiCorpus]"/>
    <xsl:variable name="h" select="$tei/tei:teiHeader"/>
    <xsl:variable name="fd" select="$h/tei:fileDesc"/>
    <xsl:variable name="ts" select="$fd/tei:titleStmt"/>
    <xsl:variable name="pub" select="$fd/tei:publicationStmt"/>
    <xsl:variable name="main" select="e:plain-no-notes(($ts/tei:title[not(@type) or @type = ('main', 'full')], $ts/tei:title)[1])"/>
    <xsl:variable name="sub" select="e:plain-no-notes($ts/tei:title[@type = ('sub', 'subtitle')][1])"/>
    <xsl:variable name="people" select="$ts/(tei:author | tei:editor | tei:respStmt | tei:principal | tei:funder | tei:sponsor) ! e:contributor(.)"/>
    <xsl:variable name="authors" select="$people[?role = 'aut']"/>
    <xsl:variable name="translators" select="$people[?role = 'trl']"/>
    <xsl:variable name="editors" select="$people[?role = 'edt']"/>
    <xsl:variable name="others" select="$people[not(?role = ('aut', 'trl', 'edt'))]"/>
    <xsl:variable name="title" select="if ($main != '') then $main else if ($tei) then e:doc-title($tei) else ''"/>
    <xsl:variable name="languages" select="distinct-values((
      if ($tei) then e:doc-lang($tei)[. != 'und'] else e:lang($root/@xml:lang),
      $h/tei:profileDesc/tei:langUsage/tei:language/@ident ! e:lang(.)))"/>
    <xsl:variable name="licence-el" select="$pub/tei:availability/tei:licence[1]"/>
    <xsl:variable name="licence-url" select="(($licence-el/@target, $pub/tei:availability//tei:ref/@target)
      ! e:safe-url(e:first-pointer(.)))[matches(., '^https?://')][1]"/>
    <xsl:variable name="licence-text" select="e:plain-no-notes($licence-el)"/>
    <xsl:variable name="availability" select="e:plain-no-notes($pub/tei:availability)"/>
    <xsl:variable name="publisher" select="e:plain-no-notes(($pub/tei:publisher, $pub/tei:authority)[1])"/>
    <xsl:variable name="distributor" select="e:plain-no-notes($pub/tei:distributor[1])"/>
    <xsl:variable name="sd" select="$fd/tei:sourceDesc/*[1]"/>
    <xsl:variable name="source" select="e:shorten(
      if ($sd/self::tei:msDesc) then e:plain-no-notes(($sd/tei:msIdentifier/tei:msName, $sd/tei:msIdentifier)[1])
      else if ($sd/self::tei:biblFull) then e:plain-no-notes(($sd/tei:titleStmt/tei:author, $sd/tei:titleStmt/tei:title, $sd/tei:publicationStmt/*))
      else if ($sd/self::tei:listBibl or $sd/self::tei:listWit) then string-join($sd/* ! e:plain-no-notes(.)[. != ''], '; ')
      else e:plain-no-notes($sd), 300)"/>
    <xsl:variable name="abstract" select="e:plain-no-notes(($h/tei:profileDesc/tei:abstract, $fd/tei:notesStmt/tei:note)[1])"/>
    <xsl:variable name="description" select="
      if ($abstract != '') then e:shorten($abstract, 1000)
      else string-join((
        (if ($title != '') then $title else e:label('untitled')),
        (if (exists($authors)) then ', ' || e:label('by') || ' ' || e:and-list($authors?name) else ''),
        (if (exists($translators)) then ', ' || lower-case(e:label('translated-by')) || ' ' || e:and-list($translators?name) else ''),
        (if (exists($editors)) then ', ' || lower-case(e:label('edited-by')) || ' ' || e:and-list($editors?name) else ''),
        '.'), '')"/>
    <xsl:variable name="created" select="e:iso-date($h/tei:profileDesc/tei:creation/descendant-or-self::*[self::tei:date or self::tei:origDate])"/>
    <xsl:variable name="published" select="e:iso-date($pub/tei:date)"/>
    <xsl:variable name="revised" select="(for $c in $h/tei:revisionDesc/descendant::tei:change/(@when, @notAfter, @notBefore)[1][e:is-iso-date(.)] return string($c))
      => sort() => reverse()"/>
    <xsl:variable name="subjects" select="distinct-values($h/tei:profileDesc/tei:textClass/(tei:keywords//tei:term, tei:classCode) ! e:plain(.)[. != ''])"/>
    <xsl:variable name="ids" select="$pub/tei:idno[normalize-space(.) != ''] ! map:merge((
      map{'value': normalize-space(.)}, if (normalize-space(@type) != '') then map{'type': normalize-space(@type)} else ()))"/>
    <xsl:variable name="series" select="e:plain-no-notes($fd/tei:seriesStmt/tei:title[1])"/>
    <xsl:variable name="edition" select="e:plain-no-notes($fd/tei:editionStmt/tei:edition[1])"/>
    <xsl:variable name="kind" select="
      if (empty($tei)) then 'fragment'
      else if ($tei/self::tei:teiCorpus) then 'corpus'
      else if (exists(key('e:by-name', ('schemaSpec', 'elementSpec'), $tei)[ancestor::tei:text])) then 'odd'
      else if (empty($tei/tei:text) and empty($tei/tei:sourceDoc)) then 'header-only'
      else 'edition'"/>
    <xsl:sequence select="map:merge((
      map{
        'kind': $kind,
        'title': if ($title != '') then $title else e:label('untitled'),
        'fullTitle': if ($tei and e:doc-title($tei) != '') then e:doc-title($tei) else if ($title != '') then $title else e:label('untitled'),
        'authors': array{ $authors },
        'translators': array{ $translators },
        'editors': array{ $editors },
        'contributors': array{ $others },
        'languages': array{ $languages },
        'identifiers': array{ $ids },
        'subjects': array{ $subjects },
        'description': $description,
        'hasPageBreaks': exists($tei) and $tei ! exists(descendant::tei:pb[ancestor::tei:text or ancestor::tei:sourceDoc])
      },
      if ($sub != '') then map{'subtitle': $sub} else (),
      if (exists($languages)) then map{'language': $languages[1]} else (),
      if ($edition != '') then map{'edition': $edition} else (),
      if ($publisher != '') then map{'publisher': $publisher} else (),
      if ($distributor != '') then map{'distributor': $distributor} else (),
      if (normalize-space($pub/tei:pubPlace[1]) != '') then map{'pubPlace': e:plain($pub/tei:pubPlace[1])} else (),
      (: the edition's date, one rule for every format: the first of the revision,
         publication and creation dates that begins with a year, cut to its ISO 8601
         date or date-time prefix (SOURCE_DATE_EPOCH, when given, comes before it; see
         editionDate() in src/metadata/ and the print layer) :)
      (for $d in ($revised[1], $published, $created)[matches(., '^\d{4}')]
       return map{'editionDate': replace($d, '^(\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2})?)?)?)?).*$', '$1', 's')})[1],
      if (exists($created) or exists($published) or exists($revised)) then map{'dates': map:merge((
        if (exists($created)) then map{'created': $created} else (),
        if (exists($published)) then map{'published': $published} else (),
        if (exists($revised)) then map{'revised': $revised[1]} else ()))} else (),
      if ($licence-text != '' or exists($licence-url)) then map{'licence': map:merge((
        map{'text': if ($licence-text != '') then $licence-text else string($licence-url)},
        if (exists($licence-url)) then map{'url': $licence-url} else ()))} else (),
      if ($availability != '') then map{'availability': $availability} else (),
      if (normalize-space($pub/tei:availability/@status) != '') then map{'availabilityStatus': normalize-space($pub/tei:availability/@status)} else (),
      if ($source != '') then map{'source': $source} else (),
      if ($series != '') then map{'series': $series} else ()
    ))"/>
  </xsl:function>

  <!-- The record as JSON text, safe inside an HTML <script>: <, > and & become \u escapes. -->
  <xsl:function name="e:json-for-script" as="xs:string">
    <xsl:param name="value" as="item()"/>
    <xsl:sequence select="serialize($value, map{'method': 'json', 'indent': false()})
      => replace('&lt;', '\\u003c') => replace('&gt;', '\\u003e') => replace('&amp;', '\\u0026')"/>
  </xsl:function>
</xsl:stylesheet>
