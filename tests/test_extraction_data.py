"""Data-driven extraction tests: each tests/data/extraction/NAME.txt beside NAME.expected.json
lists actors and relations the rules-only pipeline must find (and some it must not:
`absent_entities`, `absent_relations`)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from rekg.loaders.sources.inputs import SourceDocument

DATA = Path(__file__).parent / "data" / "extraction"
CASES = sorted(DATA.glob("*.txt"))


def names_of(entity: dict) -> set[str]:
    return {entity["name"], *entity["aliases"]}


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_extraction_case(path: Path, extractor):
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    record = extractor.extract(SourceDocument(path.read_text(encoding="utf-8"), str(path))).to_json()
    found = {(e["type"], n) for e in record["entities"] for n in names_of(e)}
    for type_, name in expected["entities"]:
        assert (type_, name) in found, f"missing {type_} {name!r}; found {sorted(found)}"
    for type_, name in expected.get("absent_entities", []):
        assert (type_, name) not in found, f"unexpected {type_} {name!r}"
    by_form = {n: e for e in record["entities"] for n in names_of(e)}
    for name, alias in expected.get("aliases", []):
        assert alias in names_of(by_form[name]), f"{alias!r} is not an alias of {name!r}"
    rels = {(by_form[r["head"]]["name"], r["type"], by_form[r["tail"]]["name"])
            for r in record["relations"] if r["type"] != "CO_MENTIONED"}
    for head, type_, tail in expected["relations"]:
        key = (by_form[head]["name"], type_, by_form[tail]["name"])
        assert key in rels, f"missing {key}; found {sorted(rels)}"
    for head, type_, tail in expected.get("absent_relations", []):
        key = (by_form[head]["name"], type_, by_form[tail]["name"])
        assert key not in rels, f"unexpected {key}"
    for r in record["relations"]:
        if r["type"] != "CO_MENTIONED":  # every stated relation shows its sentence and its rule
            assert r["evidence"] and all(r["evidence"]) and r["rules"], r
