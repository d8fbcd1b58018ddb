"""The annotated corpus: every gold file keeps the annotation guide's shape, the corpus is large and
balanced enough to learn from and to measure on, and its split is the fixed one."""
from __future__ import annotations

import pytest
from rekg.loaders.extraction.corpus import (
    ANNOTATED_DIR,
    corpus_stats,
    iter_documents,
    problems,
    read_split,
    split_of,
)
from rekg.loaders.extraction.gazetteer import DEFAULT_GAZETTEER, read_gazetteer
from rekg.loaders.extraction.names import normalize_name

DOCUMENTS = list(iter_documents())


def known_forms() -> set[str]:
    return {normalize_name(f) for e in read_gazetteer(DEFAULT_GAZETTEER) for f in e.forms()}


@pytest.mark.parametrize("split,doc", DOCUMENTS, ids=[d.name for _, d in DOCUMENTS])
def test_gold_file_keeps_the_guide(split, doc):
    assert problems(doc) == []
    assert split_of(doc.name) == split


def test_every_text_has_its_gold_and_every_gold_its_text():
    for split in ("train", "test"):
        texts = {p.stem for p in (ANNOTATED_DIR / split).glob("*.txt")}
        golds = {p.name[: -len(".gold.json")] for p in (ANNOTATED_DIR / split).glob("*.gold.json")}
        assert texts == golds


def test_every_document_has_a_source_row():
    for split in ("train", "test"):
        rows = (ANNOTATED_DIR / split / "SOURCES.tsv").read_text(encoding="utf-8").splitlines()
        assert rows[0].split("\t") == ["name", "url", "publisher", "date", "license"]
        named = {r.split("\t")[0] for r in rows[1:]}
        assert named == {d.name for d in read_split(split)}
        assert all(r.split("\t")[1].startswith("http") for r in rows[1:])


def test_large_balanced_and_mostly_unknown_to_the_gazetteer():
    stats = corpus_stats(known_forms())
    print(stats)
    assert sum(stats.documents.values()) >= 150
    assert 0.25 <= stats.documents["test"] / sum(stats.documents.values()) <= 0.4
    assert min(stats.relations.values()) >= 50, stats.relations
    # most actors are new: the gazetteer must not learn the corpus's names (that would hide the gap)
    assert stats.unknown_share >= 0.6


def test_problems_are_found():
    from rekg.loaders.extraction.corpus import GoldDocument, GoldEntity, GoldRelation

    doc = GoldDocument("xx01_bad", "Title\n\nAcme Mining opened a plant.",
                       [GoldEntity("Acme Mining", "Organization", ("Acme",)), GoldEntity("Ghost", "Person")],
                       [GoldRelation("Acme Mining", "HOLDS_POSITION", "Ghost"),
                        GoldRelation("Acme Mining", "FUNDS", "Nobody")])
    found = problems(doc)
    assert any("'Ghost': neither" in p for p in found)
    assert not any("alias 'Acme'" in p for p in found)
    assert any("does not join Organization to Person" in p for p in found)
    assert any("without a title" in p for p in found)
    assert any("not a declared entity" in p for p in found)


def test_silver_labels_are_rebuilt_exactly_and_kept_apart_from_gold():
    import json

    from rekg.loaders.extraction.silver import SILVER_PATH, build_silver

    shipped = [json.loads(line) for line in SILVER_PATH.read_text(encoding="utf-8").splitlines()]
    assert shipped == build_silver()
    assert SILVER_PATH.parent.name == "silver"  # never inside train/ or test/
    train = {d.name for d in read_split("train")}
    assert {r["doc"] for r in shipped} == train
    rels = [r for rec in shipped for r in rec["relations"]]
    assert len(rels) >= 100 and {r["type"] for r in rels} == {"PART_OF", "LOCATED_IN"}
    texts = {d.name: d.text for d in read_split("train")}
    for rec in shipped:  # each label comes from one sentence of its own document
        assert all(r["evidence"] in texts[rec["doc"]] for r in rec["relations"])
