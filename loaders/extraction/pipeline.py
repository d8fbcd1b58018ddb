"""The spaCy pipeline: tokenizer, sentence splitter, gazetteer EntityRuler, rules for actors
the gazetteer does not know, and (when installed) a statistical pipeline's entities.

Built by one function from a `Settings`; components are registered under versioned names.
Nothing is loaded at import time.
"""
from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy
import spacy
from spacy.attrs import IDX, IS_DIGIT, IS_TITLE, IS_UPPER, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .actors import ActorRules
from .gazetteer import load_gazetteer
from .matcher import GazetteerMatcher
from .tokens import ATTRS as TABLE_ATTRS
from .tokens import texts_of
from .vocab import NOT_NAME_START

#: Abbreviations after which a capital does not start a sentence ("Co. Ltd.", "Mr. Wang").
ABBREVIATIONS = frozenset("""
Co. Corp. Inc. Ltd. Bhd. Pty. Plc. Mr. Mrs. Ms. Dr. Prof. St. Mt. No. Nos. Gen. Col. Lt. Capt.
Sen. Rep. Gov. Jr. Sr. Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec. Calif.
Corp Dept. Govt. approx. vs. Fig. Vol.
""".split())
#: Words that after an abbreviation still start a new sentence.
SENTENCE_STARTS = NOT_NAME_START

#: Environment variable naming the statistical pipeline; "none" disables it.
MODEL_ENV = "REKG_SPACY_MODEL"
DEFAULT_MODEL = "en_core_web_sm"


@dataclass(frozen=True)
class Settings:
    """How to build the pipeline.

    `model`: a spaCy pipeline name to add statistical entities ("" or "none": rules only;
    None: `$REKG_SPACY_MODEL`, else `en_core_web_sm` when it is installed).
    """

    model: str | None = None
    gazetteer: str | None = None
    places: bool = True

    def resolved_model(self) -> str | None:
        name = self.model if self.model is not None else os.environ.get(MODEL_ENV)
        if name is None:
            return DEFAULT_MODEL if spacy.util.is_package(DEFAULT_MODEL) else None
        return None if name.lower() in ("", "none", "rules") else name


_BREAKS = re.compile(r"[.!?…\n]")
_ORTH, _IDX, _TITLE, _UPPER, _DIGIT = (TABLE_ATTRS.index(a) for a in (ORTH, IDX, IS_TITLE, IS_UPPER, IS_DIGIT))
_NOT_START = numpy.array(-1).astype("uint64")  # SENT_START -1, as the uint64 spaCy's arrays hold


@Language.component("rekg_sentences_v1")
def split_sentences(doc: Doc) -> Doc:
    """Sentence starts after '.', '!' or '?' (and closing quotes) and after every line break.

    Only the tokens at such characters are looked at: found in the text by one regex when the
    caller left it in `doc.user_data["rekg_text"]`, else by a pass over the tokens.
    """
    n = len(doc)
    if n == 0:
        return doc
    strings = texts_of(doc.vocab.strings)
    # the columns the actor rules' token table reads too: left for it in `user_data`
    arr = doc.user_data["rekg_arrays"] = doc.to_array(TABLE_ATTRS)
    orth, idx = arr[:, _ORTH].tolist(), arr[:, _IDX].tolist()
    title = arr[:, _TITLE].tolist()
    capital = (arr[:, _TITLE] | arr[:, _UPPER] | arr[:, _DIGIT]).tolist()
    text = doc.user_data.get("rekg_text")
    if text is not None:
        candidates = sorted({bisect.bisect_right(idx, m.start()) - 1 for m in _BREAKS.finditer(text)})
    else:
        candidates = [k for k, o in enumerate(orth) if _BREAKS.search(strings[o])]
    starts = numpy.full((n, 1), _NOT_START, dtype="uint64")
    starts[0, 0] = 1
    ends = (".", "!", "?", "…")
    for i in candidates:
        if i < 0 or i >= n - 1:
            continue
        tok = strings[orth[i]]
        if "\n" in tok:  # a line break is a token of its own
            starts[i + 1, 0] = 1
        elif tok in ends or (tok.endswith(".") and len(tok) > 1 and title[i + 1] and (
                (tok[-2].islower() and tok not in ABBREVIATIONS) or strings[orth[i + 1]] in SENTENCE_STARTS)):
            j = i + 1
            while j < n and strings[orth[j]] in ("”", '"', "’", "'", ")"):
                j += 1
            if j < n and (capital[j] or strings[orth[j]] in ("“", '"', "(")):
                starts[j, 0] = 1
    doc.from_array([SENT_START], starts)
    return doc


def build_pipeline(settings: Settings = Settings()) -> Language:
    """A fresh pipeline for `settings`; see `get_pipeline` for the cached one."""
    model = settings.resolved_model()
    if model:
        try:
            nlp = spacy.load(model)
        except OSError as exc:
            from rekg.graph.errors import RekgError

            raise RekgError(f"spaCy pipeline {model!r} is not installed "
                            f"(set {MODEL_ENV}=none for rules only)") from exc
        if "parser" in nlp.pipe_names:  # it keeps the sentence starts set before it
            nlp.add_pipe("rekg_sentences_v1", before="parser")
        else:
            nlp.add_pipe("rekg_sentences_v1", first=True)
        statistical = True
    else:
        nlp = spacy.blank("en")
        nlp.add_pipe("rekg_sentences_v1")
        statistical = False
    gaz = load_gazetteer(settings.gazetteer, settings.places)
    nlp.add_pipe("rekg_gazetteer_v1", config={"gazetteer": settings.gazetteer or "",
                                               "places": settings.places})
    actors = nlp.add_pipe("rekg_actors_v1", config={"statistical": statistical})
    actors.package_ids = frozenset(gaz.package_ids)
    actors.large_places = {e.id: 4 if e.kind == "country" else 3 for e in gaz.entries.values()
                           if e.type == "Place" and e.kind in ("country", "state", "province", "region")}
    nlp.meta["rekg_model"] = model or "rules"
    return nlp


@Language.factory("rekg_gazetteer_v1", default_config={"gazetteer": "", "places": True})
def make_gazetteer_matcher(nlp: Language, name: str, gazetteer: str, places: bool) -> GazetteerMatcher:
    return GazetteerMatcher(nlp, load_gazetteer(gazetteer or None, places))


@Language.factory("rekg_actors_v1", default_config={"statistical": False})
def make_actor_rules(nlp: Language, name: str, statistical: bool) -> ActorRules:
    return ActorRules(statistical=statistical)


@lru_cache(maxsize=2)
def get_pipeline(settings: Settings = Settings()) -> Language:
    """The pipeline for `settings`, built once per process."""
    return build_pipeline(settings)
