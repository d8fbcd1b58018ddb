// paths: every shortest path between two actors over relations of $types (either direction),
// when the shortest is at most $maxLength (1-8) hops; each hop with one evidence sentence.
MATCH (a:Entity {id: $fromId}), (b:Entity {id: $toId})
WHERE a <> b
MATCH p = allShortestPaths((a)-[*..8]-(b))
WHERE all(r IN relationships(p) WHERE type(r) IN $types)
WITH p
WHERE length(p) <= $maxLength
RETURN [n IN nodes(p) | {id: n.id, name: n.name}] AS nodes,
       [r IN relationships(p) | {head: startNode(r).id, type: type(r), tail: endNode(r).id,
                                 evidence: head(coalesce(r.evidence, []))}] AS hops
