// ego: the entities within $depth (1-3) hops of an actor over relations of $types (either
// direction), each with its distance, and every relation of $types among them. One row.
MATCH (a:Entity {id: $id})
OPTIONAL CALL (a) {
  MATCH (a)-[rs*1..1]-(b:Entity)
  WHERE all(r IN rs WHERE type(r) IN $types)
  RETURN DISTINCT b, 1 AS k
  UNION ALL
  MATCH (a)-[rs*1..2]-(b:Entity)
  WHERE $depth >= 2 AND all(r IN rs WHERE type(r) IN $types)
  RETURN DISTINCT b, 2 AS k
  UNION ALL
  MATCH (a)-[rs*1..3]-(b:Entity)
  WHERE $depth >= 3 AND all(r IN rs WHERE type(r) IN $types)
  RETURN DISTINCT b, 3 AS k
}
WITH a, b, min(k) AS distance
WITH a, collect(CASE WHEN b IS NULL OR b = a THEN null ELSE {node: b, distance: distance} END) AS ring
WITH [{node: a, distance: 0}] + ring AS ball
WITH ball, [m IN ball | m.node] AS members
CALL (members) {
  UNWIND members AS x
  MATCH (x)-[r]->(y:Entity)
  WHERE type(r) IN $types AND y IN members
  RETURN collect({head: x.id, type: type(r), tail: y.id, title: r.title, count: r.count}) AS edges
}
RETURN [m IN ball | {id: m.node.id, name: m.node.name, distance: m.distance,
                     type: head([l IN labels(m.node) WHERE l <> 'Entity'])}] AS nodes,
       edges
