<?xml version="1.0" encoding="UTF-8"?>
<!--
  editio core, TEI module "namesdates": persons, places, organisations and their parts.
  Names render as spans carrying their authority reference as inert data (never a live
  link: @ref values are data, and unsafe ones are dropped).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio"
  xmlns="http://www.w3.org/1999/xhtml"
  exclude-result-prefixes="#all">

  <xsl:variable name="e:map-namesdates" as="map(xs:string, xs:string)" select="map{
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
</xsl:stylesheet>
