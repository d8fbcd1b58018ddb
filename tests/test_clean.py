"""Text cleaning: the seed article's damaged punctuation, mojibake, controls, whitespace."""
from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from rekg.loaders.extraction.clean import clean_text, repair_thai_mojibake

from .conftest import SEED, need_dev_corpus


def test_seed_article_has_no_thai_left_and_keeps_names():
    need_dev_corpus()
    text = clean_text(SEED.read_text(encoding="utf-8"))
    assert "\u0e42" not in text
    assert not re.search("[\u0e00-\u0e7f]", text)
    assert "Inner Mongolia’s official Party “lecture team” has visited" in text
    assert "roadmap for 2026–2030" in text
    assert "hardening—not weakening—its" in text
    assert "© 2025 Rare Earth Exchanges™" in text


def test_apostrophe_quote_and_dash_are_told_apart():
    assert repair_thai_mojibake("the companyโs plan") == "the company’s plan"
    assert repair_thai_mojibake("it didnโt") == "it didn’t"
    assert repair_thai_mojibake("a โtestโ.") == "a “test”."
    assert repair_thai_mojibake("pages 10โ12") == "pages 10–12"


def test_real_thai_text_is_left_alone():
    thai = "โรงงานแร่หายาก"  # Thai words: Thai letters next to Thai letters
    assert repair_thai_mojibake(thai) == thai


def test_cp1252_mojibake_is_fixed():
    assert clean_text("Chinaâ€™s flagship") == "China’s flagship"


def test_controls_and_whitespace():
    assert clean_text("a\x00b\x07c\u200b  d\r\n\r\n\r\n\r\ne\t f ") == "abc d\n\ne f"


@given(st.text())
def test_clean_is_total_and_leaves_no_controls(text):
    # not idempotent in general: ftfy may read what one pass left as mojibake ("À°" -> "ˡ")
    once = clean_text(text)
    assert once == once.strip() and "\r" not in once and "\n\n\n" not in once
    assert not any(ord(c) < 32 and c != "\n" for c in once)


@given(st.text(alphabet=st.characters(codec="ascii")))
def test_clean_is_idempotent_on_ascii(text):
    once = clean_text(text)
    assert clean_text(once) == once
