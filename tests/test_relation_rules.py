"""The relation rule table: the quick word tests (`needs`) never turn away a text the rule's
pattern accepts."""
from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rekg.loaders.extraction.relations import RULES

ROOT = Path(__file__).resolve().parent.parent
QUICK = [r for r in RULES if r.needs]


def _gaps() -> list[str]:
    """Texts between two word boundaries of the sample and test documents' sentences, up to
    260 characters: the kind of text `between` patterns see."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "corpus").glob("*.md"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "data" / "extraction").glob("*.txt"))]
    out = []
    for text in texts:
        for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
            bounds = [m.start() for m in re.finditer(r"\b[A-Z]", sentence)] + [len(sentence)]
            ends = [m.end() for m in re.finditer(r"\w\b", sentence)]
            for a in ends:
                out.extend(sentence[a:b] for b in bounds if a < b <= a + 260)
    return out


def test_some_rules_have_quick_tests() -> None:
    assert len(QUICK) >= 5


def test_quick_words_occur_in_the_patterns() -> None:
    for rule in QUICK:
        for word in rule.needs:
            assert word.split()[0] in rule.between.pattern.lower(), (rule.name, word)


def test_quick_tests_keep_every_match_in_real_text() -> None:
    gaps = _gaps()
    assert len(gaps) > 1000
    matched = 0
    for rule in QUICK:
        for gap in gaps:
            if rule.between.match(gap):
                matched += 1
                assert any(w in gap.lower() for w in rule.needs), (rule.name, gap)
    assert matched > 0  # the check saw the rules fire


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(QUICK), st.lists(st.sampled_from(
    ["the", "company", ",", "which is", "based", "in", "received", "funding", "from", "funded", "by", "its",
     "parent", "visited", "met", "with", "agreement", "signed", "an", "held at", "hosted by", "Rare", "’s",
     "toured", "at", "invitation of", "headquartered", "located", "a", "deal"]), max_size=12))
def test_quick_tests_keep_every_match_in_made_up_text(rule, words: list[str]) -> None:
    gap = " " + " ".join(words) + " "
    if rule.between.match(gap):
        assert any(w in gap.lower() for w in rule.needs), (rule.name, gap)
