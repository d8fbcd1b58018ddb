"""From the name an analyst types to one entity id, the same way on every store.

A name matches an entity's id, its name or any alias, ignoring case. Exactly one match is the
answer; several raise `Ambiguous` listing them (with types and ids, so that the id or a fuller
name can be given instead); none raises `NotFound` with the closest names in the graph.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
from rekg.graph.errors import Ambiguous, NotFound
from rekg.graph.schema import DOCUMENT_LABEL
from rekg.graph.store import Store

from .base import Rows
from .named.spec import Named, Param, entity_type, shaped

#: How many close names a NotFound error suggests.
SUGGESTIONS = 5


def fold(text: str) -> str:
    """The form names are compared in: lower case (as Cypher's `toLower`), ß as ss, spaces single.

    >>> fold("  Straße   der  LYNAS ")
    'strasse der lynas'
    """
    return " ".join(text.split()).lower().replace("ß", "ss")


def _stored_fold(text: str) -> str:
    # what lookup.cypher computes from a stored name: replace(toLower(x), 'ß', 'ss')
    return text.lower().replace("ß", "ss")


def _lookup(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> Rows:
    """Entities whose id is `name`, or whose name or an alias folds to `key`."""
    name, key = params["name"], params["key"]
    rows = []
    for node, attrs in graph._node.items():  # a plain loop: this runs before every query
        label = attrs.get("label")
        if label is None or label == DOCUMENT_LABEL:
            continue
        text = attrs.get("name")
        aliases = attrs.get("aliases") or []
        # _stored_fold, inlined
        if (node == name or (text and text.lower().replace("ß", "ss") == key)
                or (aliases and key in [a.lower().replace("ß", "ss") for a in aliases])):
            rows.append({"id": node, "name": text, "type": label, "aliases": aliases})
    return rows


def _candidates(rows: Rows, params: Mapping[str, Any]) -> Rows:
    """Sort by id, and say how each candidate matched: by id, by name or by an alias."""
    out = []
    for row in shaped(rows, ("id", "name", "type", "aliases")):
        row["aliases"] = list(row.get("aliases") or [])
        if row["id"] == params["name"]:
            row["match"] = "id"
        elif _stored_fold(row.get("name") or "") == params["key"]:
            row["match"] = "name"
        else:
            row["match"] = "alias"
        out.append(row)
    return sorted(out, key=lambda r: r["id"])


def _all_names(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> Rows:
    """Every entity's id, name, type and aliases."""
    return [{"id": n, "name": a.get("name"), "type": a["label"], "aliases": a.get("aliases") or []}
            for n, a in graph.nodes(data=True) if entity_type(graph, n) is not None]


def _sorted_names(rows: Rows, params: Mapping[str, Any]) -> Rows:
    out = shaped(rows, ("id", "name", "type", "aliases"))
    for row in out:
        row["aliases"] = list(row.get("aliases") or [])
    return sorted(out, key=lambda r: r["id"])


LOOKUP = Named(
    "lookup", "entities whose id, name or alias is the given name (any case)", _lookup, _candidates,
    params=(Param("name", "str", "a name, alias or id", required=True),
            Param("key", "str", "the folded name (set by resolve)")),
    internal=True)

NAMES = Named("names", "every entity's id, name, type and aliases", _all_names, _sorted_names,
              internal=True)


def candidates(store: Store, name: str) -> Rows:
    """Every entity `name` could mean, with how it matched ('id', 'name' or 'alias')."""
    return store.run(LOOKUP, {"name": name.strip(), "key": fold(name)})


def _describe(row: Mapping[str, Any]) -> str:
    return f"{row['name']} ({row['type']}, {row['id']})"


def resolve(store: Store, name: str, types: Iterable[str] | None = None) -> str:
    """The id of the one entity called `name` (an id, a name or an alias, any case).

    `types` limits the answer to some entity types. A match by id beats one by name, which
    beats one by alias. Raises `Ambiguous` (several candidates) or `NotFound`.

    >>> from rekg.queries.named.sample import sample_store
    >>> store = sample_store()
    >>> resolve(store, "lynas")
    'organization/lynas-rare-earths'
    >>> resolve(store, "US Department of Defense")
    'organization/us-department-of-defense'
    >>> resolve(store, "Lynass")
    Traceback (most recent call last):
    rekg.graph.errors.NotFound: no actor is called 'Lynass'; closest: Lynas = Lynas Rare Earths \
(Organization, organization/lynas-rare-earths), Lynas USA (Organization, organization/lynas-usa)
    """
    wanted = tuple(types) if types else None
    found = candidates(store, name)
    fitting = [c for c in found if wanted is None or c["type"] in wanted]
    for how in ("id", "name", "alias"):
        best = [c for c in fitting if c["match"] == how]
        if len(best) == 1:
            return best[0]["id"]
        if best:
            lines = "\n".join(f"  {_describe(c)}" for c in best)
            raise Ambiguous(f"{name!r} may mean {len(best)} actors; give a fuller name or the id:\n{lines}")
    kinds = " or ".join(wanted) if wanted else "actor"
    if found:  # the name exists, but not as a wanted type
        others = "; ".join(_describe(c) for c in found)
        raise NotFound(f"no {kinds} is called {name!r} (it names: {others})")
    close = suggest(store, name, wanted)
    hint = f"; closest: {', '.join(close)}" if close else ""
    raise NotFound(f"no {kinds} is called {name!r}{hint}")


def suggest(store: Store, name: str, types: Iterable[str] | None = None,
            limit: int = SUGGESTIONS) -> list[str]:
    """The names (and aliases) in the graph closest to `name`, best first, one per entity."""
    from rapidfuzz import fuzz, process, utils

    wanted = set(types) if types else None
    forms: list[str] = []
    owners: list[Mapping[str, Any]] = []
    for row in store.run(NAMES, {}):
        if wanted is not None and row["type"] not in wanted:
            continue
        for form in dict.fromkeys([row["name"], *row["aliases"]]):
            if form:
                forms.append(form)
                owners.append(row)
    scored = process.extract(name, forms, scorer=fuzz.WRatio, processor=utils.default_process,
                             limit=limit * 4, score_cutoff=70)
    scored.sort(key=lambda hit: (-hit[1], owners[hit[2]]["name"], owners[hit[2]]["id"]))
    out: list[str] = []
    seen: set[str] = set()
    for form, _score, index in scored:
        row = owners[index]
        if row["id"] in seen:
            continue
        seen.add(row["id"])
        label = _describe(row) if form == row["name"] else f"{form} = {_describe(row)}"
        out.append(label)
        if len(out) == limit:
            break
    return out
