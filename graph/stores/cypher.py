"""Every Cypher statement the Neo4j store sends, built by small pure functions.

Values always travel as parameters (`$rows`, `$ids`); a label or relationship type only ever
comes from the vocabulary of `rekg.graph.schema` and is checked before it reaches a query string.

>>> print(write_relations("PART_OF"))
UNWIND $rows AS row
MATCH (h:Entity {id: row.head})
USING INDEX h:Entity(id)
MATCH (t:Entity {id: row.tail})
USING INDEX t:Entity(id)
MERGE (h)-[r:PART_OF]->(t)
SET r = row.props
>>> write_relations("PART_OF}]->() DETACH DELETE h //")
Traceback (most recent call last):
...
ValueError: unknown relation type 'PART_OF}]->() DETACH DELETE h //'; expected one of ...
"""
from __future__ import annotations

from ..model import Mention, Relation, camel
from ..schema import (
    DOCUMENT_LABEL,
    EDGE_TYPES,
    ENTITY_LABEL,
    ENTITY_TYPES,
    MENTIONS,
    check_edge_type,
    check_entity_type,
)

#: Fields a relationship holds as itself (its ends and type), not as properties.
ENDPOINTS: dict[type, tuple[str, ...]] = {Relation: ("head", "type", "tail"), Mention: ("document", "entity")}
#: The properties of a relationship: a relation's fields less its ends and type.
RELATION_KEYS = tuple(camel(f) for f in Relation.__dataclass_fields__ if f not in ENDPOINTS[Relation])
#: Set and removed at once: the write takes the node's lock for the rest of the transaction.
LOCK_FLAG = "rekgLock"


def _label(name: str) -> str:
    if name not in (ENTITY_LABEL, DOCUMENT_LABEL):
        check_entity_type(name)
    return name


def _rel_type(name: str) -> str:
    if name != MENTIONS:
        check_edge_type(name)
    return name


def match_id(var: str, label: str, key: str) -> str:
    """MATCH one node by id through the uniqueness constraint's index, whatever the planner's
    statistics say (stale ones, right after a bulk write or delete, can make it scan the
    label once per row instead).

    >>> print(match_id("h", "Entity", "row.head"))
    MATCH (h:Entity {id: row.head})
    USING INDEX h:Entity(id)
    """
    label = _label(label)
    return f"MATCH ({var}:{label} {{id: {key}}})\nUSING INDEX {var}:{label}(id)"


# -- schema --------------------------------------------------------------------------------

def schema_statements() -> list[str]:
    """Uniqueness constraints on Entity.id and Document.id, and an index on Entity.name."""
    return [
        f"CREATE CONSTRAINT rekg_entity_id IF NOT EXISTS FOR (n:{ENTITY_LABEL}) REQUIRE n.id IS UNIQUE",
        f"CREATE CONSTRAINT rekg_document_id IF NOT EXISTS FOR (n:{DOCUMENT_LABEL}) "
        "REQUIRE n.id IS UNIQUE",
        f"CREATE INDEX rekg_entity_name IF NOT EXISTS FOR (n:{ENTITY_LABEL}) ON (n.name)",
    ]


def await_indexes() -> str:
    return "CALL db.awaitIndexes(300)"


# -- writing -------------------------------------------------------------------------------

def merge_documents() -> str:
    """Create the documents not yet there; a document already loaded is left as it is."""
    return (
        "UNWIND $rows AS row\n"
        f"MERGE (d:{DOCUMENT_LABEL} {{id: row.id}})\n"
        "ON CREATE SET d = row.props"
    )


def existing_documents() -> str:
    return (
        "UNWIND $ids AS id\n"
        f"{match_id('d', DOCUMENT_LABEL, 'id')}\n"
        "RETURN id"
    )


def merge_entities(label: str) -> str:
    """Create each entity that is not there yet with its properties (`row.props`, what the
    batch alone makes of it) and lock each one that is; return every node's `elementId` (the
    relations of the transaction find their ends by it) and, for one that was there and does
    not hold `row.props` already, what it held (else null: merging the batch into it changes
    nothing; a new node holds `row.props`). The number created is in the counters.

    Rows: `id`, `eid`, `props`, `types` (its entity labels).
    """
    return (
        "UNWIND $rows AS row\n"
        f"MERGE (e:{ENTITY_LABEL} {{id: row.id}})\n"
        f"ON CREATE SET e = row.props, e:{_label(label)}\n"
        f"ON MATCH SET e.{LOCK_FLAG} = true\n"
        f"REMOVE e.{LOCK_FLAG}\n"
        "WITH e, row, properties(e) <> row.props AS differs\n"
        "RETURN row.id AS id, elementId(e) AS eid, CASE WHEN differs THEN properties(e) END AS props,\n"
        "       CASE WHEN differs THEN [l IN labels(e) WHERE l IN $types] END AS types"
    )


def lock_existing_entities() -> str:
    """Lock the entity nodes that exist among `$ids`; rows: `id`, `eid` (its `elementId`), `types`."""
    return (
        "UNWIND $ids AS id\n"
        f"{match_id('e', ENTITY_LABEL, 'id')}\n"
        f"SET e.{LOCK_FLAG} = true\n"
        f"REMOVE e.{LOCK_FLAG}\n"
        "RETURN id, elementId(e) AS eid, [l IN labels(e) WHERE l IN $types] AS types"
    )


def write_entities(label: str) -> str:
    """Replace each entity's properties with the merged ones and give it its type label."""
    return (
        "UNWIND $rows AS row\n"
        f"{match_id('e', ENTITY_LABEL, 'row.id')}\n"
        f"SET e = row.props, e:{_label(label)}"
    )


def merge_relations(rel_type: str) -> str:
    """Create each relation of one type that is not there yet with `row.props`; return the
    ones that were there, unless they hold every source of `row.props` already (merging the
    batch into them would change nothing), to be merged and written back. Rows: `head`,
    `tail`, `props`, and `h`, `t`: the `elementId` of each end, read as the transaction locked
    the node (it finds the node faster than the id index). The number created is in the
    counters. A new one holds the sources of `row.props`, so it is never returned: no flag has
    to mark it, and only one property is read per relationship. The properties are set one by
    one, not as `r = row.props`: as a map of unknown keys might overwrite the ends' ids, the
    planner would buffer every row first."""
    return (
        "UNWIND $rows AS row\n"
        "MATCH (h) WHERE elementId(h) = row.h\n"
        "MATCH (t) WHERE elementId(t) = row.t\n"
        f"MERGE (h)-[r:{_rel_type(rel_type)}]->(t)\n"
        f"ON CREATE SET {', '.join(f'r.{k} = row.props.{k}' for k in RELATION_KEYS)}\n"
        "WITH r, row WHERE any(s IN row.props.sources WHERE NOT s IN r.sources)\n"
        "RETURN row.head AS head, row.tail AS tail, properties(r) AS props"
    )


def write_relations(rel_type: str) -> str:
    """Replace (or create) one relation per (head, type, tail) with its merged properties."""
    return (
        "UNWIND $rows AS row\n"
        f"{match_id('h', ENTITY_LABEL, 'row.head')}\n"
        f"{match_id('t', ENTITY_LABEL, 'row.tail')}\n"
        f"MERGE (h)-[r:{_rel_type(rel_type)}]->(t)\n"
        "SET r = row.props"
    )


def write_mentions() -> str:
    return (
        "UNWIND $rows AS row\n"
        f"{match_id('d', DOCUMENT_LABEL, 'row.document')}\n"
        f"{match_id('e', ENTITY_LABEL, 'row.entity')}\n"
        f"MERGE (d)-[m:{MENTIONS}]->(e)\n"
        "SET m = row.props"
    )


# -- reading -------------------------------------------------------------------------------

def read_entities(some: bool) -> str:
    """Every entity (`some=False`) or those whose id is in `$ids`."""
    match = (f"UNWIND $ids AS id\n{match_id('e', ENTITY_LABEL, 'id')}\n" if some
             else f"MATCH (e:{ENTITY_LABEL})\n")
    return match + "RETURN properties(e) AS props"


def read_entity_relations(some: bool) -> str:
    """Relations between entities: all of them, or those with both ends in `$ids`."""
    if some:
        match = (f"UNWIND $ids AS id\n{match_id('h', ENTITY_LABEL, 'id')}\n"
                 f"MATCH (h)-[r]->(t:{ENTITY_LABEL})\nWHERE t.id IN $ids\n")
    else:
        match = f"MATCH (h:{ENTITY_LABEL})-[r]->(t:{ENTITY_LABEL})\n"
    return match + "RETURN h.id AS head, type(r) AS type, t.id AS tail, properties(r) AS props"


def read_mentions(some: bool) -> str:
    """Mentions of all entities, or of those in `$ids`, with their documents."""
    if some:
        match = (f"UNWIND $ids AS id\n{match_id('e', ENTITY_LABEL, 'id')}\n"
                 f"MATCH (d:{DOCUMENT_LABEL})-[m:{MENTIONS}]->(e)\n")
    else:
        match = f"MATCH (d:{DOCUMENT_LABEL})-[m:{MENTIONS}]->(e:{ENTITY_LABEL})\n"
    return match + ("RETURN d.id AS document, e.id AS entity, properties(m) AS props,\n"
                    "       properties(d) AS doc")


def read_documents() -> str:
    return f"MATCH (d:{DOCUMENT_LABEL}) RETURN properties(d) AS props"


def counts() -> str:
    """One row: a column per node label and per relationship type of the schema.

    >>> counts().splitlines()[1]
    'COUNT { MATCH (n:Document) } AS `Document`,'
    """
    labels = (DOCUMENT_LABEL, ENTITY_LABEL, *ENTITY_TYPES)
    cols = [f"COUNT {{ MATCH (n:{_label(x)}) }} AS `{x}`" for x in labels]
    cols += [f"COUNT {{ MATCH ()-[r:{_rel_type(t)}]->() }} AS `{t}`" for t in (*EDGE_TYPES, MENTIONS)]
    return "RETURN\n" + ",\n".join(cols)


# -- forgetting ----------------------------------------------------------------------------

def mentioned_by() -> str:
    """The entities the documents in `$ids` mention."""
    return (
        "UNWIND $ids AS id\n"
        f"{match_id('d', DOCUMENT_LABEL, 'id')}\n"
        f"MATCH (d)-[:{MENTIONS}]->(e:{ENTITY_LABEL})\n"
        "RETURN DISTINCT e.id AS id"
    )


def relations_from_sources() -> str:
    """Relations with at least one source in `$ids`."""
    return (
        f"MATCH (h:{ENTITY_LABEL})-[r]->(t:{ENTITY_LABEL})\n"
        "WHERE any(s IN r.sources WHERE s IN $ids)\n"
        "RETURN elementId(r) AS eid, h.id AS head, type(r) AS type, t.id AS tail,\n"
        "       properties(r) AS props"
    )


def document_dates() -> str:
    return (
        "UNWIND $ids AS id\n"
        f"{match_id('d', DOCUMENT_LABEL, 'id')}\n"
        "RETURN id, d.published AS published"
    )


def delete_relations() -> str:
    return "UNWIND $ids AS eid\nMATCH ()-[r]->() WHERE elementId(r) = eid\nDELETE r"


def replace_relations() -> str:
    return "UNWIND $rows AS row\nMATCH ()-[r]->() WHERE elementId(r) = row.eid\nSET r = row.props"


def delete_documents() -> str:
    return f"UNWIND $ids AS id\n{match_id('d', DOCUMENT_LABEL, 'id')}\nDETACH DELETE d"


def delete_bare_entities() -> str:
    """Delete the entities among `$ids` left with no relationship at all; returns how many."""
    return (
        "UNWIND $ids AS id\n"
        f"{match_id('e', ENTITY_LABEL, 'id')}\n"
        "WHERE NOT EXISTS { (e)--() }\n"
        "DELETE e\n"
        "RETURN count(e) AS n"
    )
