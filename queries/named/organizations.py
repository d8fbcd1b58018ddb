"""Questions about organizations and places: `people`, `family`, `funding`, `policies`, `in-place`."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import networkx as nx

from ..base import Rows
from .spec import Named, Param, by, doc_titles, entity_type, first, nulls_last, shaped, sorted_text

#: PART_OF and LOCATED_IN chains are followed at most this many hops (the Cypher says the same).
MAX_CHAIN = 10

_ORG = ("Organization",)


def _actor(types: tuple[str, ...] | None, help: str = "a name, alias or id (any case)") -> Param:
    return Param("name", "actor", help, required=True, target="id", actor_types=types)


def _distances(start: str, step: Callable[[str], Iterable[str]], cutoff: int) -> dict[str, int]:
    """Breadth-first hop counts from `start` (0) along `step`, up to `cutoff` hops."""
    dist = {start: 0}
    ring = [start]
    for depth in range(1, cutoff + 1):
        nxt = []
        for node in ring:
            for other in step(node):
                if other not in dist:
                    dist[other] = depth
                    nxt.append(other)
        if not nxt:
            break
        ring = nxt
    return dist


def _heads(graph: nx.MultiDiGraph, key: str, label: str | None = None) -> Callable[[str], Iterable[str]]:
    """Step backwards along `key` relations: the heads pointing at a node (optionally of `label`)."""
    def step(node: str) -> Iterable[str]:
        return [h for h, keyed in graph._pred[node].items()
                if key in keyed and (label is None or graph.nodes[h].get("label") == label)]
    return step


def _tails(graph: nx.MultiDiGraph, key: str) -> Callable[[str], Iterable[str]]:
    def step(node: str) -> Iterable[str]:
        return [t for t, keyed in graph._succ[node].items() if key in keyed]
    return step


def _name(graph: nx.MultiDiGraph, node: str) -> str | None:
    return graph.nodes[node].get("name")


# -- people -----------------------------------------------------------------------------------------

def _people(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> Rows:
    """Who holds which position in an organization and, unless `parts` is false, in its parts.

    Parts are the organizations that are PART_OF it, directly or through a chain (at most
    ten hops); `level` is how many PART_OF hops the position's organization is below the one
    asked about (0: the organization itself). One row per HOLDS_POSITION relation: `person`,
    `title`, `organization`, `level`, `count` (documents) and one `evidence` sentence.

    CLI: ``rekg query people --param name="Lynas Rare Earths"``

    >>> from rekg.queries.library import run
    >>> from rekg.queries.named.sample import sample_store
    >>> [(r["person"], r["title"], r["organization"]) for r in run(sample_store(), "people", {"name": "Lynas"})]
    [('Amanda Lacaze', 'chief executive officer', 'Lynas Rare Earths')]
    """
    org = params["id"]
    if entity_type(graph, org) != "Organization":
        return []
    cutoff = MAX_CHAIN if params["parts"] else 0
    units = _distances(org, _heads(graph, "PART_OF", "Organization"), cutoff)
    rows = []
    for unit, level in units.items():
        for person, keyed in graph._pred[unit].items():
            rel = keyed.get("HOLDS_POSITION")
            if rel is None or entity_type(graph, person) != "Person":
                continue
            rows.append({"person": _name(graph, person), "personId": person, "title": rel.get("title"),
                         "organization": _name(graph, unit), "organizationId": unit, "level": level,
                         "count": rel.get("count"), "evidence": first(rel.get("evidence"))})
    return rows


def _people_post(rows: Rows, params: Mapping[str, Any]) -> Rows:
    columns = ("person", "title", "organization", "level", "count", "evidence", "personId", "organizationId")
    out = shaped(rows, columns)
    out.sort(key=by("level", "organization", "organizationId", "person", "personId"))
    return out


PEOPLE = Named(
    "people", "who holds which position in an organization and in its parts (PART_OF)",
    _people, _people_post,
    params=(_actor(_ORG, "the organization: a name, alias or id"),
            Param("parts", "bool", "include the organization's parts (PART_OF chains)", default=True)),
    example='rekg query people --param name="Lynas"')


# -- family -----------------------------------------------------------------------------------------

def _family(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> Rows:
    """The PART_OF tree above an organization (what it is part of) and below it (its parts).

    One row per PART_OF relation in either tree: `side` (``above`` or ``below``), `level`
    (1 for the relations touching the organization, 2 for the next ones …, at most ten),
    `part` and `whole` (names and ids), and `count` (documents stating it).

    CLI: ``rekg query family --param name="Lynas"``

    >>> from rekg.queries.library import run
    >>> from rekg.queries.named.sample import sample_store
    >>> [(r["side"], r["level"], r["part"], r["whole"]) for r in run(sample_store(), "family", {"name": "Lynas"})]
    [('below', 1, 'Lynas USA', 'Lynas Rare Earths')]
    """
    org = params["id"]
    if entity_type(graph, org) != "Organization":
        return []
    rows = []
    up = _distances(org, _tails(graph, "PART_OF"), MAX_CHAIN - 1)
    for part, level in up.items():
        for whole, keyed in graph._succ[part].items():
            if "PART_OF" in keyed:
                rows.append(_family_row(graph, "above", level + 1, part, whole, keyed["PART_OF"]))
    down = _distances(org, _heads(graph, "PART_OF"), MAX_CHAIN - 1)
    for whole, level in down.items():
        for part, keyed in graph._pred[whole].items():
            if "PART_OF" in keyed:
                rows.append(_family_row(graph, "below", level + 1, part, whole, keyed["PART_OF"]))
    return rows


def _family_row(graph: nx.MultiDiGraph, side: str, level: int, part: str, whole: str,
                rel: Mapping[str, Any]) -> dict[str, Any]:
    return {"side": side, "level": level, "part": _name(graph, part), "partId": part,
            "whole": _name(graph, whole), "wholeId": whole, "count": rel.get("count")}


def _family_post(rows: Rows, params: Mapping[str, Any]) -> Rows:
    columns = ("side", "level", "part", "whole", "count", "partId", "wholeId")
    out = shaped(rows, columns)
    out.sort(key=by("side", "level", "whole", "wholeId", "part", "partId"))
    return out


FAMILY = Named(
    "family", "the PART_OF tree above and below an organization",
    _family, _family_post, params=(_actor(_ORG, "the organization: a name, alias or id"),),
    example='rekg query family --param name="Lynas"')


# -- funding ----------------------------------------------------------------------------------------

def _funding(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> Rows:
    """FUNDS relations into (``in``) and out of (``out``) an actor.

    One row per relation: `direction`, `funder`, `recipient` (names and ids), `title` (grant,
    contract, loan …), `count` (documents), `firstSeen`, `lastSeen` and one `evidence` sentence.

    CLI: ``rekg query funding --param name="Department of Defense"``

    >>> from rekg.queries.library import run
    >>> from rekg.queries.named.sample import sample_store
    >>> [(r["direction"], r["recipient"], r["title"]) for r in run(sample_store(), "funding", {"name": "DoD"})]
    [('out', 'Lynas USA', 'contract'), ('out', 'MP Materials', 'award')]
    """
    node = params["id"]
    if entity_type(graph, node) is None:
        return []
    rows = []
    ends = [(node, t, keyed) for t, keyed in graph._succ[node].items()]
    ends += [(h, node, keyed) for h, keyed in graph._pred[node].items() if h != node]
    for head, tail, keyed in ends:
        rel = keyed.get("FUNDS")
        if rel is None or entity_type(graph, head) is None or entity_type(graph, tail) is None:
            continue
        rows.append({"direction": "out" if head == node else "in",
                     "funder": _name(graph, head), "funderId": head,
                     "recipient": _name(graph, tail), "recipientId": tail,
                     "title": rel.get("title"), "count": rel.get("count"),
                     "firstSeen": rel.get("firstSeen"), "lastSeen": rel.get("lastSeen"),
                     "evidence": first(rel.get("evidence"))})
    return rows


def _funding_post(rows: Rows, params: Mapping[str, Any]) -> Rows:
    columns = ("direction", "funder", "recipient", "title", "count", "firstSeen", "lastSeen", "evidence",
               "funderId", "recipientId")
    out = shaped(rows, columns)
    out.sort(key=by("direction", "funder", "funderId", "recipient", "recipientId"))
    return out


FUNDING = Named(
    "funding", "FUNDS flows into and out of an actor",
    _funding, _funding_post, params=(_actor(None),),
    example='rekg query funding --param name="Department of Defense"')


# -- policies ---------------------------------------------------------------------------------------

def _policies(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> Rows:
    """The policies that AFFECT an organization or place, who ISSUED them, and the evidence.

    One row per policy: `policy`, `policyId`, `kind`, `issuers` (names), the AFFECTS
    relation's `evidence` sentences, `count` (documents), `firstSeen` and `sources`
    (document titles).

    CLI: ``rekg query policies --param name="MP Materials"``

    >>> from rekg.queries.library import run
    >>> from rekg.queries.named.sample import sample_store
    >>> [(r["policy"], r["issuers"]) for r in run(sample_store(), "policies", {"name": "Lynas USA"})]
    [('Defense Production Act Title III', ['US Department of Defense'])]
    """
    node = params["id"]
    if entity_type(graph, node) is None:
        return []
    rows = []
    for policy, keyed in graph._pred[node].items():
        rel = keyed.get("AFFECTS")
        if rel is None or entity_type(graph, policy) != "Policy":
            continue
        issuers = [_name(graph, h) for h, k in graph._pred[policy].items()
                   if "ISSUED" in k and entity_type(graph, h) is not None]
        rows.append({"policy": _name(graph, policy), "policyId": policy,
                     "kind": graph.nodes[policy].get("kind"), "issuers": issuers,
                     "evidence": rel.get("evidence") or [], "count": rel.get("count"),
                     "firstSeen": rel.get("firstSeen"), "sources": doc_titles(graph, rel.get("sources"))})
    return rows


def _policies_post(rows: Rows, params: Mapping[str, Any]) -> Rows:
    out = []
    columns = ("policy", "kind", "issuers", "count", "firstSeen", "evidence", "sources", "policyId")
    for row in shaped(rows, columns):
        row["issuers"] = sorted_text(row["issuers"])
        row["sources"] = sorted_text(row["sources"])
        row["evidence"] = list(row["evidence"] or [])
        out.append(row)
    return sorted(out, key=lambda r: (nulls_last(r["policy"]), r["policyId"]))


POLICIES = Named(
    "policies", "the policies affecting an organization or place, who issued them, and the evidence",
    _policies, _policies_post, params=(_actor(("Organization", "Place")),),
    example='rekg query policies --param name="MP Materials"')


# -- in-place ---------------------------------------------------------------------------------------

def _in_place(graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> Rows:
    """Organizations LOCATED_IN or that OPERATE a place, or any place inside it.

    Places inside are those with a LOCATED_IN chain to it (at most ten hops); `distance` is
    the length of that chain from the organization's own `place` (0: the place asked about).
    One row per relation: `organization`, `relation`, `place`, `distance` (with ids) and one
    `evidence` sentence.

    CLI: ``rekg query in-place --param name="Western Australia"``

    >>> from rekg.queries.library import run
    >>> from rekg.queries.named.sample import sample_store
    >>> for r in run(sample_store(), "in-place", {"name": "United States"}):
    ...     print(r["organization"], r["relation"], r["place"], r["distance"])
    Lynas USA LOCATED_IN Texas 1
    MP Materials OPERATES Mountain Pass 2
    """
    place = params["id"]
    if entity_type(graph, place) != "Place":
        return []
    inside = _distances(place, _heads(graph, "LOCATED_IN", "Place"), MAX_CHAIN)
    rows = []
    for where, distance in inside.items():
        for org, keyed in graph._pred[where].items():
            if entity_type(graph, org) != "Organization":
                continue
            for key in ("LOCATED_IN", "OPERATES"):
                rel = keyed.get(key)
                if rel is not None:
                    rows.append({"organization": _name(graph, org), "organizationId": org, "relation": key,
                                 "place": _name(graph, where), "placeId": where, "distance": distance,
                                 "evidence": first(rel.get("evidence"))})
    return rows


def _in_place_post(rows: Rows, params: Mapping[str, Any]) -> Rows:
    columns = ("organization", "relation", "place", "distance", "evidence", "organizationId", "placeId")
    out = shaped(rows, columns)
    out.sort(key=by("organization", "organizationId", "relation", "distance", "place", "placeId"))
    return out


IN_PLACE = Named(
    "in-place", "organizations located in or operating in a place, or in places inside it",
    _in_place, _in_place_post, params=(_actor(("Place",), "the place: a name, alias or id"),),
    example='rekg query in-place --param name="Western Australia"')
