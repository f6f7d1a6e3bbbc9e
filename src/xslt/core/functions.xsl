<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio core: shared functions (ids, safe URLs, @rend tokens, languages, labels).
  Pure functions of their arguments; no output.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio"
  exclude-result-prefixes="#all">

  <!-- ===== labels (English; a format or a language layer overrides this variable) ===== -->
  <xsl:variable name="e:labels" as="map(xs:string, xs:string)" select="map{
    'contents': 'Contents',
    'notes': 'Notes',
    'notes-author': 'Notes',
    'notes-translator': 'Translator’s notes',
    'notes-editor': 'Editor’s notes',
    'notes-apparatus': 'Critical apparatus',
    'back-to-text': 'Back to the text',
    'note': 'Note',
    'note-translator': 'Translator’s note',
    'note-editor': 'Editor’s note',
    'note-missing': 'the text of this note is missing',
    'gap': 'gap',
    'space': 'blank space',
    'new-hand': 'new hand',
    'omitted': 'om.',
    'page': 'Page',
    'no-text': 'This document has no text: only its header (metadata) is shown.',
    'translated-by': 'Translated by',
    'edited-by': 'Edited by',
    'by': 'by',
    'glyph': 'glyph',
    'unclear': 'unclear',
    'supplied': 'supplied by the editor',
    'surplus': 'surplus, to be deleted',
    'link-disabled': 'link disabled (unsafe address)',
    'transcription': 'Transcription',
    'and': 'and',
    'untitled': 'Untitled',
    'source': 'Source',
    'licence': 'Licence',
    'cite': 'Cite this edition',
    'index': 'Index',
    'index-persons': 'People',
    'index-orgs': 'Organisations',
    'index-places': 'Places',
    'occurrences-of': 'Occurrences of',
    'in-note': 'in note',
    'reading': 'Reading',
    'reading-edited': 'Edited text',
    'reading-source': 'Manuscript readings',
    'close': 'Close',
    'go-to-note': 'Go to the note'
    }"/>

  <!-- The language of $e:labels: the page's language when the document does not state its own. -->
  <xsl:variable name="e:labels-lang" as="xs:string" select="'en'"/>

  <!-- (no declared types here and in the id functions below, which every note and
       division calls: saxon-js converts and checks a declared parameter or result at each
       call, some five steps for an xs:string; the callers pass strings) -->
  <xsl:function name="e:label">
    <xsl:param name="key"/>
    <xsl:sequence select="($e:labels($key), $key)[1]"/>
  </xsl:function>

  <!-- ===== ids ===== -->

  <!-- matches($v, '^[\p{L}_][\p{L}\p{N}_.\-]*$'), with an ASCII fast path: saxon-js compiles
       a \p{L} regex on every call (~1.5 ms), which on a document with thousands of ids
       costs seconds. For ASCII text \p{L} is [A-Za-z] and \p{N} is [0-9]. -->
  <xsl:function name="e:is-id-name" as="xs:boolean">
    <xsl:param name="v" as="xs:string"/>
    <xsl:sequence select="
      if (matches($v, '^[A-Za-z_][A-Za-z0-9_.\-]*$')) then true()
      else if (every $c in string-to-codepoints($v) satisfies $c lt 128) then false()
      else matches($v, '^[\p{L}_][\p{L}\p{N}_.\-]*$')"/>
  </xsl:function>

  <!-- The source document's xml:ids (first holder of each), read in one pass: a map
       look-up is cheap where saxon-js's key() costs 0.2–1.5 ms a call, which thousands of
       sections and notes turn into seconds. Other trees (none today) still use the key. -->
  <xsl:variable name="e:id-root" as="node()?">
    <xsl:try select="root(.)"><xsl:catch select="()"/></xsl:try>
  </xsl:variable>
  <xsl:variable name="e:id-map" as="map(xs:string, element())" select="
    map:merge($e:attributed[@xml:id] ! map{string(@xml:id): .}, map{'duplicates': 'use-first'})"/>
  <!-- The source's elements that carry attributes, in one pass: the maps of ids and of
       @rend, @type and @xml:lang values below are read from them, not each from a pass
       over every node of the document. -->
  <xsl:variable name="e:attributed" as="element()*" select="$e:id-root ! descendant::*[@*]"/>

  <!-- The names of TEI's divisions, and the pattern and the test made from them at compile
       time: one list for every template, key and accumulator that looks for divisions (a
       test written out of name tests runs in saxon-js's own code, where a function call
       per node would not). -->
  <xsl:variable name="e:division-names" static="yes" as="xs:string+"
    select="('div', 'div1', 'div2', 'div3', 'div4', 'div5', 'div6', 'div7')"/>
  <xsl:variable name="e:division-pattern" static="yes" as="xs:string"
    select="string-join($e:division-names ! ('tei:' || .), ' | ')"/>
  <xsl:variable name="e:division-test" static="yes" as="xs:string"
    select="string-join($e:division-names ! ('self::tei:' || .), ' or ')"/>

  <!-- True when the document has no numbered divisions (div1…div7), as most TEI texts:
       a division's siblings and ancestors that are divisions are then found with one name
       test (tei:div), which saxon-js runs in its own code, instead of eight self:: tests
       per node, each an XPath evaluation (e:div-position, e:section-id, e:heading-level).
       Read from the key below. -->
  <xsl:variable name="e:div-only" as="xs:boolean" select="exists($e:id-root) and empty(key('e:by-name', $e:numbered-div-names, $e:id-root))"/>
  <xsl:variable name="e:numbered-div-names" static="yes" as="xs:string+" select="$e:division-names[. ne 'div']"/>
  <!-- The elements of a few names that transforms look for across a whole document, by
       local name, gathered in one pass that tests names only (saxon-js makes a key's index
       in its own code; each descendant:: search is a pass over every node of its own):
       the numbered divisions, the editorial marks the EPUB's accessibility summary
       mentions, the ODD elements that make a document a schema's (e:metadata-of). Where
       most documents have none of them, a search found nothing only at their end. -->
  <xsl:key name="e:by-name" _match="{string-join(($e:numbered-div-names, 'gap', 'space', 'unclear', 'supplied', 'schemaSpec', 'elementSpec') ! ('tei:' || .), ' | ')}" use="local-name()"/>
  <!-- $e:div-only for the document $n belongs to (only the source's is known) -->
  <xsl:function name="e:div-only" as="xs:boolean">
    <xsl:param name="n"/>
    <xsl:sequence select="$e:div-only and root($n) is $e:id-root"/>
  </xsl:function>

  <!-- The first element of $context's document with this xml:id: key('e:id', $id, root($context))[1]. -->
  <xsl:function name="e:by-id">
    <xsl:param name="context"/>
    <xsl:param name="id"/>
    <xsl:variable name="r" select="root($context)"/>
    <xsl:sequence select="if ($r is $e:id-root) then $e:id-map($id) else key('e:id', $id, $r)[1]"/>
  </xsl:function>

  <!-- True when $el carries an xml:id and is its first holder (duplicate ids are kept out of the output). -->
  <xsl:function name="e:owns-id" as="xs:boolean">
    <xsl:param name="el"/>
    <xsl:sequence select="$el ! (exists(@xml:id) and e:is-id-name(string(@xml:id)) and (e:by-id(., string(@xml:id)) is .))"/>
  </xsl:function>

  <!-- A generated id that cannot clash with an xml:id of the source. -->
  <xsl:function name="e:fresh-id">
    <xsl:param name="context"/>
    <xsl:param name="candidate"/>
    <xsl:sequence select="if (exists(e:by-id($context, $candidate))) then $candidate || '-e' else $candidate"/>
  </xsl:function>

  <!-- ===== URLs ===== -->

  <!-- The URL to use in an href/src, or () when it must not become live
       (javascript:, vbscript:, data:, or any scheme outside the allowed set). -->
  <!-- (no declared types on the two functions every link calls: callers pass a string
       or nothing, and saxon-js would convert and check both at each call) -->
  <!-- One pointer to a local id ("#LT"): safe as it stands, and its own first pointer
       (e:safe-url, and e:link, which then asks neither function). -->
  <xsl:variable name="e:local-pointer" static="yes" as="xs:string" select="'^#[A-Za-z0-9_.\-]+$'"/>
  <xsl:function name="e:safe-url">
    <xsl:param name="u"/>
    <!-- the common case, a pointer to a local id, is safe as it stands -->
    <!-- and so is a web address of printable ASCII alone: e:safe-url-of would return it
         unchanged, after ~70 µs of Unicode-class regexes in saxon-js -->
    <xsl:sequence select="if (matches(string($u), $e:local-pointer) or matches(string($u), '^https?://[!-~]+$')) then string($u) else e:safe-url-of($u)"/>
  </xsl:function>

  <xsl:function name="e:safe-url-of" as="xs:string?">
    <xsl:param name="u" as="xs:string?"/>
    <xsl:variable name="squeezed" select="lower-case(replace(string($u), '[\s\p{Cc}\p{Cf}]', ''))"/>
    <xsl:variable name="scheme" select="if (matches($squeezed, '^[a-z][a-z0-9+.\-]*:')) then replace($squeezed, '^([a-z][a-z0-9+.\-]*):.*$', '$1') else ''"/>
    <xsl:variable name="clean" select="replace(normalize-space(string($u)), ' ', '%20')"/>
    <xsl:sequence select="
      if ($clean = '') then ()
      else if ($scheme = ('http', 'https', 'mailto', 'ftp')) then $clean
      else if ($scheme = '' and not(starts-with($squeezed, '\\'))) then $clean
      else ()"/>
  </xsl:function>

  <!-- The first token of a pointer attribute (@target="#a #b" → "#a"). -->
  <xsl:function name="e:first-pointer">
    <xsl:param name="v"/>
    <xsl:sequence select="tokenize(normalize-space(string($v)), ' ')[1]"/>
  </xsl:function>

  <!-- ===== @rend / @rendition → a fixed set of classes (never CSS from the source) ===== -->
  <xsl:variable name="e:rend-map" as="map(xs:string, xs:string)" select="map{
    'i':'italic', 'it':'italic', 'ital':'italic', 'italic':'italic', 'italics':'italic', 'em':'italic',
    'b':'bold', 'bold':'bold', 'bo':'bold', 'strong':'bold',
    'u':'underline', 'ul':'underline', 'underline':'underline', 'underlined':'underline',
    'sc':'smallcaps', 'smcap':'smallcaps', 'smallcaps':'smallcaps', 'small-caps':'smallcaps', 'k':'smallcaps',
    'sup':'sup', 'super':'sup', 'superscript':'sup', 'sups':'sup',
    'sub':'sub', 'subscript':'sub',
    'strike':'strike', 'strikethrough':'strike', 'overstrike':'strike', 'line-through':'strike',
    'caps':'caps', 'allcaps':'caps', 'uppercase':'caps',
    'g':'spaced', 'spaced':'spaced', 'letterspace':'spaced', 'letterspaced':'spaced', 'gesperrt':'spaced',
    'c':'center', 'center':'center', 'centre':'center', 'centered':'center', 'centred':'center',
    'right':'right', 'aligned-right':'right', 'left':'left',
    'indent':'indent', 'large':'large', 'larger':'large', 'small':'small', 'smaller':'small',
    'fr':'blackletter', 'gothic':'blackletter', 'blackletter':'blackletter', 'fraktur':'blackletter',
    'aq':'roman', 'roman':'roman', 'normal':'roman', 'upright':'roman',
    'block':'block', 'inline':'inline', 'monospace':'monospace', 'code':'monospace', 'typewriter':'monospace',
    'overline':'overline', 'double-underline':'underline', 'dbul':'underline', 'red':'red', 'rubric':'red'
    }"/>

  <!-- The @rend/@rendition tokens of an element, as rend-map classes. -->
  <xsl:function name="e:rend-tokens" as="xs:string*">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="key" select="e:rend-key($el)"/>
    <xsl:sequence select="if (map:contains($e:rend-cache, $key)) then $e:rend-cache($key) else e:rend-tokens-of($key)"/>
  </xsl:function>

  <!-- The key of an element's @rend/@rendition in $e:rend-cache (and $e:hi-plain). -->
  <xsl:function name="e:rend-key" as="xs:string">
    <xsl:param name="el"/>
    <xsl:sequence select="$el ! (if (@rendition) then string-join((@rend, @rendition), ' ') else string(@rend))"/>
  </xsl:function>

  <xsl:function name="e:rend-tokens-of" as="xs:string*">
    <xsl:param name="rend" as="xs:string"/>
    <xsl:sequence select="distinct-values(for $t in tokenize(lower-case($rend), '[\s;:(),#]+') return $e:rend-map($t))"/>
  </xsl:function>

  <!-- The type-* classes of a @type value (tokens that are safe as class names). -->
  <xsl:function name="e:type-classes-of" as="xs:string*">
    <xsl:param name="type" as="xs:string"/>
    <xsl:sequence select="for $t in tokenize(normalize-space($type), ' ')[matches(., '^[A-Za-z][A-Za-z0-9_\-]{0,40}$')] return 'type-' || $t"/>
  </xsl:function>

  <!-- Caches, read once per document: each distinct @rend/@rendition pair, @type and
       @xml:lang value is worked out (tokenized, matched against regular expressions)
       once, not at every element that carries it. saxon-js spends tens of microseconds
       on each regular-expression call, and a 3.5 MB text has ~10,000 such attributes
       over a few dozen distinct values. Elements of other trees (none today) fall back
       to the functions themselves. -->
  <xsl:variable name="e:rend-cache" as="map(xs:string, xs:string*)" select="
    if (empty($e:id-root)) then map{}
    else map:merge(distinct-values($e:attributed[@rend or @rendition] ! string-join((@rend, @rendition), ' '))
      ! map{.: e:rend-tokens-of(.)})"/>
  <xsl:variable name="e:type-cache" as="map(xs:string, xs:string*)" select="
    if (empty($e:id-root)) then map{}
    else map:merge(distinct-values($e:attributed ! @type ! string(.)) ! map{.: e:type-classes-of(.)})"/>
  <xsl:variable name="e:lang-cache" as="map(xs:string, xs:string?)" select="
    if (empty($e:id-root)) then map{}
    else map:merge(distinct-values($e:attributed ! @xml:lang ! string(.)) ! map{.: e:lang-of(.)})"/>

  <!-- The class attribute's value from an element's own attributes ("tei-hi rend-italic
       type-x", no token twice). Its parts come from the caches above. A cache of whole
       class strings, keyed by name, @type and @rend/@rendition, cost more than it saved:
       filling it took a pass over every such element, and each look-up built a long key.
       Counted in instructions (cachegrind), a transform took 4% less without it on the
       TEI simplePrint ODD, 1% less on Quintilian. -->
  <xsl:function name="e:class-string" as="xs:string">
    <xsl:param name="el"/>
    <!-- The three parts cannot share a token (tei-, rend-, type- prefixes) and the rend
         part has none twice, so only the type part is made distinct, once per value, in
         its cache: the same string as string-join(distinct-values(e:classes($el)), ' '),
         without a sequence of tokens built and compared at each element. -->
    <xsl:sequence select="$el ! string-join((
      'tei-' || local-name(),
      if (@rend or @rendition) then
        (let $k := e:rend-key(.) return if (map:contains($e:rend-class-cache, $k)) then $e:rend-class-cache($k)
         else e:rend-class-part($k))[. ne ''] else (),
      if (@type) then
        (let $t := string(@type) return if (map:contains($e:type-class-cache, $t)) then $e:type-class-cache($t)
         else e:type-class-part($t))[. ne ''] else ()), ' ')"/>
  </xsl:function>
  <!-- e:class-string's parts: of a @rend/@rendition value ("rend-italic rend-x"), of a
       @type value ("type-a type-b", each once); and each worked out once per value of
       the document -->
  <xsl:function name="e:rend-class-part" as="xs:string">
    <xsl:param name="rend" as="xs:string"/>
    <xsl:sequence select="string-join(e:rend-tokens-of($rend) ! ('rend-' || .), ' ')"/>
  </xsl:function>
  <xsl:function name="e:type-class-part" as="xs:string">
    <xsl:param name="type" as="xs:string"/>
    <xsl:sequence select="string-join(distinct-values(e:type-classes-of($type)), ' ')"/>
  </xsl:function>
  <xsl:variable name="e:rend-class-cache" as="map(xs:string, xs:string)"
    select="map:merge(map:keys($e:rend-cache) ! map{.: e:rend-class-part(.)})"/>
  <xsl:variable name="e:type-class-cache" as="map(xs:string, xs:string)"
    select="map:merge(map:keys($e:type-cache) ! map{.: e:type-class-part(.)})"/>

  <!-- Class list for an element: tei-NAME, rend-*, type-* (sanitised). -->
  <xsl:function name="e:classes" as="xs:string*">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="
      'tei-' || local-name($el),
      (if ($el/@rend or $el/@rendition) then (for $r in e:rend-tokens($el) return 'rend-' || $r) else ()),
      e:type-classes($el)"/>
  </xsl:function>

  <!-- The type-* classes of an element's @type. -->
  <xsl:function name="e:type-classes" as="xs:string*">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="if (empty($el/@type)) then ()
      else let $t := string($el/@type) return if (map:contains($e:type-cache, $t)) then $e:type-cache($t) else e:type-classes-of($t)"/>
  </xsl:function>

  <!-- ===== languages ===== -->
  <!-- The three-letter codes written as two: lang3.json beside this module, which the PDF
       writer also reads (the languages it names to WeasyPrint's runner). scripts/
       compile-xslt.js passes the file's text as this static parameter. -->
  <xsl:param name="editio-lang3" static="yes" as="xs:string" select="''"/>
  <!-- (not required="yes", which saxon-js checks again at each run: compiled without the
       data, the stylesheet fails to compile here instead) -->
  <xsl:variable name="e:lang3-given" static="yes" as="xs:boolean"
    select="if ($editio-lang3 ne '') then true() else error(QName('urn:editio', 'e:no-lang3'), 'compile with the static parameter editio-lang3 (scripts/compile-xslt.js)')"/>
  <xsl:variable name="e:lang3" as="map(xs:string, xs:string)" select="parse-json($editio-lang3)"/>

  <!-- ISO 639-1 codes (and a few legacy ones): a two-letter primary subtag must be one of
       them, so that a project's own abbreviation ("MP") never becomes an HTML lang. -->
  <xsl:variable name="e:iso639-1" as="map(xs:string, xs:boolean)" select="map:merge(tokenize(
    'aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz
     ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik
     in io is it iu iw ja ji jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh
     mi mk ml mn mo mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru
     rw sa sc sd se sg sh si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug
     uk ur uz ve vi vo wa wo xh yi yo za zh zu') ! map{.: true()})"/>

  <!-- An xml:lang value usable as an HTML lang, or () when it is not a language tag. -->
  <xsl:function name="e:lang" as="xs:string?">
    <xsl:param name="v" as="xs:string?"/>
    <xsl:variable name="k" select="string($v)"/>
    <!-- no value, no language (e:lang-of('') is ()) -->
    <xsl:sequence select="if ($k eq '') then () else if (map:contains($e:lang-cache, $k)) then $e:lang-cache($k) else e:lang-of($k)"/>
  </xsl:function>

  <xsl:function name="e:lang-of" as="xs:string?">
    <xsl:param name="v" as="xs:string?"/>
    <xsl:variable name="t" select="normalize-space(string($v))"/>
    <xsl:variable name="primary" select="lower-case(substring-before($t || '-', '-'))"/>
    <xsl:sequence select="
      if (not(matches($t, '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$'))) then ()
      else if (map:contains($e:lang3, lower-case($t))) then $e:lang3(lower-case($t))
      else if (string-length($primary) = 2 and not(map:contains($e:iso639-1, $primary))) then ()
      else $t"/>
  </xsl:function>

  <!-- ===== misc ===== -->
  <xsl:function name="e:is-iso-date" as="xs:boolean">
    <xsl:param name="v" as="xs:string?"/>
    <xsl:sequence select="matches(string($v), '^-?\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2})?)?)?)?$')"/>
  </xsl:function>

  <!-- "a", "b", … "z", "aa" … -->
  <xsl:function name="e:alpha" as="xs:string">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:sequence select="format-integer($n, 'a')"/>
  </xsl:function>

  <xsl:function name="e:plain" as="xs:string">
    <xsl:param name="n" as="node()*"/>
    <xsl:sequence select="normalize-space(string-join($n ! string(.), ' '))"/>
  </xsl:function>
</xsl:stylesheet>
