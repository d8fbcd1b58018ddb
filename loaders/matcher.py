"""The `rekg_gazetteer_v1` component: every name and alias of the gazetteer, matched exactly
(case-sensitive) with spaCy's PhraseMatcher; each span carries its entry's id.

Longest match wins; a statistical entity that overlaps a gazetteer match gives way.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .gazetteer import Gazetteer


class GazetteerMatcher:
    """Marks gazetteer names as entities labelled with their type and linked by their id."""

    def __init__(self, nlp: Language, gazetteer: Gazetteer) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.types: dict[str, str] = {}
        by_id: dict[str, list[str]] = {}
        for form, ids in gazetteer.by_form.items():
            if len(form) >= 2:
                by_id.setdefault(ids[0], []).append(form)
        forms = [f for fs in by_id.values() for f in fs]
        docs = iter(nlp.tokenizer.pipe(forms, batch_size=1000))
        for ident, fs in by_id.items():
            self.types[ident] = gazetteer.entries[ident].type
            self.matcher.add(ident, [next(docs) for _ in fs])
        self.strings = nlp.vocab.strings

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self.matcher(doc):
            ident = self.strings[match_id]
            spans.append(Span(doc, start, end, label=self.types[ident], span_id=ident))
        spans = filter_spans(spans)
        if doc.ents:
            taken = {i for s in spans for i in range(s.start, s.end)}
            spans += [e for e in doc.ents if not any(i in taken for i in range(e.start, e.end))]
        doc.ents = sorted(spans, key=lambda s: s.start)
        return doc
