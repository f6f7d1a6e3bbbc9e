<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio core: TEI P5 → semantic XHTML5, once.

  Entry point imported by every format layer (html.xsl, epub.xsl, print.xsl). It
  includes the classifier (behaviours.xsl), the default rendering of each behaviour
  (render.xsl) and one stylesheet per TEI module. A format layer imports this file and
  overrides named templates (e:page, e:note-call, e:footnotes, e:alternate, e:toc, …)
  or the $e:labels variable; it never copies core templates.

  Diagnostics: xsl:message texts starting with "EDITIO-DIAG " carry one JSON object
  {severity, code, message, name} that the TypeScript writer turns into a Diagnostic.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio"
  xmlns:h="http://www.w3.org/1999/xhtml"
  xmlns:p="urn:editio:print"
  xmlns="http://www.w3.org/1999/xhtml"
  exclude-result-prefixes="#all">

  <xsl:include href="functions.xsl"/>
  <xsl:include href="render.xsl"/>
  <xsl:include href="header.xsl"/>
  <xsl:include href="metadata.xsl"/>
  <xsl:include href="textstructure.xsl"/>
  <xsl:include href="core.xsl"/>
  <xsl:include href="transcr.xsl"/>
  <xsl:include href="namesdates.xsl"/>
  <xsl:include href="verse.xsl"/>
  <xsl:include href="drama.xsl"/>
  <xsl:include href="figures.xsl"/>
  <xsl:include href="textcrit.xsl"/>
  <xsl:include href="linking.xsl"/>
  <xsl:include href="foreign.xsl"/>
  <!-- last: its static variables merge the modules' static maps -->
  <xsl:include href="behaviours.xsl"/>

  <!-- The source file's name, for messages only. -->
  <xsl:param name="source-file" as="xs:string" select="''"/>

  <!-- ===== marks for the passes of other formats =====
       Whether the rendering marks the elements that the EPUB and print layers change
       with the TEI element they come from (data-editio-src, its generate-id; and
       data-editio-secondary in a secondary copy): sections, page breaks, graphics, note
       calls, choices, headings, the contents and the notes section, and what the EPUB may
       take whole from the page for one of its files (a text, body, front or back, a
       transcription, the stand-off lists). Off in the core and
       the HTML layer; the layers that derive their output from the rendered page turn it
       on. Mode e:strip removes the marks from part of the page copied as it is (the print
       edition's contents); the page written whole (editions.xsl's index.html) keeps them
       for its writer to drop from the serialised text (src/writers/shared.ts). -->
  <xsl:variable name="e:mark-sources" as="xs:boolean" select="false()"/>
  <xsl:variable name="e:source" select="/"/>

  <!-- Hooks: attributes a format adds to a note call, a note's back-link, a note entry and
       a division's section, as the first attributes after those written literally (the
       EPUB's epub:type and DPUB role when it renders its files straight from the TEI,
       epub.xsl). Called only when $e:format-attrs is true. (One template per kind, without
       parameters: one hook with the kind as a parameter cost saxon-js ~17 closure calls a
       call, at every note call, back-link, note entry and division.) -->
  <xsl:variable name="e:format-attrs" as="xs:boolean" select="false()"/>
  <xsl:template name="e:noteref-attrs"/>
  <xsl:template name="e:backlink-attrs"/>
  <xsl:template name="e:endnote-attrs"/>
  <xsl:template name="e:section-attrs"/>
  <xsl:key name="e:source" match="tei:*" use="generate-id()"/>

  <xsl:mode name="e:strip" on-no-match="shallow-copy"/>
  <!-- An element the passes over the page (this one, the EPUB layer's e:epub, the print
       layer's p:pass) do not change: copied as it is, then its content passed on. The
       layers' own rules for these modes outrank these (import precedence). An XHTML
       element is copied without its in-scope namespaces, which saxon-js gathers from every
       ancestor at each copy (its name's namespace is all it carries); SVG and MathML keep
       theirs. -->
  <xsl:template match="h:*" mode="e:strip e:epub p:pass">
    <xsl:copy copy-namespaces="no">
      <xsl:copy-of select="@*"/>
      <xsl:apply-templates mode="#current"/>
    </xsl:copy>
  </xsl:template>
  <xsl:template match="*" mode="e:strip e:epub p:pass">
    <xsl:copy>
      <xsl:copy-of select="@*"/>
      <xsl:apply-templates mode="#current"/>
    </xsl:copy>
  </xsl:template>
  <xsl:template match="h:section[@data-editio-src] | h:span[@data-editio-src] | h:div[@data-editio-src]
      | h:img[@data-editio-src] | h:a[@data-editio-src] | h:nav[@data-editio-src] | h:h1[@data-editio-src]
      | h:h2[@data-editio-src] | h:h3[@data-editio-src] | h:h4[@data-editio-src] | h:h5[@data-editio-src]
      | h:h6[@data-editio-src] | h:span[@data-editio-drop]" mode="e:strip">
    <xsl:copy copy-namespaces="no">
      <xsl:copy-of select="@* except (@data-editio-src, @data-editio-secondary, @data-editio-drop)"/>
      <xsl:apply-templates mode="#current"/>
    </xsl:copy>
  </xsl:template>

  <xsl:mode on-no-match="text-only-copy" use-accumulators="e:notes e:refs e:divs"/>

  <xsl:key name="e:id" match="*[@xml:id]" use="string(@xml:id)"/>

  <!-- ===== note numbering, in one pass =====
       The e:note-info map of every footnote and apparatus entry of the source, by
       generate-id() (which editio's saxon-js patch 6 keeps per node, so that it no longer
       walks the tree): each TEI's notes section entries (e:note-entries), numbered per
       series within their TEI and counted through the document (for ids). Avoided on
       purpose: xsl:number over the document (quadratic), and an accumulator read at each
       note, which visited every node of the document (giving each an object for its
       values) and tested its patterns there. -->
  <xsl:variable name="e:note-table" as="map(*)">
    <!-- (one map per entry, merged once: a table grown by map:put in the loop was copied
         along its path at each entry, ~0.1 s for Quintilian's 1,773 notes) -->
    <xsl:variable name="entries" as="map(*)*">
      <xsl:iterate select="$e:id-root ! descendant::tei:TEI">
        <xsl:param name="index" as="xs:integer" select="0"/>
        <xsl:variable name="entries" select="e:note-entries(.)"/>
        <xsl:iterate select="$entries">
          <xsl:param name="counts" as="map(*)" select="map{}"/>
          <xsl:param name="i" as="xs:integer" select="$index + 1"/>
          <xsl:variable name="s" select="e:note-series(.)"/>
          <xsl:variable name="n" select="($counts($s), 0)[1] + 1"/>
          <xsl:sequence select="map{generate-id(): e:make-note-info(., $s, $n, $i)}"/>
          <xsl:next-iteration>
            <xsl:with-param name="counts" select="map:put($counts, $s, $n)"/>
            <xsl:with-param name="i" select="$i + 1"/>
          </xsl:next-iteration>
        </xsl:iterate>
        <xsl:next-iteration>
          <xsl:with-param name="index" select="$index + count($entries)"/>
        </xsl:next-iteration>
      </xsl:iterate>
    </xsl:variable>
    <!-- (each key a different note's generate-id(): none twice) -->
    <xsl:sequence select="map:merge($entries)"/>
  </xsl:variable>

  <!-- The same numbering as an accumulator, for notes of another tree (none today) and
       the print edition's count of readings ('#reading'). -->
  <xsl:accumulator name="e:notes" as="map(*)" initial-value="map{'#index': 0}">
    <xsl:accumulator-rule match="tei:TEI" phase="start" select="map{'#index': $value('#index')}"/>
    <xsl:accumulator-rule match="tei:note[e:is-footnote(.)] | tei:app[ancestor::tei:text]" phase="start"
      select="let $s := e:note-series(.), $n := ($value($s), 0)[1] + 1, $i := $value('#index') + 1
        return map:put(map:put(map:put(map:put($value, $s, $n), '#series', $s), '#index', $i), '#info', e:make-note-info(., $s, $n, $i))"/>
    <!-- choices, counted apart ('#reading'): the print edition gives their other readings as lettered footnotes -->
    <xsl:accumulator-rule match="tei:choice[ancestor::tei:text][not(ancestor::tei:note[e:is-footnote(.)])]" phase="start"
      select="map:put($value, '#reading', ($value('#reading'), 0)[1] + 1)"/>
  </xsl:accumulator>

  <!-- ===== the document ===== -->
  <xsl:template match="/">
    <xsl:call-template name="e:report"/>
    <xsl:call-template name="e:page"/>
  </xsl:template>

  <!-- Hook: the whole output document. The core default is the bare content;
       html.xsl wraps it in <html>. -->
  <xsl:template name="e:page">
    <xsl:apply-templates select="node()"/>
  </xsl:template>

  <!-- Hook: document-level diagnostics (unknown elements and foreign markup are
       reported where they are rendered; the writer counts them once per name). -->
  <xsl:template name="e:report"/>

  <xsl:template name="e:diag">
    <xsl:param name="severity" select="'warning'"/>
    <xsl:param name="code" as="xs:string"/>
    <xsl:param name="name" as="xs:string" select="''"/>
    <xsl:param name="message" as="xs:string"/>
    <!-- true while a format renders again what the page already rendered (and reported) -->
    <xsl:param name="e:quiet" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:if test="not($e:quiet)">
      <xsl:message select="'EDITIO-DIAG ' || serialize(map{'severity': $severity, 'code': $code, 'name': $name, 'message': $message}, map{'method': 'json'})"/>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
