// in-place: organizations LOCATED_IN, or that OPERATE, a place or a place inside it (a
// LOCATED_IN chain of at most 10 hops); distance = that chain's length. $id: the place's id.
MATCH (p:Entity {id: $id})
WHERE p:Place
MATCH chain = (inner:Place)-[:LOCATED_IN*0..10]->(p)
WITH inner, min(length(chain)) AS distance
MATCH (o:Organization)-[r:LOCATED_IN|OPERATES]->(inner)
RETURN o.name AS organization, o.id AS organizationId, type(r) AS relation,
       inner.name AS place, inner.id AS placeId, distance, head(coalesce(r.evidence, [])) AS evidence
ORDER BY organization, organizationId, relation, distance, place, placeId
