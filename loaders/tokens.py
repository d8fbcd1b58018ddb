"""A doc's tokens as plain Python objects, read from spaCy's arrays in one pass.

The rules look at every token several times; a spaCy `Token` is built anew on each `doc[i]`,
which costs more than the rules themselves. `Tokens(doc)[i]` costs a list lookup.
"""
from __future__ import annotations

from collections import Counter

from spacy.attrs import (
    ENT_ID,
    ENT_TYPE,
    IDX,
    IS_ALPHA,
    IS_DIGIT,
    IS_LOWER,
    IS_PUNCT,
    IS_TITLE,
    IS_UPPER,
    LIKE_NUM,
    LOWER,
    ORTH,
    SENT_START,
    SPACY,
)
from spacy.tokens import Doc

_ATTRS = [ORTH, LOWER, IS_ALPHA, IS_TITLE, IS_UPPER, IS_LOWER, IS_PUNCT, IS_DIGIT, LIKE_NUM,
          SENT_START, ENT_TYPE, ENT_ID, SPACY, IDX]


class Tok:
    """The token attributes the rules read."""

    __slots__ = ("i", "text", "lower_", "is_alpha", "is_title", "is_upper", "is_lower", "is_punct",
                 "is_digit", "like_num", "is_sent_start", "ent_type_", "ent_id_", "whitespace_",
                 "idx", "sent_start_char")

    def __len__(self) -> int:
        return len(self.text)


class Tokens:
    """`doc`'s tokens, indexable like the doc (an int gives a `Tok`, a slice a list)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self._text: str | None = None
        strings = doc.vocab.strings
        arr = doc.to_array(_ATTRS).tolist()
        toks: list[Tok] = []
        sent_char = 0
        for i, row in enumerate(arr):
            orth, lower, alpha, title, upper, low, punct, digit, num, sent, etype, eid, space, idx = row
            t = Tok()
            t.i = i
            t.text = strings[orth]
            t.lower_ = strings[lower]
            t.is_alpha, t.is_title, t.is_upper, t.is_lower = bool(alpha), bool(title), bool(upper), bool(low)
            t.is_punct, t.is_digit, t.like_num = bool(punct), bool(digit), bool(num)
            t.is_sent_start = sent == 1 or i == 0
            if t.is_sent_start:
                sent_char = idx
            t.ent_type_ = strings[etype] if etype else ""
            t.ent_id_ = strings[eid] if eid else ""
            t.whitespace_ = " " if space else ""
            t.idx = idx
            t.sent_start_char = sent_char
            toks.append(t)
        self._toks = toks
        #: whether each token is capitalized (a name may contain it): see actors._is_cap
        self.cap = [(t.text[:1].isupper() and not t.is_punct) or t.text == "&" or
                    (t.is_digit is False and t.text[:1].isdigit() and t.text[-2:] in ("st", "nd", "rd", "th")
                     and t.text[:-2].isdigit())
                    for t in toks]
        self._mid_counts: Counter | None = None

    @property
    def text(self) -> str:
        """The doc's text (built on first use: spaCy rebuilds it from the tokens each time)."""
        if self._text is None:
            self._text = self.doc.text
        return self._text

    def __len__(self) -> int:
        return len(self._toks)

    def __getitem__(self, key):
        return self._toks[key]

    def __iter__(self):
        return iter(self._toks)

    def before(self, i: int, tokens: int = 12) -> str:
        """The text of up to `tokens` tokens before token i, inside its sentence."""
        out = []
        k = i - 1
        while k >= 0 and len(out) < tokens:
            t = self._toks[k]
            out.append(t.text + t.whitespace_)
            if t.is_sent_start:
                break
            k -= 1
        return "".join(reversed(out))

    def mid_sentence_count(self, text: str) -> int:
        """How often `text` occurs as a token that does not start a sentence."""
        if self._mid_counts is None:
            self._mid_counts = Counter(t.text for t in self._toks if not t.is_sent_start)
        return self._mid_counts[text]

    def sentences(self) -> list[tuple[int, int]]:
        """(start, end) token indices of each sentence."""
        starts = [t.i for t in self._toks if t.is_sent_start]
        return list(zip(starts, [*starts[1:], len(self._toks)], strict=True))
