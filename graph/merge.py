"""How contributions merge into what a store holds. Both stores call these functions (the
Neo4j store on what it reads back under lock, since Neo4j and Python sort strings apart), and
the parity tests hold them to the same results."""
from __future__ import annotations

from .model import EVIDENCE_CHARS, MAX_EVIDENCE, Document, Entity, Relation


def trim_sentence(sentence: str) -> str:
    """A sentence as kept in evidence: stripped and at most EVIDENCE_CHARS long."""
    s = " ".join(sentence.split())
    if len(s) > EVIDENCE_CHARS:
        s = s[: EVIDENCE_CHARS - 1].rstrip() + "…"
    return s


def add_evidence(evidence: list[str], evidence_sources: list[str], sentences: list[str],
                 source: str) -> tuple[list[str], list[str]]:
    """Append `source`'s sentences not already kept, up to MAX_EVIDENCE in all."""
    ev, srcs = list(evidence), list(evidence_sources)
    for s in sentences:
        s = trim_sentence(s)
        if len(ev) >= MAX_EVIDENCE:
            break
        if s and s not in ev:
            ev.append(s)
            srcs.append(source)
    return ev, srcs


def merge_entity(old: Entity | None, new: Entity) -> Entity:
    """Keep the stored name; union aliases and merge notes; fill kind, country and wikidata
    where missing."""
    if old is None:
        aliases = sorted({a for a in new.aliases if a and a != new.name})
        return Entity(new.id, new.name, new.type, aliases, new.kind, new.country, new.wikidata,
                      sorted(set(new.merged)))
    aliases = sorted({a for a in [*old.aliases, *new.aliases, new.name] if a and a != old.name})
    return Entity(old.id, old.name, old.type, aliases,
                  old.kind or new.kind, old.country or new.country, old.wikidata or new.wikidata,
                  sorted(set(old.merged) | set(new.merged)))


def _min(a: str | None, b: str | None) -> str | None:
    return b if a is None else a if b is None else min(a, b)


def _max(a: str | None, b: str | None) -> str | None:
    return b if a is None else a if b is None else max(a, b)


def merge_relation(old: Relation | None, new: Relation) -> Relation | None:
    """Add one document's contribution `new` to `old`; None when that document is already in.

    `new` carries exactly one source. Sources are appended, evidence appended (deduplicated,
    bounded, each sentence with its source), count is the number of source documents,
    firstSeen and lastSeen widen, confidence takes the maximum, rules are united, the first
    title is kept.
    """
    if len(new.sources) != 1:
        raise ValueError(f"a contribution has exactly one source, got {new.sources!r}")
    source = new.sources[0]
    if old is None:  # the common case, made without the empty relation it would merge into
        evidence, evidence_sources = add_evidence([], [], new.evidence, source)
        return Relation(new.head, new.type, new.tail, new.title, [source], evidence, evidence_sources, 1,
                        new.first_seen, new.last_seen, max(0.0, new.confidence), sorted(set(new.rules)))
    if source in old.sources:
        return None
    base = old
    evidence, evidence_sources = add_evidence(base.evidence, base.evidence_sources,
                                              new.evidence, source)
    sources = [*base.sources, source]
    return Relation(
        base.head, base.type, base.tail,
        base.title or new.title,
        sources,
        evidence,
        evidence_sources,
        len(sources),
        _min(base.first_seen, new.first_seen),
        _max(base.last_seen, new.last_seen),
        max(base.confidence, new.confidence),
        sorted(set(base.rules) | set(new.rules)),
    )


def drop_sources(rel: Relation, gone: set[str], dates: dict[str, str | None]) -> Relation | None:
    """`rel` without the contributions of the documents in `gone`; None when nothing is left.

    `dates` maps each remaining source to its document date, to recompute firstSeen/lastSeen.
    """
    sources = [s for s in rel.sources if s not in gone]
    if not sources:
        return None
    keep = [i for i, s in enumerate(rel.evidence_sources) if s not in gone]
    seen = sorted(d for d in (dates.get(s) for s in sources) if d)
    return Relation(rel.head, rel.type, rel.tail, rel.title, sources,
                    [rel.evidence[i] for i in keep], [rel.evidence_sources[i] for i in keep],
                    len(sources), seen[0] if seen else None, seen[-1] if seen else None,
                    rel.confidence, rel.rules)


def merge_document(old: Document | None, new: Document) -> Document | None:
    """A document loads once: the first write wins, a second one changes nothing."""
    return new if old is None else None
