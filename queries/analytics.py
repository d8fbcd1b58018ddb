"""Graph analytics over a projection: centrality and Louvain communities.

Neo4j Community has no Graph Data Science library, so every store hands the same thing to
this module — the projection's relations as rows — and the numbers are computed here, once,
in Python. The projection is built in a canonical order (nodes and edges sorted by id), so
the same rows give the same graph, the same seeds the same samples, and the same floats on
every store.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

#: Betweenness does one breadth-first search per source node, each visiting every node and
#: edge: when all sources would take more than this many visits, it is estimated from as many
#: sampled sources as fit (at least BETWEENNESS_MIN_SAMPLE).
BETWEENNESS_BUDGET = 2_000_000
BETWEENNESS_MIN_SAMPLE = 50
MEASURES = ("degree", "pagerank", "betweenness")


def projection(rows: Iterable[Mapping[str, Any]]) -> nx.Graph:
    """An undirected graph from relation rows (`head`, `tail`, and `headName`, `headType`,
    `tailName`, `tailType`); `weight` counts the relations between two actors. Self-loops
    are dropped.

    >>> g = projection([{"head": "b", "tail": "a", "type": "FUNDS"},
    ...                 {"head": "a", "tail": "b", "type": "PARTNERS_WITH"}])
    >>> list(g.edges(data="weight"))
    [('a', 'b', 2)]
    """
    info: dict[str, tuple[Any, Any]] = {}
    weights: dict[tuple[str, str], int] = {}
    for row in rows:
        head, tail = row["head"], row["tail"]
        info.setdefault(head, (row.get("headName"), row.get("headType")))
        info.setdefault(tail, (row.get("tailName"), row.get("tailType")))
        if head == tail:
            continue
        pair = (head, tail) if head < tail else (tail, head)
        weights[pair] = weights.get(pair, 0) + 1
    graph = nx.Graph()
    for node in sorted(info):
        name, etype = info[node]
        graph.add_node(node, name=name, type=etype)
    for (u, v), w in sorted(weights.items()):
        graph.add_edge(u, v, weight=w)
    return graph


def centrality(graph: nx.Graph, by: str = "pagerank", limit: int | None = 10,
               seed: int = 42) -> list[dict[str, Any]]:
    """Degree (relations), PageRank (weighted by relations) and betweenness of every actor,
    best first by `by`, ties by name and id; floats unrounded.

    Betweenness is exact while nodes x (nodes + edges) stays within BETWEENNESS_BUDGET, and
    estimated from sampled sources (drawn with `seed`) on larger graphs: see `betweenness_sample`.

    >>> g = projection([{"head": "a", "tail": "b"}, {"head": "b", "tail": "c"}])
    >>> [(r["id"], r["degree"], round(r["betweenness"], 3)) for r in centrality(g, "betweenness")]
    [('b', 2, 1.0), ('a', 1, 0.0), ('c', 1, 0.0)]
    """
    if by not in MEASURES:
        raise ValueError(f"unknown measure {by!r}; expected one of {', '.join(MEASURES)}")
    if graph.number_of_nodes() == 0:
        return []
    degree = dict(graph.degree(weight="weight"))
    pagerank = nx.pagerank(graph, alpha=0.85, weight="weight")
    k = betweenness_sample(graph.number_of_nodes(), graph.number_of_edges())
    betweenness = nx.betweenness_centrality(graph, k=k, normalized=True, seed=seed)
    rows = [{"name": a.get("name"), "type": a.get("type"), "degree": degree[n],
             "pagerank": pagerank[n], "betweenness": betweenness[n], "id": n}
            for n, a in graph.nodes(data=True)]
    rows.sort(key=lambda r: (-r[by], r["name"] is None, r["name"] or "", r["id"]))
    return rows[:limit] if limit else rows


def betweenness_sample(nodes: int, edges: int) -> int | None:
    """How many sources betweenness samples on a graph this size; None: all (exact).

    >>> betweenness_sample(300, 900), betweenness_sample(100_000, 1_000_000)
    (None, 50)
    >>> betweenness_sample(5_000, 30_000)
    57
    """
    if nodes * (nodes + edges) <= BETWEENNESS_BUDGET:
        return None
    return min(nodes, max(BETWEENNESS_MIN_SAMPLE, BETWEENNESS_BUDGET // (nodes + edges)))


def communities(graph: nx.Graph, seed: int = 42, resolution: float = 1.0,
                min_size: int = 1) -> list[dict[str, Any]]:
    """Louvain communities (weighted by relations, fixed `seed`), largest first.

    Each community: `community` (1 = largest), `size`, `members` (names, sorted) and `ids`.

    >>> g = projection([{"head": "a", "tail": "b"}, {"head": "c", "tail": "d"}])
    >>> [(c["community"], c["ids"]) for c in communities(g)]
    [(1, ['a', 'b']), (2, ['c', 'd'])]
    """
    if graph.number_of_nodes() == 0:
        return []
    # integer nodes: Louvain keeps sets of nodes, and sets of ints iterate the same in every process
    ids = list(graph)
    numbered = nx.convert_node_labels_to_integers(graph)
    parts = nx.community.louvain_communities(numbered, weight="weight", resolution=resolution, seed=seed)
    groups = []
    for part in parts:
        if len(part) < min_size:
            continue
        members = sorted((ids[i] for i in part), key=lambda n: (graph.nodes[n].get("name") or "", n))
        groups.append({"size": len(members), "members": [graph.nodes[n].get("name") for n in members],
                       "ids": members})
    groups.sort(key=lambda g: (-g["size"], g["members"][0] or "", g["ids"][0]))
    return [{"community": i, **g} for i, g in enumerate(groups, 1)]
