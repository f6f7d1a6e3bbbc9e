<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio core, TEI module "core": paragraphs, highlighting, quotation, names, dates,
  numbers, lists, notes, links, graphics, breaks, gaps, choice and its children,
  editorial additions/deletions, unclear, seg, anchor, bibliographic citations.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio"
  xmlns="http://www.w3.org/1999/xhtml"
  exclude-result-prefixes="#all">

  <xsl:variable name="e:map-core" static="yes" as="map(xs:string, xs:string)" select="map{
    'p': 'paragraph', 'ab': 'paragraph', 'hi': 'inline', 'emph': 'inline', 'foreign': 'inline',
    'q': 'inline', 'quote': 'inline', 'said': 'inline', 'cit': 'cit', 'bibl': 'contextual',
    'title': 'title', 'name': 'inline', 'rs': 'inline', 'date': 'inline', 'time': 'inline',
    'num': 'inline', 'measure': 'inline', 'measureGrp': 'inline', 'unit': 'inline',
    'list': 'list', 'item': 'listItem', 'label': 'contextual', 'note': 'note', 'noteGrp': 'block',
    'ref': 'link', 'ptr': 'link', 'graphic': 'graphic', 'media': 'graphic', 'binaryObject': 'omit',
    'lb': 'break', 'pb': 'break', 'cb': 'break', 'milestone': 'break', 'gb': 'break',
    'gap': 'gap', 'choice': 'alternate', 'sic': 'inline', 'corr': 'inline', 'orig': 'inline',
    'reg': 'inline', 'abbr': 'inline', 'expan': 'inline', 'unclear': 'inline', 'add': 'inline',
    'del': 'inline', 'seg': 'inline', 'anchor': 'anchor', 'term': 'inline', 'gloss': 'inline',
    'mentioned': 'inline', 'soCalled': 'inline', 'distinct': 'inline', 'desc': 'contextual',
    'code': 'inline', 'ident': 'inline', 'gi': 'inline', 'att': 'inline', 'val': 'inline', 'tag': 'inline',
    'eg': 'code', 'email': 'inline', 'address': 'contextual', 'addrLine': 'contextual',
    'street': 'inline', 'postCode': 'inline', 'postBox': 'inline', 'listBibl': 'list',
    'index': 'index', 'interp': 'omit', 'interpGrp': 'omit', 'span': 'omit', 'spanGrp': 'omit',
    'w': 'inline', 'c': 'inline', 'pc': 'inline', 's': 'inline', 'cl': 'inline', 'phr': 'inline', 'm': 'inline',
    'headItem': 'inline', 'headLabel': 'inline', 'ornament': 'inline',
    'specDesc': 'inline', 'specList': 'list', 'attRef': 'omit'}"/>

  <!-- ===== highlighting and quotation ===== -->

  <xsl:template match="tei:hi">
    <!-- per @rend/@rendition value of the document: (element name, class) -->
    <xsl:variable name="plain" select="$e:hi-plain(e:rend-key(.))"/>
    <xsl:choose>
      <!-- The commonest case, a hi with @rend (or @rendition) alone that holds no block:
           written here, with its element and class worked out once per value, as e:inline
           and e:attrs would write it (a third of the closures saxon-js ran for a hi). -->
      <xsl:when test="exists($plain) and count(@*) eq count(@rend) + count(@rendition) and (empty(*) or not(e:has-block(.)))">
        <!-- (the commonest elements as literals: xsl:element makes a QName of its
             computed name at each call) -->
        <xsl:variable name="tag" select="$plain[1]"/>
        <xsl:choose>
          <xsl:when test="$tag eq 'i'"><i class="{$plain[2]}"><xsl:apply-templates select=". ! node()"/></i></xsl:when>
          <xsl:when test="$tag eq 'span'"><span class="{$plain[2]}"><xsl:apply-templates select=". ! node()"/></span></xsl:when>
          <xsl:otherwise>
            <xsl:element name="{$tag}" namespace="http://www.w3.org/1999/xhtml">
              <xsl:attribute name="class" select="$plain[2]"/>
              <xsl:apply-templates select=". ! node()"/>
            </xsl:element>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="e:inline">
          <xsl:with-param name="tag" select="if (exists($plain)) then $plain[1] else e:hi-tag(e:rend-tokens(.))"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The HTML element for a hi with these rend classes. -->
  <xsl:function name="e:hi-tag" as="xs:string">
    <xsl:param name="r" as="xs:string*"/>
    <xsl:sequence select="if ($r = 'sup') then 'sup' else if ($r = 'sub') then 'sub'
      else if ($r = 'italic') then 'i' else if ($r = 'bold') then 'b' else 'span'"/>
  </xsl:function>

  <!-- For each @rend/@rendition value of the document, worked out once: a hi's element
       (e:hi-tag) and, when it has no other attribute, its class (e:class-string's). -->
  <xsl:variable name="e:hi-plain" as="map(xs:string, xs:string+)"
    select="map:merge(map:keys($e:rend-cache) ! map{.: (e:hi-tag($e:rend-cache(.)),
      string-join(('tei-hi', $e:rend-class-cache(.)[. ne '']), ' '))})"/>

  <xsl:template match="tei:emph">
    <xsl:call-template name="e:inline"><xsl:with-param name="tag" select="'em'"/></xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:term | tei:mentioned | tei:soCalled | tei:gloss | tei:distinct | tei:foreign">
    <xsl:call-template name="e:inline">
      <xsl:with-param name="tag" select="if (self::tei:term) then 'dfn' else 'i'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:code | tei:ident | tei:gi | tei:att | tei:val | tei:tag">
    <xsl:call-template name="e:inline"><xsl:with-param name="tag" select="'code'"/></xsl:call-template>
  </xsl:template>

  <!-- q, quote, said: <q> inline, <blockquote> in flow context or when holding blocks. -->
  <xsl:template match="tei:q | tei:quote | tei:said">
    <!-- When the source already carries its quotation marks, the <q> is classed "marked"
         so that no format adds a second pair. -->
    <xsl:variable name="marked" select="matches(., '^\s*[&quot;“”„‘’‚«»‹›]')"/>
    <xsl:choose>
      <!-- (e:behaviour's answer from the map, where it needs no context: q, quote and said
           are "inline" there, and the call cost ~45 closures at each of Quintilian's
           1,892 quotations) -->
      <xsl:when test="(let $b := $e:behaviour-map(local-name()) return $b eq 'block' or ($b eq 'contextual' and e:behaviour(.) eq 'block'))
          or e:has-block(.)">
        <xsl:call-template name="e:block"><xsl:with-param name="tag" select="'blockquote'"/></xsl:call-template>
      </xsl:when>
      <xsl:when test="self::tei:said and @direct = 'false'">
        <xsl:call-template name="e:inline"/>
      </xsl:when>
      <xsl:when test="empty(@*)">
        <!-- (the commonest, with no attribute: written here as e:inline and e:attrs would
             write it, without asking e:has-block again; Quintilian has 1,698) -->
        <q class="{'tei-' || local-name() || (if ($marked) then ' marked' else '')}">
          <xsl:apply-templates select=". ! node()"/>
        </q>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="e:inline">
          <xsl:with-param name="tag" select="'q'"/>
          <xsl:with-param name="class" select="if ($marked) then 'marked' else ()"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- cit: a quotation with its source. -->
  <xsl:template name="e:cit">
    <xsl:call-template name="e:inline">
      <xsl:with-param name="tag" select="if (e:behaviour(.) = 'cit-block') then 'div' else 'span'"/>
    </xsl:call-template>
  </xsl:template>

  <!-- ===== dates, numbers, names ===== -->

  <xsl:template match="tei:date | tei:time">
    <xsl:variable name="when" select="(@when, @when-iso)[1]"/>
    <xsl:call-template name="e:inline">
      <xsl:with-param name="tag" select="if (e:is-iso-date($when)) then 'time' else 'span'"/>
      <xsl:with-param name="extra-attrs" as="attribute()*">
        <xsl:if test="e:is-iso-date($when)"><xsl:attribute name="datetime" select="$when"/></xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:num | tei:measure">
    <xsl:call-template name="e:inline">
      <xsl:with-param name="extra-attrs" as="attribute()*">
        <xsl:if test="@value castable as xs:double"><xsl:attribute name="data-value" select="@value"/></xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- Names (here and in namesdates.xsl): a span with the authority reference as inert data. -->
  <xsl:template match="tei:name | tei:rs">
    <xsl:call-template name="e:name"/>
  </xsl:template>

  <xsl:template name="e:name">
    <xsl:param name="e:secondary" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="ref" select="e:safe-url(e:first-pointer((@ref, @key)[1]))"/>
    <!-- (only a name with a @ref is an occurrence: the others spare the accumulator's pass) -->
    <xsl:variable name="occ" select="if ($e:secondary or empty(@ref) or e:owns-id(.)) then () else e:occurrence-id(.)"/>
    <xsl:call-template name="e:inline">
      <xsl:with-param name="extra-attrs" as="attribute()*">
        <xsl:if test="exists($occ)"><xsl:attribute name="id" select="$occ"/></xsl:if>
        <xsl:if test="exists($ref)"><xsl:attribute name="data-ref" select="$ref"/></xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- ===== lists ===== -->

  <xsl:template name="e:list">
    <xsl:variable name="gloss" select="@type = 'gloss' or exists(tei:label)"/>
    <xsl:variable name="ordered" select="@type = ('ordered', 'numbered', 'decimal', 'enumerated') or tokenize(@rend, '\s+') = ('numbered', 'ordered', 'decimal')"/>
    <xsl:variable name="heads" select="tei:head"/>
    <xsl:choose>
      <xsl:when test="exists($heads)">
        <div class="list-container">
          <xsl:call-template name="e:attrs"/>
          <xsl:for-each select="$heads">
            <div class="list-head"><xsl:call-template name="e:attrs"/><xsl:apply-templates/></div>
          </xsl:for-each>
          <xsl:call-template name="e:list-body">
            <xsl:with-param name="gloss" select="$gloss"/>
            <xsl:with-param name="ordered" select="$ordered"/>
            <xsl:with-param name="with-id" select="false()"/>
          </xsl:call-template>
        </div>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="e:list-body">
          <xsl:with-param name="gloss" select="$gloss"/>
          <xsl:with-param name="ordered" select="$ordered"/>
          <xsl:with-param name="with-id" select="true()"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="e:list-body">
    <xsl:param name="gloss" as="xs:boolean"/>
    <xsl:param name="ordered" as="xs:boolean"/>
    <xsl:param name="with-id" as="xs:boolean"/>
    <xsl:element name="{if ($gloss) then 'dl' else if ($ordered) then 'ol' else 'ul'}" namespace="http://www.w3.org/1999/xhtml">
      <xsl:call-template name="e:attrs">
        <xsl:with-param name="with-id" select="$with-id"/>
      </xsl:call-template>
      <xsl:choose>
        <xsl:when test="$gloss">
          <xsl:for-each-group select="node()[not(self::tei:head)][not(self::text()[normalize-space() = ''])]" group-starting-with="tei:label">
            <div class="gloss-entry">
              <dt class="{if (current-group()[1][self::tei:label]) then 'tei-label' else 'interstitial'}">
                <xsl:apply-templates select="current-group()[1][self::tei:label]/node()"/>
              </dt>
              <dd>
                <xsl:apply-templates select="current-group()[not(. is current-group()[1][self::tei:label])]"/>
              </dd>
            </div>
          </xsl:for-each-group>
        </xsl:when>
        <xsl:otherwise>
          <xsl:for-each select="node()[not(self::tei:head)]">
            <xsl:choose>
              <xsl:when test="self::text()[normalize-space() = '']"/>
              <xsl:when test="self::element() and e:behaviour(.) = 'listItem'">
                <xsl:apply-templates select="."/>
              </xsl:when>
              <xsl:when test="self::element() or self::text()">
                <li class="list-member"><xsl:apply-templates select="."/></li>
              </xsl:when>
            </xsl:choose>
          </xsl:for-each>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:element>
  </xsl:template>

  <!-- listItem: an <li> in a plain list; in a gloss list (rendered as <dl>, the item in
       a <dd>) or outside a list, a <div>. -->
  <xsl:template name="e:listItem">
    <xsl:variable name="in-list" select="exists(../self::*[e:behaviour(.) = 'list']) and not(../@type = 'gloss' or exists(../tei:label))"/>
    <xsl:element name="{if ($in-list) then 'li' else 'div'}" namespace="http://www.w3.org/1999/xhtml">
      <xsl:call-template name="e:attrs"/>
      <xsl:if test="$in-list and ../self::tei:list and (@n castable as xs:integer)">
        <xsl:attribute name="value" select="xs:integer(@n)"/>
      </xsl:if>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- ===== notes ===== -->

  <!-- A note goes to the notes section when it is in the text and not placed inline. A
       note that is a child of an app is the apparatus entry's own comment (textcrit.xsl
       writes it there, after the readings): it has no call in the text, and listed
       again among the notes it would be a second copy that nothing leads to. -->
  <xsl:function name="e:is-footnote" as="xs:boolean">
    <xsl:param name="n"/>
    <!-- (a @place without "inline" in it needs no tokenizing: most notes) -->
    <xsl:sequence select="$n ! ((empty(@place) or not(contains(lower-case(@place), 'inline'))
      or not(tokenize(lower-case(@place), '\s+') = 'inline')) and exists(ancestor::tei:text)
      and not(parent::tei:app))"/>
  </xsl:function>

  <!-- map{'series', 'n' (number in its series, per TEI), 'id', 'call', 'node', 'label'}: from the
       source's table of notes (editio-core.xsl, e:note-table), else (a note of another
       tree) from the accumulator e:notes. (The templates that render a note's call, entry
       and back-link read the table themselves and call this only for a note not in it:
       three function calls a note cost more than the look-ups, on 1,773 notes.) -->
  <xsl:function name="e:note-info">
    <xsl:param name="n"/>
    <xsl:variable name="i" select="$e:note-table(generate-id($n))"/>
    <xsl:sequence select="if (exists($i)) then $i else e:note-info-counted($n)"/>
  </xsl:function>

  <!-- e:note-info from the accumulator: one accumulator read. -->
  <xsl:function name="e:note-info-counted">
    <xsl:param name="n"/>
    <xsl:variable name="a" as="map(*)" select="$n ! accumulator-before('e:notes')"/>
    <xsl:variable name="info" select="$a('#info')"/>
    <xsl:sequence select="if (exists($info) and $info('node') is $n) then $info
      else e:make-note-info($n, $a('#series'), $a('#series') ! $a(.), $a('#index'))"/>
  </xsl:function>

  <!-- The e:note-info map of a note that is number $n in $series and $index in the document. -->
  <xsl:function name="e:make-note-info" as="map(*)">
    <xsl:param name="note"/>
    <xsl:param name="series" as="xs:string?"/>
    <xsl:param name="n" as="xs:integer?"/>
    <xsl:param name="index" as="xs:integer?"/>
    <xsl:variable name="id" select="if (e:owns-id($note)) then string($note ! @xml:id)
      else e:fresh-id($note, (if ($series eq 'author') then 'fn' else if ($series eq 'translator') then 'fnt'
        else if ($series eq 'editor') then 'fne' else if ($series eq 'apparatus') then 'app' else '') || $index)"/>
    <xsl:sequence select="map{'series': $series, 'n': $n, 'id': $id, 'call': e:fresh-id($note, 'ref-' || $id), 'node': $note,
      'label': e:note-label-of($note, $series, $n)}"/>
  </xsl:function>

  <!-- The visible label of note $note, number $n in $series (its e:note-info map's
       'label'): author's notes keep @n. -->
  <xsl:function name="e:note-label-of" as="xs:string">
    <xsl:param name="note"/>
    <xsl:param name="s"/>
    <xsl:param name="n"/>
    <!-- (eq, not =: saxon-js's general comparison costs several times more) -->
    <xsl:sequence select="
      if ($s eq 'author') then (let $l := normalize-space($note ! @n) return if ($l ne '') then $l else string($n))
      else if ($s eq 'translator') then 'T' || $n
      else if ($s eq 'editor') then 'E' || $n
      else if (exists($n)) then e:alpha($n) else ''"/>
  </xsl:function>

  <xsl:template name="e:note">
    <xsl:choose>
      <!-- (a note in the source's table of notes is a footnote: one look-up, not the
           function's tests, for most notes) -->
      <xsl:when test="map:contains($e:note-table, generate-id()) or e:is-footnote(.)">
        <xsl:call-template name="e:note-call"/>
      </xsl:when>
      <xsl:otherwise>
        <!-- inline note, or a note outside the text (in standOff, a list…) -->
        <xsl:call-template name="e:inline">
          <xsl:with-param name="class" select="('note-inline', 'note-' || e:note-series(.))"/>
          <xsl:with-param name="content" as="item()*">
            <xsl:if test="not(e:flow-context(..))"><xsl:call-template name="e:mark"><xsl:with-param name="text" select="' ('"/></xsl:call-template></xsl:if>
            <xsl:apply-templates/>
            <xsl:if test="not(e:flow-context(..))"><xsl:call-template name="e:mark"><xsl:with-param name="text" select="')'"/></xsl:call-template></xsl:if>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The call in the text: a superscript link to the note. -->
  <xsl:template name="e:note-call">
    <xsl:param name="e:secondary" tunnel="yes" select="false()"/>
    <xsl:variable name="info" select="let $i := $e:note-table(generate-id()) return if (exists($i)) then $i else e:note-info(.)"/>
    <xsl:variable name="series" select="$info('series')"/>
    <a class="noteref noteref-{$series}" href="#{$info('id')}">
      <xsl:if test="$e:format-attrs"><xsl:call-template name="e:noteref-attrs"/></xsl:if>
      <xsl:attribute name="role" select="'doc-noteref'"/>
      <xsl:if test="not($e:secondary)">
        <xsl:attribute name="id" select="$info('call')"/>
      </xsl:if>
      <xsl:if test="$series eq 'translator' or $series eq 'editor'">
        <xsl:attribute name="title" select="e:label('note-' || $series)"/>
      </xsl:if>
      <xsl:if test="$e:mark-sources"><xsl:call-template name="e:source-mark"><xsl:with-param name="secondary" select="$e:secondary"/></xsl:call-template></xsl:if>
      <sup><xsl:value-of select="$info('label')"/></sup>
    </a>
  </xsl:template>

  <!-- The link from a note (or apparatus entry), the context item, back to its call.
       (Without parameters: a map passed to a template cost saxon-js more than the link,
       on Quintilian's 1,773 notes; the note's e:note-info is a look-up.) -->
  <xsl:template name="e:backlink">
    <xsl:variable name="info" select="let $i := $e:note-table(generate-id()) return if (exists($i)) then $i else e:note-info(.)"/>
    <a class="note-backlink" href="#{$info('call')}">
      <xsl:if test="$e:format-attrs"><xsl:call-template name="e:backlink-attrs"/></xsl:if>
      <xsl:attribute name="role" select="'doc-backlink'"/>
      <xsl:attribute name="title" select="$e:back-to-text"/>
      <xsl:value-of select="$info('label')"/>
    </a>
  </xsl:template>

  <xsl:variable name="e:back-to-text" as="xs:string" select="e:label('back-to-text')"/>

  <!-- A note in the notes section, linking back to its call. -->
  <xsl:template match="tei:note" mode="e:footnote">
    <xsl:variable name="info" select="let $i := $e:note-table(generate-id()) return if (exists($i)) then $i else e:note-info(.)"/>
    <xsl:variable name="series" select="$info('series')"/>
    <xsl:variable name="missing" select="exists(tei:gap) and normalize-space(string-join(text() | (* except tei:note)//text(), '')) = ''"/>
    <li id="{$info('id')}">
      <xsl:if test="$e:format-attrs"><xsl:call-template name="e:endnote-attrs"/></xsl:if>
      <xsl:attribute name="class" select="string-join(('footnote', 'note-' || $series, 'note-missing'[$missing], (if (@type) then e:type-classes(.) else ())), ' ')"/>
      <!-- (the tests spare two function calls, ~10 µs each in saxon-js, for most notes) -->
      <xsl:variable name="lang" select="if (@xml:lang) then e:lang(@xml:lang) else ()"/>
      <xsl:if test="exists($lang)">
        <xsl:attribute name="lang" select="$lang"/>
        <xsl:attribute name="xml:lang" select="$lang"/>
      </xsl:if>
      <xsl:call-template name="e:backlink"/>
      <xsl:text> </xsl:text>
      <xsl:if test="$series eq 'translator' or $series eq 'editor'">
        <span class="note-resp editorial"><xsl:value-of select="e:label('note-' || $series) || ': '"/></span>
      </xsl:if>
      <xsl:apply-templates/>
    </li>
  </xsl:template>

  <!-- ===== links ===== -->

  <xsl:template name="e:link">
    <xsl:variable name="all" select="string((@target, @url)[1])"/>
    <!-- the commonest link, one pointer to a local id ($e:local-pointer), needs none of
         the checks below: it is its own first pointer, and safe -->
    <xsl:variable name="simple" select="matches($all, $e:local-pointer)"/>
    <xsl:variable name="target" select="if ($simple) then $all else e:first-pointer($all)"/>
    <!-- the whole attribute must be safe too ("java&#9;script:…" tokenizes into "java") -->
    <xsl:variable name="href" select="if ($simple) then $all
      else if ($all eq $target) then e:safe-url($target) else if (empty(e:safe-url($all))) then () else e:safe-url($target)"/>
    <xsl:variable name="internal" select="$simple or starts-with(string($href), '#')"/>
    <!-- a pointer to an id the document does not have ("#nowhere") is not a live link -->
    <xsl:variable name="href" select="if ($internal and empty(e:by-id(., substring($href, 2)))) then () else $href"/>
    <!-- a pointer, or an empty ref, shows its target; any other link, its content -->
    <xsl:variable name="text" as="xs:string?" select="if (self::tei:ptr or normalize-space(.) = '' and empty(*)) then string(($target, @cRef, @n)[1]) else ()"/>
    <xsl:choose>
      <!-- (most links hold text alone: no search of their descendants then) -->
      <xsl:when test="exists($href) and (empty(*) or not(e:has-block(.)) and not(. ! (exists(descendant::tei:ref) or exists(descendant::tei:ptr) or exists(descendant::tei:note[e:is-footnote(.)]))))">
        <!-- written out, not through e:inline: passing the content and the href as
             parameters cost ~140 µs a link in saxon-js (15,000 links in one corpus text) -->
        <a>
          <xsl:call-template name="e:attrs">
            <xsl:with-param name="class" select="if ($internal) then 'link-internal' else 'link-external'"/>
          </xsl:call-template>
          <xsl:attribute name="href" select="$href"/>
          <xsl:choose>
            <xsl:when test="exists($text)"><xsl:value-of select="$text"/></xsl:when>
            <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
          </xsl:choose>
        </a>
      </xsl:when>
      <xsl:otherwise>
        <!-- no target, an unsafe one, or nested links: not a live link -->
        <xsl:call-template name="e:inline">
          <xsl:with-param name="class" select="if (exists($target) and empty($href) and not($internal)) then 'link-disabled' else 'link-none'"/>
          <xsl:with-param name="extra-attrs" as="attribute()*">
            <xsl:if test="exists($target) and empty($href) and not($internal)">
              <xsl:attribute name="title" select="e:label('link-disabled')"/>
            </xsl:if>
          </xsl:with-param>
          <xsl:with-param name="content" select="$text"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===== graphics ===== -->

  <!-- Whether an image on another server may be embedded. Off: a self-contained edition
       makes no network request, so a remote image becomes a link to it. -->
  <xsl:param name="e:remote-images" as="xs:boolean" select="false()"/>

  <xsl:template name="e:graphic">
    <xsl:call-template name="e:graphic-core"/>
  </xsl:template>

  <!-- (a format that renders tei:graphic its own way keeps this for the others, media,
       without the description: $with-desc) -->
  <xsl:template name="e:graphic-core">
    <xsl:param name="e:secondary" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:param name="with-desc" as="xs:boolean" select="true()"/>
    <xsl:variable name="src" select="e:safe-url(@url)"/>
    <xsl:variable name="alt" select="e:plain((tei:desc, ../tei:figDesc, ../../tei:figDesc)[1])"/>
    <xsl:choose>
      <xsl:when test="exists($src) and not($e:remote-images) and matches($src, '^(https?|ftp):|^//', 'i')">
        <xsl:variable name="in-link" select="exists(ancestor::tei:ref | ancestor::tei:ptr)"/>
        <xsl:element name="{if ($in-link) then 'span' else 'a'}" namespace="http://www.w3.org/1999/xhtml">
          <xsl:if test="not($in-link)"><xsl:attribute name="href" select="$src"/></xsl:if>
          <xsl:call-template name="e:attrs"><xsl:with-param name="class" select="('graphic-remote', 'editorial')"/></xsl:call-template>
          <xsl:if test="$e:mark-sources"><xsl:call-template name="e:source-mark"><xsl:with-param name="secondary" select="$e:secondary"/></xsl:call-template></xsl:if>
          <xsl:value-of select="'[image' || (if ($alt != '') then ': ' || $alt else '') || ']'"/>
        </xsl:element>
      </xsl:when>
      <xsl:when test="exists($src)">
        <img src="{$src}" alt="{$alt}">
          <xsl:call-template name="e:attrs"/>
          <xsl:if test="$e:mark-sources"><xsl:call-template name="e:source-mark"><xsl:with-param name="secondary" select="$e:secondary"/></xsl:call-template></xsl:if>
          <xsl:if test="matches(@width, '^\d+(px)?$')"><xsl:attribute name="width" select="replace(@width, 'px', '')"/></xsl:if>
          <xsl:if test="matches(@height, '^\d+(px)?$')"><xsl:attribute name="height" select="replace(@height, 'px', '')"/></xsl:if>
        </img>
        <xsl:if test="$with-desc and tei:desc">
          <span class="graphic-desc">
            <xsl:if test="$e:mark-sources"><xsl:attribute name="data-editio-drop" select="'true'"/></xsl:if>
            <xsl:apply-templates select="tei:desc/node()"/>
          </span>
        </xsl:if>
      </xsl:when>
      <xsl:otherwise>
        <span title="{e:label('link-disabled')}">
          <xsl:call-template name="e:attrs"><xsl:with-param name="class" select="('graphic-missing', 'editorial')"/></xsl:call-template>
          <xsl:if test="$e:mark-sources"><xsl:call-template name="e:source-mark"><xsl:with-param name="secondary" select="$e:secondary"/></xsl:call-template></xsl:if>
          <xsl:value-of select="'[image' || (if ($alt != '') then ': ' || $alt else '') || ']'"/>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- With $e:mark-sources: the TEI element this output element renders (see editio-core.xsl). -->
  <!-- (callers test $e:mark-sources first: a template call costs saxon-js microseconds,
       and the marked elements are the commonest ones) -->
  <xsl:template name="e:source-mark">
    <xsl:param name="secondary" as="xs:boolean" select="false()"/>
    <xsl:attribute name="data-editio-src" select="generate-id()"/>
    <xsl:if test="$secondary"><xsl:attribute name="data-editio-secondary" select="'true'"/></xsl:if>
  </xsl:template>

  <!-- ===== breaks ===== -->

  <xsl:template name="e:break">
    <xsl:choose>
      <xsl:when test="self::tei:lb">
        <xsl:if test="@break = 'no'"><span class="lb-hyphen" aria-hidden="true"/></xsl:if>
        <br>
          <xsl:call-template name="e:attrs"/>
        </br>
      </xsl:when>
      <xsl:when test="self::tei:pb">
        <xsl:call-template name="e:page-break"/>
      </xsl:when>
      <xsl:otherwise>
        <span>
          <xsl:call-template name="e:attrs"/>
          <xsl:if test="normalize-space(@unit) != ''">
            <xsl:attribute name="data-unit" select="normalize-space(@unit)"/>
          </xsl:if>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A page break: its number, as the editor's mark (a format overrides this alone). -->
  <xsl:template name="e:page-break">
    <xsl:param name="e:secondary" as="xs:boolean" tunnel="yes" select="false()"/>
    <span role="doc-pagebreak">
      <xsl:call-template name="e:attrs"><xsl:with-param name="class" select="'editorial'"/></xsl:call-template>
      <xsl:if test="$e:mark-sources"><xsl:call-template name="e:source-mark"><xsl:with-param name="secondary" select="$e:secondary"/></xsl:call-template></xsl:if>
      <xsl:if test="normalize-space(@n) != ''">
        <xsl:attribute name="aria-label" select="e:label('page') || ' ' || normalize-space(@n)"/>
        <xsl:value-of select="'[' || normalize-space(@n) || ']'"/>
      </xsl:if>
    </span>
  </xsl:template>

  <!-- ===== gaps: reason and extent, as the editor's words ===== -->

  <xsl:function name="e:gap-text" as="xs:string">
    <xsl:param name="g" as="element()"/>
    <xsl:variable name="reason" select="normalize-space(translate(string-join(tokenize($g/@reason, '\s+')[. != ''], ', '), '_', ' '))"/>
    <xsl:variable name="unit" select="normalize-space($g/@unit)"/>
    <xsl:variable name="qty" select="
      if (normalize-space($g/@quantity) != '') then normalize-space($g/@quantity)
      else if ($g/@atLeast and $g/@atMost) then normalize-space($g/@atLeast) || '–' || normalize-space($g/@atMost)
      else if ($g/@atLeast) then '≥ ' || normalize-space($g/@atLeast)
      else if ($g/@atMost) then '≤ ' || normalize-space($g/@atMost) else ''"/>
    <xsl:variable name="extent" select="string-join((normalize-space($g/@extent)[. != ''], string-join(($qty[. != ''], $unit[. != '' and $qty != '']), ' ')[. != '']), ', ')"/>
    <xsl:variable name="agent" select="normalize-space($g/@agent)"/>
    <xsl:variable name="desc" select="e:plain($g/tei:desc)"/>
    <xsl:variable name="in-empty-note" select="exists($g/parent::tei:note) and normalize-space(string-join($g/../(text() | (* except tei:note)//text()), '')) = ''"/>
    <xsl:variable name="what" select="
      if ($in-empty-note) then e:label('note-missing') || (if ($reason != '' and $reason != 'missing') then ' (' || $reason || ')' else '')
      else if ($reason != '') then $reason else e:label('gap')"/>
    <xsl:variable name="details" select="string-join(($extent[. != ''], $agent[. != ''], $desc[. != '']), '; ')"/>
    <xsl:sequence select="'[' || $what || (if ($details != '') then ': ' || $details else if ($reason = '' and not($in-empty-note)) then ' …' else '') || ']'"/>
  </xsl:function>

  <xsl:template name="e:gap">
    <span>
      <xsl:call-template name="e:attrs"><xsl:with-param name="class" select="'editorial'"/></xsl:call-template>
      <xsl:if test="normalize-space(@reason) != ''">
        <xsl:attribute name="data-reason" select="normalize-space(@reason)"/>
      </xsl:if>
      <xsl:value-of select="e:gap-text(.)"/>
    </span>
  </xsl:template>

  <!-- ===== choice: the corrected / regularised / expanded reading, the other kept ===== -->

  <xsl:function name="e:choice-primary" as="node()?">
    <xsl:param name="c" as="element()"/>
    <xsl:sequence select="($c/tei:corr, $c/tei:reg, $c/tei:expan, $c/tei:*)[1]"/>
  </xsl:function>

  <!-- An editorial choice: an edited reading (corr, reg, expan) in the text and the
       source's reading (sic, orig, abbr) kept hidden. Those readings are classed
       reading-edited / reading-source, which the reading switch toggles. -->
  <xsl:function name="e:is-editorial-choice" as="xs:boolean">
    <xsl:param name="c" as="element()"/>
    <xsl:sequence select="exists(e:choice-primary($c)[self::tei:corr or self::tei:reg or self::tei:expan])
      and exists($c/(tei:sic | tei:orig | tei:abbr))"/>
  </xsl:function>

  <xsl:template name="e:alternate">
    <xsl:param name="e:secondary" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="primary" select="e:choice-primary(.)"/>
    <xsl:variable name="others" select="tei:* except $primary"/>
    <xsl:variable name="editorial" select="e:is-editorial-choice(.)"/>
    <xsl:call-template name="e:inline">
      <xsl:with-param name="extra-attrs" as="attribute()*">
        <xsl:if test="$e:mark-sources"><xsl:call-template name="e:source-mark"><xsl:with-param name="secondary" select="$e:secondary"/></xsl:call-template></xsl:if>
      </xsl:with-param>
      <xsl:with-param name="content" as="item()*">
        <xsl:for-each select="$primary">
          <xsl:call-template name="e:inline">
            <xsl:with-param name="class" select="('reading-primary', 'reading-edited'[$editorial])"/>
            <xsl:with-param name="extra-attrs" as="attribute()*">
              <xsl:attribute name="title" select="string-join($others ! (local-name() || ': ' || e:plain(.)), '; ')"/>
            </xsl:with-param>
          </xsl:call-template>
        </xsl:for-each>
        <xsl:for-each select="$others">
          <xsl:variable name="source" select="$editorial and exists(self::tei:sic | self::tei:orig | self::tei:abbr)"/>
          <xsl:call-template name="e:inline">
            <xsl:with-param name="class" select="('reading-alternative', 'reading-source'[$source])"/>
            <xsl:with-param name="extra-attrs" as="attribute()*">
              <xsl:attribute name="hidden" select="'hidden'"/>
              <xsl:if test="$source">
                <xsl:attribute name="title" select="$primary ! (local-name() || ': ' || e:plain(.))"/>
              </xsl:if>
            </xsl:with-param>
            <xsl:with-param name="content" as="item()*">
              <xsl:apply-templates>
                <xsl:with-param name="e:secondary" select="true()" tunnel="yes"/>
              </xsl:apply-templates>
            </xsl:with-param>
          </xsl:call-template>
        </xsl:for-each>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The reading switch: edited text (default) or the source's readings. Emitted only when
       the document has an editorial choice; hidden until a script makes it work (the page
       then toggles the class reading-source-on on <body>). -->
  <xsl:template name="e:reading-switch">
    <xsl:param name="doc" as="element()"/>
    <xsl:if test="exists($doc ! descendant::tei:choice[e:is-editorial-choice(.)])">
      <fieldset class="reading-switch" hidden="hidden">
        <legend><xsl:value-of select="e:label('reading')"/></legend>
        <label><input type="radio" name="editio-reading" value="edited" checked="checked"/><xsl:text> </xsl:text><xsl:value-of select="e:label('reading-edited')"/></label>
        <xsl:text> </xsl:text>
        <label><input type="radio" name="editio-reading" value="source"/><xsl:text> </xsl:text><xsl:value-of select="e:label('reading-source')"/> <span class="reading-hint"> (sic, orig, abbr)</span></label>
      </fieldset>
    </xsl:if>
  </xsl:template>

  <!-- ===== additions, deletions, unclear ===== -->

  <xsl:template match="tei:add">
    <xsl:call-template name="e:inline">
      <xsl:with-param name="tag" select="'ins'"/>
      <xsl:with-param name="block-tag" select="'ins'"/>
      <xsl:with-param name="extra-attrs" as="attribute()*">
        <xsl:if test="normalize-space(@place) != ''"><xsl:attribute name="data-place" select="normalize-space(@place)"/></xsl:if>
        <xsl:attribute name="title" select="string-join(('added', normalize-space(@place)[. != '']), ': ')"/>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:del">
    <xsl:call-template name="e:inline">
      <xsl:with-param name="tag" select="'del'"/>
      <xsl:with-param name="block-tag" select="'del'"/>
      <xsl:with-param name="extra-attrs" as="attribute()*">
        <xsl:attribute name="title" select="string-join(('deleted', normalize-space(@rend)[. != '']), ': ')"/>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:unclear">
    <xsl:call-template name="e:inline">
      <xsl:with-param name="class" select="'editorial-flag'"/>
      <xsl:with-param name="extra-attrs" as="attribute()*">
        <xsl:attribute name="title" select="string-join((e:label('unclear'), normalize-space(@reason)[. != ''], normalize-space(@cert)[. != '']), ': ')"/>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>
</xsl:stylesheet>
