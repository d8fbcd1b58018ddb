// names: every entity's id, name, type and aliases (for "did you mean" suggestions).
MATCH (e:Entity)
RETURN e.id AS id, e.name AS name, head([l IN labels(e) WHERE l <> 'Entity']) AS type,
       coalesce(e.aliases, []) AS aliases
ORDER BY id
