"""What every command shares: where the graph lives, and how to open it."""
from __future__ import annotations

import os
from dataclasses import dataclass

from rekg.graph.store import Store, default_store_path


@dataclass
class Context:
    """Global options: the embedded store path, or a Neo4j URI that takes precedence."""

    store_path: str | None = None
    neo4j_uri: str | None = None
    debug: bool = False

    def open_store(self) -> Store:
        if self.neo4j_uri:
            from rekg.graph.stores.neo4j import open_neo4j

            return open_neo4j(self.neo4j_uri, os.environ.get("NEO4J_USER", "neo4j"),
                              os.environ.get("NEO4J_PASSWORD", ""))
        from rekg.graph.stores.networkx import NetworkxStore

        return NetworkxStore(self.store_path or default_store_path())

    def describe(self) -> str:
        return self.neo4j_uri or str(self.store_path or default_store_path())
