"""The `rekg_gazetteer_v1` component: every name and alias of the gazetteer, matched exactly
(case-sensitive) with spaCy's PhraseMatcher; each span carries its entry's id.

Longest match wins. The matches go to `doc.user_data["rekg_gazetteer"]`, not to `doc.ents`:
the actor rules that follow set the entities once, and a statistical entity that overlaps a
gazetteer match gives way there.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .gazetteer import Gazetteer
from .tokens import texts_of


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
        self.strings = texts_of(nlp.vocab.strings)

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data["rekg_gazetteer"] = self.matches(doc)
        return doc

    def matches(self, doc: Doc) -> list[tuple[int, int, str, str]]:
        """(start, end, type, id) of the gazetteer names in `doc`, longest first, no overlaps
        (the choice `spacy.util.filter_spans` makes, without building a Span per match)."""
        found = sorted(((end - start, start, end, self.strings[mid]) for mid, start, end in self.matcher(doc)),
                       key=lambda m: (-m[0], m[1]))
        taken: set[int] = set()
        chosen = []
        for _, start, end, ident in found:
            if taken.isdisjoint(range(start, end)):
                chosen.append((start, end, self.types[ident], ident))
                taken.update(range(start, end))
        return sorted(chosen)

    def spans(self, doc: Doc) -> list[Span]:
        """The gazetteer matches of `doc` as entity spans (for tests and tools)."""
        return [Span(doc, s, e, label=t, span_id=i) for s, e, t, i in self.matches(doc)]
