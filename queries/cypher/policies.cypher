// policies: the policies that AFFECT an organization or place, who ISSUED them, and the
// evidence of the AFFECTS relation. $id: the organization's or place's id.
MATCH (x:Entity {id: $id})<-[a:AFFECTS]-(pol:Policy)
OPTIONAL MATCH (issuer:Entity)-[:ISSUED]->(pol)
WITH pol, a, collect(issuer.name) AS issuers
RETURN pol.name AS policy, pol.id AS policyId, pol.kind AS kind, issuers,
       coalesce(a.evidence, []) AS evidence, a.count AS count, a.firstSeen AS firstSeen,
       COLLECT { MATCH (d:Document) WHERE d.id IN a.sources RETURN d.title } AS sources
ORDER BY policy, policyId
