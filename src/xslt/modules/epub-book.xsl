<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio EPUB 3 book: TEI → the XHTML content documents of an EPUB, plus a JSON manifest
  (the principal result) that src/writers/epub.ts packages. A module: epub.xsl (an EPUB
  build) and editions.xsl (an EPUB made with other formats) import it.

  It imports the HTML layer (and through it the core). The EPUB differs from the reading
  edition only in what e-readers need:
  - note calls carry epub:type="noteref"; notes are endnotes (epub:type="endnote") in a
    notes document, each with a back-link (epub:type="backlink") to its call;
  - page breaks are empty-of-markup spans with epub:type="pagebreak", role="doc-pagebreak",
    an id and an accessible name (never self-closing: the serialiser writes <span></span>);
  - graphics point into the package (images/…); remote or unsafe ones become the core's
    "[image: …]" placeholder, since an EPUB may not load images from the network;
  - sections carry epub:type and a DPUB-ARIA role when their TEI @type says what they
    are (chapter, preface, introduction, appendix…).
  The text is rendered once, in one of two ways, to the same bytes (tests compare them):
  - editions.xsl renders the reading edition's page once for every format of a build,
    with $e:mark-sources on, and gives it to e:epub-book, which derives every content
    document from that page by a light pass over its XHTML (mode e:epub). Page breaks and
    graphics are rendered again from their TEI element (the page marks which one), as are
    the pieces of text a file holds that are not a whole division (the leading content of
    a split division, a document with no divisions).
  - epub.xsl has no page to share: e:epub-book renders each file straight from the TEI,
    with the core's hooks (e:noteref-attrs and its kin, e:page-break, e:graphic, e:toc) giving the
    EPUB's form at once. No page is built, passed and copied (Quintilian, 3.5 MB: ~3.3 s
    cold before, ~2.5 s after; 18.3 G to 12.4 G instructions with later trims).

  Every document is written with xsl:result-document (method xhtml, no named entities).
  Links inside the book are written as "#id"; the writer resolves each to the file that
  holds the id (notes, index entries, cross-references all cross files), in a build as
  each document comes from the worker (the endnotes are written first for that).

  The manifest: { metadata (the core's one record), lang, title, documents: [{href, kind,
  title, landmark?}], toc: [{label, href, children}], images: [{url, href}], counts }.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:array="http://www.w3.org/2005/xpath-functions/array"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio"
  xmlns:epub="http://www.idpf.org/2007/ops"
  xmlns:h="http://www.w3.org/1999/xhtml"
  xmlns="http://www.w3.org/1999/xhtml"
  exclude-result-prefixes="#all">

  <xsl:import href="../html.xsl"/>

  <xsl:output method="json" indent="no"/>
  <xsl:output name="xhtml" method="xhtml" html-version="5" encoding="UTF-8" indent="no"
    omit-xml-declaration="no" include-content-type="no"/>
  <xsl:output name="svg" method="xml" encoding="UTF-8" indent="no" omit-xml-declaration="no"/>

  <!-- How deep the text is split into files: 0 = one file per front/body/back,
       1 = each top-level division (default), 2 = also their sub-divisions. -->
  <xsl:param name="split-depth" as="xs:numeric" select="1"/>

  <!-- Where notes go: "book" (one endnotes document, default) or "chapter" (at the end
       of the file that calls them, as many e-books do). -->
  <xsl:param name="notes-placement" as="xs:string" select="'book'"/>
  <xsl:variable name="e:chapter-notes" as="xs:boolean" select="$notes-placement = 'chapter'"/>

  <!-- The page marks what the pass renders again from TEI (see the core). -->
  <xsl:variable name="e:mark-sources" as="xs:boolean" select="true()"/>
  <!-- The TEI elements this pass reads for a marked element of the page (the breaks and
       graphics it renders again, the divisions whose @type gives a section its
       semantics), by the generate-id() the mark carries: an index of these alone. (The
       core's e:source holds every TEI element, each with its generate-id(), and the
       other marked elements need nothing from theirs.) -->
  <xsl:key name="e:epub-source" _match="tei:pb | tei:graphic | {$e:division-pattern}" use="generate-id()"/>
  <!-- (the notes section carries its document's mark: not the document's rendering) -->
  <xsl:key name="e:rendered" match="h:section[@data-editio-src][not(@role = 'doc-endnotes')] | h:div[@data-editio-src]" use="@data-editio-src"/>

  <!-- ===== labels the EPUB needs besides the core's ===== -->
  <xsl:variable name="e:epub-labels" as="map(xs:string, xs:string)" select="map{
    'cover': 'Cover', 'titlepage': 'Title page', 'front': 'Front matter', 'body': 'Text',
    'back': 'Back matter', 'standoff': 'Annotations', 'document': 'Document'}"/>

  <!-- ===== the book: manifest + content documents =====
       From the rendered page (editions.xsl), or, without one, rendered here straight
       from the TEI (epub.xsl). -->
  <xsl:template name="e:epub-book">
    <xsl:param name="page" as="document-node()?" select="()"/>
    <xsl:variable name="doc" select="/*"/>
    <xsl:variable name="is-tei" select="exists($doc/self::tei:TEI | $doc/self::tei:teiCorpus)"/>
    <xsl:variable name="md" select="e:metadata($doc)"/>
    <xsl:variable name="lang" select="((if ($is-tei) then e:doc-lang($doc) else e:lang($doc/@xml:lang))[. != 'und'], $md?language, $e:labels-lang)[1]"/>
    <xsl:variable name="title" select="(if ($is-tei) then $md?title[. != ''] else (), replace($source-file, '^.*[/\\]', '')[. != ''], e:label('untitled'))[1]"/>
    <xsl:variable name="chunks" as="map(*)*" select="e:book-chunks($doc)"/>
    <xsl:variable name="note-count" as="xs:integer" select="if ($doc/self::tei:TEI) then count(e:note-entries($doc)) else 0"/>
    <xsl:variable name="article" select="if ($doc/self::tei:TEI) then $page/h:html/h:body/h:main/h:article[1] else ()"/>
    <xsl:variable name="index" as="element()*">
      <xsl:choose>
        <xsl:when test="exists($page)"><xsl:sequence select="$article/h:section[@role = 'doc-index']"/></xsl:when>
        <xsl:when test="$doc/self::tei:TEI"><xsl:for-each select="$doc"><xsl:call-template name="e:name-index"/></xsl:for-each></xsl:when>
      </xsl:choose>
    </xsl:variable>

    <xsl:variable name="authors" select="distinct-values($md?authors?*?name)"/>
    <xsl:call-template name="e:xhtml-doc">
      <xsl:with-param name="href" select="'cover.xhtml'"/>
      <xsl:with-param name="lang" select="$lang"/>
      <xsl:with-param name="title" select="e:epub-label('cover')"/>
      <xsl:with-param name="body-type" select="'cover'"/>
      <xsl:with-param name="content" as="node()*">
        <section epub:type="cover" class="cover">
          <img src="images/cover.svg" role="doc-cover" alt="{string-join(($title, string-join($authors, ', ')[. != '']), ' — ')}"/>
        </section>
      </xsl:with-param>
    </xsl:call-template>

    <!-- title page: the core's, from the header -->
    <xsl:call-template name="e:xhtml-doc">
      <xsl:with-param name="href" select="'titlepage.xhtml'"/>
      <xsl:with-param name="lang" select="$lang"/>
      <xsl:with-param name="title" select="$title"/>
      <xsl:with-param name="body-type" select="'frontmatter'"/>
      <xsl:with-param name="content" as="node()*">
        <section epub:type="titlepage" class="titlepage">
          <xsl:choose>
            <xsl:when test="$is-tei">
              <xsl:call-template name="e:title-page">
                <xsl:with-param name="doc" select="$doc"/>
                <xsl:with-param name="e:quiet" select="exists($page)" tunnel="yes"/>
              </xsl:call-template>
            </xsl:when>
            <xsl:otherwise>
              <header class="edition-title"><h1 class="edition-title-main"><xsl:value-of select="$title"/></h1></header>
            </xsl:otherwise>
          </xsl:choose>
        </section>
      </xsl:with-param>
    </xsl:call-template>

    <!-- endnotes, written before the text that calls them (the book's documents go to the
         writer as they are written: a file whose links all lead to documents already
         written is final at once, and the text's note calls then find their notes; the
         notes' back-links wait for the last file) -->
    <xsl:if test="$note-count gt 0 and not($e:chapter-notes)">
      <xsl:call-template name="e:xhtml-doc">
        <xsl:with-param name="href" select="'endnotes.xhtml'"/>
        <xsl:with-param name="lang" select="$lang"/>
        <xsl:with-param name="title" select="e:label('notes')"/>
        <xsl:with-param name="body-type" select="'backmatter'"/>
        <xsl:with-param name="rendered" select="$article/h:section[@role = 'doc-endnotes']"/>
        <xsl:with-param name="notes-of" select="if (exists($page)) then () else $doc"/>
      </xsl:call-template>
    </xsl:if>

    <!-- the text, split into files -->
    <xsl:for-each select="$chunks">
      <xsl:variable name="c" select="."/>
      <xsl:call-template name="e:xhtml-doc">
        <xsl:with-param name="href" select="$c?href"/>
        <xsl:with-param name="lang" select="$lang"/>
        <xsl:with-param name="title" select="($c?label, $title)[1]"/>
        <xsl:with-param name="body-type" select="$c?matter"/>
        <xsl:with-param name="chunk" select="$c"/>
        <xsl:with-param name="page" select="$page"/>
      </xsl:call-template>
    </xsl:for-each>

    <!-- index of names -->
    <xsl:if test="exists($index)">
      <xsl:call-template name="e:xhtml-doc">
        <xsl:with-param name="href" select="'index.xhtml'"/>
        <xsl:with-param name="lang" select="$lang"/>
        <xsl:with-param name="title" select="e:label('index')"/>
        <xsl:with-param name="body-type" select="'backmatter'"/>
        <xsl:with-param name="rendered" select="$index[exists($page)]"/>
        <xsl:with-param name="content" select="$index[empty($page)]"/>
      </xsl:call-template>
    </xsl:if>

    <!-- cover: a typographic SVG made from title and authors. (Written last: the one
         document serialised by the XML method, written before the XHTML ones, cost the
         flagship's transform 1.3% more instructions, though alone it costs next to none:
         likely because V8 then met saxon-js's serialising code with both methods from the
         start, and optimised it for neither.) -->
    <xsl:result-document href="images/cover.svg" format="svg">
      <xsl:call-template name="e:cover-svg">
        <xsl:with-param name="title" select="$title"/>
        <xsl:with-param name="subtitle" select="string($md?subtitle)"/>
        <xsl:with-param name="authors" select="$authors"/>
      </xsl:call-template>
    </xsl:result-document>

    <!-- the manifest -->
    <xsl:sequence select="map{
      'metadata': $md,
      'lang': $lang,
      'title': $title,
      'documents': array{
        map{'href': 'cover.xhtml', 'kind': 'cover', 'title': e:epub-label('cover')},
        map{'href': 'titlepage.xhtml', 'kind': 'titlepage', 'title': e:epub-label('titlepage')},
        $chunks ! map{'href': ?href, 'kind': ?matter, 'title': (?label, $title)[1]},
        map{'href': 'endnotes.xhtml', 'kind': 'endnotes', 'title': e:label('notes')}[$note-count gt 0 and not($e:chapter-notes)],
        map{'href': 'index.xhtml', 'kind': 'index', 'title': e:label('index')}[exists($index)]
      },
      'toc': array{
        map{'label': e:epub-label('titlepage'), 'href': 'titlepage.xhtml', 'children': array{}},
        $chunks[?label] ! map{'label': ?label, 'href': ?href, 'children': e:toc-children(?toc-scope)},
        map{'label': e:label('notes'), 'href': 'endnotes.xhtml', 'children': array{}}[$note-count gt 0 and not($e:chapter-notes)],
        map{'label': e:label('index'), 'href': 'index.xhtml', 'children': array{}}[exists($index)]
      },
      'images': array{ $e:images ! map{'url': ., 'href': e:image-href(.)} },
      'counts': map{'notes': $note-count},
      (: whether the text has editorial marks, for the accessibility summary (from the
         core's index of these names: four searches read a document without them whole
         four times) :)
      'hasGaps': exists(key('e:by-name', ('gap', 'space', 'unclear', 'supplied'), $doc)[ancestor::tei:text])
    }"/>
  </xsl:template>

  <xsl:function name="e:epub-label" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="($e:epub-labels($key), e:label($key))[1]"/>
  </xsl:function>

  <!-- One XHTML content document: its content given, or a chunk of the text, or part of
       the page to pass, or the notes section of a TEI rendered here (made in place: no
       copy of a whole file's content). -->
  <xsl:template name="e:xhtml-doc">
    <xsl:param name="href" as="xs:string"/>
    <xsl:param name="lang" as="xs:string"/>
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="body-type" as="xs:string?"/>
    <xsl:param name="content" as="node()*" select="()"/>
    <xsl:param name="chunk" as="map(*)?" select="()"/>
    <xsl:param name="page" as="document-node()?" select="()"/>
    <xsl:param name="rendered" as="element()*" select="()"/>
    <xsl:param name="notes-of" as="element()?" select="()"/>
    <xsl:result-document href="{$href}" format="xhtml">
      <html>
        <xsl:namespace name="epub" select="'http://www.idpf.org/2007/ops'"/>
        <xsl:attribute name="lang" select="$lang"/>
        <xsl:attribute name="xml:lang" select="$lang"/>
        <head>
          <meta charset="utf-8"/>
          <title><xsl:value-of select="normalize-space($title)"/></title>
          <link rel="stylesheet" type="text/css" href="style.css"/>
        </head>
        <body>
          <xsl:if test="$body-type = ('frontmatter', 'bodymatter', 'backmatter')">
            <xsl:attribute name="epub:type" select="$body-type"/>
          </xsl:if>
          <xsl:sequence select="$content"/>
          <xsl:if test="exists($chunk)">
            <xsl:call-template name="e:chunk-content">
              <xsl:with-param name="chunk" select="$chunk"/>
              <xsl:with-param name="page" select="$page"/>
            </xsl:call-template>
          </xsl:if>
          <xsl:apply-templates select="$rendered" mode="e:epub"/>
          <xsl:for-each select="$notes-of"><xsl:call-template name="e:footnotes"/></xsl:for-each>
        </body>
      </html>
    </xsl:result-document>
  </xsl:template>

  <!-- ===== splitting the text into files =====
       A chunk is a map{'href', 'matter', 'label'?, 'nodes' (rendered in order),
       'section'? (a split division whose leading content this chunk holds),
       'container'? (the element whose whole content the nodes are),
       'toc-scope'? (the division whose sub-divisions are listed in the TOC)}. -->

  <xsl:function name="e:book-chunks" as="map(*)*">
    <xsl:param name="doc" as="element()"/>
    <xsl:variable name="raw" as="map(*)*">
      <xsl:choose>
        <xsl:when test="$doc/self::tei:teiCorpus">
          <xsl:sequence select="$doc/(tei:TEI | tei:teiCorpus) ! map{'matter': 'bodymatter', 'nodes': ., 'label': e:doc-title(.)[. != '']}"/>
        </xsl:when>
        <xsl:when test="$doc/self::tei:TEI and $doc/tei:text">
          <xsl:for-each select="$doc/tei:text">
            <xsl:variable name="containers" select="tei:front | tei:body | tei:back | tei:group"/>
            <xsl:choose>
              <xsl:when test="exists($containers)">
                <xsl:for-each select="$containers">
                  <xsl:sequence select="e:chunks(., if (self::tei:front) then 'frontmatter' else if (self::tei:back) then 'backmatter' else 'bodymatter', xs:integer($split-depth))"/>
                </xsl:for-each>
              </xsl:when>
              <xsl:otherwise>
                <xsl:sequence select="map{'matter': 'bodymatter', 'nodes': node(), 'container': .}"/>
              </xsl:otherwise>
            </xsl:choose>
          </xsl:for-each>
          <xsl:if test="$doc/tei:standOff[normalize-space(.) != '']">
            <xsl:sequence select="map{'matter': 'backmatter', 'nodes': $doc/tei:standOff, 'label': e:epub-label('standoff')}"/>
          </xsl:if>
        </xsl:when>
        <xsl:when test="$doc/self::tei:TEI and $doc/tei:sourceDoc">
          <xsl:sequence select="map{'matter': 'bodymatter', 'nodes': $doc/tei:sourceDoc, 'label': e:label('transcription')}"/>
        </xsl:when>
        <xsl:when test="$doc/self::tei:TEI">
          <xsl:sequence select="map{'matter': 'bodymatter', 'nodes': (), 'header-only': $doc, 'label': e:epub-label('document')}"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:sequence select="map{'matter': 'bodymatter', 'nodes': $doc, 'label': e:epub-label('document')}"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:for-each select="$raw">
      <xsl:sequence select="map:put(., 'href', 'text-' || format-integer(position(), '000') || '.xhtml')"/>
    </xsl:for-each>
  </xsl:function>

  <xsl:function name="e:is-unit" as="xs:boolean">
    <xsl:param name="n" as="node()"/>
    <xsl:sequence select="$n instance of element() and (e:is-div($n) or exists($n/self::tei:text[parent::tei:group]))"/>
  </xsl:function>

  <!-- The chunks of a container (front, body, back, group) or of a division being split. -->
  <xsl:function name="e:chunks" as="map(*)*">
    <xsl:param name="parent" as="element()"/>
    <xsl:param name="matter" as="xs:string"/>
    <xsl:param name="depth" as="xs:integer"/>
    <xsl:variable name="is-section" select="e:is-div($parent)"/>
    <xsl:variable name="content" select="$parent/node()[self::element() or self::text()[normalize-space() != '']]"/>
    <xsl:choose>
      <xsl:when test="$depth le 0 and not($is-section)">
        <xsl:sequence select="map{'matter': $matter, 'nodes': $content, 'container': $parent, 'label': e:container-label($parent)}[exists($content)]"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:for-each-group select="$content" group-adjacent="e:is-unit(.)">
          <xsl:variable name="first" select="position() = 1"/>
          <xsl:choose>
            <xsl:when test="current-grouping-key()">
              <xsl:variable name="only" select="count($content[e:is-unit(.)]) = 1"/>
              <xsl:for-each select="current-group()">
                <xsl:choose>
                  <!-- a lone wrapper division (a CTS "translation" div, say) is not a level -->
                  <xsl:when test="$only and $depth ge 1 and e:is-div(.) and exists(*[e:is-unit(.)])">
                    <xsl:sequence select="e:chunks(., $matter, $depth)"/>
                  </xsl:when>
                  <xsl:when test="$depth gt 1 and e:is-div(.) and exists(*[e:is-unit(.)])">
                    <xsl:sequence select="e:chunks(., $matter, $depth - 1)"/>
                  </xsl:when>
                  <xsl:otherwise>
                    <xsl:sequence select="map{'matter': $matter, 'nodes': ., 'label': e:unit-label(.), 'toc-scope': .}"/>
                  </xsl:otherwise>
                </xsl:choose>
              </xsl:for-each>
            </xsl:when>
            <xsl:when test="$is-section">
              <!-- the leading (or trailing) content of a split division -->
              <xsl:sequence select="map:merge((map{'matter': $matter, 'nodes': current-group(), 'section': $parent, 'section-first': $first},
                if ($first) then map{'label': e:unit-label($parent)} else ()))"/>
            </xsl:when>
            <xsl:otherwise>
              <xsl:sequence select="map:merge((map{'matter': $matter, 'nodes': current-group(), 'label': e:run-label(current-group(), $parent)},
                map{'container': $parent}[count(current-group()) eq count($content)]))"/>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:for-each-group>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:function name="e:container-label" as="xs:string">
    <xsl:param name="c" as="element()"/>
    <xsl:sequence select="if ($c/self::tei:front) then e:epub-label('front') else if ($c/self::tei:back) then e:epub-label('back') else e:epub-label('body')"/>
  </xsl:function>

  <!-- A TOC label for a run of content that is not a division (a title page, loose paragraphs). -->
  <xsl:function name="e:run-label" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:param name="parent" as="element()"/>
    <xsl:variable name="head" select="$nodes/self::tei:head[1]"/>
    <xsl:sequence select="if (exists($head)) then e:toc-label($head)
      else if ($nodes[1]/self::tei:titlePage) then (e:plain-no-notes($nodes[1]/tei:docTitle)[. != ''] ! e:shorten(., 120), e:epub-label('titlepage'))[1]
      else e:container-label($parent)"/>
  </xsl:function>

  <xsl:function name="e:unit-label" as="xs:string">
    <xsl:param name="d" as="element()"/>
    <xsl:variable name="head" select="($d/tei:head, $d/tei:front/tei:titlePage/tei:docTitle)[1]"/>
    <xsl:variable name="type" select="lower-case(normalize-space(if ($d/@type = 'textpart' and normalize-space($d/@subtype) != '') then $d/@subtype else $d/@type))"/>
    <xsl:sequence select="if (exists($head)) then e:toc-label($head)
      else if ($type = ('translator-note', 'translators-note', 'translator', 'translation-note')) then e:label('note-translator')
      else if ($type = ('editor-note', 'editors-note', 'editorial', 'editorial-note')) then e:label('note-editor')
      else if (normalize-space($d/@n) != '' and $type != '') then e:capitalise(translate($type, '-_', '  ')) || ' ' || normalize-space($d/@n)
      else if ($type != '') then e:capitalise(translate($type, '-_', '  '))
      else if (normalize-space($d/@n) != '') then normalize-space($d/@n)
      else e:label('untitled')"/>
  </xsl:function>

  <xsl:function name="e:capitalise" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="upper-case(substring($s, 1, 1)) || substring($s, 2)"/>
  </xsl:function>

  <xsl:function name="e:toc-label" as="xs:string">
    <xsl:param name="head" as="element()"/>
    <xsl:variable name="t" as="item()*"><xsl:apply-templates select="$head/node()" mode="e:toc"/></xsl:variable>
    <xsl:variable name="s" select="normalize-space(string-join($t ! string(.), ''))"/>
    <xsl:sequence select="if ($s != '') then e:shorten($s, 120) else '[' || e:label('untitled') || ']'"/>
  </xsl:function>

  <!-- Nested TOC entries: sub-divisions with a head. -->
  <xsl:function name="e:toc-children" as="array(*)">
    <xsl:param name="scope" as="element()?"/>
    <xsl:sequence select="array{
      $scope/*[e:is-div(.)][tei:head or exists(descendant::tei:head[parent::*[e:is-div(.)]])]
        ! map{'label': e:unit-label(.), 'href': '#' || e:section-id(.), 'children': e:toc-children(.)}}"/>
  </xsl:function>

  <!-- A file's content. From the page (editions.xsl): a whole division (or other marked
       element), or the whole content of a marked container, is taken from there; any
       other piece of text is rendered here (with the same templates, so the same XHTML).
       Either way it then goes through the EPUB pass. Without a page (epub.xsl), the
       file's content is rendered here at once in the EPUB's form, as the same XHTML. -->
  <xsl:template name="e:chunk-content">
    <xsl:param name="chunk" as="map(*)"/>
    <xsl:param name="page" as="document-node()?"/>
    <xsl:choose>
      <xsl:when test="empty($page)">
        <xsl:choose>
          <!-- (the whole content of a container the page renders with a mark, as the pass
               takes it from there: with the white space between its children) -->
          <xsl:when test="exists($chunk?container[self::tei:text or self::tei:front or self::tei:body or self::tei:back])
              and not(count($chunk?nodes) eq 1 and empty($chunk?section) and e:page-unit($chunk?nodes))">
            <xsl:apply-templates select="$chunk?container/node()"/>
          </xsl:when>
          <xsl:otherwise>
            <xsl:call-template name="e:chunk-text"><xsl:with-param name="chunk" select="$chunk"/></xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:otherwise>
        <!-- one element (a division, a text of a group, a transcription, the stand-off
             lists), rendered on the page with its mark: taken from there, not rendered again -->
        <xsl:variable name="unit" select="if (count($chunk?nodes) eq 1 and empty($chunk?section) and $chunk?nodes instance of element())
          then key('e:rendered', generate-id($chunk?nodes), $page)[1] else ()"/>
        <!-- all the content of a container rendered on the page with its mark (a body
             without divisions, say): its rendering's content, from there -->
        <xsl:variable name="whole" select="if (empty($unit) and exists($chunk?container))
          then key('e:rendered', generate-id($chunk?container), $page)[1] else ()"/>
        <xsl:choose>
          <xsl:when test="exists($unit)">
            <xsl:apply-templates select="$unit" mode="e:epub"/>
          </xsl:when>
          <xsl:when test="exists($whole)">
            <xsl:apply-templates select="$whole/node()" mode="e:epub"/>
          </xsl:when>
          <xsl:otherwise>
            <xsl:variable name="rendered" as="node()*">
              <xsl:call-template name="e:chunk-text">
                <xsl:with-param name="chunk" select="$chunk"/>
                <xsl:with-param name="e:quiet" select="true()" tunnel="yes"/>
              </xsl:call-template>
            </xsl:variable>
            <xsl:apply-templates select="$rendered" mode="e:epub"/>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:otherwise>
    </xsl:choose>
    <!-- with notes-placement=chapter: the notes this file calls, at its end (chosen by the
         core's rule for every notes list) -->
    <xsl:variable name="notes" select="if ($e:chapter-notes) then e:note-entries-in($chunk?nodes) else ()"/>
    <xsl:if test="exists($notes)">
      <!-- (rendered here once; from a page, quietly, as the page reported them, then passed) -->
      <xsl:variable name="rendered" as="node()*">
        <xsl:for-each select="($notes/ancestor::tei:TEI)[last()]">
          <xsl:call-template name="e:footnotes">
            <xsl:with-param name="items" select="$notes"/>
            <xsl:with-param name="e:quiet" select="exists($page)" tunnel="yes"/>
          </xsl:call-template>
        </xsl:for-each>
      </xsl:variable>
      <xsl:choose>
        <xsl:when test="exists($page)"><xsl:apply-templates select="$rendered" mode="e:epub"/></xsl:when>
        <xsl:otherwise><xsl:sequence select="$rendered"/></xsl:otherwise>
      </xsl:choose>
    </xsl:if>
  </xsl:template>

  <!-- Whether the page renders element $n as a marked section or div of its own, which the
       pass takes whole for a file (a division, a text, body, front or back, a transcription,
       the stand-off lists, a choice that holds blocks). -->
  <xsl:function name="e:page-unit" as="xs:boolean">
    <xsl:param name="n" as="node()"/>
    <xsl:sequence select="$n instance of element() and (e:is-div($n)
      or exists($n/(self::tei:text | self::tei:front | self::tei:body | self::tei:back | self::tei:sourceDoc | self::tei:standOff))
      or exists($n/self::tei:choice) and e:has-block($n))"/>
  </xsl:function>

  <xsl:template name="e:chunk-text">
    <xsl:param name="chunk" as="map(*)"/>
    <xsl:choose>
      <xsl:when test="exists($chunk?header-only)">
        <xsl:for-each select="$chunk?header-only"><xsl:call-template name="e:header-summary"/></xsl:for-each>
      </xsl:when>
      <xsl:when test="exists($chunk?section)">
        <xsl:for-each select="$chunk?section">
          <section>
            <xsl:call-template name="e:attrs"><xsl:with-param name="with-id" select="false()"/></xsl:call-template>
            <xsl:if test="$chunk?section-first">
              <xsl:attribute name="id" select="e:section-id(.)"/>
              <xsl:call-template name="e:section-semantics"/>
            </xsl:if>
            <xsl:apply-templates select="$chunk?nodes"/>
          </section>
        </xsl:for-each>
      </xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates select="$chunk?nodes"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===== sections: epub:type and DPUB-ARIA role from the division's @type ===== -->
  <xsl:variable name="e:section-types" as="map(xs:string, xs:string)" select="map{
    'chapter': 'chapter', 'preface': 'preface', 'introduction': 'introduction', 'intro': 'introduction',
    'foreword': 'foreword', 'prologue': 'prologue', 'epilogue': 'epilogue', 'afterword': 'afterword',
    'conclusion': 'conclusion', 'appendix': 'appendix', 'acknowledgments': 'acknowledgments',
    'acknowledgements': 'acknowledgments', 'dedication': 'dedication', 'glossary': 'glossary',
    'bibliography': 'bibliography', 'colophon': 'colophon', 'part': 'part'}"/>

  <xsl:template name="e:section-semantics">
    <!-- (the head first: most divisions have none, and need no look-up of their type) -->
    <xsl:if test="exists(tei:head)">
      <xsl:variable name="t" select="$e:section-types(lower-case(normalize-space(@type)))"/>
      <xsl:if test="exists($t)">
        <xsl:attribute name="epub:type" select="$t"/>
        <xsl:attribute name="role" select="'doc-' || $t"/>
      </xsl:if>
    </xsl:if>
  </xsl:template>

  <!-- ===== the EPUB pass over the rendered XHTML ===== -->
  <xsl:mode name="e:epub" on-no-match="shallow-copy"/>
  <!-- An XHTML element that holds nothing this pass changes (no marked element, back-link
       or note entry) and nothing outside XHTML (SVG and MathML keep their namespaces by
       the core's rule): copied whole, as the rules would copy it node by node. Most of a
       page is such elements; one deep copy of each saves a template match per node (the
       flagship's editions transform, html and epub: 4.6% fewer instructions).
       Its predicate names, once more, what the rules below match (the marked elements by
       any name, a superset): a rule added to this mode must be named there too, or an
       element it changes would be copied unchanged inside a whole copy. -->
  <xsl:template match="h:*[empty(descendant::*[@data-editio-src or @data-editio-drop or not(self::h:*)
      or (self::h:a and @role = 'doc-backlink') or (self::h:li and parent::h:ol[@class = 'notes-list'])])]"
      mode="e:epub" priority="0">
    <xsl:copy-of select="." copy-namespaces="no"/>
  </xsl:template>
  <!-- (an element this pass does not change is copied by the core's rule for the passes
       over the page, editio-core.xsl) -->
  <!-- The rules of this pass (each one named in the whole copy's predicate above): -->

  <!-- A marked element (see the core): a page break or a graphic is rendered again from
       its TEI element, the EPUB's way; the HTML layer's contents go (the nav has them); a
       division gains epub:type and role from its TEI @type; a note call, epub:type
       noteref; any other loses its marks. -->
  <xsl:template match="h:section[@data-editio-src] | h:nav[@data-editio-src] | h:div[@data-editio-src]
      | h:span[@data-editio-src] | h:img[@data-editio-src] | h:a[@data-editio-src]
      | h:h1[@data-editio-src] | h:h2[@data-editio-src] | h:h3[@data-editio-src]
      | h:h4[@data-editio-src] | h:h5[@data-editio-src] | h:h6[@data-editio-src]" mode="e:epub">
    <xsl:variable name="tei" select="key('e:epub-source', @data-editio-src, $e:source)"/>
    <xsl:choose>
      <xsl:when test="exists($tei[self::tei:pb or self::tei:graphic])">
        <xsl:variable name="secondary" select="@data-editio-secondary = 'true'"/>
        <xsl:variable name="rendered" as="node()*">
          <xsl:for-each select="$tei">
            <xsl:choose>
              <xsl:when test="self::tei:pb">
                <xsl:call-template name="e:epub-page-break">
                  <xsl:with-param name="e:secondary" select="$secondary" tunnel="yes"/>
                </xsl:call-template>
              </xsl:when>
              <xsl:otherwise>
                <xsl:call-template name="e:epub-graphic">
                  <xsl:with-param name="e:secondary" select="$secondary" tunnel="yes"/>
                </xsl:call-template>
              </xsl:otherwise>
            </xsl:choose>
          </xsl:for-each>
        </xsl:variable>
        <xsl:apply-templates select="$rendered" mode="#current"/>
      </xsl:when>
      <xsl:when test="self::h:nav[@role = 'doc-toc']"/>
      <xsl:otherwise>
        <xsl:copy copy-namespaces="no">
          <xsl:copy-of select="@* except (@data-editio-src, @data-editio-secondary)"/>
          <xsl:if test="self::h:section and e:is-div($tei)">
            <xsl:for-each select="$tei"><xsl:call-template name="e:section-semantics"/></xsl:for-each>
          </xsl:if>
          <xsl:apply-templates mode="#current"/>
        </xsl:copy>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <!-- A note call: no need of its TEI element. -->
  <xsl:template match="h:a[@data-editio-src][@role = 'doc-noteref']" mode="e:epub" priority="1">
    <xsl:copy copy-namespaces="no">
      <xsl:copy-of select="@class, @href"/>
      <xsl:attribute name="epub:type" select="'noteref'"/>
      <xsl:copy-of select="@* except (@class, @href, @data-editio-src, @data-editio-secondary)"/>
      <xsl:apply-templates mode="#current"/>
    </xsl:copy>
  </xsl:template>
  <!-- (the graphic's description: the graphic rendered again has it) -->
  <xsl:template match="h:span[@data-editio-drop]" mode="e:epub"/>

  <!-- note entries and back-links -->
  <xsl:template match="h:a[@role = 'doc-backlink']" mode="e:epub">
    <xsl:copy copy-namespaces="no">
      <xsl:copy-of select="@class, @href"/>
      <xsl:attribute name="epub:type" select="'backlink'"/>
      <xsl:copy-of select="@* except (@class, @href)"/>
      <xsl:apply-templates mode="#current"/>
    </xsl:copy>
  </xsl:template>
  <xsl:template match="h:li[parent::h:ol[@class = 'notes-list']]" mode="e:epub">
    <xsl:copy copy-namespaces="no">
      <xsl:copy-of select="@id"/>
      <xsl:attribute name="epub:type" select="'endnote'"/>
      <xsl:copy-of select="@* except @id"/>
      <xsl:apply-templates mode="#current"/>
    </xsl:copy>
  </xsl:template>

  <!-- ===== page breaks ===== -->
  <xsl:template name="e:epub-page-break">
    <!-- (no type on the parameter, and no e:in-secondary for a break outside any choice or
         reading: Quintilian's EPUB renders 1,071 breaks, which cost saxon-js ~200 closure
         calls each in e:in-secondary, e:label, e:page-id and the making of the ids) -->
    <xsl:param name="e:secondary" tunnel="yes" select="false()"/>
    <xsl:variable name="n" select="normalize-space(@n)"/>
    <!-- (most breaks have no @rend, @rendition or @type: their class without e:classes) -->
    <span class="{if (@rend or @rendition or @type) then string-join(('tei-pb', 'editorial', e:classes(.)[. != 'tei-pb']), ' ') else 'tei-pb editorial'}">
      <xsl:if test="not($e:secondary) and (not(ancestor::tei:choice) and not(ancestor::tei:rdg) or not(e:in-secondary(.)))">
        <xsl:attribute name="id" select="if (exists(@xml:id) and e:owns-id(.)) then string(@xml:id) else e:page-id(.)"/>
        <xsl:if test="$n != ''">
          <xsl:attribute name="epub:type" select="'pagebreak'"/>
          <xsl:attribute name="role" select="'doc-pagebreak'"/>
          <xsl:attribute name="title" select="$n"/>
        </xsl:if>
      </xsl:if>
      <xsl:if test="$n != ''">
        <xsl:attribute name="aria-label" select="$e:page-label || ' ' || $n"/>
        <xsl:value-of select="'[' || $n || ']'"/>
      </xsl:if>
    </span>
  </xsl:template>
  <xsl:variable name="e:page-label" as="xs:string" select="e:label('page')"/>

  <!-- A page break's id from its number: page-12, then page-12-2 for a second "12", and
       page-x-1, page-x-2… for breaks without one. The source's breaks get theirs from one
       grouping of the breaks by number ($e:page-ids): counting, at each break, the breaks
       of its number before it took time that grew faster than the square of their count
       (4,000 breaks without a number: 199 s for the EPUB transform). -->
  <xsl:variable name="e:page-ids" as="map(*)">
    <!-- (each number's breaks in document order, one map per break merged once: a map
         grown by map:put at each break was copied along its path each time) -->
    <xsl:variable name="ids" as="map(*)*">
      <xsl:for-each-group select="$e:id-root ! descendant::tei:pb" group-by="normalize-space(@n)">
        <xsl:variable name="stem" select="'page-' || e:page-id-part(current-grouping-key())"/>
        <xsl:variable name="numbered" select="current-grouping-key() ne ''"/>
        <xsl:for-each select="current-group()">
          <xsl:sequence select="map{generate-id(): e:fresh-id(., if ($numbered and position() eq 1) then $stem else $stem || '-' || position())}"/>
        </xsl:for-each>
      </xsl:for-each-group>
    </xsl:variable>
    <xsl:sequence select="map:merge($ids)"/>
  </xsl:variable>

  <xsl:function name="e:page-id" as="xs:string">
    <xsl:param name="pb" as="element()"/>
    <xsl:variable name="id" select="$e:page-ids(generate-id($pb))"/>
    <!-- (a break of another tree, which no format renders today: counted there) -->
    <xsl:sequence select="if (exists($id)) then $id
      else let $n := normalize-space($pb/@n)
        return e:page-id-of($pb, $n, count(root($pb)/descendant::tei:pb[normalize-space(@n) eq $n][. &lt;&lt; $pb]) + 1)"/>
  </xsl:function>

  <!-- The id of page break $pb, the $k-th with the number $n in its document. -->
  <xsl:function name="e:page-id-of" as="xs:string">
    <xsl:param name="pb"/>
    <xsl:param name="n"/>
    <xsl:param name="k"/>
    <xsl:sequence select="e:fresh-id($pb, 'page-' || e:page-id-part($n) || (if ($k gt 1 or $n = '') then '-' || $k else ''))"/>
  </xsl:function>

  <!-- A page number as part of an id: 'x' for none, else any character other than a
       letter, a digit, '_', '.' or '-' made '_'. (An ASCII fast path: replace() makes its
       JavaScript RegExp anew at each call, and one with \p{L} holds every range of Unicode
       letters. For ASCII the two give the same.) -->
  <xsl:function name="e:page-id-part" as="xs:string">
    <xsl:param name="n"/>
    <xsl:sequence select="if ($n = '') then 'x'
      else if (matches($n, '^[ -~]+$')) then replace($n, '[^A-Za-z0-9_.\-]', '_')
      else replace($n, '[^\p{L}\p{N}_.\-]', '_')"/>
  </xsl:function>

  <!-- ===== graphics: into the package ===== -->
  <xsl:variable name="e:images" as="xs:string*" select="distinct-values(. ! descendant::tei:graphic[ancestor::tei:text or ancestor::tei:sourceDoc or ancestor::tei:standOff] ! @url ! normalize-space(.)[e:is-local-image(.)])"/>

  <xsl:function name="e:is-local-image" as="xs:boolean">
    <xsl:param name="u" as="xs:string"/>
    <xsl:variable name="safe" select="e:safe-url($u)"/>
    <xsl:sequence select="exists($safe) and not(matches($u, '^[A-Za-z][A-Za-z0-9+.\-]*:')) and not(starts-with($u, '/')) and not(starts-with($u, '#'))
      and matches(lower-case(replace($u, '[?#].*$', '')), '\.(png|jpe?g|gif|svg|webp)$')"/>
  </xsl:function>

  <xsl:function name="e:image-href" as="xs:string">
    <xsl:param name="u" as="xs:string"/>
    <xsl:variable name="base" select="replace(replace(replace($u, '[?#].*$', ''), '^.*/', ''), '[^A-Za-z0-9._\-]', '_')"/>
    <xsl:sequence select="'images/img' || index-of($e:images, $u)[1] || '-' || lower-case($base)"/>
  </xsl:function>

  <xsl:template name="e:epub-graphic">
    <xsl:variable name="u" select="normalize-space(@url)"/>
    <xsl:variable name="alt" select="e:plain((tei:desc, ../tei:figDesc, ../../tei:figDesc)[1])"/>
    <xsl:choose>
      <xsl:when test="$u = $e:images">
        <img src="{e:image-href($u)}" alt="{$alt}">
          <xsl:call-template name="e:attrs"/>
          <xsl:if test="matches(@width, '^\d+(px)?$')"><xsl:attribute name="width" select="replace(@width, 'px', '')"/></xsl:if>
          <xsl:if test="matches(@height, '^\d+(px)?$')"><xsl:attribute name="height" select="replace(@height, 'px', '')"/></xsl:if>
        </img>
        <xsl:if test="tei:desc">
          <span class="graphic-desc"><xsl:apply-templates select="tei:desc/node()"/></span>
        </xsl:if>
      </xsl:when>
      <xsl:otherwise>
        <xsl:if test="$u != ''">
          <xsl:call-template name="e:diag">
            <xsl:with-param name="code" select="'epub.image-not-packaged'"/>
            <xsl:with-param name="name" select="local-name()"/>
            <xsl:with-param name="message" select="'image &quot;' || $u || '&quot; is not packaged (an EPUB may not load images from the network, and holds only PNG, JPEG, GIF, SVG and WebP images); a placeholder stands in its place'"/>
          </xsl:call-template>
        </xsl:if>
        <span title="{e:label('link-disabled')}">
          <xsl:call-template name="e:attrs"><xsl:with-param name="class" select="('graphic-missing', 'editorial')"/></xsl:call-template>
          <xsl:value-of select="'[image' || (if ($alt != '') then ': ' || $alt else '') || ']'"/>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===== the cover: typographic SVG ===== -->
  <xsl:function name="e:wrap" as="xs:string*">
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="width" as="xs:integer"/>
    <xsl:iterate select="tokenize(normalize-space($text), ' ')">
      <xsl:param name="line" as="xs:string" select="''"/>
      <xsl:on-completion><xsl:sequence select="$line[. != '']"/></xsl:on-completion>
      <xsl:choose>
        <xsl:when test="$line = ''"><xsl:next-iteration><xsl:with-param name="line" select="."/></xsl:next-iteration></xsl:when>
        <xsl:when test="string-length($line) + 1 + string-length(.) le $width">
          <xsl:next-iteration><xsl:with-param name="line" select="$line || ' ' || ."/></xsl:next-iteration>
        </xsl:when>
        <xsl:otherwise>
          <xsl:sequence select="$line"/>
          <xsl:next-iteration><xsl:with-param name="line" select="."/></xsl:next-iteration>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:iterate>
  </xsl:function>

  <xsl:template name="e:cover-svg">
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="subtitle" as="xs:string"/>
    <xsl:param name="authors" as="xs:string*"/>
    <xsl:variable name="t-lines" select="e:wrap(e:shorten($title, 140), 18)"/>
    <xsl:variable name="s-lines" select="e:wrap(e:shorten($subtitle, 160), 34)"/>
    <xsl:variable name="a-lines" select="e:wrap(e:shorten(string-join($authors, ', '), 80), 28)"/>
    <xsl:variable name="t-size" select="if (count($t-lines) gt 5) then 62 else 80"/>
    <svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 1400 2100" width="1400" height="2100" role="img" aria-labelledby="cover-title">
      <title id="cover-title"><xsl:value-of select="string-join(($title, string-join($authors, ', ')[. != '']), ' — ')"/></title>
      <rect x="0" y="0" width="1400" height="2100" fill="#f4efe3"/>
      <rect x="70" y="70" width="1260" height="1960" fill="none" stroke="#7a2e0e" stroke-width="6"/>
      <rect x="94" y="94" width="1212" height="1912" fill="none" stroke="#7a2e0e" stroke-width="2"/>
      <g font-family="Georgia, 'Times New Roman', serif" text-anchor="middle" fill="#1b1b1b">
        <xsl:for-each select="$a-lines">
          <text x="700" y="{300 + (position() - 1) * 72}" font-size="56" letter-spacing="4"><xsl:value-of select="upper-case(.)"/></text>
        </xsl:for-each>
        <xsl:variable name="t-top" select="760 - (count($t-lines) * $t-size * 1.25) div 2"/>
        <xsl:for-each select="$t-lines">
          <text x="700" y="{round($t-top + position() * $t-size * 1.25)}" font-size="{$t-size * 1.25}"><xsl:value-of select="."/></text>
        </xsl:for-each>
        <line x1="500" y1="1180" x2="900" y2="1180" stroke="#7a2e0e" stroke-width="4"/>
        <xsl:for-each select="$s-lines[position() le 8]">
          <text x="700" y="{1290 + (position() - 1) * 62}" font-size="44" font-style="italic"><xsl:value-of select="."/></text>
        </xsl:for-each>
        <text x="700" y="1900" font-size="36" letter-spacing="6" fill="#7a2e0e">EDITIO</text>
      </g>
    </svg>
  </xsl:template>
</xsl:stylesheet>
