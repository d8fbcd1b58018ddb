// lookup: the entities a typed name may mean -- its id, or its name or an alias in any case.
// $name: the text as typed; $key: that text folded by queries.names.fold (lower case, ß as ss).
MATCH (e:Entity)
WHERE e.id = $name
   OR replace(toLower(e.name), 'ß', 'ss') = $key
   OR any(a IN coalesce(e.aliases, []) WHERE replace(toLower(a), 'ß', 'ss') = $key)
RETURN e.id AS id, e.name AS name, head([l IN labels(e) WHERE l <> 'Entity']) AS type,
       coalesce(e.aliases, []) AS aliases
ORDER BY id
