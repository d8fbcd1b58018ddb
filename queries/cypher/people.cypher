// people: who holds which position in an organization and, when $parts, in the organizations
// PART_OF it (chains of at most 10 hops); level = PART_OF hops below the organization.
MATCH (o:Entity {id: $id})
WHERE o:Organization
MATCH chain = (unit:Organization)-[:PART_OF*0..10]->(o)
WHERE $parts OR length(chain) = 0
WITH unit, min(length(chain)) AS level
MATCH (p:Person)-[r:HOLDS_POSITION]->(unit)
RETURN p.name AS person, p.id AS personId, r.title AS title,
       unit.name AS organization, unit.id AS organizationId, level,
       r.count AS count, head(coalesce(r.evidence, [])) AS evidence
ORDER BY level, organization, organizationId, person, personId
