"""The store protocol: the few methods every backend implements, and the default locations."""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import networkx as nx

from .model import Counts, Document, GraphBatch, Subgraph, WriteSummary


@runtime_checkable
class NamedQuery(Protocol):
    """A question with one answer on every store: Cypher for Neo4j, a function for networkx.

    `queries/` defines them; a store runs whichever form it speaks, so `graph` never imports
    `queries`.
    """

    name: str
    cypher: str

    def run_networkx(self, graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        ...

    def finish(self, rows: list[dict[str, Any]], params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Post-process the raw rows of either backend into the final answer."""
        ...


@runtime_checkable
class Store(Protocol):
    """A graph store: the embedded one (networkx on disk) or Neo4j."""

    def upsert(self, batch: GraphBatch) -> WriteSummary:
        """Merge a batch of documents, entities, relations and mentions; idempotent."""
        ...

    def subgraph(self, entity_ids: Iterable[str] | None = None) -> Subgraph:
        """Read the given entities and the relations among them (everything when None)."""
        ...

    def run(self, query: NamedQuery, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Run a named query and return its rows."""
        ...

    def counts(self) -> Counts:
        """Node counts per label and relationship counts per type."""
        ...

    def documents(self) -> dict[str, Document]:
        """The ledger: every loaded document by id."""
        ...

    def forget(self, document_ids: Iterable[str]) -> WriteSummary:
        """Remove documents and what they alone contributed."""
        ...

    def close(self) -> None:
        ...


def default_store_path() -> Path:
    """Where the embedded store lives: $REKG_STORE, else $XDG_DATA_HOME/rekg/graph.json.

    >>> import os; old = os.environ.pop("REKG_STORE", None); os.environ["REKG_STORE"] = "/tmp/x.json"
    >>> str(default_store_path())
    '/tmp/x.json'
    >>> _ = os.environ.pop("REKG_STORE"); os.environ.update({"REKG_STORE": old} if old else {})
    """
    env = os.environ.get("REKG_STORE")
    if env:
        return Path(env)
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "rekg" / "graph.json"
