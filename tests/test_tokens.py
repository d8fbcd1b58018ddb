"""The token table the actor rules read agrees with spaCy's own tokens and spans."""
from __future__ import annotations

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from rekg.loaders.extraction.pipeline import split_sentences
from rekg.loaders.extraction.tokens import Tokens

NLP = spacy.blank("en")

# words, punctuation and odd spacing: double spaces, tabs and line breaks become tokens of their own
PIECES = st.sampled_from(["Lynas", "Rare", "Earths", "(", ")", "DoD", "mcNutt", "15th", "&", "said",
                          ".", ",", "  ", "\n", "\t", " ", "GmbH.", "U.S.", "’s", "rare-earth", "3"])


def _doc(text: str):
    doc = NLP.make_doc(text)
    return split_sentences(doc)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=40).map(" ".join))
def test_table_matches_spacy_tokens(text: str) -> None:
    doc = _doc(text)
    toks = Tokens(doc)
    assert toks.texts == [t.text for t in doc]
    assert toks.sent_start == [bool(t.is_sent_start) or t.i == 0 for t in doc]
    for i, t in enumerate(doc):
        tok = toks[i]
        assert (tok.text, tok.lower_, tok.is_title, tok.is_punct, tok.idx) == (t.text, t.lower_, t.is_title,
                                                                               t.is_punct, t.idx)
    assert toks.cap_or_paren == [i for i in range(len(doc)) if toks.cap[i] or toks.texts[i] == "("]
    for start in range(len(doc)):
        for end in range(start + 1, min(len(doc), start + 4) + 1):
            assert toks.span_text(start, end) == doc[start:end].text


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=40).map(" ".join), st.integers(0, 40))
def test_before_is_the_sentence_text_before_a_token(text: str, i: int) -> None:
    doc = _doc(text)
    toks = Tokens(doc)
    i = min(i, len(doc) - 1)
    # the definition: up to 12 tokens back, stopping at the sentence start, with their spaces
    out, k = [], i - 1
    while k >= 0 and len(out) < 12:
        out.append(doc[k].text_with_ws)
        if toks.sent_start[k]:
            break
        k -= 1
    assert toks.before(i) == "".join(reversed(out))


def test_capitals_include_mixed_case_and_ampersand_not_ordinals() -> None:
    toks = Tokens(_doc("McNutt & the 15th plan of GmbH. and iPhone 3"))
    assert dict(zip(toks.texts, toks.cap, strict=True)) == {
        "McNutt": True, "&": True, "the": False, "15th": False, "plan": False, "of": False,
        "GmbH.": True, "and": False, "iPhone": False, "3": False}


def test_currencies_are_not_name_words() -> None:
    toks = Tokens(_doc("a stake in Feldon Metals for A$40 million or US$30 million"))
    caps = dict(zip(toks.texts, toks.cap, strict=True))
    assert caps["Feldon"] and caps["Metals"]
    assert not caps["A$"] and not caps["US$"]
