<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio HTML reading edition: one self-contained XHTML5 page.

  Imports the core and overrides only what differs for the reading edition: the page
  shell (e:page: <html>, <head> with Dublin Core and schema.org JSON-LD from the core's
  metadata record, the inline stylesheet and script) and the table of contents (e:toc).
  The title page, the reading-switch markup and the index of names come from the core.

  The script ($e:script) is progressive: without it the page is complete (notes are
  footnotes with back-links, the edited reading is shown). With it, a note call opens
  its note in a popover (mouse, Enter or Space; Escape closes and focus returns to the
  call), and the reading switch appears. It is written without <, > and & so that the
  XHTML needs no escaping inside <script>; it uses no eval and no inline handlers.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio"
  xmlns="http://www.w3.org/1999/xhtml"
  exclude-result-prefixes="#all">

  <xsl:import href="core/editio-core.xsl"/>

  <xsl:output method="xhtml" html-version="5" encoding="UTF-8" indent="no" omit-xml-declaration="yes" include-content-type="no"/>

  <!-- Stylesheet text; the writer may pass its own (e.g. a theme). -->
  <xsl:param name="css" as="xs:string?" select="()"/>

  <xsl:template name="e:page">
    <xsl:variable name="doc" select="/*"/>
    <xsl:variable name="is-tei" as="xs:boolean" select="exists($doc/self::tei:TEI | $doc/self::tei:teiCorpus)"/>
    <!-- the document's language; when it states none, the language of the labels (the page's own text) -->
    <xsl:variable name="lang" select="((if ($is-tei) then e:doc-lang($doc) else e:lang($doc/@xml:lang))[. != 'und'], $e:labels-lang)[1]"/>
    <xsl:variable name="md" select="e:metadata($doc)"/>
    <xsl:variable name="title" select="if ($is-tei) then e:doc-title($doc) else ''"/>
    <xsl:variable name="switch" as="element()*">
      <xsl:call-template name="e:reading-switch"><xsl:with-param name="doc" select="$doc"/></xsl:call-template>
    </xsl:variable>
    <html>
      <xsl:if test="$lang != 'und'">
        <xsl:attribute name="lang" select="$lang"/>
        <xsl:attribute name="xml:lang" select="$lang"/>
      </xsl:if>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="editio"/>
        <meta name="color-scheme" content="light dark"/>
        <title><xsl:value-of select="if ($title != '') then $title else if (not($is-tei) and $source-file != '') then replace($source-file, '^.*[/\\]', '') else e:label('untitled')"/></title>
        <xsl:call-template name="e:head-metadata"><xsl:with-param name="md" select="$md"/></xsl:call-template>
        <style><xsl:value-of select="($css, $e:default-css)[1]"/></style>
      </head>
      <body>
        <xsl:if test="exists($switch)">
          <aside class="page-tools" hidden="hidden">
            <xsl:attribute name="aria-label" select="e:label('reading')"/>
            <xsl:sequence select="$switch"/>
          </aside>
        </xsl:if>
        <main data-label-note="{e:label('note')}" data-label-close="{e:label('close')}" data-label-goto="{e:label('go-to-note')}">
          <xsl:choose>
            <xsl:when test="$is-tei">
              <xsl:apply-templates select="$doc"/>
            </xsl:when>
            <xsl:otherwise>
              <!-- not a TEI document (a surface, a fragment): its content as is -->
              <article class="tei-fragment">
                <h1 class="edition-title-main"><xsl:value-of select="(replace($source-file, '^.*[/\\]', '')[. != ''], e:label('untitled'))[1]"/></h1>
                <xsl:apply-templates select="$doc"/>
              </article>
            </xsl:otherwise>
          </xsl:choose>
        </main>
        <script><xsl:value-of select="$e:script"/></script>
      </body>
    </html>
  </xsl:template>

  <!-- Dublin Core <meta> and schema.org JSON-LD, from the one metadata record. -->
  <xsl:template name="e:head-metadata">
    <xsl:param name="md" as="map(*)"/>
    <meta name="description" content="{$md?description}"/>
    <xsl:if test="exists($md?authors?*)">
      <meta name="author" content="{string-join($md?authors?*?name, '; ')}"/>
    </xsl:if>
    <link rel="schema.DC" href="http://purl.org/dc/elements/1.1/"/>
    <meta name="DC.title" content="{$md?fullTitle}"/>
    <xsl:for-each select="$md?authors?*">
      <meta name="DC.creator" content="{?name}"/>
    </xsl:for-each>
    <xsl:for-each select="($md?translators?*, $md?editors?*, $md?contributors?*)">
      <meta name="DC.contributor" content="{?name}"/>
    </xsl:for-each>
    <xsl:if test="exists($md?publisher)"><meta name="DC.publisher" content="{$md?publisher}"/></xsl:if>
    <xsl:if test="exists($md?dates?published)"><meta name="DC.date" content="{$md?dates?published}"/></xsl:if>
    <xsl:for-each select="$md?languages?*"><meta name="DC.language" content="{.}"/></xsl:for-each>
    <xsl:for-each select="$md?identifiers?*"><meta name="DC.identifier" content="{?value}"/></xsl:for-each>
    <xsl:for-each select="$md?subjects?*"><meta name="DC.subject" content="{.}"/></xsl:for-each>
    <xsl:if test="exists($md?licence)"><meta name="DC.rights" content="{($md?licence?url, $md?licence?text)[1]}"/></xsl:if>
    <xsl:if test="exists($md?source)"><meta name="DC.source" content="{$md?source}"/></xsl:if>
    <meta name="DC.description" content="{$md?description}"/>
    <meta name="DC.type" content="Text"/>
    <meta name="DC.format" content="text/html"/>
    <xsl:if test="exists($md?licence?url)"><link rel="license" href="{$md?licence?url}"/></xsl:if>
    <script type="application/ld+json"><xsl:value-of select="e:json-for-script(e:schema-org($md))"/></script>
  </xsl:template>

  <!-- The metadata record as a schema.org Book (an edition) or CreativeWork. -->
  <xsl:function name="e:schema-org" as="map(*)">
    <xsl:param name="md" as="map(*)"/>
    <xsl:variable name="agents" select="function($list as array(*)) as array(*) {
      array{ $list?* ! map{'@type': if (?kind = 'organisation') then 'Organization' else 'Person', 'name': ?name} } }"/>
    <xsl:sequence select="map:merge((
      map{'@context': 'https://schema.org', '@type': if ($md?kind = 'edition') then 'Book' else 'CreativeWork',
          'name': $md?title, 'description': $md?description, 'encodingFormat': 'text/html'},
      if (exists($md?subtitle)) then map{'alternativeHeadline': $md?subtitle} else (),
      if (exists($md?authors?*)) then map{'author': $agents($md?authors)} else (),
      if (exists($md?translators?*)) then map{'translator': $agents($md?translators)} else (),
      if (exists($md?editors?*)) then map{'editor': $agents($md?editors)} else (),
      if (exists($md?contributors?*)) then map{'contributor': $agents($md?contributors)} else (),
      if (exists($md?language)) then map{'inLanguage': $md?language} else (),
      if (exists($md?dates?published)) then map{'datePublished': $md?dates?published} else (),
      if (exists($md?dates?created)) then map{'dateCreated': $md?dates?created} else (),
      if (exists($md?dates?revised)) then map{'dateModified': $md?dates?revised} else (),
      if (exists($md?publisher)) then map{'publisher': map{'@type': 'Organization', 'name': $md?publisher}} else (),
      if (exists($md?licence)) then map{'license': ($md?licence?url, $md?licence?text)[1]} else (),
      if (exists($md?source)) then map{'isBasedOn': $md?source} else (),
      if (exists($md?subjects?*)) then map{'keywords': string-join($md?subjects?*, ', ')} else (),
      if (exists($md?identifiers?*)) then map{'identifier': array{ $md?identifiers?*?value }} else (),
      if (exists($md?series)) then map{'isPartOf': map{'@type': 'CreativeWorkSeries', 'name': $md?series}} else (),
      if (exists($md?edition) and $md?kind = 'edition') then map{'bookEdition': $md?edition} else ()))"/>
  </xsl:function>

  <!-- Table of contents: divisions with a head, nested. -->
  <xsl:template name="e:toc">
    <xsl:call-template name="e:toc-nav"/>
  </xsl:template>

  <xsl:variable name="e:script" as="xs:string"><![CDATA[
(function () {
  "use strict";
  var body = document.body;

  /* Reading switch: the edited text, or the source's readings (sic, orig, abbr). */
  var tools = document.querySelector(".page-tools");
  var sw = document.querySelector(".reading-switch");
  if (sw) {
    if (tools) { tools.hidden = false; }
    sw.hidden = false;
    sw.addEventListener("change", function (ev) {
      var t = ev.target;
      if (t.name === "editio-reading") {
        body.classList.toggle("reading-source-on", t.value === "source");
      }
    });
  }

  /* Note popovers: the footnotes stay; a call opens a copy of its note. */
  if (typeof HTMLElement.prototype.showPopover !== "function") { return; }
  var main = document.querySelector("main") || body;
  var pop = document.createElement("div");
  pop.id = "editio-note-popover";
  pop.className = "note-popover";
  pop.setAttribute("popover", "auto");
  pop.setAttribute("role", "dialog");
  pop.setAttribute("aria-labelledby", "editio-note-popover-title");
  pop.tabIndex = -1;
  var head = document.createElement("p");
  head.id = "editio-note-popover-title";
  head.className = "note-popover-title";
  var content = document.createElement("div");
  content.className = "note-popover-body";
  var foot = document.createElement("p");
  foot.className = "note-popover-actions";
  var go = document.createElement("a");
  go.className = "note-popover-goto";
  go.textContent = main.getAttribute("data-label-goto") || "Go to the note";
  var close = document.createElement("button");
  close.type = "button";
  close.className = "note-popover-close";
  close.textContent = main.getAttribute("data-label-close") || "Close";
  foot.appendChild(go);
  foot.appendChild(document.createTextNode(" "));
  foot.appendChild(close);
  pop.appendChild(head);
  pop.appendChild(content);
  pop.appendChild(foot);
  main.appendChild(pop);
  var invoker = null;

  function open(call) {
    var inside = pop.contains(call);
    var id = decodeURIComponent((call.getAttribute("href") || "").slice(1));
    var note = id ? document.getElementById(id) : null;
    if (!note) { return false; }
    var copy = note.cloneNode(true);
    copy.querySelectorAll(".note-backlink").forEach(function (b) { b.remove(); });
    copy.removeAttribute("id");
    copy.querySelectorAll("[id]").forEach(function (x) { x.removeAttribute("id"); });
    content.textContent = "";
    while (copy.firstChild) { content.appendChild(copy.firstChild); }
    head.textContent = (call.getAttribute("title") || main.getAttribute("data-label-note") || "Note") + " " + call.textContent.trim();
    go.setAttribute("href", "#" + id);
    if (pop.matches(":popover-open")) { pop.hidePopover(); }
    /* a call inside the popover (a note on a note) keeps the first call to return to */
    if (!inside || !invoker) { invoker = call; }
    invoker.setAttribute("aria-expanded", "true");
    pop.showPopover();
    pop.focus();
    return true;
  }

  pop.addEventListener("toggle", function (ev) {
    if (ev.newState === "closed") {
      if (pop.matches(":popover-open")) { return; }
      content.textContent = "";
      var back = invoker;
      invoker = null;
      if (back) {
        back.setAttribute("aria-expanded", "false");
        if (!document.activeElement || document.activeElement === body || pop.contains(document.activeElement)) {
          back.focus();
        }
      }
    }
  });
  close.addEventListener("click", function () { pop.hidePopover(); });
  go.addEventListener("click", function () { invoker = null; pop.hidePopover(); });

  document.querySelectorAll("a.noteref").forEach(function (a) {
    a.setAttribute("aria-haspopup", "dialog");
    a.setAttribute("aria-expanded", "false");
  });
  document.addEventListener("click", function (ev) {
    var call = ev.target.closest ? ev.target.closest("a.noteref") : null;
    if (!call) { return; }
    if (ev.ctrlKey || ev.metaKey || ev.shiftKey) { return; }
    if (open(call)) { ev.preventDefault(); }
  });
  document.addEventListener("keydown", function (ev) {
    var call = ev.target.closest ? ev.target.closest("a.noteref") : null;
    if (call) {
      if (ev.key === " " || ev.key === "Spacebar") {
        if (open(call)) { ev.preventDefault(); }
      }
    }
  });
})();
]]></xsl:variable>

  <xsl:variable name="e:default-css" as="xs:string"><![CDATA[
:root { --fg: #1b1b1b; --bg: #fdfcf8; --muted: #6a6a6a; --accent: #7a2e0e; --ed: #2b5b84; --rule: #d8d4c8; --hl: #fbefc4; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6e2d8; --bg: #161514; --muted: #a29e95; --accent: #e0a27c; --ed: #8fbbe3; --rule: #3a3834; --hl: #3b3320; }
}
html { background: var(--bg); color: var(--fg); }
body { margin: 0 auto; max-width: 42rem; padding: 1.5rem 1.25rem 4rem; font: 1.075rem/1.6 Georgia, "Iowan Old Style", "Palatino Linotype", serif; hyphens: auto; }
h1, h2, h3, h4, h5, h6 { line-height: 1.25; font-weight: normal; }
h1 { font-size: 2rem; } h2 { font-size: 1.5rem; } h3 { font-size: 1.25rem; }
a { color: var(--accent); }
.edition-title { text-align: center; margin: 2rem 0 3rem; }
.edition-title p { margin: .25rem 0; color: var(--muted); }
.toc ol { list-style: none; padding-left: 1.25rem; }
.toc ol.toc-top { padding-left: 0; }
blockquote { margin: 1rem 1.5rem; }
.tei-lg { margin: 1rem 0 1rem 1.5rem; }
.tei-l { padding-left: 2em; text-indent: -2em; }
.tei-l[data-n]::before { content: attr(data-n); float: right; color: var(--muted); font-size: .75em; }
.tei-sp { margin: .75rem 0; }
.tei-speaker { font-variant: small-caps; font-weight: bold; }
.tei-stage { font-style: italic; }
.tei-titlePage, .tei-opener, .tei-closer, .tei-trailer { margin: 1rem 0; }
.tei-closer, .tei-signed, .tei-dateline { text-align: right; }
.rend-italic { font-style: italic; } .rend-bold { font-weight: bold; }
.rend-underline { text-decoration: underline; } .rend-smallcaps { font-variant: small-caps; }
.rend-caps { text-transform: uppercase; } .rend-spaced { letter-spacing: .15em; }
.rend-center { text-align: center; display: block; } .rend-right { text-align: right; display: block; }
.rend-strike { text-decoration: line-through; } .rend-large { font-size: 1.2em; } .rend-small { font-size: .85em; }
.rend-monospace { font-family: ui-monospace, monospace; } .rend-red { color: #a11; }
.rend-blackletter { font-family: "UnifrakturMaguntia", serif; } .rend-overline { text-decoration: overline; }
.editorial, .editorial-mark, .app-wit, .note-resp { color: var(--ed); font-family: system-ui, sans-serif; font-size: .85em; font-style: normal; }
.tei-gap, .tei-space, .tei-handShift { white-space: nowrap; }
.tei-unclear, .tei-damage { text-decoration: underline dotted var(--ed); }
ins.tei-add { text-decoration: none; border-bottom: 1px solid var(--ed); }
del.tei-del { text-decoration: line-through; text-decoration-color: var(--ed); }
.tei-choice .reading-primary { text-decoration: underline dotted var(--rule); }
.tei-pb { color: var(--muted); font-size: .75em; margin: 0 .25em; }
.noteref { text-decoration: none; } .noteref sup { font-size: .7em; }
.noteref-translator sup, .noteref-editor sup, .noteref-apparatus sup { color: var(--ed); }
.notes { border-top: 1px solid var(--rule); margin-top: 3rem; font-size: .92em; }
.notes-list { list-style: none; padding-left: 0; }
.notes-list li.footnote { margin: .5rem 0; }
.note-backlink { display: inline-block; min-width: 2em; text-decoration: none; }
.note-missing .tei-gap { font-style: italic; }
table { border-collapse: collapse; margin: 1rem 0; }
td, th { border: 1px solid var(--rule); padding: .2rem .5rem; vertical-align: top; }
figure { margin: 1.5rem 0; text-align: center; } figure img { max-width: 100%; height: auto; }
figcaption { font-size: .9em; color: var(--muted); }
pre { white-space: pre-wrap; font-size: .85em; }
.foreign-markup { font-family: ui-monospace, monospace; font-size: .85em; }
.no-text { font-style: italic; }
q.marked { quotes: none; }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
:target { background: var(--hl); }
.edition-contributor, .edition-source { font-size: .95em; }
.edition-cite { margin: 1rem auto 0; max-width: 36rem; text-align: left; font-size: .92em; }
.edition-cite summary { cursor: pointer; color: var(--accent); }
.edition-cite .citation { color: var(--fg); }
.page-tools { position: sticky; top: 0; z-index: 2; background: var(--bg); border-bottom: 1px solid var(--rule); padding: .4rem 0; margin-bottom: 1rem; font: .9rem/1.4 system-ui, sans-serif; }
.reading-switch { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; align-items: center; }
.reading-switch legend { float: left; font-weight: bold; padding: 0; margin-right: .5rem; }
.reading-switch label { cursor: pointer; }
.reading-hint { color: var(--muted); }
.reading-source-on .reading-edited { display: none; }
.reading-source-on .reading-source[hidden] { display: inline; }
.reading-source-on .reading-source { text-decoration: underline dotted var(--ed); }
.note-popover { max-width: min(34rem, calc(100vw - 2rem)); max-height: 70vh; overflow: auto; padding: 1rem 1.25rem .75rem; border: 1px solid var(--rule); border-radius: .4rem; background: var(--bg); color: var(--fg); box-shadow: 0 .5rem 2rem rgba(0, 0, 0, .35); font-size: .95em; }
.note-popover::backdrop { background: rgba(0, 0, 0, .2); }
.note-popover-title { margin-top: 0; font: bold .85rem/1.3 system-ui, sans-serif; color: var(--ed); }
.note-popover-actions { display: flex; justify-content: space-between; align-items: center; gap: 1rem; margin-bottom: 0; font: .85rem system-ui, sans-serif; }
.note-popover-close { font: inherit; padding: .2rem .8rem; border: 1px solid var(--rule); border-radius: .3rem; background: var(--bg); color: var(--fg); cursor: pointer; }
.name-index { border-top: 1px solid var(--rule); margin-top: 3rem; font-size: .92em; }
.index-list { list-style: none; padding-left: 0; }
.index-entry { margin: .4rem 0; padding-left: 1.5em; text-indent: -1.5em; }
.index-name { font-weight: bold; }
.index-occurrences a { display: inline-block; min-width: 1.5em; text-indent: 0; text-align: center; }
a.index-in-note { font-style: italic; }
@media (max-width: 40rem) {
  body { padding: 1rem .9rem 3rem; font-size: 1rem; }
  h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; }
  .tei-lg, blockquote { margin-left: .75rem; margin-right: 0; }
  .tei-l { padding-left: 1.25em; text-indent: -1.25em; }
  .edition-title { margin: 1rem 0 2rem; }
}
@media print {
  :root { --fg: #000; --bg: #fff; --muted: #444; --accent: #000; --ed: #333; --hl: #fff; }
  .page-tools, .note-popover, .edition-cite summary { display: none; }
  .edition-cite { display: block; }
  .name-index { page-break-before: always; }
  .tei-choice .reading-primary { text-decoration: none; }
  body { max-width: none; font-size: 11pt; }
  a { text-decoration: none; }
  .toc { page-break-after: always; }
  h1, h2, h3 { page-break-after: avoid; }
  .notes { page-break-before: always; }
}
]]></xsl:variable>
</xsl:stylesheet>
