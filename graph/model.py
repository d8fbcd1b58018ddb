"""The data model of DESIGN.md as dataclasses: documents, entities, relations, mentions.

Loaders produce these objects; both stores, the HTML renderer and every export consume them.
Property names are snake_case here and camelCase in Neo4j (see `to_properties`).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .schema import check_edge_type, check_entity_type

#: At most this many evidence sentences are kept on a relation, each at most EVIDENCE_CHARS long.
MAX_EVIDENCE = 5
EVIDENCE_CHARS = 400


@dataclass
class Document:
    """A loaded document: its metadata, never its full text."""

    id: str
    title: str
    source: str
    publisher: str | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD (or YYYY-MM, YYYY)
    loaded_at: str | None = None  # ISO timestamp of the first load


@dataclass
class Entity:
    """An actor: Organization, Person, Policy or Place."""

    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    kind: str | None = None
    country: str | None = None
    wikidata: str | None = None
    merged: list[str] = field(default_factory=list)  # names resolved into this actor, and why

    def __post_init__(self) -> None:
        check_entity_type(self.type)


@dataclass
class Relation:
    """A stated relation between two entities, with its provenance.

    A relation produced by extraction carries one source document; the stores merge the
    contributions of many documents into one relation per (head, type, tail).
    """

    head: str
    type: str
    tail: str
    title: str | None = None
    sources: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    evidence_sources: list[str] = field(default_factory=list)  # the document of each sentence
    count: int = 1  # documents stating it (in a store); sentences stating it (in one extraction)
    first_seen: str | None = None
    last_seen: str | None = None
    confidence: float = 1.0
    rules: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        check_edge_type(self.type)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.head, self.type, self.tail)


@dataclass
class Mention:
    """A document names an entity `count` times."""

    document: str
    entity: str
    count: int = 1


@dataclass
class GraphBatch:
    """What one write adds: each relation and mention is one document's contribution."""

    documents: list[Document] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)

    def extend(self, other: GraphBatch) -> None:
        self.documents.extend(other.documents)
        self.entities.extend(other.entities)
        self.relations.extend(other.relations)
        self.mentions.extend(other.mentions)

    def __len__(self) -> int:
        return len(self.documents) + len(self.entities) + len(self.relations) + len(self.mentions)


@dataclass
class Subgraph:
    """A part of the graph as read back from a store."""

    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class WriteSummary:
    """What a write changed: new nodes and relations, and contributions it skipped as known."""

    documents: int = 0
    entities: int = 0
    relations: int = 0
    skipped_documents: int = 0

    def __add__(self, other: WriteSummary) -> WriteSummary:
        return WriteSummary(self.documents + other.documents, self.entities + other.entities,
                            self.relations + other.relations,
                            self.skipped_documents + other.skipped_documents)


@dataclass
class Counts:
    """Node counts per label and relationship counts per type."""

    nodes: dict[str, int] = field(default_factory=dict)
    relations: dict[str, int] = field(default_factory=dict)


def camel(name: str) -> str:
    """A snake_case field name as the camelCase property name stores and exports use."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


def to_properties(obj: Any) -> dict[str, Any]:
    """Dataclass -> the camelCase property map used in Neo4j and in exports."""
    return {camel(k): v for k, v in asdict(obj).items()}


def from_properties(cls: type, props: dict[str, Any]) -> Any:
    """Inverse of `to_properties`; unknown keys are ignored."""
    names = cls.__dataclass_fields__
    kwargs = {}
    for key, value in props.items():
        snake = _snake(key)
        if snake in names:
            kwargs[snake] = value
    return cls(**kwargs)
