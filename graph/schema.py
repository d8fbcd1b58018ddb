"""The schema as data: entity labels, relation types and which labels each relation joins.

Everything that writes, extracts, queries or exports reads its vocabulary from here, so a
label or relationship type never comes from document text.
"""
from __future__ import annotations

from dataclasses import dataclass

ENTITY_LABEL = "Entity"
DOCUMENT_LABEL = "Document"

ENTITY_TYPES: tuple[str, ...] = ("Organization", "Person", "Policy", "Place")


@dataclass(frozen=True)
class RelationType:
    """A stated relation: its name, the labels it may start and end at, and its meaning."""

    name: str
    heads: tuple[str, ...]
    tails: tuple[str, ...]
    meaning: str


RELATION_TYPES: dict[str, RelationType] = {
    r.name: r
    for r in (
        RelationType("HOLDS_POSITION", ("Person",), ("Organization",),
                     "a person has a role in an organization; the role is in `title`"),
        RelationType("PART_OF", ("Organization",), ("Organization",),
                     "subsidiary, unit, department or member of a larger body"),
        RelationType("LOCATED_IN", ("Organization", "Place"), ("Place",),
                     "headquarters, operations, plant or site is in a place; a place lies within a place"),
        RelationType("OPERATES", ("Organization",), ("Place",),
                     "an organization owns or runs a mine, deposit, plant or site"),
        RelationType("FUNDS", ("Organization",), ("Organization",),
                     "grant, contract, award, loan, investment, equity stake"),
        RelationType("PARTNERS_WITH", ("Organization",), ("Organization",),
                     "agreement, joint venture, supply or offtake deal, collaboration"),
        RelationType("ISSUED", ("Organization",), ("Policy",),
                     "a body issues, enacts, announces or administers a policy"),
        RelationType("AFFECTS", ("Policy",), ("Organization", "Place"),
                     "a policy funds, targets, restricts or mandates an organization or place"),
        RelationType("VISITED", ("Person", "Organization"), ("Organization", "Place"),
                     "a visit, delegation, or meeting held at"),
    )
}

#: Entities named in one sentence; never a stated relation, kept apart from RELATION_TYPES.
CO_MENTIONED = "CO_MENTIONED"
#: Document -> Entity.
MENTIONS = "MENTIONS"

EDGE_TYPES: tuple[str, ...] = (*RELATION_TYPES, CO_MENTIONED)


def allows(relation: str, head_type: str, tail_type: str) -> bool:
    """Whether `relation` may join an entity of `head_type` to one of `tail_type`.

    >>> allows("HOLDS_POSITION", "Person", "Organization")
    True
    >>> allows("HOLDS_POSITION", "Organization", "Person")
    False
    """
    if relation == CO_MENTIONED:
        return head_type in ENTITY_TYPES and tail_type in ENTITY_TYPES
    rt = RELATION_TYPES.get(relation)
    return rt is not None and head_type in rt.heads and tail_type in rt.tails


def check_entity_type(value: str) -> str:
    """Return `value` if it is one of the four entity labels, else raise ValueError."""
    if value not in ENTITY_TYPES:
        raise ValueError(f"unknown entity type {value!r}; expected one of {', '.join(ENTITY_TYPES)}")
    return value


def check_edge_type(value: str) -> str:
    """Return `value` if it is a known relationship type, else raise ValueError."""
    if value not in EDGE_TYPES:
        raise ValueError(f"unknown relation type {value!r}; expected one of {', '.join(EDGE_TYPES)}")
    return value
