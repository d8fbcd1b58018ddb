"""Questions about the shape of the graph: `ego`, `paths`, `central`, `communities`."""
from __future__ import annotations

from collections.abc import Mapping
from itertools import product
from typing import Any

import networkx as nx

from .. import analytics
from ..base import Rows
from .spec import Named, Param, entity_type, first, neighbours, nulls_last, plain, types_param

#: The Cypher in paths.cypher searches at most this many hops.
MAX_PATH = 8

_NETWORK_TYPES = "relation types to follow, comma-separated (default: every stated one; CO_MENTIONED allowed)"


# -- ego --------------------------------------------------------------------------------------------

def _ego(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> Rows:
    """The neighbourhood of an actor: every entity within `depth` (1-3) hops over relations of
    `types` (either direction), and every such relation among them.

    Rows of two kinds: ``element`` = node (`id`, `name`, `type` = label, `distance` in hops,
    0 for the actor itself), then ``element`` = edge (`head`, `type` = relation type, `tail`,
    `title`, `count`). `rekg.queries.library.ego_subgraph` turns the answer into a Subgraph for
    rendering.

    CLI: ``rekg query ego --param name="Lynas" --param depth=2``

    >>> from rekg.queries.library import run
    >>> from rekg.queries.named.sample import sample_store
    >>> rows = run(sample_store(), "ego", {"name": "Lynas USA", "types": "PART_OF,FUNDS"})
    >>> [(r["name"], r["distance"]) for r in rows if r["element"] == "node"]
    [('Lynas USA', 0), ('Lynas Rare Earths', 1), ('US Department of Defense', 1)]
    >>> [(r["head"], r["type"], r["tail"]) for r in rows if r["element"] == "edge"]
    [('organization/lynas-usa', 'PART_OF', 'organization/lynas-rare-earths'), \
('organization/us-department-of-defense', 'FUNDS', 'organization/lynas-usa')]
    """
    start = params["id"]
    if entity_type(graph, start) is None:
        return []
    types = frozenset(params["types"])
    dist = {start: 0}
    ring = [start]
    for depth in range(1, params["depth"] + 1):
        nxt = []
        for node in ring:
            for other in neighbours(graph, node, types):
                if other not in dist:
                    dist[other] = depth
                    nxt.append(other)
        ring = nxt
    nodes = [{"id": n, "name": graph.nodes[n].get("name"), "type": entity_type(graph, n), "distance": d}
             for n, d in dist.items()]
    edges = []
    for head in dist:
        for tail, keyed in graph._succ[head].items():
            if tail in dist:
                edges.extend({"head": head, "type": key, "tail": tail, "title": attrs.get("title"),
                              "count": attrs.get("count")} for key, attrs in keyed.items() if key in types)
    return [{"nodes": nodes, "edges": edges}]


def _ego_post(rows: Rows, params: Mapping[str, Any]) -> Rows:
    nodes: Rows = []
    edges: Rows = []
    for row in plain(rows):
        nodes.extend({"element": "node", "id": n["id"], "name": n["name"], "type": n["type"],
                      "distance": n["distance"], "head": None, "tail": None, "title": None, "count": None}
                     for n in row["nodes"])
        edges.extend({"element": "edge", "id": None, "name": None, "type": e["type"], "distance": None,
                      "head": e["head"], "tail": e["tail"], "title": e["title"], "count": e["count"]}
                     for e in row["edges"])
    nodes.sort(key=lambda r: (r["distance"], nulls_last(r["name"]), r["id"]))
    edges.sort(key=lambda r: (r["head"], r["type"], r["tail"]))
    return nodes + edges


EGO = Named(
    "ego", "the neighbourhood of an actor to depth 1-3: its nodes and the relations among them",
    _ego, _ego_post,
    params=(Param("name", "actor", "the actor: a name, alias or id", required=True, target="id"),
            Param("depth", "int", "hops from the actor, 1 to 3", default=1, low=1, high=3),
            types_param(_NETWORK_TYPES, co_mentioned=True)),
    example='rekg query ego --param name="Lynas" --param depth=2 --param types=PART_OF,FUNDS')


# -- paths ------------------------------------------------------------------------------------------

def _paths(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> Rows:
    """Every shortest path between two actors, over relations of `types` in either direction,
    if the shortest is at most `maxLength` hops (1-8).

    Two relations between the same two actors make two paths. One row per hop: `path`
    (numbered in a stable order), `hop`, `from`, `relation`, `direction` (``->`` when the
    relation's head is `from`), `to`, one `evidence` sentence, and the ids; at most `limit`
    paths.

    CLI: ``rekg query paths --param from="Amanda Lacaze" --param to="MP Materials"``

    >>> from rekg.queries.library import run
    >>> from rekg.queries.named.sample import sample_store
    >>> for r in run(sample_store(), "paths", {"from": "Amanda Lacaze", "to": "MP Materials"}):
    ...     print(r["path"], r["hop"], r["from"], r["direction"], r["relation"], r["to"])
    1 1 Amanda Lacaze -> HOLDS_POSITION Lynas Rare Earths
    1 2 Lynas Rare Earths <- PART_OF Lynas USA
    1 3 Lynas USA <- FUNDS US Department of Defense
    1 4 US Department of Defense -> FUNDS MP Materials
    """
    source, target = params["fromId"], params["toId"]
    if source == target or entity_type(graph, source) is None or entity_type(graph, target) is None:
        return []
    types = frozenset(params["types"])
    node_paths = _shortest_node_paths(graph, source, target, types, params["maxLength"])
    rows = []
    for path in node_paths:
        steps = []
        for u, v in zip(path, path[1:], strict=False):
            hop = [(u, k, v, a) for k, a in graph._succ[u].get(v, {}).items() if k in types]
            hop += [(v, k, u, a) for k, a in graph._succ[v].get(u, {}).items() if k in types]
            steps.append(hop)
        nodes = [{"id": n, "name": graph.nodes[n].get("name")} for n in path]
        for combo in product(*steps):
            rows.append({"nodes": nodes, "hops": [{"head": h, "type": k, "tail": t,
                                                   "evidence": first(a.get("evidence"))}
                                                  for h, k, t, a in combo]})
    return rows


def _shortest_node_paths(graph: nx.MultiDiGraph, source: str, target: str, types: frozenset[str],
                         max_length: int) -> list[list[str]]:
    """All shortest node paths, by a breadth-first search from both ends, level by level."""
    dist = ({source: 0}, {target: 0})
    preds: tuple[dict[str, list[str]], dict[str, list[str]]] = ({source: []}, {target: []})
    rings = ([source], [target])
    levels = [0, 0]
    while rings[0] and rings[1] and levels[0] + levels[1] < max_length:
        side = 0 if len(rings[0]) <= len(rings[1]) else 1
        levels[side] += 1
        level, seen, back, nxt = levels[side], dist[side], preds[side], []
        for node in rings[side]:
            for other in neighbours(graph, node, types):
                d = seen.get(other)
                if d is None:
                    seen[other] = level
                    back[other] = [node]
                    nxt.append(other)
                elif d == level:
                    back[other].append(node)
        rings = (nxt, rings[1]) if side == 0 else (rings[0], nxt)
        far = dist[1 - side]
        meet = [n for n in nxt if n in far]
        if meet:
            best = min(far[n] for n in meet)
            middle = [n for n in meet if far[n] == best]
            out = []
            for mid in middle:
                halves = (_walks(preds[0], mid), _walks(preds[1], mid))
                out.extend(a[::-1] + b[1:] for a, b in product(*halves))
            return out
    return []


def _walks(preds: Mapping[str, list[str]], node: str) -> list[list[str]]:
    """Every walk from `node` back to the search's start through `preds` (node first)."""
    if not preds[node]:
        return [[node]]
    return [[node, *rest] for p in preds[node] for rest in _walks(preds, p)]


def _path_key(path: Mapping[str, Any]) -> tuple:
    names = tuple(nulls_last(n["name"]) for n in path["nodes"])
    ids = tuple(n["id"] for n in path["nodes"])
    hops = tuple((h["type"], h["head"], h["tail"]) for h in path["hops"])
    return (names, ids, hops)


def _paths_post(rows: Rows, params: Mapping[str, Any]) -> Rows:
    paths = sorted(plain(rows), key=_path_key)[: params.get("limit")]
    out = []
    for number, path in enumerate(paths, 1):
        nodes = path["nodes"]
        for i, hop in enumerate(path["hops"]):
            here, there = nodes[i], nodes[i + 1]
            out.append({"path": number, "hop": i + 1, "from": here["name"], "relation": hop["type"],
                        "direction": "->" if hop["head"] == here["id"] else "<-", "to": there["name"],
                        "evidence": hop["evidence"], "fromId": here["id"], "toId": there["id"]})
    return out


PATHS = Named(
    "paths", "all shortest paths between two actors, each hop with its relation and one evidence sentence",
    _paths, _paths_post,
    params=(Param("from", "actor", "one actor: a name, alias or id", required=True, target="fromId"),
            Param("to", "actor", "the other actor", required=True, target="toId"),
            Param("maxLength", "int", f"longest path to look for, 1 to {MAX_PATH} hops", default=4,
                  low=1, high=MAX_PATH),
            types_param(_NETWORK_TYPES, co_mentioned=True),
            Param("limit", "int", "at most this many paths", default=50, low=1)),
    example='rekg query paths --param from="Amanda Lacaze" --param to="MP Materials"')


# -- central, communities ---------------------------------------------------------------------------

def _projection(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> Rows:
    """Every relation of `types` between two entities, with the names and labels of both ends."""
    types = set(params["types"])
    nodes = graph.nodes
    rows = []
    for head, tail, key in graph.edges(keys=True):
        if key in types:
            ht, tt = entity_type(graph, head), entity_type(graph, tail)
            if ht is not None and tt is not None:
                rows.append({"head": head, "headName": nodes[head].get("name"), "headType": ht,
                             "type": key, "tail": tail, "tailName": nodes[tail].get("name"), "tailType": tt})
    return rows


def _central(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> Rows:
    """The top actors by degree, PageRank and betweenness over a projection (relation types).

    The projection is undirected: `degree` counts relations, PageRank is weighted by them,
    betweenness is normalized (exact on small graphs; on large ones estimated from sampled
    sources drawn with `seed`, see `rekg.queries.analytics.betweenness_sample`). Ordered by `by`
    (default pagerank); floats to 6 decimals.
    Neo4j reads the projection with Cypher and the same Python computes the numbers.

    CLI: ``rekg query central --param types=FUNDS,PARTNERS_WITH --param by=betweenness``

    >>> from rekg.queries.library import run
    >>> from rekg.queries.named.sample import sample_store
    >>> for r in run(sample_store(), "central", {"limit": 3, "by": "betweenness"}):
    ...     print(r["name"], r["degree"], r["betweenness"])
    Lynas USA 4 0.596154
    Lynas Rare Earths 3 0.5
    US Department of Defense 3 0.301282
    """
    return _projection(graph, params)


def _central_post(rows: Rows, params: Mapping[str, Any]) -> Rows:
    graph = analytics.projection(plain(rows))
    return plain(analytics.centrality(graph, params["by"], params["limit"], params["seed"]))


CENTRAL = Named(
    "central", "top actors by degree, PageRank and betweenness over chosen relation types",
    _central, _central_post,
    params=(types_param(_NETWORK_TYPES, co_mentioned=True),
            Param("by", "choice", "the measure to rank by", default="pagerank", choices=analytics.MEASURES),
            Param("limit", "int", "how many actors", default=10, low=1),
            Param("seed", "int", "seed for the sampled betweenness of large graphs", default=42)),
    example="rekg query central --param types=FUNDS,PARTNERS_WITH --param by=betweenness")


def _communities(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> Rows:
    """Louvain communities over a projection (relation types), with a fixed seed.

    One row per community, largest first: `community` (1, 2 …), `size`, `members` (names)
    and `ids`. Relations weigh by how many join two actors. Neo4j reads the projection with
    Cypher and the same Python finds the communities, so both stores agree.

    CLI: ``rekg query communities --param types=PART_OF,FUNDS,PARTNERS_WITH``

    >>> from rekg.queries.library import run
    >>> from rekg.queries.named.sample import sample_store
    >>> for r in run(sample_store(), "communities", {"types": "FUNDS,PART_OF,HOLDS_POSITION"}):
    ...     print(r["community"], r["members"])
    1 ['Amanda Lacaze', 'Lynas Rare Earths']
    2 ['James Litinsky', 'MP Materials']
    3 ['Lynas USA', 'US Department of Defense']
    """
    return _projection(graph, params)


def _communities_post(rows: Rows, params: Mapping[str, Any]) -> Rows:
    graph = analytics.projection(plain(rows))
    return plain(analytics.communities(graph, params["seed"], params["resolution"], params["minSize"]))


COMMUNITIES = Named(
    "communities", "Louvain communities (fixed seed) over the graph or chosen relation types",
    _communities, _communities_post,
    params=(types_param(_NETWORK_TYPES, co_mentioned=True),
            Param("seed", "int", "Louvain's random seed", default=42),
            Param("resolution", "float", "above 1 favours smaller communities", default=1.0, low=0.01,
                  high=100),
            Param("minSize", "int", "leave out communities smaller than this", default=1, low=1)),
    example="rekg query communities --param types=PART_OF,FUNDS,PARTNERS_WITH")
