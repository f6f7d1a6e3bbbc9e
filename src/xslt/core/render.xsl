<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio core: the one default rendering of each behaviour, as named templates.
  Context item: the TEI element. Formats override these by name (import precedence).

  Tunnel parameter e:secondary = true() while rendering a second copy of some content
  (a hidden alternative reading, a lemma repeated in the apparatus, a TOC entry): ids are
  then left out so that every id stays unique.

  Written for saxon-js's speed, in the templates every element goes through: xslt3 does
  not know the context item's type in a named template, so "@a" as a test and a bare
  xsl:apply-templates each become a path sorted into document order at every call;
  "exists(@a)" and select=". ! node()" say the same without the sort. (Functions likewise
  take their node parameters untyped and step into them with "$n ! step", functions.xsl.)
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio"
  xmlns="http://www.w3.org/1999/xhtml"
  exclude-result-prefixes="#all">

  <!-- id (first holder of an xml:id only, never in a secondary copy), lang, class. -->
  <xsl:template name="e:attrs">
    <!-- No "as" on these parameters (nor on those of the paragraph, block and inline
         templates): every element comes here, and saxon-js checking their types cost
         ~2-3% of a transform, in instructions counted under cachegrind on the TEI
         simplePrint ODD. $class: strings; $e:secondary, $with-id: booleans. -->
    <xsl:param name="class" select="()"/>
    <xsl:param name="e:secondary" tunnel="yes" select="false()"/>
    <xsl:param name="with-id" select="true()"/>
    <!-- $class: the caller's own classes, never tei-, rend- or type-, never twice. The
         plain case is decided here, not in e:class-string: a function call costs saxon-js
         ~10 µs, at every element. -->
    <xsl:variable name="cls" select="
      if (not(@rend or @rendition or @type)) then (if (empty($class)) then 'tei-' || local-name() else string-join(('tei-' || local-name(), $class), ' '))
      else if (empty($class)) then e:class-string(.)
      else string-join((e:class-string(.), $class), ' ')"/>
    <!-- (the three attributes most elements have none of, tested once: each xsl:if costs
         saxon-js five steps even when false) -->
    <xsl:choose>
      <xsl:when test="@xml:id or @xml:lang or @n">
        <xsl:if test="@xml:id and $with-id and not($e:secondary) and e:owns-id(.)">
          <xsl:attribute name="id" select="@xml:id"/>
        </xsl:if>
        <xsl:if test="exists(@xml:lang)">
          <xsl:variable name="lang" select="e:lang(@xml:lang)"/>
          <xsl:if test="exists($lang)">
            <xsl:attribute name="lang" select="$lang"/>
            <xsl:attribute name="xml:lang" select="$lang"/>
          </xsl:if>
        </xsl:if>
        <xsl:attribute name="class" select="$cls"/>
        <xsl:if test="@n and normalize-space(@n) != ''">
          <xsl:attribute name="data-n" select="normalize-space(@n)"/>
        </xsl:if>
      </xsl:when>
      <xsl:otherwise>
        <xsl:attribute name="class" select="$cls"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- paragraph: <p>, or <div class="… p"> when it holds flow content (a list, a table…). -->
  <xsl:template name="e:paragraph">
    <xsl:param name="class" select="()"/>
    <xsl:variable name="block" select="e:has-block(.)"/>
    <xsl:choose>
      <!-- The commonest paragraph, with no attribute and no class of the caller's, written
           here as e:attrs would write it (Quintilian: 3,736 of them, ~40 closure calls
           each in saxon-js for the call and the computed element name) -->
      <xsl:when test="empty(@*) and empty($class) and not($block)">
        <p class="tei-{local-name()}"><xsl:apply-templates select=". ! node()"/></p>
      </xsl:when>
      <xsl:otherwise>
        <xsl:element name="{if ($block) then 'div' else 'p'}" namespace="http://www.w3.org/1999/xhtml">
          <xsl:call-template name="e:attrs">
            <xsl:with-param name="class" select="$class"/>
          </xsl:call-template>
          <xsl:apply-templates select=". ! node()"/>
        </xsl:element>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- block: a generic division. -->
  <xsl:template name="e:block">
    <xsl:param name="class" select="()"/>
    <xsl:param name="tag" select="'div'"/>
    <xsl:element name="{$tag}" namespace="http://www.w3.org/1999/xhtml">
      <xsl:call-template name="e:attrs">
        <xsl:with-param name="class" select="$class"/>
      </xsl:call-template>
      <!-- (a transcription and the stand-off lists are files of the EPUB: it takes them
           from the page by this mark) -->
      <xsl:if test="$e:mark-sources and (self::tei:sourceDoc or self::tei:standOff)"><xsl:call-template name="e:source-mark"/></xsl:if>
      <xsl:apply-templates select=". ! node()"/>
    </xsl:element>
  </xsl:template>

  <!-- inline: a span (or $tag), or a div when it holds flow content. -->
  <xsl:template name="e:inline">
    <xsl:param name="class" select="()"/>
    <xsl:param name="tag" select="'span'"/>
    <xsl:param name="block-tag" select="'div'"/>
    <!-- Content to use instead of the children (when empty, the children are rendered:
         building content in a parameter copies it, so the default path avoids that). -->
    <xsl:param name="content" select="()"/>
    <xsl:param name="extra-attrs" select="()"/>
    <xsl:element name="{if (e:has-block(.)) then $block-tag else $tag}" namespace="http://www.w3.org/1999/xhtml">
      <xsl:call-template name="e:attrs">
        <xsl:with-param name="class" select="$class"/>
      </xsl:call-template>
      <xsl:sequence select="$extra-attrs"/>
      <xsl:choose>
        <xsl:when test="exists($content)"><xsl:sequence select="$content"/></xsl:when>
        <xsl:otherwise><xsl:apply-templates select=". ! node()"/></xsl:otherwise>
      </xsl:choose>
    </xsl:element>
  </xsl:template>

  <!-- section: a TEI div. -->
  <xsl:template name="e:section">
    <section>
      <xsl:choose>
        <!-- the commonest division, with no @xml:lang, @rend or @rendition (Quintilian:
             3,864, each with @type and @n): its class and data-n written here as e:attrs
             would write them -->
        <xsl:when test="empty(@xml:lang) and empty(@rend) and empty(@rendition)">
          <!-- (e:class-string's value, its type part read here from the cache: the call
               cost ~25 closures a division) -->
          <xsl:attribute name="class" select="if (empty(@type)) then 'tei-' || local-name()
            else let $t := $e:type-class-cache(string(@type)) return
              if (empty($t)) then e:class-string(.) else if ($t eq '') then 'tei-' || local-name() else 'tei-' || local-name() || ' ' || $t"/>
          <xsl:if test="exists(@n) and normalize-space(@n) ne ''">
            <xsl:attribute name="data-n" select="normalize-space(@n)"/>
          </xsl:if>
        </xsl:when>
        <xsl:otherwise>
          <xsl:call-template name="e:attrs">
            <xsl:with-param name="with-id" select="false()"/>
          </xsl:call-template>
        </xsl:otherwise>
      </xsl:choose>
      <!-- (e:section-id's look-up made here: a call at each division cost more) -->
      <xsl:attribute name="id" select="let $i := $e:div-ids(generate-id()) return if (exists($i)) then $i else e:section-id(.)"/>
      <xsl:if test="$e:mark-sources"><xsl:attribute name="data-editio-src" select="generate-id()"/></xsl:if>
      <xsl:if test="$e:format-attrs"><xsl:call-template name="e:section-attrs"/></xsl:if>
      <xsl:apply-templates select=". ! node()"/>
    </section>
  </xsl:template>

  <!-- The id of every division of the source, by generate-id() (which editio's saxon-js
       patch 6 makes, in order, from the previous sibling's): e:section-id-of with its
       e:section-path, worked out in one walk down from each division whose parent is not
       one, a child's path being its parent's and its position among its parent's
       divisions. Each division asked for its own (the section, its TOC entry, the EPUB's
       navigation) would climb its ancestors and count their siblings; a tunnel parameter
       carrying the parent's path (as before) cost every template call below a division
       a copy of it in saxon-js (Quintilian: 3,864 divisions four deep, 1.6% of its
       HTML transform's instructions). -->
  <xsl:variable name="e:div-ids" as="map(*)" _select="map:merge((if ($e:div-only) then $e:id-root ! descendant::tei:div[not(parent::tei:div)]
      else ($e:id-root ! descendant::tei:div | key('e:by-name', $e:numbered-div-names, $e:id-root))[not(parent::*[{$e:division-test}])])
    ! e:div-ids-under(., e:section-path(.)))"/>
  <xsl:function name="e:div-ids-under" as="map(*)*">
    <xsl:param name="d"/>
    <xsl:param name="path"/>
    <xsl:sequence _select="map{{generate-id($d): e:section-id-of($d, $path)}},
      (if ($e:div-only) then $d ! tei:div else $d ! *[{$e:division-test}]) ! e:div-ids-under(., $path || '-' || position())"/>
  </xsl:function>

  <xsl:function name="e:is-div" as="xs:boolean">
    <xsl:param name="el"/>
    <xsl:sequence select="namespace-uri($el) = 'http://www.tei-c.org/ns/1.0' and local-name($el) = $e:division-names"/>
  </xsl:function>

  <!-- A division's id: its own xml:id, else its path among divisions ("s2-3"), prefixed
       by the path of the nested texts it sits in (text/group/text) and by front-/back-,
       so that ids stay unique across the texts of a group and the parts of a text. -->
  <xsl:function name="e:section-id" as="xs:string">
    <xsl:param name="div" as="element()"/>
    <xsl:sequence select="let $i := $e:div-ids(generate-id($div)) return if (exists($i)) then $i else e:section-id-of($div, e:section-path($div))"/>
  </xsl:function>

  <!-- The id of a division whose e:section-path is $path (e:section knows it already). -->
  <xsl:function name="e:section-id-of">
    <xsl:param name="div"/>
    <xsl:param name="path"/>
    <xsl:sequence select="if (e:owns-id($div)) then string($div ! @xml:id) else e:fresh-id($div, $path)"/>
  </xsl:function>

  <!-- The id a division gets when it has no xml:id of its own (before e:fresh-id): the
       prefix of its nested text and part, then "s" and its path among divisions. -->
  <xsl:function name="e:section-path" as="xs:string">
    <xsl:param name="div" as="element()"/>
    <xsl:variable name="nested" select="$div/ancestor::tei:text[ancestor::tei:text][1]"/>
    <xsl:variable name="part" select="$div/ancestor::*[self::tei:front or self::tei:body or self::tei:back][1]"/>
    <xsl:variable name="prefix" select="(if (empty($nested)) then ''
      else if (e:owns-id($nested)) then string($nested/@xml:id) || '-'
      else 't' || string-join($div/ancestor::tei:text[ancestor::tei:text] ! string(count(preceding-sibling::tei:text) + 1), '-') || '-')
      || (if ($part/self::tei:front) then 'front-' else if ($part/self::tei:back) then 'back-' else '')"/>
    <!-- the divisions on the path: a name test when every division of the document is a
         div (far cheaper in saxon-js than eight self:: tests on each ancestor) -->
    <xsl:variable name="div-only" select="e:div-only($div)"/>
    <xsl:variable name="divs" _select="if ($div-only) then $div/ancestor-or-self::tei:div
      else $div/ancestor-or-self::*[{$e:division-test}]"/>
    <xsl:sequence select="$prefix || 's' || string-join((if (empty($nested)) then $divs else $divs[ancestor::tei:text[1] is $nested]) ! string(e:div-position(., $div-only)), '-')"/>
  </xsl:function>

  <!-- A division's position among its parent's divisions (1, 2, …). Counting the preceding
       siblings costs one step per sibling, so a text of 2,000 sibling divisions took 2 s
       for its ids alone (quadratic). Past 32 preceding siblings the position comes from the
       accumulator e:divs instead: saxon-js computes it in one pass over the document, the
       first time it is read, at ~85 µs a division, which a text of small chapters never
       pays. That pass is most of the accumulator's cost. Counting with eight self:: tests
       up to 128 siblings, not 32, cost 2.8% more instructions on Quintilian (whose three
       largest groups still read the accumulator) and 4.6% more on 500 flat divisions
       (cachegrind); counting with a name test is another matter (below). -->
  <xsl:function name="e:div-position" as="xs:integer">
    <xsl:param name="d"/>
    <!-- true when $d's document has no numbered divisions ($e:div-only): its division
         siblings are then counted with one name test -->
    <xsl:param name="div-only"/>
    <!-- With the name test, counting is cheaper than the accumulator's pass up to 256
         preceding siblings: the corpus's largest groups (Quintilian's 131-183 sections,
         Dingler's 132) no longer need the pass (Quintilian: -3% of its transform's
         instructions). A group of 500 divisions takes ~10% more than with 32, counting
         its first 256. With the eight self:: tests, the accumulator is read past 32.
         ("$d ! axis" rather than "$d/axis": saxon-js sorts a path's result into document
         order, at each call, although a count does not need it.) -->
    <xsl:sequence _select="if ($div-only) then
        (if ($d ! empty(preceding-sibling::*[256])) then $d ! count(preceding-sibling::tei:div) + 1
         else let $s := ($d ! accumulator-before('e:divs'))[last() - 1]
           return if ($s ge 1) then $s else $d ! count(preceding-sibling::tei:div) + 1)
      else let $s := if ($d ! empty(preceding-sibling::*[32])) then () else $d ! accumulator-before('e:divs')
      return if ($s[last() - 1] ge 1) then $s[last() - 1]
        else $d ! count(preceding-sibling::*[{$e:division-test}]) + 1"/>
  </xsl:function>

  <!-- A stack of counters, one per open element that holds divisions (body, front, back, a
       division): each counts the divisions seen so far among its children. Before a
       division's children, its own position is next to last. A division whose parent is
       none of those (invalid TEI, but a transform must not trust validation) pushes -1 and
       is counted by e:div-position instead. -->
  <xsl:accumulator name="e:divs" as="xs:integer*" initial-value="0">
    <xsl:accumulator-rule match="tei:body | tei:front | tei:back" phase="start" select="($value, 0)"/>
    <xsl:accumulator-rule match="tei:body | tei:front | tei:back" phase="end" select="$value[position() lt last()]"/>
    <xsl:accumulator-rule _match="{$e:division-pattern}" phase="start"
      _select="if (..[self::tei:body or self::tei:front or self::tei:back or {$e:division-test}])
        then ($value[position() lt last()], $value[last()] + 1, 0) else ($value, -1, 0)"/>
    <xsl:accumulator-rule _match="{$e:division-pattern}" phase="end"
      select="if ($value[last() - 1] eq -1) then $value[position() lt last() - 1] else $value[position() lt last()]"/>
  </xsl:accumulator>

  <!-- Heading level of a head: the document's own level, plus one per enclosing section. -->
  <xsl:function name="e:heading-level" as="xs:integer">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="base" select="count($el/ancestor::*[self::tei:TEI or self::tei:teiCorpus])"/>
    <xsl:variable name="depth" _select="if (e:div-only($el))
      then $el ! (count(ancestor::tei:div) + count(ancestor::tei:floatingText) + count(ancestor::tei:group))
      else count($el/ancestor::*[{$e:division-test} or self::tei:floatingText or self::tei:group])"/>
    <xsl:sequence select="min((6, max((1, $base)) + max((1, $depth))))"/>
  </xsl:function>

  <!-- heading: h2…h6 by depth. -->
  <xsl:template name="e:heading">
    <xsl:element name="h{e:heading-level(.)}" namespace="http://www.w3.org/1999/xhtml">
      <xsl:call-template name="e:attrs"/>
      <xsl:call-template name="e:heading-attrs"/>
      <xsl:if test="$e:mark-sources"><xsl:call-template name="e:source-mark"/></xsl:if>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- Hook: attributes a format adds to a heading (the print edition's running-head text). -->
  <xsl:template name="e:heading-attrs"/>

  <!-- body / text / front / back. -->
  <xsl:template name="e:body">
    <div>
      <xsl:call-template name="e:attrs"/>
      <!-- (a text of a group is a file of the EPUB: it takes it from the page by this mark) -->
      <xsl:if test="$e:mark-sources"><xsl:call-template name="e:source-mark"/></xsl:if>
      <xsl:apply-templates/>
    </div>
  </xsl:template>

  <!-- title (inside the text): a cited title. -->
  <xsl:template name="e:title">
    <xsl:call-template name="e:inline">
      <xsl:with-param name="tag" select="'cite'"/>
    </xsl:call-template>
  </xsl:template>

  <!-- anchor: an empty target. -->
  <xsl:template name="e:anchor">
    <xsl:param name="e:secondary" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:if test="not($e:secondary) and e:owns-id(.)">
      <span id="{@xml:id}" class="{e:class-string(.)}"/>
    </xsl:if>
  </xsl:template>

  <!-- omit / index: kept in the output, hidden (never silently dropped). -->
  <xsl:template name="e:omit">
    <xsl:if test="normalize-space(.) != ''">
      <span hidden="hidden">
        <xsl:call-template name="e:attrs">
          <xsl:with-param name="class" select="'omitted'"/>
        </xsl:call-template>
        <xsl:apply-templates/>
      </span>
    </xsl:if>
  </xsl:template>

  <!-- metadata: nothing in the text flow (teiHeader is rendered by the title page). -->
  <xsl:template name="e:metadata"/>

  <!-- code: a literal example. -->
  <xsl:template name="e:code">
    <pre>
      <xsl:call-template name="e:attrs"/>
      <code><xsl:apply-templates/></code>
    </pre>
  </xsl:template>

  <!-- An editorial mark: text the editor adds (brackets, labels), styled apart from the author's. -->
  <xsl:template name="e:mark">
    <xsl:param name="text" as="xs:string"/>
    <span class="editorial-mark" aria-hidden="true"><xsl:value-of select="$text"/></span>
  </xsl:template>
</xsl:stylesheet>
