// timeline: the documents that mention an actor, oldest first, each with the actor's relations
// (of $types) that it is a source of. $id: the actor's id.
MATCH (e:Entity {id: $id})<-[m:MENTIONS]-(d:Document)
OPTIONAL MATCH (e)-[r]-(:Entity)
WHERE type(r) IN $types AND d.id IN r.sources
WITH e, d, m, collect(CASE WHEN r IS NULL THEN null
                           ELSE {head: startNode(r).name, type: type(r), tail: endNode(r).name} END) AS relations
RETURN d.id AS document, d.title AS title, d.published AS published, d.publisher AS publisher,
       d.source AS source, m.count AS mentions, relations
ORDER BY published, title, document
