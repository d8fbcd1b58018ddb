// profile: an actor and its stated relations, one row per relation (no row is lost when it
// has none). $id: the actor's id; $types: the relation types to show.
MATCH (e:Entity {id: $id})
OPTIONAL MATCH (e)-[r]-(o:Entity)
WHERE type(r) IN $types
RETURN e.id AS id, e.name AS name, head([l IN labels(e) WHERE l <> 'Entity']) AS type,
       e.aliases AS aliases, e.kind AS kind, e.country AS country,
       type(r) AS relation,
       CASE WHEN r IS NULL THEN null WHEN startNode(r) = e THEN 'out' ELSE 'in' END AS direction,
       o.name AS other, o.id AS otherId, head([l IN labels(o) WHERE l <> 'Entity']) AS otherType,
       r.title AS title, r.count AS count, size(coalesce(r.evidence, [])) AS evidenceCount,
       COLLECT { MATCH (d:Document) WHERE d.id IN r.sources RETURN d.title } AS sources
ORDER BY relation, direction, other, otherId
