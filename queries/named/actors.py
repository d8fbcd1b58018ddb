"""Questions about one actor, and about what is new: `profile`, `timeline`, `new-since`."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx
from rekg.graph.schema import DOCUMENT_LABEL, MENTIONS

from ..base import Rows
from .spec import (
    Named,
    Param,
    by,
    doc_titles,
    edges_of,
    entity_type,
    plain,
    shaped,
    sorted_text,
    types_param,
)

_ACTOR = Param("name", "actor", "the actor: a name, alias or id (any case)", required=True, target="id")


# -- profile ----------------------------------------------------------------------------------------

def _profile(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> Rows:
    """An actor and its stated relations, one row per relation, grouped by relation type.

    Each row repeats the actor (`id`, `name`, `type`, `aliases`, `kind`, `country`) and gives
    one relation: its type, `direction` (``out`` when the actor is the head), the actor at the
    other end, the relation's `title`, `count` (documents stating it), `evidenceCount`
    (sentences kept) and `sources` (titles of the documents stating it). An actor with no
    relation gives one row with the relation columns empty.

    CLI: ``rekg query profile --param name="Lynas"``

    >>> from rekg.queries.library import run
    >>> from rekg.queries.named.sample import sample_store
    >>> for row in run(sample_store(), "profile", {"name": "lynas usa"}):
    ...     print(row["relation"], row["direction"], row["other"], row["count"], row["sources"])
    AFFECTS in Defense Production Act Title III 1 ['Defense contract for Lynas USA']
    FUNDS in US Department of Defense 1 ['Defense contract for Lynas USA']
    LOCATED_IN out Texas 1 ['Defense contract for Lynas USA']
    PART_OF out Lynas Rare Earths 2 ['Defense contract for Lynas USA', 'Lynas from Mount Weld to Texas']
    """
    node = params["id"]
    etype = entity_type(graph, node)
    if etype is None:
        return []
    attrs = graph.nodes[node]
    actor = {"id": node, "name": attrs.get("name"), "type": etype, "aliases": attrs.get("aliases"),
             "kind": attrs.get("kind"), "country": attrs.get("country")}
    rows = []
    for head, key, tail, rel in edges_of(graph, node, params["types"]):
        other = tail if head == node else head
        if entity_type(graph, other) is None:
            continue
        rows.append({**actor, "relation": key, "direction": "out" if head == node else "in",
                     "other": graph.nodes[other].get("name"), "otherId": other,
                     "otherType": entity_type(graph, other), "title": rel.get("title"),
                     "count": rel.get("count"), "evidenceCount": len(rel.get("evidence") or []),
                     "sources": doc_titles(graph, rel.get("sources"))})
    if not rows:
        rows.append({**actor, "relation": None, "direction": None, "other": None, "otherId": None,
                     "otherType": None, "title": None, "count": None, "evidenceCount": None,
                     "sources": []})
    return rows


#: The order of a profile row's columns: the actor's name and type, the relation, then the rest.
_PROFILE_COLUMNS = ("name", "type", "relation", "direction", "other", "otherType", "title", "count",
                    "evidenceCount", "sources", "aliases", "kind", "country", "id", "otherId")


def _profile_post(rows: Rows, params: Mapping[str, Any]) -> Rows:
    out = []
    for row in plain(rows):
        row["aliases"] = sorted_text(row.get("aliases"))
        row["sources"] = sorted_text(row.get("sources"))
        if row.get("relation") is None:
            row["evidenceCount"] = None
        out.append({k: row[k] for k in _PROFILE_COLUMNS})
    out.sort(key=by("relation", "direction", "other", "otherId"))
    return out


PROFILE = Named(
    "profile", "an actor: type, aliases, kind, country, and its relations with titles, counts and sources",
    _profile, _profile_post, params=(_ACTOR, types_param()),
    example='rekg query profile --param name="Lynas"')


# -- timeline ---------------------------------------------------------------------------------------

def _timeline(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> Rows:
    """The documents that mention an actor, oldest first, with the relations each one states.

    One row per document: `published`, `title`, `publisher`, `source`, `document` (id),
    `mentions` (how often it names the actor) and `relations` — the actor's relations that
    this document is a source of, as ``head TYPE tail`` text. Undated documents come last.

    CLI: ``rekg query timeline --param name="MP Materials"``

    >>> from rekg.queries.library import run
    >>> from rekg.queries.named.sample import sample_store
    >>> for row in run(sample_store(), "timeline", {"name": "Lynas USA"}):
    ...     print(row["published"], row["title"], row["relations"])
    2022-06-14 Defense contract for Lynas USA ['Defense Production Act Title III AFFECTS Lynas USA', \
'Lynas USA LOCATED_IN Texas', 'Lynas USA PART_OF Lynas Rare Earths', 'US Department of Defense FUNDS Lynas USA']
    2024-12-31 Lynas from Mount Weld to Texas ['Lynas USA PART_OF Lynas Rare Earths']
    """
    node = params["id"]
    if entity_type(graph, node) is None:
        return []
    rels = list(edges_of(graph, node, params["types"]))
    rows = []
    for doc, keyed in graph._pred[node].items():
        mention = keyed.get(MENTIONS)
        dattrs = graph.nodes[doc]
        if mention is None or dattrs.get("label") != DOCUMENT_LABEL:
            continue
        stated = [{"head": graph.nodes[h].get("name"), "type": k, "tail": graph.nodes[t].get("name")}
                  for h, k, t, attrs in rels if doc in (attrs.get("sources") or ())]
        rows.append({"document": doc, "title": dattrs.get("title"), "published": dattrs.get("published"),
                     "publisher": dattrs.get("publisher"), "source": dattrs.get("source"),
                     "mentions": mention.get("count"), "relations": stated})
    return rows


def _timeline_post(rows: Rows, params: Mapping[str, Any]) -> Rows:
    out = []
    for row in plain(rows):
        rels = sorted(f"{r['head']} {r['type']} {r['tail']}" for r in row.pop("relations") or [])
        out.append({"published": row["published"], "title": row["title"], "publisher": row["publisher"],
                    "source": row["source"], "document": row["document"], "mentions": row["mentions"],
                    "relations": rels})
    out.sort(key=by("published", "title", "document"))
    return out


TIMELINE = Named(
    "timeline", "the documents about an actor in date order, with the relations each states",
    _timeline, _timeline_post, params=(_ACTOR, types_param()),
    example='rekg query timeline --param name="MP Materials"')


# -- new-since --------------------------------------------------------------------------------------

def _new_since(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> Rows:
    """Actors and relations first seen after a date (by the dates of the documents stating them).

    An actor's first sighting is the earliest `published` date of the documents that mention
    it; a relation's is its `firstSeen`. Dates compare as ISO text, so a partial date such as
    ``2022`` counts as earlier than ``2022-01-01``; undated documents are ignored. One row per
    actor (``element`` = actor: `type` is its label, `name`, `id`) or relation (``element`` =
    relation: `type` is the relation type, `head`, `tail` are names, `headId`, `tailId`),
    ordered by `firstSeen`.

    CLI: ``rekg query new-since --param date=2024-01-01``

    >>> from rekg.queries.library import run
    >>> from rekg.queries.named.sample import sample_store
    >>> for row in run(sample_store(), "new-since", {"date": "2022-06-01"}):
    ...     print(row["firstSeen"], row["element"], row["type"], row["name"] or f"{row['head']} -> {row['tail']}")
    2022-06-14 actor Organization Lynas Rare Earths
    2022-06-14 actor Organization Lynas USA
    2022-06-14 actor Place Texas
    2022-06-14 actor Policy Defense Production Act Title III
    2022-06-14 relation AFFECTS Defense Production Act Title III -> Lynas USA
    2022-06-14 relation FUNDS US Department of Defense -> Lynas USA
    2022-06-14 relation ISSUED US Department of Defense -> Defense Production Act Title III
    2022-06-14 relation LOCATED_IN Lynas USA -> Texas
    2022-06-14 relation LOCATED_IN Texas -> United States
    2022-06-14 relation PART_OF Lynas USA -> Lynas Rare Earths
    2024-12-31 actor Person Amanda Lacaze
    2024-12-31 actor Place Australia
    2024-12-31 actor Place Mount Weld
    2024-12-31 actor Place Western Australia
    2024-12-31 relation HOLDS_POSITION Amanda Lacaze -> Lynas Rare Earths
    2024-12-31 relation LOCATED_IN Mount Weld -> Western Australia
    2024-12-31 relation LOCATED_IN Western Australia -> Australia
    2024-12-31 relation OPERATES Lynas Rare Earths -> Mount Weld
    """
    since = params["date"]
    types = set(params["types"])
    nodes = graph.nodes
    first: dict[str, str] = {}
    rows: Rows = []
    for head, tail, key, attrs in graph.edges(keys=True, data=True):
        if key == MENTIONS:
            published = nodes[head].get("published")
            if published is not None and nodes[head].get("label") == DOCUMENT_LABEL:
                if tail not in first or published < first[tail]:
                    first[tail] = published
        elif key in types:
            seen = attrs.get("firstSeen")
            if seen is not None and seen > since:
                rows.append({"element": "relation", "firstSeen": seen, "type": key, "id": None, "name": None,
                             "head": nodes[head].get("name"), "headId": head,
                             "tail": nodes[tail].get("name"), "tailId": tail})
    for node, seen in first.items():
        etype = entity_type(graph, node)
        if seen > since and etype is not None:
            rows.append({"element": "actor", "firstSeen": seen, "type": etype, "id": node,
                         "name": nodes[node].get("name"), "head": None, "headId": None,
                         "tail": None, "tailId": None})
    return rows


def _new_since_post(rows: Rows, params: Mapping[str, Any]) -> Rows:
    columns = ("firstSeen", "element", "type", "name", "head", "tail", "id", "headId", "tailId")
    out = shaped(rows, columns)
    out.sort(key=by("firstSeen", "element", "type", "name", "id", "head", "tail", "headId", "tailId"))
    return out


NEW_SINCE = Named(
    "new-since", "actors and relations first seen (by document date) after a date",
    _new_since, _new_since_post,
    params=(Param("date", "date", "ISO date, YYYY[-MM[-DD]]; strictly after it", required=True),
            types_param()),
    example="rekg query new-since --param date=2024-01-01")
