"""Stable ids from natural keys."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rekg.graph.ids import document_id, entity_id, slugify


def test_entity_id_is_type_and_slug():
    assert entity_id("Person", "Du Fenglian") == "person/du-fenglian"
    assert entity_id("Place", "Sillamäe") == "place/sillamae"
    assert entity_id("Policy", "15th Five-Year Plan") == "policy/15th-five-year-plan"


def test_same_name_same_id_different_type_different_id():
    assert entity_id("Organization", "Lynas") == entity_id("Organization", "LYNAS")
    assert entity_id("Organization", "Lynas") != entity_id("Place", "Lynas")


def test_names_without_latin_letters_still_get_distinct_ids():
    a, b = entity_id("Organization", "北方稀土"), entity_id("Organization", "中国稀土")
    assert a != b and a.startswith("organization/u-")


def test_document_id_depends_on_text_only():
    assert document_id("abc") == document_id("abc") != document_id("abd")


@given(st.text())
def test_slug_is_url_safe(text):
    s = slugify(text)
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in s)
    assert not s.startswith("-") and not s.endswith("-")
