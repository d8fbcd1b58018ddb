"""Silver labels: what the gazetteer already knows, laid over the train texts as distant labels.

Two actors the gazetteer links (a company and its `parent`: PART_OF; an actor and the country of
its `country` code, a place and its `parent` place: LOCATED_IN) named in one sentence of a train
document make a silver relation. A silver label says the link is true in the world, not that the
sentence states it: it is weaker evidence than gold, kept in its own file
(`data/annotated/silver/train.jsonl`) and never mixed into the gold files or scored.

Rebuilt by `python -m rekg.loaders.extraction.silver` (part of `make train`).
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from .corpus import ANNOTATED_DIR, GoldDocument, read_split
from .gazetteer import Gazetteer, GazetteerEntry, load_gazetteer

SILVER_PATH = ANNOTATED_DIR / "silver" / "train.jsonl"
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z“\"(])|\n+")


def _mentions(sentence: str, gaz: Gazetteer, pattern: re.Pattern[str]) -> list[GazetteerEntry]:
    found: dict[str, GazetteerEntry] = {}
    for m in pattern.finditer(sentence):
        for entry in gaz.lookup(m.group(0)):
            found.setdefault(entry.id, entry)
    return list(found.values())


def _form_pattern(gaz: Gazetteer) -> re.Pattern[str]:
    forms = sorted({f for e in gaz.entries.values() for f in e.forms() if len(f) >= 3}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, forms)) + r")(?![\w-])")


def silver_relations(doc: GoldDocument, gaz: Gazetteer, pattern: re.Pattern[str] | None = None) -> Iterator[dict]:
    """The gazetteer's links between actors named in one sentence of `doc`."""
    pattern = pattern or _form_pattern(gaz)
    countries = {e.country: e for e in gaz.entries.values() if e.kind == "country" and e.country}
    seen = set()
    for sentence in (s.strip() for s in _SENTENCE_BREAK.split(doc.text)):
        ents = _mentions(sentence, gaz, pattern)
        ids = {e.id for e in ents}
        for a in ents:
            links = []
            if a.parent and a.parent in ids:
                b = gaz[a.parent]
                if a.type == b.type == "Organization":
                    links.append(("PART_OF", b, "gazetteer:parent"))
                elif a.type == b.type == "Place":
                    links.append(("LOCATED_IN", b, "gazetteer:parent"))
            country = countries.get(a.country or "")
            if country is not None and country.id in ids and country.id != a.id and a.type in ("Organization",
                                                                                                 "Place"):
                links.append(("LOCATED_IN", country, "gazetteer:country"))
            for rel, b, source in links:
                key = (a.id, rel, b.id)
                if key not in seen:
                    seen.add(key)
                    yield {"head": a.name, "type": rel, "tail": b.name, "evidence": sentence, "source": source}


def build_silver(root: Path = ANNOTATED_DIR, gaz: Gazetteer | None = None) -> list[dict]:
    """One record per train document: its silver relations."""
    gaz = gaz or load_gazetteer()
    pattern = _form_pattern(gaz)
    return [{"doc": d.name, "relations": list(silver_relations(d, gaz, pattern))} for d in read_split("train", root)]


def write_silver(path: Path = SILVER_PATH) -> int:
    """Write the silver labels of the train split; the number of relations written."""
    records = build_silver()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return sum(len(r["relations"]) for r in records)


if __name__ == "__main__":
    print(f"{write_silver()} silver relations written to {SILVER_PATH}")
