"""The spaCy pipeline: tokenizer, sentence splitter, gazetteer EntityRuler, rules for actors
the gazetteer does not know, and (when installed) a statistical pipeline's entities.

Built by one function from a `Settings`; components are registered under versioned names.
Nothing is loaded at import time.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .actors import ActorRules
from .gazetteer import load_gazetteer
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


@Language.component("rekg_sentences_v1")
def split_sentences(doc: Doc) -> Doc:
    """Sentence starts after '.', '!' or '?' (and closing quotes) and after every line break."""
    starts = [False] * len(doc)
    if len(doc):
        starts[0] = True
    for i, tok in enumerate(doc[:-1]):
        nxt = doc[i + 1]
        if "\n" in tok.text or "\n" in tok.whitespace_:
            starts[i + 1] = True
        elif tok.text in (".", "!", "?", "…") or (tok.text.endswith(".") and len(tok) > 1 and nxt.is_title and (
                (tok.text[-2].islower() and tok.text not in ABBREVIATIONS) or nxt.text in SENTENCE_STARTS)):
            j = i + 1
            while j < len(doc) and doc[j].text in ("”", '"', "’", "'", ")"):
                j += 1
            if j < len(doc) and (doc[j].is_title or doc[j].is_upper or doc[j].is_digit
                                 or doc[j].text in ("“", '"', "(")):
                starts[j] = True
    for tok, start in zip(doc, starts, strict=True):
        tok.is_sent_start = start
    return doc


def build_pipeline(settings: Settings = Settings()) -> Language:
    """A fresh pipeline for `settings`; see `get_pipeline` for the cached one."""
    model = settings.resolved_model()
    if model:
        try:
            nlp = spacy.load(model, exclude=["lemmatizer"])
        except OSError as exc:
            from graph.errors import RekgError

            raise RekgError(f"spaCy pipeline {model!r} is not installed "
                            f"(set {MODEL_ENV}=none for rules only)") from exc
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("rekg_sentences_v1", before="parser")
            nlp.disable_pipe("parser")
        else:
            nlp.add_pipe("rekg_sentences_v1", first=True)
        statistical = True
    else:
        nlp = spacy.blank("en")
        nlp.add_pipe("rekg_sentences_v1")
        statistical = False
    gaz = load_gazetteer(settings.gazetteer, settings.places)
    ruler = nlp.add_pipe("entity_ruler", name="rekg_gazetteer",
                         config={"overwrite_ents": True, "validate": False})
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(gaz.patterns())
    actors = nlp.add_pipe("rekg_actors_v1", config={"statistical": statistical})
    actors.package_ids = frozenset(gaz.package_ids)
    actors.large_places = {e.id: 4 if e.kind == "country" else 3 for e in gaz.entries.values()
                           if e.type == "Place" and e.kind in ("country", "state", "province", "region")}
    nlp.meta["rekg_model"] = model or "rules"
    return nlp


@Language.factory("rekg_actors_v1", default_config={"statistical": False})
def make_actor_rules(nlp: Language, name: str, statistical: bool) -> ActorRules:
    return ActorRules(statistical=statistical)


@lru_cache(maxsize=2)
def get_pipeline(settings: Settings = Settings()) -> Language:
    """The pipeline for `settings`, built once per process."""
    return build_pipeline(settings)
