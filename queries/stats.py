"""`rekg stats`: counts per label and relation type, and the best-connected actors."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx
from rekg.graph.schema import CO_MENTIONED, DOCUMENT_LABEL, MENTIONS
from rekg.graph.store import Store

from .base import Query, Rows


def _top_degree(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> Rows:
    degree: dict[str, int] = {}
    for h, t, key in graph.edges(keys=True):
        if key in (MENTIONS, CO_MENTIONED):
            continue
        degree[h] = degree.get(h, 0) + 1
        degree[t] = degree.get(t, 0) + 1
    rows = [{"id": n, "name": graph.nodes[n]["name"], "type": graph.nodes[n]["label"], "degree": d}
            for n, d in degree.items() if graph.nodes[n]["label"] != DOCUMENT_LABEL]
    rows.sort(key=lambda r: (-r["degree"], r["name"]))
    return rows[: int(params.get("limit", 10))]


TOP_DEGREE = Query("top-degree", "actors with the most stated relations", _top_degree)


def stats(store: Store, top: int = 10) -> dict[str, Any]:
    """Counts per node label and relationship type, and the `top` actors by degree."""
    counts = store.counts()
    return {"nodes": counts.nodes, "relationships": counts.relations,
            "top_actors": store.run(TOP_DEGREE, {"limit": top})}
