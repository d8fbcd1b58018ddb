// central: the projection -- every relation of $types between two entities -- read from the
// server; degree, PageRank and betweenness are computed from it in Python (queries.analytics),
// the same code as on the embedded store (Neo4j Community has no Graph Data Science).
MATCH (h:Entity)-[r]->(t:Entity)
WHERE type(r) IN $types
RETURN h.id AS head, h.name AS headName, head([l IN labels(h) WHERE l <> 'Entity']) AS headType,
       type(r) AS type,
       t.id AS tail, t.name AS tailName, head([l IN labels(t) WHERE l <> 'Entity']) AS tailType
