// Actors with the most stated relations (CO_MENTIONED and MENTIONS not counted).
MATCH (e:Entity)
OPTIONAL MATCH (e)-[r]-(:Entity)
WHERE type(r) <> 'CO_MENTIONED'
WITH e, count(r) AS degree
WHERE degree > 0
RETURN e.id AS id, e.name AS name, e.type AS type, degree
ORDER BY degree DESC, name ASC
LIMIT $limit
