<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio core: markup from other namespaces.

  - MathML and SVG are copied into their own namespaces through a whitelist of elements
    and attributes: no event handlers (on*), no style, no script, no foreignObject, no
    animation, no href/src unless it is a safe URL.
  - TEI examples (egXML) are shown as escaped XML source in <pre><code>.
  - Anything else (an XHTML <script>, RDF, XInclude…) is rendered as its text only.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:m="http://www.w3.org/1998/Math/MathML"
  xmlns:svg="http://www.w3.org/2000/svg"
  xmlns:eg="http://www.tei-c.org/ns/Examples"
  xmlns:e="urn:editio"
  xmlns="http://www.w3.org/1999/xhtml"
  exclude-result-prefixes="#all">

  <xsl:variable name="e:passed-namespaces" as="xs:string*" select="(
    'http://www.tei-c.org/ns/1.0', 'http://www.w3.org/1998/Math/MathML', 'http://www.w3.org/2000/svg',
    'http://www.tei-c.org/ns/Examples')"/>

  <xsl:variable name="e:mathml-elements" as="xs:string*" select="(
    'math', 'mi', 'mo', 'mn', 'ms', 'mtext', 'mspace', 'mrow', 'mfrac', 'msqrt', 'mroot', 'mstyle',
    'merror', 'mpadded', 'mphantom', 'mfenced', 'menclose', 'msub', 'msup', 'msubsup', 'munder',
    'mover', 'munderover', 'mmultiscripts', 'mprescripts', 'none', 'mtable', 'mtr', 'mtd',
    'mlabeledtr', 'maligngroup', 'malignmark', 'semantics', 'annotation', 'mlongdiv', 'mstack',
    'msgroup', 'msrow', 'mscarries', 'mscarry', 'msline')"/>

  <xsl:variable name="e:svg-elements" as="xs:string*" select="(
    'svg', 'g', 'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'text', 'tspan',
    'textPath', 'title', 'desc', 'defs', 'symbol', 'linearGradient', 'radialGradient', 'stop',
    'clipPath', 'marker', 'pattern', 'mask')"/>

  <!-- Attributes that may pass on whitelisted MathML/SVG elements (no namespace only). -->
  <xsl:function name="e:safe-foreign-attr" as="xs:boolean">
    <xsl:param name="a" as="attribute()"/>
    <xsl:variable name="n" select="lower-case(local-name($a))"/>
    <xsl:variable name="v" select="lower-case(replace(string($a), '[\s\p{Cc}]', ''))"/>
    <xsl:sequence select="namespace-uri($a) = ''
      and not(starts-with($n, 'on'))
      and not($n = ('style', 'href', 'src', 'id', 'class', 'xmlns', 'action', 'formaction', 'attributename', 'values', 'from', 'to', 'begin', 'by', 'actiontype'))
      and not(contains($v, 'javascript:') or contains($v, 'vbscript:') or contains($v, 'data:'))
      and (not(contains($v, 'url(')) or matches($v, '^url\(#[A-Za-z_][\w.\-]*\)$'))"/>
  </xsl:function>

  <!-- MathML: a stray MathML element outside <math> gets its own <math>. -->
  <xsl:template match="m:*">
    <xsl:choose>
      <xsl:when test="self::m:math or parent::m:*">
        <xsl:apply-templates select="." mode="e:mathml"/>
      </xsl:when>
      <xsl:otherwise>
        <math xmlns="http://www.w3.org/1998/Math/MathML">
          <xsl:apply-templates select="." mode="e:mathml"/>
        </math>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="m:*" mode="e:mathml">
    <xsl:choose>
      <xsl:when test="local-name() = $e:mathml-elements">
        <xsl:element name="{local-name()}" namespace="http://www.w3.org/1998/Math/MathML">
          <xsl:copy-of select="@*[e:safe-foreign-attr(.)]"/>
          <xsl:apply-templates mode="e:mathml"/>
        </xsl:element>
      </xsl:when>
      <xsl:when test="self::m:maction">
        <xsl:apply-templates select="*[1]" mode="e:mathml"/>
      </xsl:when>
      <xsl:when test="self::m:annotation-xml"/>
      <xsl:otherwise>
        <mtext xmlns="http://www.w3.org/1998/Math/MathML"><xsl:value-of select="."/></mtext>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Non-MathML content inside MathML: its text, as mtext. -->
  <xsl:template match="*" mode="e:mathml">
    <mtext xmlns="http://www.w3.org/1998/Math/MathML"><xsl:value-of select="."/></mtext>
  </xsl:template>

  <!-- SVG -->
  <xsl:template match="svg:*">
    <xsl:apply-templates select="." mode="e:svg"/>
  </xsl:template>

  <xsl:template match="svg:*" mode="e:svg">
    <xsl:choose>
      <xsl:when test="local-name() = $e:svg-elements">
        <xsl:element name="{local-name()}" namespace="http://www.w3.org/2000/svg">
          <xsl:copy-of select="@*[e:safe-foreign-attr(.)]"/>
          <xsl:apply-templates mode="e:svg"/>
        </xsl:element>
      </xsl:when>
      <xsl:otherwise/>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="*" mode="e:svg"/>
  <xsl:template match="text()" mode="e:svg">
    <xsl:if test="parent::svg:text or parent::svg:tspan or parent::svg:title or parent::svg:desc or parent::svg:textPath">
      <xsl:value-of select="."/>
    </xsl:if>
  </xsl:template>

  <!-- TEI examples: escaped source. -->
  <xsl:template match="eg:egXML">
    <pre class="tei-egXML">
      <code><xsl:value-of select="string-join(node() ! serialize(., map{'method': 'xml', 'omit-xml-declaration': true()}), '')"/></code>
    </pre>
  </xsl:template>
  <xsl:template match="eg:*">
    <code class="tei-egXML"><xsl:value-of select="serialize(., map{'method': 'xml', 'omit-xml-declaration': true()})"/></code>
  </xsl:template>

  <!-- Everything else from a foreign namespace: its text only, never its markup.
       Priority -2, under every other rule: these namespaces match nothing else, and a
       pattern with a predicate would otherwise (default priority 0.5) be tested first,
       at every element of every document. -->
  <xsl:template match="*[not(namespace-uri() = $e:passed-namespaces)]" priority="-2">
    <xsl:call-template name="e:diag">
      <xsl:with-param name="code" select="'xslt.foreign-markup'"/>
      <xsl:with-param name="name" select="local-name()"/>
      <xsl:with-param name="message" select="'markup in namespace ' || (if (namespace-uri() = '') then '(none)' else namespace-uri()) || ' (&lt;' || local-name() || '&gt;) is rendered as plain text'"/>
    </xsl:call-template>
    <span class="foreign-markup"><xsl:value-of select="."/></span>
  </xsl:template>
</xsl:stylesheet>
