// funding: FUNDS relations into ('in') and out of ('out') an actor. $id: the actor's id.
MATCH (x:Entity {id: $id})-[r:FUNDS]-(:Entity)
WITH x, r, startNode(r) AS funder, endNode(r) AS recipient
RETURN CASE WHEN funder = x THEN 'out' ELSE 'in' END AS direction,
       funder.name AS funder, funder.id AS funderId, recipient.name AS recipient, recipient.id AS recipientId,
       r.title AS title, r.count AS count, r.firstSeen AS firstSeen, r.lastSeen AS lastSeen,
       head(coalesce(r.evidence, [])) AS evidence
ORDER BY direction, funder, funderId, recipient, recipientId
