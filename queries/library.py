"""The named-query library: the questions analysts ask, answered the same on every store.

Each query is a `Named` (a `rekg.queries.base.Query` with parameters): Cypher in
`queries/cypher/NAME.cypher`, a networkx function, and a shared post step that sorts and
shapes the rows. `run` checks and converts the parameters, resolves actor names to ids
(`rekg.queries.names.resolve`), and hands the query to the store.

>>> from rekg.queries.named.sample import sample_store
>>> [r["person"] for r in run(sample_store(), "people", {"name": "mp materials"})]
['James Litinsky']
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rekg.graph.errors import QueryError
from rekg.graph.model import Subgraph
from rekg.graph.store import Store

from .base import Rows
from .named.actors import NEW_SINCE, PROFILE, TIMELINE
from .named.network import CENTRAL, COMMUNITIES, EGO, PATHS
from .named.organizations import FAMILY, FUNDING, IN_PLACE, PEOPLE, POLICIES
from .named.spec import Named
from .names import LOOKUP, NAMES, resolve

#: Every named query by name, in the order `rekg query --list` shows them.
QUERIES: dict[str, Named] = {q.name: q for q in (
    PROFILE, EGO, PATHS, PEOPLE, POLICIES, IN_PLACE, FAMILY, FUNDING, CENTRAL, COMMUNITIES,
    TIMELINE, NEW_SINCE, LOOKUP, NAMES)}


def get(name: str) -> Named:
    """The named query called `name`; QueryError (with the closest names) if there is none."""
    try:
        return QUERIES[name]
    except KeyError:
        from rapidfuzz import process

        public = [q.name for q in QUERIES.values() if not q.internal]
        close = [m for m, _score, _i in process.extract(name, public, limit=3, score_cutoff=50)]
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise QueryError(f"no named query {name!r}{hint} (rekg query --list shows them)") from None


def listing() -> Rows:
    """One row per analyst query: name, parameters, summary and an example command."""
    rows = []
    for q in QUERIES.values():
        if q.internal:
            continue
        params = ", ".join(p.name + ("" if p.required else f"={_shown(p.default)}") for p in q.params)
        rows.append({"name": q.name, "params": params, "summary": q.summary, "example": q.example})
    return rows


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "all" if len(value) > 3 else ",".join(map(str, value))
    return str(value).lower() if isinstance(value, bool) else str(value)


def prepare(store: Store, name: str, params: Mapping[str, Any]) -> tuple[Named, dict[str, Any]]:
    """The query and its parameters, checked, typed, defaulted, with actor names resolved to ids."""
    query = get(name)
    known = {p.name: p for p in query.params}
    unknown = sorted(set(params) - set(known))
    if unknown:
        expected = ", ".join(known) or "none"
        raise QueryError(f"{name}: unknown parameter {', '.join(unknown)} (expected: {expected})")
    out: dict[str, Any] = {}
    for p in query.params:
        if p.name in params and params[p.name] is not None:
            value = p.convert(params[p.name])
        elif p.required:
            raise QueryError(f"{name}: parameter {p.name} is required ({p.help})")
        else:
            value = p.default
        if p.kind == "actor" and value is not None:
            value = resolve(store, value, p.actor_types)
        out[p.key] = value
    if name == "paths" and out["fromId"] == out["toId"]:
        raise QueryError("paths: 'from' and 'to' name the same actor")
    return query, out


def run(store: Store, name: str, params: Mapping[str, Any] | None = None) -> Rows:
    """Run the named query `name` on `store` with `params` (text or typed values) and return its rows."""
    query, ready = prepare(store, name, params or {})
    return store.run(query, ready)


def ego_subgraph(store: Store, name: str, depth: int = 1, types: Iterable[str] | str | None = None) -> Subgraph:
    """The `ego` neighbourhood of an actor as a Subgraph (for rendering): its entities, exactly
    the relations the query found, and the documents and mentions of those entities.

    >>> from rekg.queries.named.sample import sample_store
    >>> sub = ego_subgraph(sample_store(), "Lynas USA", 1, ["PART_OF", "FUNDS"])
    >>> [e.name for e in sub.entities], [r.type for r in sub.relations]
    (['Lynas Rare Earths', 'Lynas USA', 'US Department of Defense'], ['PART_OF', 'FUNDS'])
    """
    params: dict[str, Any] = {"name": name, "depth": depth}
    if types is not None:
        params["types"] = types
    rows = run(store, "ego", params)
    ids = [r["id"] for r in rows if r["element"] == "node"]
    keys = {(r["head"], r["type"], r["tail"]) for r in rows if r["element"] == "edge"}
    sub = store.subgraph(ids)
    sub.relations = [r for r in sub.relations if r.key in keys]
    return sub
