"""Curated facts: a CSV file of relations an analyst has checked, loaded without extraction.

Columns (a header row, any order): `head, head_type, relation, tail, tail_type, source, date`,
and optionally `title` (the position, for HOLDS_POSITION) and `evidence` (the sentence that
states it). Types and relation names are those of `rekg.graph.schema`; a row whose relation cannot
join its two types, or that lacks a value, is reported as FILE:LINE and the others still load.
The file is one Document; each fact becomes a relation with the rule `curated`, its date as
first and last seen, and its cited source in the evidence.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from rekg.graph.errors import InputError
from rekg.graph.ids import document_id, entity_id
from rekg.graph.model import Document, Entity, GraphBatch, Mention, Relation
from rekg.graph.schema import ENTITY_TYPES, RELATION_TYPES, allows

from ..inputs import Problem, decode, normalize_date

FACT_COLUMNS = ("head", "head_type", "relation", "tail", "tail_type", "source", "date")
OPTIONAL_COLUMNS = ("title", "evidence")
#: The provenance rule of every curated relation.
CURATED = "curated"
_TYPES = {t.lower(): t for t in ENTITY_TYPES}


@dataclass(frozen=True)
class Fact:
    """One checked relation, as the CSV states it (types and relation already validated)."""

    head: str
    head_type: str
    relation: str
    tail: str
    tail_type: str
    source: str
    date: str | None = None
    title: str | None = None
    evidence: str | None = None


@dataclass
class CuratedFacts:
    """A facts file: its source, its text (hashed into the document id) and its facts."""

    source: str
    text: str
    facts: list[Fact] = field(default_factory=list)

    @property
    def title(self) -> str:
        name = self.source.replace("\\", "/").rsplit("/", 1)[-1]
        return f"Curated facts ({name})"


def _column(name: str) -> str:
    return "_".join(name.strip().strip("\ufeff").lower().split())


def parse_fact_row(row: dict[str, str | None], where: str) -> Fact:
    """A CSV row (column -> value) -> a Fact; InputError names `where` and what is wrong.

    >>> parse_fact_row({"head": "Lynas Rare Earths", "head_type": "organization", "relation": "operates",
    ...                 "tail": "Mount Weld", "tail_type": "Place", "source": "https://lynasrareearths.com",
    ...                 "date": "2023"}, "f.csv:2")
    Fact(head='Lynas Rare Earths', head_type='Organization', relation='OPERATES', tail='Mount Weld', \
tail_type='Place', source='https://lynasrareearths.com', date='2023', title=None, evidence=None)
    >>> parse_fact_row({"head": "Lynas", "head_type": "Organization", "relation": "ISSUED", "tail": "Mount Weld",
    ...                 "tail_type": "Place", "source": "x", "date": ""}, "f.csv:3")
    Traceback (most recent call last):
    ...
    rekg.graph.errors.InputError: f.csv:3: ISSUED cannot join an Organization to a Place
    """
    if row.get(None):  # type: ignore[call-overload]  # csv puts surplus fields under None
        raise InputError(f"{where}: more fields than columns")
    values = {k: " ".join((v or "").split()) for k, v in row.items() if k is not None}
    missing = [c for c in FACT_COLUMNS if c != "date" and not values.get(c)]
    if missing:
        raise InputError(f"{where}: no value for {', '.join(missing)}")
    head_type = _TYPES.get(values["head_type"].lower())
    tail_type = _TYPES.get(values["tail_type"].lower())
    for given, known in ((values["head_type"], head_type), (values["tail_type"], tail_type)):
        if known is None:
            raise InputError(f"{where}: unknown entity type {given!r} (one of {', '.join(ENTITY_TYPES)})")
    relation = "_".join(values["relation"].upper().replace("-", " ").split())
    if relation not in RELATION_TYPES:
        raise InputError(f"{where}: unknown relation {values['relation']!r} (one of {', '.join(RELATION_TYPES)})")
    if not allows(relation, head_type, tail_type):
        article = "an" if tail_type[0] in "AEIOU" else "a"
        head_article = "an" if head_type[0] in "AEIOU" else "a"
        raise InputError(f"{where}: {relation} cannot join {head_article} {head_type} to {article} {tail_type}")
    date = None
    if values.get("date"):
        date = normalize_date(values["date"])
        if date is None:
            raise InputError(f"{where}: {values['date']!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    return Fact(values["head"], head_type, relation, values["tail"], tail_type, values["source"], date,
                values.get("title") or None, values.get("evidence") or None)


def parse_facts(text: str, where: str) -> tuple[list[Fact], list[Problem]]:
    """Every good row as a Fact and every bad one as a Problem naming `where`:LINE.

    Raises InputError when the header lacks a required column. Lines starting with '#' are
    comments.

    >>> facts, bad = parse_facts("head,head_type,relation,tail,tail_type,source,date\\n"
    ...                          "MP Materials,Organization,OPERATES,Mountain Pass,Place,mpmaterials.com,2020\\n"
    ...                          "MP Materials,Organization,OWNS,Mountain Pass,Place,x,\\n", "f.csv")
    >>> [f.tail for f in facts], [p.message for p in bad]
    (['Mountain Pass'], ["f.csv:3: unknown relation 'OWNS' (one of HOLDS_POSITION, PART_OF, LOCATED_IN, \
OPERATES, FUNDS, PARTNERS_WITH, ISSUED, AFFECTS, VISITED)"])
    """
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    facts: list[Fact] = []
    problems: list[Problem] = []
    while True:
        before = reader.line_num
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(f"{where}:{reader.line_num}: {exc}"))
            if reader.line_num == before:
                break
            continue
        if not cells or not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = [_column(c) for c in cells]
            missing = [c for c in FACT_COLUMNS if c not in header]
            if missing:
                raise InputError(f"{where}: missing column(s) {', '.join(missing)}; a facts file has the "
                                 f"columns {', '.join(FACT_COLUMNS)}")
            continue
        row: dict[str | None, str | None] = dict(zip(header, cells, strict=False))
        if len(cells) > len(header):
            row[None] = ",".join(cells[len(header):])
        try:
            facts.append(parse_fact_row(row, f"{where}:{reader.line_num}"))  # type: ignore[arg-type]
        except InputError as exc:
            problems.append(Problem(str(exc)))
    if header is None:
        raise InputError(f"{where}: empty facts file (no header row)")
    return facts, problems


def read_facts(data: bytes, source: str) -> Iterator[CuratedFacts | Problem]:
    """The facts of one CSV file (one CuratedFacts), then a Problem per bad row."""
    text = decode(data, source).replace("\r\n", "\n")
    facts, problems = parse_facts(text, source)
    if not facts and problems:
        yield from problems
        raise InputError(f"{source}: no usable fact ({len(problems)} bad row(s))")
    if facts:
        yield CuratedFacts(source, text, facts)
    yield from problems


def facts_document(cf: CuratedFacts) -> Document:
    """The Document node of a facts file; its id is the hash of the file's text."""
    return Document(id=document_id(cf.text), title=cf.title, source=cf.source)


def resolve_entity(name: str, type_: str, gazetteer=None) -> Entity:
    """The entity a curated name stands for: the gazetteer's, when one entry of that type has
    the name or alias, else a new one with the id of its type and name."""
    if gazetteer is not None:
        from ...extraction.names import normalize_name

        entries = [e for e in gazetteer.lookup(name) if e.type == type_]
        if not entries:
            entries = [e for e in gazetteer.lookup_normalized(normalize_name(name)) if e.type == type_]
        if len(entries) == 1:
            e = entries[0]
            aliases = sorted({*e.aliases, name} - {e.name})
            return Entity(e.id, e.name, e.type, aliases, e.kind, e.country, e.wikidata)
    return Entity(entity_id(type_, name), name, type_)


def facts_batch(cf: CuratedFacts, gazetteer=None, loaded_at: str | None = None) -> GraphBatch:
    """The graph contribution of a facts file: its Document, entities, mentions and relations."""
    doc = facts_document(cf)
    doc.loaded_at = loaded_at
    entities: dict[str, Entity] = {}
    counts: dict[str, int] = {}
    relations: dict[tuple[str, str, str], Relation] = {}

    def entity(name: str, type_: str) -> str:
        e = resolve_entity(name, type_, gazetteer)
        if e.id in entities:
            known = entities[e.id]
            known.aliases = sorted({*known.aliases, *e.aliases, name} - {known.name})
        else:
            entities[e.id] = e
        counts[e.id] = counts.get(e.id, 0) + 1
        return e.id

    for f in cf.facts:
        h, t = entity(f.head, f.head_type), entity(f.tail, f.tail_type)
        if h == t:
            continue
        sentence = f.evidence or f"{f.head} {f.relation} {f.tail}"
        evidence = f"{sentence} (curated; source: {f.source})"
        rel = relations.get((h, f.relation, t))
        if rel is None:
            relations[(h, f.relation, t)] = Relation(h, f.relation, t, f.title, [doc.id], [evidence], [], 1,
                                                     f.date, f.date, 1.0, [CURATED])
            continue
        if evidence not in rel.evidence:
            rel.evidence.append(evidence)
        rel.title = rel.title or f.title
        dates = sorted(d for d in (rel.first_seen, rel.last_seen, f.date) if d)
        rel.first_seen, rel.last_seen = (dates[0], dates[-1]) if dates else (None, None)
    return GraphBatch(documents=[doc], entities=list(entities.values()), relations=list(relations.values()),
                      mentions=[Mention(doc.id, i, n) for i, n in sorted(counts.items())])
