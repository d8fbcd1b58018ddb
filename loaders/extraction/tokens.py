"""A doc's tokens as plain Python values, read from spaCy's arrays in one pass.

The rules look at every token several times; a spaCy `Token` is built anew on each `doc[i]`,
which costs more than the rules themselves. Here the attributes sit in parallel lists, and
`Tokens(doc)[i]` builds a small `Tok` only for the tokens the rules look at closely.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import numpy
from spacy.attrs import (
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
from spacy.strings import StringStore, hash_string
from spacy.tokens import Doc

#: The columns of the table (sentence starts are read apart: a parser may move them later).
ATTRS = [ORTH, LOWER, IS_ALPHA, IS_TITLE, IS_UPPER, IS_LOWER, IS_PUNCT, IS_DIGIT, LIKE_NUM, SPACY, IDX]
_PAREN = hash_string("(")
_CURRENCY = re.compile(r"[$€£¥₹]")


class _Texts(dict):
    """String id -> text, asked of the StringStore once per id (it decodes anew each time)."""

    def __init__(self, strings: StringStore) -> None:
        super().__init__()
        self.strings = strings

    def __missing__(self, key: int) -> str:
        value = self[key] = self.strings[key]
        return value


_TEXTS: list[_Texts] = []


def texts_of(strings: StringStore) -> _Texts:
    """The text of each string id of `strings`, as a dict filled on first use (the few latest
    stores kept): `texts_of(doc.vocab.strings)[token.orth]` without a decode per look-up."""
    for cache in _TEXTS:
        if cache.strings is strings:
            return cache
    _TEXTS.insert(0, _Texts(strings))
    del _TEXTS[4:]
    return _TEXTS[0]


class Tok:
    """The token attributes the rules read."""

    __slots__ = ("i", "text", "lower_", "is_alpha", "is_title", "is_upper", "is_lower", "is_punct",
                 "is_digit", "like_num", "is_sent_start", "ent_type_", "ent_id_", "whitespace_",
                 "idx")

    def __len__(self) -> int:
        return len(self.text)


class Tokens:
    """`doc`'s tokens, indexable like the doc (an int gives a `Tok`, a slice a list).

    `entities` are (start, end, type, id) tuples: the types and ids tokens report. `arrays` is
    `doc.to_array(ATTRS)` when the caller has it already (the sentence splitter reads it).
    """

    def __init__(self, doc: Doc, entities: Iterable[tuple[int, int, str, str]] = (),
                 arrays: numpy.ndarray | None = None) -> None:
        self.doc = doc
        self._text: str | None = None
        self._strings = strings = texts_of(doc.vocab.strings)
        arr = doc.to_array(ATTRS) if arrays is None else arrays
        cols = [arr[:, k].tolist() for k in range(len(ATTRS))] if len(doc) else [[] for _ in ATTRS]
        (orth, lower, self._alpha, self._title, self._upper, self._low, self._punct, self.digit,
         self._num, self.space, self.idx) = cols
        self.texts = texts = list(map(strings.__getitem__, orth))
        self._lower_ids = lower
        column = dict(zip(ATTRS, arr.T, strict=True)) if len(doc) else {}
        self.sent_start = (doc.to_array(SENT_START) == 1).tolist() if len(doc) else []
        if self.sent_start:
            self.sent_start[0] = True
        self._entities = {i: (label, ident) for start, end, label, ident in entities for i in range(start, end)}
        #: whether each token is capitalized (a name may contain it): title or upper case words
        #: from the arrays; the few caseless or mixed ones ("McNutt", "GmbH.") and "&" by hand (an
        #: ordinal is lower case: "15th" joins no name run, or "the 15th … Congress" would swallow more);
        #: a currency ("A$") is not a name word
        cap: list[bool] = []
        #: the indices of the capitalized tokens and of "(" (where the actor rules look for names)
        self.cap_or_paren: list[int] = []
        if len(doc):
            title, upper = column[IS_TITLE], column[IS_UPPER]
            is_cap = ((title | upper) != 0) & (column[IS_PUNCT] == 0)
            punct = self._punct
            for i in numpy.flatnonzero((title | upper | column[IS_LOWER]) == 0).tolist():
                t = texts[i]
                is_cap[i] = (t[:1].isupper() and not punct[i]) or t == "&"
            for i in numpy.flatnonzero(is_cap & (column[IS_ALPHA] == 0)).tolist():
                if _CURRENCY.search(texts[i]):  # "A$", "US$", "HK$": an amount follows, not a name
                    is_cap[i] = False
            cap = is_cap.tolist()
            self.cap_or_paren = numpy.flatnonzero(is_cap | (column[ORTH] == _PAREN)).tolist()
        self.cap = cap
        self._toks: list[Tok | None] = [None] * len(texts)
        self._mid_counts: Counter | None = None

    def _make(self, i: int) -> Tok:
        strings = self._strings
        t = Tok()
        t.i = i
        t.text = self.texts[i]
        t.lower_ = strings[self._lower_ids[i]]
        t.is_alpha, t.is_title = bool(self._alpha[i]), bool(self._title[i])
        t.is_upper, t.is_lower = bool(self._upper[i]), bool(self._low[i])
        t.is_punct, t.is_digit, t.like_num = bool(self._punct[i]), bool(self.digit[i]), bool(self._num[i])
        t.is_sent_start = self.sent_start[i]
        t.ent_type_, t.ent_id_ = self._entities.get(i, ("", ""))
        t.whitespace_ = " " if self.space[i] else ""
        t.idx = self.idx[i]
        self._toks[i] = t
        return t

    @property
    def text(self) -> str:
        """The doc's text: the one the caller left in `doc.user_data["rekg_text"]`, else built
        on first use (spaCy rebuilds it from the tokens each time)."""
        if self._text is None:
            self._text = self.doc.user_data.get("rekg_text") or self.doc.text
        return self._text

    def span_chars(self, start: int, end: int) -> tuple[int, int]:
        """The character offsets of tokens start..end (not empty), trailing space left out."""
        return self.idx[start], self.idx[end - 1] + len(self.texts[end - 1])

    def span_text(self, start: int, end: int) -> str:
        """The text of tokens start..end, as `doc[start:end].text` gives it (without making
        a Token per token)."""
        if end <= start:
            return ""
        first, last = self.span_chars(start, end)
        return self.text[first:last]

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, key):
        if key.__class__ is int:
            tok = self._toks[key]  # IndexError past either end, as for a list
            return tok if tok is not None else self._make(key % len(self._toks))
        return [self[i] for i in range(*key.indices(len(self.texts)))]

    def __iter__(self):
        return (self[i] for i in range(len(self.texts)))

    def before(self, i: int, tokens: int = 12) -> str:
        """The text of up to `tokens` tokens before token i, inside its sentence."""
        first, k = i, i - 1
        while k >= 0 and i - k <= tokens:
            first = k
            if self.sent_start[k]:
                break
            k -= 1
        end = self.idx[i] if i < len(self.idx) else len(self.text)
        return self.text[self.idx[first]:end] if first < i else ""

    def mid_sentence_count(self, text: str) -> int:
        """How often `text` occurs as a token that does not start a sentence."""
        if self._mid_counts is None:
            self._mid_counts = Counter(t for t, s in zip(self.texts, self.sent_start, strict=True) if not s)
        return self._mid_counts[text]

    def sentences(self) -> list[tuple[int, int]]:
        """(start, end) token indices of each sentence."""
        starts = [i for i, s in enumerate(self.sent_start) if s]
        return list(zip(starts, [*starts[1:], len(self.texts)], strict=True))

    def is_headline(self, start: int, end: int) -> bool:
        """A title-case line ("Department of Energy Announces $30 Million for …"), where
        capitals do not mark names; headlines rarely end with a full stop."""
        last = end - 1
        while last > start and self.texts[last].isspace():  # a line break closes many sentences
            last -= 1
        if end <= start or self.texts[last] in (".", "!", "?", "”", '"') or end - start < 4:
            return False
        long_words = [i for i in range(start, end) if self._alpha[i] and len(self.texts[i]) > 3]
        if len(long_words) < 4:
            return False
        return sum(1 for i in long_words if self.cap[i]) >= 0.75 * len(long_words)
