"""Entity resolution across documents: one id per actor, whichever document names it.

In order: the gazetteer's id; an actor already in the graph with the same normalized name or
alias (case, punctuation, corporate suffixes and possessives ignored); an acronym whose
expansion is in the graph ("CREG" for China Rare Earth Group); a near-identical name of the
same type and country ("Lai Chau Rate Earth" for "Lai Chau Rare Earth": each differing word
one typo apart, so "China Northern" never meets "China Southern"), compared only within a
block of names that share type and first letters. Otherwise a new id from type and
normalized name. Every merge is recorded on the entity with its reason.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import networkx as nx
from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import ratio
from rekg.graph.ids import entity_id
from rekg.graph.model import Entity, GraphBatch, Mention, Relation
from rekg.graph.schema import DOCUMENT_LABEL

from .extract import ExtractedEntity, Extraction
from .gazetteer import Gazetteer
from .names import normalize_name

#: Names at least this similar (rapidfuzz ratio, 0–100) may be one actor.
FUZZY_MIN = 90


class KnownEntities:
    """The named query that lists the graph's entities for resolution (both stores)."""

    name = "known-entities"
    cypher = ("MATCH (e:Entity) RETURN e.id AS id, e.name AS name, e.type AS type, "
              "coalesce(e.aliases, []) AS aliases, e.country AS country")

    def run_networkx(self, graph: nx.MultiDiGraph, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        return [{"id": n, "name": a.get("name"), "type": a.get("type"), "aliases": a.get("aliases") or [],
                 "country": a.get("country")}
                for n, a in graph.nodes(data=True) if a.get("label") != DOCUMENT_LABEL]

    def finish(self, rows: list[dict[str, Any]], params: Mapping[str, Any]) -> list[dict[str, Any]]:
        return rows


KNOWN_ENTITIES = KnownEntities()


@lru_cache(maxsize=100_000)
def _initials(name: str) -> str:
    """"China Rare Earth Group" -> "CREG"; small words are skipped."""
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w&-]*", name)
                   if w.lower() not in ("of", "and", "the", "for", "de", "&")).upper()


def _typo_apart(a: str, b: str) -> bool:
    """Two normalized names whose differing words are each one edit apart, in the same order."""
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb) or wa == wb:
        return False
    for x, y in zip(wa, wb, strict=True):
        if x != y and (len(x) < 4 or len(y) < 4 or Levenshtein.distance(x, y) > 1):
            return False
    return True


class EntityIndex:
    """Known actors by type and normalized form, with blocks for fuzzy look-ups."""

    def __init__(self) -> None:
        self.by_form: dict[tuple[str, str], str] = {}
        self.exact: set[tuple[str, str]] = set()  # (id, name) pairs as written
        self.by_initials: dict[tuple[str, str], set[str]] = {}
        self.blocks: dict[tuple[str, str], dict[str, str]] = {}
        self.country: dict[str, str | None] = {}

    def add(self, ident: str, type_: str, names: Iterable[str], country: str | None = None) -> None:
        if country:
            self.country[ident] = country
        else:
            self.country.setdefault(ident, None)
        for name in names:
            if (ident, name) in self.exact:  # indexed before
                continue
            norm = normalize_name(name)
            if not norm:
                continue
            self.by_form.setdefault((type_, norm), ident)
            self.exact.add((ident, name))
            self.blocks.setdefault((type_, norm[:3]), {}).setdefault(norm, ident)
            initials = _initials(name)
            if len(initials) >= 3 and len(name.split()) >= 3:
                self.by_initials.setdefault((type_, initials), set()).add(ident)

    def find(self, type_: str, names: list[str], country: str | None) -> tuple[str, str | None] | None:
        """(id, reason) of the known actor these names denote, or None; the reason is None when
        a name matches exactly as written."""
        for name in names:
            hit = self.by_form.get((type_, normalize_name(name)))
            if hit:  # a name written as before is no merge worth telling
                return hit, None if (hit, name) in self.exact else f"{name!r}: same name but for case or suffix"
        for name in names:
            if re.fullmatch(r"[A-Z][A-Z&]{2,9}", name):
                ids = self.by_initials.get((type_, name.replace("&", "")), set())
                if len(ids) == 1:
                    return next(iter(ids)), f"acronym {name!r}"
        for name in names:
            norm = normalize_name(name)
            for other, ident in self.blocks.get((type_, norm[:3]), {}).items():
                if ratio(norm, other) >= FUZZY_MIN and _typo_apart(norm, other):
                    known_country = self.country.get(ident)
                    if country and known_country and country != known_country:
                        continue
                    return ident, f"{name!r} is a near spelling of {other!r}"
        return None


class Resolver:
    """Maps a document's actors to graph ids and builds the batch the stores write."""

    def __init__(self, gazetteer: Gazetteer, known: Iterable[Mapping[str, Any]] = ()) -> None:
        self.gaz = gazetteer
        self.index = EntityIndex()
        self.learn(known)

    def learn(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Add actors already in the graph (rows of KNOWN_ENTITIES) to the index."""
        for row in rows:
            if row.get("type"):
                self.index.add(row["id"], row["type"], [row.get("name") or "", *row.get("aliases", [])],
                               row.get("country"))

    def resolve(self, ent: ExtractedEntity) -> tuple[str, str | None]:
        """The id of `ent`, and why it joins an actor named otherwise (None when it does not)."""
        if ent.gazetteer_id:
            return ent.gazetteer_id, None
        names = [ent.canonical(), *sorted(ent.forms, key=len, reverse=True)]
        hit = self.index.find(ent.type, names, ent.country)
        if hit is not None:
            return hit
        return entity_id(ent.type, normalize_name(ent.canonical()) or ent.canonical()), None

    def resolve_id(self, ent: ExtractedEntity) -> str:
        return self.resolve(ent)[0]

    def entity(self, ent: ExtractedEntity, ident: str) -> Entity:
        entry = self.gaz.get(ident)
        aliases = set(ent.forms)
        if entry is not None:
            aliases.update(entry.aliases)
            return Entity(ident, entry.name, entry.type, sorted(aliases - {entry.name}), entry.kind,
                          entry.country, entry.wikidata)
        name = ent.canonical()
        return Entity(ident, name, ent.type, sorted(aliases - {name}), ent.kind, ent.country,
                      ent.wikidata)

    def to_batch(self, extraction: Extraction) -> GraphBatch:
        """The graph contribution of one extracted document."""
        doc = extraction.document
        batch = GraphBatch(documents=[doc])
        resolved = {key: self.resolve(ent) for key, ent in extraction.entities.items()}
        ids = {key: ident for key, (ident, _) in resolved.items()}
        seen: dict[str, Entity] = {}
        for key, ent in extraction.entities.items():
            ident, reason = resolved[key]
            e = self.entity(ent, ident)
            if reason:
                e.merged = [f"{ent.canonical()}: {reason}"]
            self.index.add(ident, e.type, [e.name, *e.aliases], e.country)
            if ident in seen:  # two keys of one document resolved to one actor
                seen[ident].aliases = sorted(set(seen[ident].aliases) | set(e.aliases))
                seen[ident].merged = sorted(set(seen[ident].merged) | set(e.merged))
            else:
                seen[ident] = e
        batch.entities = list(seen.values())
        counts: dict[str, int] = {}
        for key, ent in extraction.entities.items():
            counts[ids[key]] = counts.get(ids[key], 0) + ent.count
        batch.mentions = [Mention(doc.id, ident, n) for ident, n in sorted(counts.items())]
        merged: dict[tuple[str, str, str], Relation] = {}
        for r in extraction.relations.values():
            h, t = ids[r.head], ids[r.tail]
            if h == t:
                continue
            rel = merged.get((h, r.type, t))
            if rel is None:
                merged[(h, r.type, t)] = Relation(
                    h, r.type, t, r.title, [doc.id], list(r.evidence), [], r.count,
                    doc.published, doc.published, r.confidence, sorted(r.rules))
            else:
                rel.evidence.extend(e for e in r.evidence if e not in rel.evidence)
                rel.count += r.count
                rel.rules = sorted(set(rel.rules) | r.rules)
                rel.confidence = max(rel.confidence, r.confidence)
        batch.relations = list(merged.values())
        return batch
