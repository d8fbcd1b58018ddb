"""Interactive HTML of a subgraph that opens with no network and shows where every link comes from.

`build_network` is pure: it selects what to draw (types, minimum degree, the most central
actors), sizes actors by centrality, lays out big graphs, and returns plain dicts. `to_html`
turns those dicts into one self-contained page — vis-network and tom-select from the pyvis
package inlined, our own template, script and style — and `write_html` only writes it.

Document text is data: it reaches the page as JSON inside ``<script type="application/json">``
with ``<``, ``>`` and ``&`` escaped, and the page's script shows it with ``textContent`` only.

>>> from rekg.graph.model import Entity, Relation, Subgraph
>>> sub = Subgraph(entities=[Entity("person/a", "A", "Person"), Entity("organization/b", "B", "Organization")],
...                relations=[Relation("person/a", "HOLDS_POSITION", "organization/b", title="chair")])
>>> view = build_network(sub)
>>> [n["id"] for n in view["nodes"]], [e["type"] for e in view["edges"]]
(['organization/b', 'person/a'], ['HOLDS_POSITION'])
>>> "<script" in to_html(view)
True
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
import numpy as np
from markupsafe import Markup
from rekg.graph.errors import QueryError
from rekg.graph.model import Subgraph
from rekg.graph.schema import CO_MENTIONED, EDGE_TYPES, ENTITY_TYPES, RELATION_TYPES, check_entity_type
from rekg.graph.store import Store

#: Colour and vis-network shape of each entity type, drawn in the legend too.
COLORS = {"Organization": "#1f77b4", "Person": "#d62728", "Policy": "#2ca02c", "Place": "#ff7f0e"}
SHAPES = {"Organization": "dot", "Person": "diamond", "Policy": "square", "Place": "triangle"}
#: Colour of each relation type; co-mentions are grey and dashed.
EDGE_COLORS = {
    "HOLDS_POSITION": "#7570b3", "PART_OF": "#a6761d", "LOCATED_IN": "#c9a000",
    "OPERATES": "#1b9e77", "FUNDS": "#e7298a", "PARTNERS_WITH": "#386cb0", "ISSUED": "#66a61e",
    "AFFECTS": "#d95f02", "VISITED": "#17a2b8", CO_MENTIONED: "#b0b0b0",
}
#: Above this many actors the layout is computed here and drawn fixed, with physics off.
LAYOUT_THRESHOLD = 300
CENTRALITIES = ("degree", "pagerank")
#: Node sizes (vis-network pixels) of the least and the most central actor.
MIN_SIZE, MAX_SIZE = 10, 42
LABEL_CHARS = 48

_PYVIS_LIB = Path(__import__("pyvis").__file__).parent / "lib"
_TEMPLATES = Path(__file__).parent / "templates"
_ASSETS = {
    "vis_js": _PYVIS_LIB / "vis-9.1.2" / "vis-network.min.js",
    "vis_css": _PYVIS_LIB / "vis-9.1.2" / "vis-network.css",
    "ts_js": _PYVIS_LIB / "tom-select" / "tom-select.complete.min.js",
    "ts_css": _PYVIS_LIB / "tom-select" / "tom-select.css",
    "page_js": _TEMPLATES / "graph.js",
    "page_css": _TEMPLATES / "graph.css",
}


def _clip(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- selection --------------------------------------------------------------------------------
def _degrees(node_ids: Iterable[str], edges: Sequence[tuple[str, str]]) -> dict[str, int]:
    deg = dict.fromkeys(node_ids, 0)
    for h, t in edges:
        deg[h] += 1
        deg[t] += 1
    return deg


def centrality(node_ids: Sequence[str], edges: Sequence[tuple[str, str]],
               measure: str = "degree") -> dict[str, float]:
    """Centrality of each node over undirected `edges`: degree (a count) or PageRank.

    >>> centrality(["a", "b", "c"], [("a", "b"), ("a", "c")])
    {'a': 2.0, 'b': 1.0, 'c': 1.0}
    >>> pr = centrality(["a", "b", "c"], [("a", "b"), ("a", "c")], "pagerank")
    >>> pr["a"] > pr["b"] == pr["c"]
    True
    """
    if measure == "degree":
        return {n: float(d) for n, d in _degrees(node_ids, edges).items()}
    if measure != "pagerank":
        raise QueryError(f"unknown centrality {measure!r}; expected one of {', '.join(CENTRALITIES)}")
    g = nx.Graph()
    g.add_nodes_from(node_ids)
    for h, t in edges:
        if h != t:
            w = g.get_edge_data(h, t, {"weight": 0})["weight"]
            g.add_edge(h, t, weight=w + 1)
    return nx.pagerank(g, weight="weight") if len(g) else {}


def _select(sub: Subgraph, types: Iterable[str] | None, min_degree: int, max_nodes: int | None,
            co_mentions: bool, measure: str) -> tuple[list, list, dict[str, float], dict[str, Any]]:
    """The entities and relations to draw, their centrality, and what was left out and why."""
    omitted: dict[str, Any] = {"by_type": 0, "by_degree": 0, "by_limit": 0, "relations": 0,
                               "co_mentions": 0, "types": [], "min_degree": min_degree,
                               "max_nodes": max_nodes, "measure": measure}
    wanted = set(ENTITY_TYPES) if not types else {check_entity_type(t) for t in types}
    omitted["types"] = [t for t in ENTITY_TYPES if t not in wanted]
    entities = [e for e in sub.entities if e.type in wanted]
    omitted["by_type"] = len(sub.entities) - len(entities)
    keep = {e.id for e in entities}
    rels = []
    for r in sub.relations:
        if r.type == CO_MENTIONED and not co_mentions:
            omitted["co_mentions"] += 1
        elif r.head in keep and r.tail in keep:
            rels.append(r)
    def stated(rels: list) -> list[tuple[str, str]]:  # degree and centrality count stated relations
        return [(r.head, r.tail) for r in rels if r.type != CO_MENTIONED]

    if min_degree > 0:
        deg = _degrees(keep, stated(rels))
        entities = [e for e in entities if deg[e.id] >= min_degree]
        omitted["by_degree"] = len(keep) - len(entities)
        keep = {e.id for e in entities}
        rels = [r for r in rels if r.head in keep and r.tail in keep]
    score = centrality([e.id for e in entities], stated(rels), measure)
    if max_nodes is not None and len(entities) > max_nodes:
        ranked = sorted(entities, key=lambda e: (-score[e.id], e.name, e.id))
        entities = ranked[:max(max_nodes, 0)]
        omitted["by_limit"] = len(ranked) - len(entities)
        keep = {e.id for e in entities}
        before = len(rels)
        rels = [r for r in rels if r.head in keep and r.tail in keep]
        omitted["relations"] = before - len(rels)
    return entities, rels, score, omitted


# -- layout -----------------------------------------------------------------------------------
def _scatter(index: np.ndarray, force: np.ndarray, n: int) -> np.ndarray:
    return np.stack([np.bincount(index, weights=force[:, 0], minlength=n),
                     np.bincount(index, weights=force[:, 1], minlength=n)], axis=1)


def force_layout(n: int, edges: Sequence[tuple[int, int]], *, iterations: int = 80, seed: int = 1,
                 init: np.ndarray | None = None, temperature: float = 0.1, cells: int = 20,
                 gravity: float = 0.05) -> np.ndarray:
    """Positions (n x 2, about the unit square, ideal edge length 1/sqrt(n)) of a force-directed
    layout, fast enough for 10^4 nodes.

    Fruchterman-Reingold forces, with the repulsion of far nodes taken from the centres of a
    `cells` x `cells` grid (softened, float32) and that of near ones exactly (a k-d tree), and
    a little gravity. networkx's `spring_layout` computes every pair, which takes about a
    minute for 5,000 nodes; this takes seconds. `init` (n x 2) starts from given positions.

    >>> pos = force_layout(3, [(0, 1), (1, 2)])
    >>> pos.shape, bool(np.isfinite(pos).all())
    ((3, 2), True)
    """
    from scipy.spatial import cKDTree

    rng = np.random.default_rng(seed)
    if init is None:
        pos = rng.random((n, 2))
    else:
        pos = np.array(init, dtype=float)
        span = max(float(np.ptp(pos, axis=0).max()) if n else 0.0, 1e-9)
        pos = (pos - pos.min(axis=0)) / span + rng.random((n, 2)) * 1e-3
    if n < 2:
        return pos
    k = 1.0 / math.sqrt(n)
    e = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    e = e[e[:, 0] != e[:, 1]]
    temp = temperature
    cool = temp / (iterations + 1)
    kk = np.float32(k * k)
    for _ in range(iterations):
        disp = np.zeros((n, 2))
        low = pos.min(axis=0)
        span = max(float((pos.max(axis=0) - low).max()), 1e-9)
        size = span / cells
        # far field: each occupied grid cell as one mass at its centre, softened by a cell's size
        cell = np.minimum(((pos - low) / size).astype(np.int64), cells - 1)
        idx = cell[:, 0] * cells + cell[:, 1]
        mass = np.bincount(idx, minlength=cells * cells)
        occ = np.flatnonzero(mass)
        m = mass[occ].astype(np.float32)
        cx = (np.bincount(idx, weights=pos[:, 0], minlength=cells * cells)[occ] / m).astype(np.float32)
        cy = (np.bincount(idx, weights=pos[:, 1], minlength=cells * cells)[occ] / m).astype(np.float32)
        px = pos[:, :1].astype(np.float32)
        py = pos[:, 1:].astype(np.float32)
        dx = px - cx
        dy = py - cy
        w = (m * kk) / (dx * dx + dy * dy + np.float32(size * size))
        ws = w.sum(axis=1)
        disp[:, 0] += px[:, 0] * ws - w @ cx
        disp[:, 1] += py[:, 0] * ws - w @ cy
        # near field: exact repulsion between nodes closer than half a cell
        pairs = cKDTree(pos).query_pairs(size / 2, output_type="ndarray")
        if len(pairs):
            d = pos[pairs[:, 0]] - pos[pairs[:, 1]]
            f = d * (k * k / np.maximum((d * d).sum(axis=1), (0.01 * k) ** 2))[:, None]
            disp += _scatter(pairs[:, 0], f, n) - _scatter(pairs[:, 1], f, n)
        if len(e):  # springs
            d = pos[e[:, 0]] - pos[e[:, 1]]
            f = d * (np.sqrt((d * d).sum(axis=1)) / k)[:, None]
            disp += _scatter(e[:, 1], f, n) - _scatter(e[:, 0], f, n)
        disp += gravity * (pos.mean(axis=0) - pos) / k
        length = np.maximum(np.sqrt((disp * disp).sum(axis=1)), 1e-12)
        pos += disp * (np.minimum(length, temp) / length)[:, None]
        temp -= cool
    return pos


def _component_layout(g: nx.Graph, seed: int) -> dict[Any, np.ndarray]:
    """Positions of one connected component, neighbours about 1 apart.

    Small components sit on a circle. A big one starts from its communities (networkx's label
    propagation), laid out as one node each (networkx's `spring_layout` when there are few),
    every actor near its community's place, and the forces then settle it.
    """
    nodes = list(g)
    n = len(nodes)
    if n == 1:
        return {nodes[0]: np.zeros(2)}
    if n <= 8:
        return nx.circular_layout(g, scale=max(0.6, n / (2 * math.pi)))
    index = {v: i for i, v in enumerate(nodes)}
    edges = [(index[a], index[b]) for a, b in g.edges()]
    init = None
    comms = [list(c) for c in nx.community.fast_label_propagation_communities(g, seed=seed)]
    if 1 < len(comms) <= n // 3:
        of = {v: ci for ci, c in enumerate(comms) for v in c}
        q = nx.Graph()
        q.add_nodes_from(range(len(comms)))
        for a, b in g.edges():
            ca, cb = of[a], of[b]
            if ca != cb:
                q.add_edge(ca, cb, weight=q.get_edge_data(ca, cb, {"weight": 0})["weight"] + 1)
        if len(comms) <= 300:
            cpos = nx.spring_layout(q, seed=seed, weight="weight")
            centres = np.array([cpos[c] for c in range(len(comms))])
        else:
            centres = force_layout(len(comms), list(q.edges()), seed=seed)
        centres = (centres - centres.mean(axis=0)) / max(float(np.ptp(centres, axis=0).max()), 1e-9)
        rng = np.random.default_rng(seed)
        init = np.zeros((n, 2))
        for ci, c in enumerate(comms):
            radius = 0.5 * math.sqrt(len(c) / n)
            angle = rng.random(len(c)) * 2 * math.pi
            r = radius * np.sqrt(rng.random(len(c)))
            init[[index[v] for v in c]] = centres[ci] + np.stack([r * np.cos(angle), r * np.sin(angle)], 1)
    if init is None:
        pos = force_layout(n, edges, seed=seed)
    else:
        pos = force_layout(n, edges, seed=seed, init=init, temperature=0.05, iterations=60)
    pos = pos * math.sqrt(n)  # ideal edge length 1
    return {v: pos[i] for i, v in enumerate(nodes)}


def _positions(ids: Sequence[str], edges: Sequence[tuple[str, str]], seed: int) -> dict[str, tuple]:
    """Fixed positions (vis-network pixels): each connected component laid out on its own, the
    components packed in rows, biggest first, so no actor drifts to the edge of the page."""
    g = nx.Graph()
    g.add_nodes_from(ids)
    g.add_edges_from((h, t) for h, t in edges if h != t)
    unit = 90.0  # pixels between neighbours
    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    laid = []
    for comp in comps:
        pos = _component_layout(g.subgraph(comp).copy() if len(comp) > 8 else g.subgraph(comp), seed)
        xy = np.array([pos[v] for v in comp]).reshape(-1, 2)
        xy = xy - xy.min(axis=0)
        laid.append((comp, xy, xy.max(axis=0) + 1.5))  # a margin around each
    area = sum(float(box[0] * box[1]) for _c, _xy, box in laid)
    width = max(max((float(box[0]) for _c, _xy, box in laid), default=1.0), math.sqrt(area) * 1.2)
    out: dict[str, tuple] = {}
    x = y = row = 0.0
    for comp, xy, box in laid:
        if x > 0 and x + box[0] > width:
            x, y, row = 0.0, y + row, 0.0
        for v, (px, py) in zip(comp, xy, strict=True):
            out[v] = (px + x, py + y)
        x += float(box[0])
        row = max(row, float(box[1]))
    if not out:
        return {}
    cx = (min(p[0] for p in out.values()) + max(p[0] for p in out.values())) / 2
    cy = (min(p[1] for p in out.values()) + max(p[1] for p in out.values())) / 2
    return {v: (round((px - cx) * unit, 1), round((py - cy) * unit, 1)) for v, (px, py) in out.items()}


# -- the view ---------------------------------------------------------------------------------
def _size(score: float, low: float, high: float) -> float:
    if high <= low:
        return float(MIN_SIZE + MAX_SIZE) / 3
    return round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt((score - low) / (high - low)), 1)


def _smooth(rels: list) -> list[dict[str, Any] | None]:
    """Curves that keep several relations between the same two actors apart."""
    pair_count: Counter = Counter(frozenset((r.head, r.tail)) for r in rels)
    seen: Counter = Counter()
    out: list[dict[str, Any] | None] = []
    for r in rels:
        pair = frozenset((r.head, r.tail))
        if pair_count[pair] == 1:
            out.append(None)
            continue
        i = seen[pair]
        seen[pair] += 1
        # same-direction relations bend to alternate sides; reversed ones mirror naturally
        kind = "curvedCW" if (i % 2 == 0) == (r.head < r.tail) else "curvedCCW"
        out.append({"enabled": True, "type": kind, "roundness": 0.15 + 0.15 * (i // 2)})
    return out


def build_network(sub: Subgraph, *, types: Iterable[str] | None = None, min_degree: int = 0,
                  max_nodes: int | None = None, co_mentions: bool = False, centrality: str = "degree",
                  layout: str = "auto", title: str = "rekg graph", seed: int = 1) -> dict[str, Any]:
    """The page's data for `sub`, as plain dicts (vis-network's node and edge fields and ours).

    - `types`: entity types to draw (default all); `min_degree`: drop actors with fewer stated
      relations (co-mentions do not count); `max_nodes`: keep the most central actors; what is
      left out is counted in ``omitted``.
    - `co_mentions`: also draw CO_MENTIONED links (listed in the legend, hidden until ticked).
    - `centrality`: "degree" or "pagerank" over stated relations; sets node size and which actors
      `max_nodes` keeps.
    - `layout`: "physics" (vis-network settles the layout, then stops), "fixed" (positions
      computed here, physics off), or "auto": fixed above LAYOUT_THRESHOLD actors.
    """
    if centrality not in CENTRALITIES:
        raise QueryError(f"unknown centrality {centrality!r}; expected one of {', '.join(CENTRALITIES)}")
    if layout not in ("auto", "physics", "fixed"):
        raise QueryError(f"unknown layout {layout!r}; expected auto, physics or fixed")
    entities, rels, score, omitted = _select(sub, types, min_degree, max_nodes, co_mentions, centrality)
    entities = sorted(entities, key=lambda e: e.id)
    fixed = layout == "fixed" or (layout == "auto" and len(entities) > LAYOUT_THRESHOLD)
    pairs = [(r.head, r.tail) for r in rels]
    pos = _positions([e.id for e in entities], pairs, seed) if fixed else {}
    shown = _degrees([e.id for e in entities], [(r.head, r.tail) for r in rels if r.type != CO_MENTIONED])
    values = [score[e.id] for e in entities]
    low, high = (min(values), max(values)) if values else (0.0, 0.0)

    docs_of: dict[str, list] = defaultdict(list)
    keep = {e.id for e in entities}
    for m in sub.mentions:
        if m.entity in keep:
            docs_of[m.entity].append([m.document, m.count])
    nodes = []
    for e in entities:
        node: dict[str, Any] = {
            "id": e.id, "label": _clip(e.name), "name": e.name, "type": e.type, "group": e.type,
            "shape": SHAPES[e.type], "color": COLORS[e.type], "size": _size(score[e.id], low, high),
            "aliases": list(e.aliases), "kind": e.kind, "country": e.country, "wikidata": e.wikidata,
            "degree": shown[e.id], "centrality": round(score[e.id], 6),
            "docs": sorted(docs_of.get(e.id, []), key=lambda d: (-d[1], d[0])),
        }
        if fixed:
            node["x"], node["y"] = pos[e.id]
        nodes.append(node)

    edges = []
    cited: set[str] = set()
    for i, (r, smooth) in enumerate(zip(rels, _smooth(rels), strict=True)):
        label = r.type + (f": {_clip(r.title, 32)}" if r.title else "")
        ev_src = list(r.evidence_sources) + [None] * (len(r.evidence) - len(r.evidence_sources))
        edge: dict[str, Any] = {
            "id": f"e{i}", "from": r.head, "to": r.tail, "type": r.type, "label": label,
            "color": EDGE_COLORS[r.type], "width": round(1 + math.log2(max(r.count, 1)), 2),
            "dashes": r.type == CO_MENTIONED, "relTitle": r.title,
            "evidence": [[text, src] for text, src in zip(r.evidence, ev_src, strict=False)],
            "sources": list(r.sources), "count": r.count, "firstSeen": r.first_seen,
            "lastSeen": r.last_seen, "confidence": r.confidence, "rules": list(r.rules),
        }
        if smooth is not None:
            edge["smooth"] = smooth
        edges.append(edge)
        cited.update(r.sources)
        cited.update(s for s in ev_src if s)
    for node in nodes:
        cited.update(d[0] for d in node["docs"])
    documents = {d.id: {"title": d.title, "source": d.source, "publisher": d.publisher,
                        "published": d.published} for d in sub.documents if d.id in cited}

    ent_count = Counter(e.type for e in entities)
    rel_count = Counter(r.type for r in rels)
    return {
        "title": title,
        "layout": "fixed" if fixed else "physics",
        "centrality": centrality,
        "nodes": nodes,
        "edges": edges,
        "documents": documents,
        "entityTypes": [{"name": t, "color": COLORS[t], "shape": SHAPES[t], "count": ent_count[t]}
                        for t in ENTITY_TYPES if t in ent_count],
        "relationTypes": [{"name": t, "color": EDGE_COLORS[t], "count": rel_count[t],
                           "meaning": RELATION_TYPES[t].meaning if t in RELATION_TYPES
                           else "named in the same sentence; not a stated relation",
                           "hidden": t == CO_MENTIONED}
                          for t in EDGE_TYPES if t in rel_count],
        "omitted": omitted,
        "total": {"entities": len(sub.entities), "relations": len(sub.relations)},
    }


# -- the page ---------------------------------------------------------------------------------
def embed_json(data: Any) -> str:
    """JSON safe inside a ``<script>`` element: ``<``, ``>``, ``&`` (and U+2028/9) escaped.

    >>> embed_json({"name": "</script><b>&"})
    '{"name": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False)
    for char, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                      ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, esc)
    return text


def _asset(name: str) -> str:
    text = _ASSETS[name].read_text(encoding="utf-8")
    text = re.sub(r"^(//# sourceMappingURL=.*|/\*# sourceMappingURL=.*\*/)$", "", text, flags=re.M)  # no map to fetch
    if "</script" in text.lower() or "</style" in text.lower():
        raise QueryError(f"{_ASSETS[name]}: cannot be inlined (it closes its own element)")
    return text


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(_TEMPLATES),
                              autoescape=True, undefined=jinja2.StrictUndefined)


def to_html(view: dict[str, Any], title: str | None = None) -> str:
    """The self-contained page for `view` (from `build_network`): no CDN, no network at all."""
    page = _environment().get_template("graph.html")
    assets = {name: Markup(_asset(name)) for name in _ASSETS}
    data = Markup(embed_json(view))
    return page.render(title=title or view.get("title") or "rekg graph", data=data, **assets)


def write_html(view: dict[str, Any], path: str | Path, title: str | None = None) -> Path:
    """Write the page for `view` to `path` and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_html(view, title), encoding="utf-8")
    return path


def ids_from_rows(rows: Iterable[dict[str, Any]]) -> list[str]:
    """The entity ids a named query's rows name: `id`, every `...Id` field and `ids` lists.

    >>> ids_from_rows([{"id": "a", "otherId": "b"}, {"ids": ["c", "a"]}, {"id": None}])
    ['a', 'b', 'c']
    """
    out: dict[str, None] = {}
    for row in rows:
        for key, value in row.items():
            if (key == "id" or key.endswith("Id")) and isinstance(value, str):
                out[value] = None
            elif key == "ids" and isinstance(value, list):
                out.update((v, None) for v in value if isinstance(v, str))
    return list(out)


def query_subgraph(store: Store, name: str, params: Mapping[str, Any] | None = None) -> Subgraph:
    """The part of the graph a named query's answer names, to render or export.

    The actors are every id in the rows (`ids_from_rows`); the relations are those the rows
    list as edges (``element`` = edge, as `ego` answers), else every relation among the actors.

    >>> from rekg.queries.named.sample import sample_store
    >>> sub = query_subgraph(sample_store(), "ego", {"name": "Lynas USA", "types": "PART_OF"})
    >>> [e.name for e in sub.entities], [r.type for r in sub.relations]
    (['Lynas Rare Earths', 'Lynas USA'], ['PART_OF'])
    """
    from .library import run

    rows = run(store, name, params or {})
    sub = store.subgraph(ids_from_rows(rows))
    edges = {(r["head"], r["type"], r["tail"]) for r in rows if r.get("element") == "edge"}
    if edges:
        sub.relations = [r for r in sub.relations if r.key in edges]
    return sub
