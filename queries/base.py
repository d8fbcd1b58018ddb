"""Named queries: one question, answered by Cypher on Neo4j and by a function on networkx."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

CYPHER_DIR = Path(__file__).parent / "cypher"

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Query:
    """A named query. `cypher` is read from `queries/cypher/NAME.cypher`."""

    name: str
    summary: str
    networkx: Callable[[nx.MultiDiGraph, Mapping[str, Any]], Rows]
    post: Callable[[Rows, Mapping[str, Any]], Rows] | None = None

    @property
    def cypher(self) -> str:
        return (CYPHER_DIR / f"{self.name}.cypher").read_text(encoding="utf-8")

    def run_networkx(self, graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> Rows:
        return self.networkx(graph, params)

    def finish(self, rows: Rows, params: Mapping[str, Any]) -> Rows:
        return self.post(rows, params) if self.post else rows
