// family: the PART_OF relations above an organization (what it is part of) and below it (its
// parts), each with its level: the length of the shortest chain (at most 10) that reaches it.
MATCH (o:Entity {id: $id})
WHERE o:Organization
CALL (o) {
  MATCH chain = (o)-[:PART_OF*1..10]->(:Entity)
  WITH last(relationships(chain)) AS r, min(length(chain)) AS level
  RETURN 'above' AS side, r, level
  UNION ALL
  MATCH chain = (:Entity)-[:PART_OF*1..10]->(o)
  WITH head(relationships(chain)) AS r, min(length(chain)) AS level
  RETURN 'below' AS side, r, level
}
WITH side, level, startNode(r) AS part, endNode(r) AS whole, r
RETURN side, level, part.name AS part, part.id AS partId, whole.name AS whole, whole.id AS wholeId,
       r.count AS count
ORDER BY side, level, whole, wholeId, part, partId
