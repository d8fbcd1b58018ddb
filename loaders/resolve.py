"""Entity resolution across documents: one id per actor, whichever document names it.

Gazetteer ids first; an actor the gazetteer does not know gets the id of its type and
normalized name, so the same name in two documents is one node.
"""
from __future__ import annotations

from graph.ids import entity_id
from graph.model import Entity, GraphBatch, Mention, Relation

from .extract import ExtractedEntity, Extraction
from .gazetteer import Gazetteer


class Resolver:
    """Maps a document's actors to graph ids and builds the batch the stores write."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer

    def resolve_id(self, ent: ExtractedEntity) -> str:
        if ent.gazetteer_id:
            return ent.gazetteer_id
        return entity_id(ent.type, ent.canonical())

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
        ids = {key: self.resolve_id(ent) for key, ent in extraction.entities.items()}
        seen: dict[str, Entity] = {}
        for key, ent in extraction.entities.items():
            ident = ids[key]
            e = self.entity(ent, ident)
            if ident in seen:  # two keys of one document resolved to one actor
                seen[ident].aliases = sorted(set(seen[ident].aliases) | set(e.aliases))
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
