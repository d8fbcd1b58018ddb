// new-since: actors first mentioned, and relations first stated, by documents dated after $date
// (ISO text, compared as text). $types: the relation types to report.
CALL () {
  MATCH (d:Document)-[:MENTIONS]->(e:Entity)
  WHERE d.published IS NOT NULL
  WITH e, min(d.published) AS firstSeen
  WHERE firstSeen > $date
  RETURN 'actor' AS element, firstSeen, head([l IN labels(e) WHERE l <> 'Entity']) AS type,
         e.id AS id, e.name AS name, null AS head, null AS headId, null AS tail, null AS tailId
  UNION ALL
  MATCH (h:Entity)-[r]->(t:Entity)
  WHERE type(r) IN $types AND r.firstSeen > $date
  RETURN 'relation' AS element, r.firstSeen AS firstSeen, type(r) AS type, null AS id, null AS name,
         h.name AS head, h.id AS headId, t.name AS tail, t.id AS tailId
}
RETURN element, firstSeen, type, id, name, head, headId, tail, tailId
ORDER BY firstSeen, element, type, name, id, head, tail
