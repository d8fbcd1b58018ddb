"""The annotated corpus: gold documents (text + what an analyst would put in the graph), its blind split.

Documents live in `data/annotated/train/` and `data/annotated/test/`, each `NAME.txt` beside
`NAME.gold.json` in the form of the shared ANNOTATION.md. Rules, vocabularies and models learn
from `train` (and the shared dev corpus); `test` is only scored.

The split is fixed by name: a document whose number (the digits after its region prefix) is
divisible by three is a test document.

>>> split_of("af07_pensana-longonjo"), split_of("cn09_quota")
('train', 'test')
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rekg.graph.errors import InputError
from rekg.graph.schema import ENTITY_TYPES, RELATION_TYPES, allows

ANNOTATED_DIR = Path(__file__).parent / "data" / "annotated"
SPLITS = ("train", "test")
_NUMBER = re.compile(r"^[a-z]+(\d+)_")


@dataclass(frozen=True)
class GoldEntity:
    """An actor as the annotator wrote it."""

    name: str
    type: str
    aliases: tuple[str, ...] = ()
    optional: bool = False

    def forms(self) -> tuple[str, ...]:
        """The name and every alias, name first."""
        return (self.name, *[a for a in self.aliases if a != self.name])


@dataclass(frozen=True)
class GoldRelation:
    head: str
    type: str
    tail: str
    title: str | None = None


@dataclass
class GoldDocument:
    """One annotated document."""

    name: str
    text: str
    entities: list[GoldEntity] = field(default_factory=list)
    relations: list[GoldRelation] = field(default_factory=list)

    def entity(self, name: str) -> GoldEntity | None:
        return next((e for e in self.entities if e.name == name), None)


def split_of(name: str) -> str:
    """'test' for a document whose number is divisible by three, else 'train'."""
    m = _NUMBER.match(name)
    if not m:
        raise ValueError(f"{name}: an annotated document's name starts with a prefix and a number")
    return "test" if int(m.group(1)) % 3 == 0 else "train"


def read_document(gold_path: Path) -> GoldDocument:
    """Read `NAME.gold.json` and its `NAME.txt`; InputError naming the file when either is unusable."""
    name = gold_path.name[: -len(".gold.json")]
    try:
        raw = json.loads(gold_path.read_text(encoding="utf-8"))
        text = gold_path.with_name(name + ".txt").read_text(encoding="utf-8")
        entities = [GoldEntity(e["name"], e["type"], tuple(e.get("aliases") or ()), bool(e.get("optional")))
                    for e in raw["entities"]]
        relations = [GoldRelation(r["head"], r["type"], r["tail"], r.get("title")) for r in raw["relations"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{gold_path}: unusable gold document ({exc})") from exc
    return GoldDocument(name, text, entities, relations)


def read_split(split: str, root: Path = ANNOTATED_DIR) -> list[GoldDocument]:
    """Every document of one split, in name order."""
    return [read_document(p) for p in sorted((root / split).glob("*.gold.json"))]


def iter_documents(root: Path = ANNOTATED_DIR) -> Iterator[tuple[str, GoldDocument]]:
    """(split, document) for the whole corpus."""
    for split in SPLITS:
        for doc in read_split(split, root):
            yield split, doc


def problems(doc: GoldDocument) -> list[str]:
    """What breaks the annotation guide's shape in `doc` (empty when none).

    Types from the vocabulary, every name and alias in the text, every relation end declared,
    relation ends of the types the relation allows, a title on every HOLDS_POSITION.
    """
    out = []
    if "\n\n" not in doc.text[:400]:
        out.append("the text starts with a title line, a blank line, then the body")
    names = {}
    for e in doc.entities:
        if e.type not in ENTITY_TYPES:
            out.append(f"entity {e.name!r}: unknown type {e.type!r}")
        if e.name in names:
            out.append(f"entity {e.name!r} declared twice")
        names[e.name] = e
        if not any(f in doc.text for f in e.forms()):
            out.append(f"entity {e.name!r}: neither its name nor an alias occurs in the text")
        out.extend(f"entity {e.name!r}: alias {a!r} does not occur in the text"
                   for a in e.aliases if a not in doc.text)
    seen = set()
    for r in doc.relations:
        key = (r.head, r.type, r.tail)
        if r.type not in RELATION_TYPES:
            out.append(f"relation {key}: unknown type")
            continue
        head, tail = names.get(r.head), names.get(r.tail)
        if head is None or tail is None:
            out.append(f"relation {key}: an end is not a declared entity")
            continue
        if not allows(r.type, head.type, tail.type):
            out.append(f"relation {key}: {r.type} does not join {head.type} to {tail.type}")
        if r.type == "HOLDS_POSITION" and not r.title:
            out.append(f"relation {key}: HOLDS_POSITION without a title")
        if key in seen:
            out.append(f"relation {key}: stated twice")
        seen.add(key)
    return out


@dataclass
class CorpusStats:
    """Size and balance of the corpus, and how much of it the gazetteer already knows."""

    documents: dict[str, int]
    relations: dict[str, int]
    actors: int
    unknown_actors: int

    @property
    def unknown_share(self) -> float:
        return self.unknown_actors / self.actors if self.actors else 0.0

    def __str__(self) -> str:
        docs = ", ".join(f"{n} {s}" for s, n in self.documents.items())
        rels = ", ".join(f"{t} {n}" for t, n in sorted(self.relations.items()))
        return (f"annotated corpus: {sum(self.documents.values())} documents ({docs}); gold relations: {rels}; "
                f"actors absent from the gazetteer: {self.unknown_actors}/{self.actors} ({self.unknown_share:.0%})")


def corpus_stats(known_forms: set[str], root: Path = ANNOTATED_DIR) -> CorpusStats:
    """Count documents per split, gold relations per type, and non-optional actors none of whose
    forms is in `known_forms` (normalized with `names.normalize_name`)."""
    from .names import normalize_name

    documents = {s: 0 for s in SPLITS}
    relations = dict.fromkeys(RELATION_TYPES, 0)
    actors = unknown = 0
    for split, doc in iter_documents(root):
        documents[split] += 1
        for r in doc.relations:
            relations[r.type] = relations.get(r.type, 0) + 1
        for e in doc.entities:
            if e.optional:
                continue
            actors += 1
            unknown += not any(normalize_name(f) in known_forms for f in e.forms())
    return CorpusStats(documents, relations, actors, unknown)
