"""One document in, what it states out: its actors (with every surface form) and the relations
its sentences state, each with evidence and the rule that fired. No cross-document merging
here; that is `resolve`'s job.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rekg.graph.ids import document_id
from rekg.graph.model import Document
from rekg.graph.schema import CO_MENTIONED, allows
from spacy.language import Language

from ..sources.inputs import SourceDocument
from .actors import new_key
from .clean import clean_text
from .deps import find_dependency_relations
from .gazetteer import Gazetteer
from .names import POSSESSIVE, normalize_name
from .relations import find_relations
from .vocab import DESCRIPTORS, GENERIC_WORDS, NOT_NAME_START, ORG_HEADS, PERSON_VERBS

#: How large a place is, by kind: a place lies in a larger one ("Baotou, Inner Mongolia"),
#: never in a smaller or equal one ("Washington, Tokyo").
PLACE_RANK = {"mine": 0, "deposit": 0, "plant site": 0, "industrial park": 0, "site": 0,
              "geographic feature": 1, "river": 1, "city": 1, "town": 1, "county": 2,
              "district": 2, "prefecture": 2, "region": 3, "state": 3, "province": 3,
              "country": 4, "continent": 5}
#: Rules that join two places and need their sizes to agree.
_PLACE_PAIR_RULES = ("located.place-comma-place", "located.place-in-place", "located.place-s-place",
                     "located.comma-country-s-place")
#: Words a document uses to refer back to a delegation or team it named.
_TEAM_WORDS = ("delegation", "team", "mission")

_QUOTES = "“”\"‘’'"
#: Noun phrases that refer back to the policy a document named last.
_POLICY_ANAPHORA = re.compile(r"\b([Tt]he (?:plan|order|regulations|act|law|quotas|quota system|measures|controls|"
                              r"program|programme|strategy|directive|rules|ban|tariffs|scheme|initiative|"
                              r"executive order))\b(?!\s+(?:of|on|for)\b)")
#: Noun phrases that refer back to the organization a document is about.
_COMPANY_ANAPHORA = re.compile(r"\b([Tt]he (?:(?:rare[- ]earths? |Australian |Chinese |American |US |U\.S\. |"
                               r"state-owned |listed |[\w-]+-based )?(?:[Cc]ompany|[Gg]roup|[Ff]irm|[Mm]iner|"
                               r"[Pp]roducer|[Cc]orporation)))(?:’s|'s)?(?!\s+[A-Z])")
#: "Under Secretary of Energy", "Minister of Commerce" right before a name.
_OF_TITLE = re.compile(r"(?P<title>(?:[A-Z][\w-]*\s+){0,2}(?:Secretary|Minister|Director|Administrator|"
                       r"Commissioner|Chairman|Chair|Head|Governor) of (?:the )?(?P<domain>[A-Z][A-Za-z]+"
                       r"(?: (?:and )?[A-Z][A-Za-z]+){0,3}))\s*,?\s*(?:(?:Dr|Mr|Ms|Mrs|Prof)\.?\s+)?$")
#: "X is the Minister of Commerce", "X, Secretary of the Interior": the title after the name.
_OF_TITLE_AFTER = re.compile(r"^\s*(?:,\s*(?:the\s+)?|\s+(?:is|was|has been|serves as|became)\s+(?:the\s+)?)"
                             r"(?P<title>(?:[A-Z][\w-]*\s+){0,2}(?:Secretary|Minister|Director|Administrator|"
                             r"Commissioner|Chairman|Chair|Head|Governor) of (?:the )?(?P<domain>[A-Z][A-Za-z]+"
                             r"(?: (?:and )?[A-Z][A-Za-z]+){0,3}))")
#: A company title right before a name, with no organization named ("said CEO Thras Moraitis").
_BARE_TITLE = re.compile(r"(?:^|[\s,“\"(])(?P<title>(?:[Cc]hief [Ee]xecutive(?: [Oo]fficer)?|CEO|COO|CFO|CTO|"
                         r"[Cc]hairman|[Cc]hairwoman|[Mm]anaging [Dd]irector|[Ff]ounder|[Pp]resident|"
                         r"[Cc]hief [Ff]inancial [Oo]fficer|[Cc]hief [Oo]perating [Oo]fficer))"
                         r"\s*,?\s*(?:(?:Dr|Mr|Ms|Mrs|Prof)\.?\s+)?$")
_STAKE = re.compile(r"\b(?:biggest|largest|major|main|controlling|majority) (?:shareholder|owner|investor)\b|"
                    r"\b(?:holds?|with|has|have|own|owns|control|controls) (?:a |an )?[\d.]+\s?% "
                    r"(?:stake|interest|share)?",
                    re.I)
_STAKE_NOUN = re.compile(r"holder|owner|investor")  # in _STAKE's first branch (on lower case text)
_STAKE_IN = re.compile(r"\b(?:stake|interest|share|shareholder|owner|investor)s? (?:in|of) (?:the )?[A-Z]")
#: Names of works an organization runs.
_WORKS = re.compile(r"\b(?:Plant|Refinery|Facility|Complex|Works|Smelter|complex|plant|refinery)$")
#: ", its Group company", ", a wholly owned subsidiary": a unit of the focal organization.
_ITS_UNIT = re.compile(r"^\s*(?:\([^()]{1,40}\))?\s*,\s*(?:its|a|the company's|the company’s)\s+(?:wholly[- ]owned |"
                       r"majority[- ]owned |[\w-]+ ){0,2}(?:subsidiary|group company|unit|affiliate|division|arm)\b",
                       re.I)
#: Head words of place names and the kind they tell.
_PLACE_KIND_WORDS = {"county": "county", "district": "district", "prefecture": "prefecture",
                     "township": "district", "province": "province", "state": "state",
                     "region": "region", "territory": "region", "city": "city", "town": "city",
                     "village": "city", "mine": "mine", "deposit": "deposit", "project": "mine",
                     "complex": "plant site", "park": "industrial park", "zone": "industrial park",
                     "estate": "industrial park", "plant": "plant site", "area": "industrial park"}

#: Text is fed to spaCy in chunks of about this many characters, cut at line ends.
CHUNK_CHARS = 20_000
@dataclass
class ExtractedEntity:
    """An actor as one document names it."""

    key: str
    type: str
    forms: Counter = field(default_factory=Counter)
    name: str | None = None
    kind: str | None = None
    country: str | None = None
    wikidata: str | None = None
    gazetteer_id: str | None = None

    @property
    def count(self) -> int:
        return sum(self.forms.values())

    def canonical(self) -> str:
        if self.name:
            return self.name
        return max(self.forms, key=lambda f: (len(f.split()), self.forms[f], len(f)))

    def fullest_form(self) -> str:
        """The longest name the document itself gives (the canonical one if it gives none)."""
        forms = [f for f in self.forms if f[:1].isupper() or f[:1].isdigit()]
        return max(forms, key=lambda f: (len(f), self.forms[f])) if forms else self.canonical()

    def aliases(self) -> list[str]:
        name = self.canonical()
        return sorted(f for f in self.forms if f != name)


@dataclass
class ExtractedRelation:
    """A relation one document states, with the sentences that state it."""

    head: str
    type: str
    tail: str
    evidence: list[str] = field(default_factory=list)
    rules: set[str] = field(default_factory=set)
    confidence: float = 0.0
    title: str | None = None
    count: int = 0
    head_text: str | None = None  # how the first stating sentence names each end
    tail_text: str | None = None


@dataclass
class Extraction:
    """What one document states, before cross-document merging."""

    document: Document
    entities: dict[str, ExtractedEntity] = field(default_factory=dict)
    relations: dict[tuple[str, str, str], ExtractedRelation] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The `rekg extract --format jsonl` record (see DESIGN.md and eval/score.py)."""
        ents = self.entities
        return {
            "doc": self.document.source,
            "id": self.document.id,
            "title": self.document.title,
            "entities": [
                {"name": e.canonical(), "type": e.type, "aliases": e.aliases(), "id": e.gazetteer_id,
                 "kind": e.kind, "country": e.country, "mentions": e.count}
                for e in sorted(ents.values(), key=lambda e: (e.type, e.canonical()))
            ],
            "relations": [
                {"head": r.head_text or ents[r.head].fullest_form(), "type": r.type,
                 "tail": r.tail_text or ents[r.tail].fullest_form(),
                 "title": r.title, "evidence": r.evidence[:3], "rules": sorted(r.rules),
                 "confidence": r.confidence, "count": r.count}
                for r in self.relations.values()
            ],
        }


@lru_cache(maxsize=100_000)
def _form(text: str) -> str:
    """A surface form as an alias: no possessive, no quotes."""
    form = POSSESSIVE.sub("", text.strip(_QUOTES)).strip(_QUOTES).strip()
    return re.sub("[“”\"]", "", form) if form.count(" ") else form  # 'Party “lecture team', not O'Leary


def _as_name(mention: str | None) -> str | None:
    """A mention's text as a name for a relation end; None for "the company" and the like."""
    if not mention:
        return None
    mention = POSSESSIVE.sub("", mention.strip(_QUOTES)).strip()
    return None if mention[:4].lower() == "the " or not mention[:1].isupper() and not mention[:1].isdigit() \
        else mention


def _entities(doc, text: str) -> list[tuple[int, int, str, str, str, int, int]]:
    """(start char, end char, label, id, text, start token, end token) of each entity, as the
    actor rules left them (reading them back from the doc costs more)."""
    return [(start, end, label, ident, text[start:end], s, e)
            for start, end, label, ident, s, e in doc.user_data["rekg_entities"]]


def _sentence_bounds(doc, text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of the sentences of `doc` (made from `text`), trailing
    spaces left out. (`doc.text` is rebuilt from the tokens on every call: pass the text.)
    The starts are those the actor rules left."""
    starts = doc.user_data["rekg_sentence_starts"]
    ends = [*starts[1:], len(text)]
    return [(s, s + len(text[s:e].rstrip())) for s, e in zip(starts, ends, strict=True)]


def _chunks(text: str) -> list[tuple[int, str]]:
    """(offset, piece) pairs no longer than CHUNK_CHARS, cut at line ends or spaces."""
    out = []
    start = 0
    while start < len(text):
        end = min(len(text), start + CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            if cut <= start:
                cut = text.rfind(". ", start, end)
                cut = cut + 1 if cut > start else text.rfind(" ", start, end)
            if cut > start:
                end = cut
        out.append((start, text[start:end]))
        start = end
    return out


class Extractor:
    """Runs the pipeline over documents and turns spans into entities and relations."""

    def __init__(self, nlp: Language, gazetteer: Gazetteer) -> None:
        self.nlp = nlp
        self.gaz = gazetteer
        self.has_parser = "parser" in nlp.pipe_names  # enabled: dependency patterns add relations

    def document_for(self, src: SourceDocument, text: str) -> Document:
        return Document(id=document_id(text), title=src.title or src.source, source=src.source,
                        publisher=src.publisher, published=src.published)

    def extract(self, src: SourceDocument) -> Extraction:
        """Extract one source document."""
        text = clean_text(src.text)
        out = Extraction(self.document_for(src, text))
        if not text:
            out.warnings.append(f"{src.source}: empty document")
            return out
        sentences: list[tuple[str, list[tuple[int, int, str, str]]]] = []
        dep_found: list[tuple[str, str, str, str, str, str, str]] = []
        for _offset, piece in _chunks(text):
            doc = self.nlp.make_doc(piece)
            doc.user_data["rekg_text"] = piece  # components find characters in it faster than in tokens
            doc = self.nlp(doc)
            names = doc.user_data.get("rekg_names", {})
            # sentence char bounds and entities read once each: a Span is costly to make
            bounds = _sentence_bounds(doc, piece)
            ents = _entities(doc, piece)
            k = 0
            for s_start, s_end in bounds:
                ments = []
                while k < len(ents) and ents[k][0] < s_end:
                    start, end, label, ident, ent_text, _, _ = ents[k]
                    key = ident or new_key(label, ent_text)
                    ments.append((start - s_start, end - s_start, label, key))
                    self._add_form(out, key, label, ent_text, names.get(key))
                    k += 1
                sentences.append((piece[s_start:s_end], ments))
            if self.has_parser:
                dep_found.extend(self._dependency_relations(doc, piece, ents, bounds))
        if len(text) > 200 and not out.entities and sum(c.isascii() for c in text) < len(text) / 2:
            out.warnings.append(f"{src.source}: no actors found; the text may not be English")
        remap = self._merge_within(out)
        sentences = self._surname_mentions(out, sentences, remap)
        sentences = self._repeat_mentions(out, sentences, remap)
        sentences = self._short_form_mentions(out, sentences, remap)
        sentences = self._company_mentions(out, sentences, remap)
        self._infer_place_kinds(out)
        last_team: str | None = None
        prev_subject: str | None = None  # the first organization of the previous sentence
        focal = self.focal(out)
        last_policy: str | None = None
        for sent_text, ments in sentences:
            ments = [(s, e, t, remap.get(k, k)) for s, e, t, k in ments]
            if last_policy is not None:
                ments = self._policy_anaphora(sent_text, ments, last_policy)
            self._led_by(out, sent_text, ments, last_team)
            self._relations(out, sent_text, ments)
            self._titles_without_org(out, sent_text, ments, focal, prev_subject)
            self._stakes_without_object(out, sent_text, ments, focal)
            self._its_unit(out, sent_text, ments, focal)
            for _, _, t, k in ments:
                if t == "Organization" and out.entities[k].canonical().split()[-1].lower() in _TEAM_WORDS:
                    last_team = k
            prev_subject = next((k for _, _, t, k in ments if t == "Organization"), None)
            last_policy = next((k for _, _, t, k in reversed(ments) if t == "Policy"), last_policy)
        self._name_relations(out, sentences, remap)
        for hk, rel, tk, evidence, rule, htext, ttext in dep_found:
            hk, tk = remap.get(hk, hk), remap.get(tk, tk)
            if self._may_state(out, hk, rel, tk, out.entities[hk].type, out.entities[tk].type):
                self._add_relation(out, hk, rel, tk, evidence, rule, 0.7, None, htext, ttext)
        return out

    def _dependency_relations(self, doc, piece: str, ents, bounds):
        """Relations a verb states between two entities, when the pipeline parses."""
        keys = [ident or new_key(label, ent_text) for _, _, label, ident, ent_text, _, _ in ents]
        out = []
        for f in find_dependency_relations(doc, [(s, e) for *_, s, e in ents]):
            at = doc[f.verb].idx
            s_start, s_end = next(((a, b) for a, b in bounds if a <= at < b), (0, len(piece)))
            out.append((keys[f.head], f.relation, keys[f.tail], piece[s_start:s_end].strip(), f.rule,
                        ents[f.head][4], ents[f.tail][4]))
        return out

    def _add_form(self, out: Extraction, key: str, label: str, form: str,
                  name: str | None = None) -> None:
        form = _form(form)
        ent = out.entities.get(key)
        if ent is None:
            ent = ExtractedEntity(key=key, type=label, name=name)
            entry = self.gaz.get(key)
            if entry is not None:
                ent.name, ent.kind, ent.country, ent.wikidata = (entry.name, entry.kind,
                                                                 entry.country, entry.wikidata)
                ent.gazetteer_id = entry.id
            out.entities[key] = ent
        ent.forms[form] += 1

    def _merge_within(self, out: Extraction) -> dict[str, str]:
        """Merge one document's new actors that are forms of one another or of a known one:
        "Lynas USA" and "Lynas USA, LLC"; "Lynas Rare Earths Ltd." and the gazetteer's entry."""
        remap: dict[str, str] = {}
        by_norm: dict[tuple[str, str], str] = {}
        for key, ent in out.entities.items():
            if ent.gazetteer_id:
                for f in [*ent.forms, ent.name or ""]:
                    by_norm.setdefault((ent.type, normalize_name(f)), key)
        for key, ent in list(out.entities.items()):
            if ent.gazetteer_id:
                continue
            target = None
            for f in ent.forms:
                n = normalize_name(f)
                target = by_norm.get((ent.type, n))
                if target is None:
                    for entry in self.gaz.lookup_normalized(n):
                        if entry.type == ent.type:
                            target = entry.id
                            if target not in out.entities:
                                out.entities[target] = ExtractedEntity(
                                    key=target, type=entry.type, name=entry.name, kind=entry.kind,
                                    country=entry.country, wikidata=entry.wikidata,
                                    gazetteer_id=entry.id)
                                by_norm.setdefault((ent.type, n), target)
                            break
                if target is not None:
                    break
            if target is not None and target != key:
                remap[key] = target
                out.entities[target].forms.update(ent.forms)
                del out.entities[key]
            else:
                for f in ent.forms:
                    by_norm.setdefault((ent.type, normalize_name(f)), key)
        return remap

    def _surname_mentions(self, out: Extraction, sentences, remap):
        """"Lacaze said": a lone surname (or given name for Chinese names) of a person named in
        full elsewhere in the document is a mention of that person."""
        last_names: dict[str, str] = {}
        for key, ent in out.entities.items():
            if ent.type == "Person":
                parts = ent.canonical().split()
                if len(parts) >= 2:
                    last_names.setdefault(parts[-1], key)
        if not last_names:
            return sentences
        pattern = re.compile(r"\b(?:(?:Mr|Ms|Mrs|Dr|Prof)\.?\s+)?(" +
                             "|".join(map(re.escape, last_names)) + r")\b(?!\s+[A-Z])")

        def said(m: re.Match[str], sent_text: str) -> bool:  # "Mr Lacaze", "Lacaze said", "Lacaze,"
            following = sent_text[m.end(1):m.end(1) + 12].split()
            verb = bool(following) and following[0].strip(",.").lower() in PERSON_VERBS
            return m.group(0) != m.group(1) or verb or sent_text[m.end(1):m.end(1) + 1] in (",", "’", "'")

        return self._add_mentions(out, sentences, pattern, lambda m: last_names[m.group(1)], remap, accept=said)

    def _repeat_mentions(self, out: Extraction, sentences, remap):
        """A name the rules recognized once ("Australian miner Talmora") is that actor wherever
        the document writes it again ("chief executive of Talmora")."""
        forms: dict[str, str] = {}
        for key, ent in out.entities.items():
            if ent.gazetteer_id or ent.type == "Person":
                continue
            for form in ent.forms:
                if len(form) >= 3 and form[:1].isupper() and form not in NOT_NAME_START and form not in GENERIC_WORDS:
                    forms.setdefault(form, key)
        if not forms:
            return sentences
        pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(forms, key=len, reverse=True)))
                             + r")(?![\w-])")
        return self._add_mentions(out, sentences, pattern, lambda m: forms[m.group(1)], remap)

    def _short_form_mentions(self, out: Extraction, sentences, remap):
        """"MP" after "MP Materials", "Hastings" after "Hastings Technology Metals": the first
        word of an organization's name, capitalized and used alone later, is that organization
        when no other actor of the document shares it."""
        firsts: dict[str, set[str]] = {}
        for key, ent in out.entities.items():
            for form in [ent.canonical(), *ent.forms]:
                words = form.split()
                if len(words) < 2 or ent.type not in ("Organization",):
                    continue
                w = words[0].rstrip(",")
                if len(w) < 2 or w in GENERIC_WORDS or w in DESCRIPTORS or w in NOT_NAME_START \
                        or w in ORG_HEADS or not w[:1].isupper() or self.gaz.lookup(w):
                    continue
                firsts.setdefault(w, set()).add(key)
        def clear_winner(keys: set[str]) -> set[str]:
            # "MP" with "MP Materials" (named often) and "MP Magnetics" (once): the former;
            # "Kachin" with two Kachin bodies named alike: neither
            ranked = sorted(keys, key=lambda k: -out.entities[k].count)
            if len(ranked) == 1 or out.entities[ranked[0]].count >= 2 * out.entities[ranked[1]].count:
                return {ranked[0]}
            return set()

        firsts = {w: clear_winner(keys) for w, keys in firsts.items()}
        firsts = {w: keys for w, keys in firsts.items() if keys}
        if not firsts:
            return sentences
        pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, firsts)) + r")(?![\w-]|\s+[A-Z])")
        return self._add_mentions(out, sentences, pattern,
                                  lambda m: next(iter(firsts[m.group(1)])), remap)

    @staticmethod
    def focal(out: Extraction) -> str | None:
        """The organization the document is mostly about, when one stands out (named most
        often, at least twice, and twice as often as any other)."""
        orgs = sorted(((ent.count, key) for key, ent in out.entities.items()
                       if ent.type == "Organization"), reverse=True)
        if not orgs or orgs[0][0] < 2 or (len(orgs) > 1 and orgs[1][0] * 2 > orgs[0][0]):
            return None
        return orgs[0][1]

    def _company_mentions(self, out: Extraction, sentences, remap):
        """"The company", "the group": the document's focal organization."""
        focal = self.focal(out)
        if focal is None:
            return sentences
        return self._add_mentions(out, sentences, _COMPANY_ANAPHORA, lambda m: focal, remap,
                                  add_form=False)

    def _add_mentions(self, out: Extraction, sentences, pattern: re.Pattern[str], key_of, remap,
                      add_form: bool = True, accept=None):
        """Add a mention wherever `pattern`'s first group matches outside the known mentions
        (and `accept(match, sentence)` agrees); `key_of(match)` says whose."""
        result = []
        for sent_text, ments in sentences:
            spans = None  # made at the first match: most sentences have none
            extra = []
            for m in pattern.finditer(sent_text):
                s, e = m.span(1)
                if spans is None:
                    spans = [(a, b) for a, b, _, _ in ments]
                if any(a <= s < b or a < e <= b for a, b in spans) or (accept and not accept(m, sent_text)):
                    continue
                key = remap.get(key_of(m), key_of(m))
                extra.append((s, e, out.entities[key].type, key))
                if add_form:
                    out.entities[key].forms[m.group(1)] += 1
            if extra:
                ments = sorted([*ments, *extra])
            result.append((sent_text, ments))
        return result

    def _infer_place_kinds(self, out: Extraction) -> None:
        """A new place's kind from its head word: "Mianning County" is a county."""
        for ent in out.entities.values():
            if ent.type == "Place" and ent.kind in (None, "region"):
                for form in sorted(ent.forms, key=len, reverse=True):
                    kind = _PLACE_KIND_WORDS.get(form.split()[-1].lower())
                    if kind:
                        ent.kind = kind
                        break

    def _larger(self, out: Extraction, big: str, small: str, rule: str) -> bool:
        """Whether place `big` is larger than place `small`, by gazetteer kind. Between two
        places of unknown size, only "X in Y" counts, not a bare comma."""
        rb = PLACE_RANK.get(out.entities[big].kind or "")
        rs = PLACE_RANK.get(out.entities[small].kind or "")
        if rb is not None and rs is not None:
            return rb > rs
        if rule == "located.place-comma-place":
            return rb is not None and rb >= 3 and rs is None
        return rs is None or rb is None or rb > rs

    def _led_by(self, out: Extraction, sent_text: str, ments, last_team: str | None) -> None:
        """"Led by Du Fenglian, …, the delegation …": the person leads the delegation or
        team the document named last."""
        if last_team is None or not ments or ments[0][2] != "Person":
            return
        if not re.match(r"^\s*(?:Led|Headed|Chaired) by\s+$", sent_text[: ments[0][0]]):
            return
        if not re.search(r"\bthe (?:{})\b".format("|".join(_TEAM_WORDS)), sent_text[ments[0][1]:]):
            return
        self._add_relation(out, ments[0][3], "HOLDS_POSITION", last_team, sent_text.strip(),
                           "position.led-by-delegation", 0.7, "leader")

    def _titles_without_org(self, out: Extraction, sent_text: str, ments, focal: str | None,
                            prev_subject: str | None = None) -> None:
        """"said CEO Thras Moraitis": a company title with no organization before it is held
        in the document's focal organization; "Secretary of Energy Mark Menezes" is held in
        the document's "… of Energy" body."""
        for k, (s, _, t, key) in enumerate(ments):
            if t != "Person":
                continue
            before = sent_text[max(0, s - 80):s]
            m = _OF_TITLE.search(before) or _OF_TITLE_AFTER.match(sent_text[ments[k][1]:ments[k][1] + 120])
            if m:
                domain = re.sub(r"^the\s+", "", m.group("domain").lower())
                for okey, ent in out.entities.items():
                    if ent.type == "Organization" and any(
                            re.sub(r"\bof the\b", "of", f.lower()).endswith(" of " + domain)
                            for f in [ent.canonical(), *ent.forms]):
                        self._add_relation(out, key, "HOLDS_POSITION", okey, sent_text.strip(),
                                           "position.title-of-domain", 0.7, m.group("title"))
                        break
                continue
            m = _BARE_TITLE.search(before)
            its = m is not None and re.search(r"\b[Ii]ts\s+$", before[: m.start("title")])
            org = (prev_subject or focal) if its else focal  # "Its chief executive, Helen Marsh"
            if org is None or not m:
                continue
            prev_end = ments[k - 1][1] if k else -1
            if prev_end >= s - len(m.group(0)) - 2 and not its:  # an actor stands right before the title
                continue
            self._add_relation(out, key, "HOLDS_POSITION", org, sent_text.strip(),
                               "position.its-title" if its else "position.focal-title", 0.6,
                               " ".join(m.group("title").split()))

    def _stakes_without_object(self, out: Extraction, sent_text: str, ments, focal: str | None) -> None:
        """"SASAC is the biggest shareholder, with a 31.2% stake": a stake in no named company
        is a stake in the document's focal organization."""
        if focal is None or ("%" not in sent_text and not _STAKE_NOUN.search(sent_text.lower())) \
                or not _STAKE.search(sent_text) or _STAKE_IN.search(sent_text):
            return  # (the first two tests are quick ones that let most sentences off)
        holders = [key for _, _, t, key in ments if t == "Organization" and key != focal]
        for key in holders:
            self._add_relation(out, key, "FUNDS", focal, sent_text.strip(), "funds.focal-stake", 0.55, None)

    @staticmethod
    def _policy_anaphora(sent_text: str, ments, policy: str):
        """"The plan affects Northern Rare Earth": "the plan", "the order", "the regulations"
        refer to the policy the document named last."""
        spans = [(s, e) for s, e, _, _ in ments]
        extra = [(m.start(1), m.end(1), "Policy", policy) for m in _POLICY_ANAPHORA.finditer(sent_text)
                 if not any(a <= m.start(1) < b for a, b in spans)]
        return sorted([*ments, *extra]) if extra else ments

    def _its_unit(self, out: Extraction, sent_text: str, ments, focal: str | None) -> None:
        """"SMMV, its Group company located in …": "its" is the document's focal organization."""
        if focal is None:
            return
        for s, e, t, key in ments:
            if t == "Organization" and key != focal and _ITS_UNIT.match(sent_text[e:e + 80]):
                self._add_relation(out, key, "PART_OF", focal, sent_text.strip(), "part-of.its-unit", 0.65, None,
                                   sent_text[s:e])

    def _name_relations(self, out: Extraction, sentences, remap) -> None:
        """Relations a name states: the "Lynas Advanced Materials Plant" is run by Lynas. The
        shared first word must be a proper name, not a place ("Baotou") or a common word, and
        the place a works (plant, refinery, facility), not a mine named after its land."""
        def first_word(ent: ExtractedEntity) -> str | None:
            w = ent.canonical().split()[0].rstrip(",")
            if len(w) < 2 or not w[:1].isupper() or w in GENERIC_WORDS or w in DESCRIPTORS \
                    or w in NOT_NAME_START or any(e.type == "Place" for e in self.gaz.lookup(w)):
                return None
            return w

        def first_sentence(key: str) -> str | None:
            for sent_text, ments in sentences:
                if any(remap.get(k, k) == key for *_, k in ments):
                    return sent_text.strip()
            return None

        # "the Gulf Coast of Texas" lies in Texas
        for pkey, place in list(out.entities.items()):
            m = re.match(r"^.+? of (?:the )?(.+)$", place.canonical()) if place.type == "Place" else None
            inner = [e for e in self.gaz.lookup(m.group(1)) if e.type == "Place"] if m else []
            if len(inner) == 1 and inner[0].id != pkey and (ev := first_sentence(pkey)):
                entry = inner[0]
                if entry.id not in out.entities:
                    out.entities[entry.id] = ExtractedEntity(
                        key=entry.id, type="Place", name=entry.name, kind=entry.kind, country=entry.country,
                        wikidata=entry.wikidata, gazetteer_id=entry.id)
                    out.entities[entry.id].forms[m.group(1)] += 1
                self._add_relation(out, pkey, "LOCATED_IN", entry.id, ev, "located.name-of-place", 0.8, None,
                                   place.fullest_form(), m.group(1))
        orgs = {k: first_word(e) for k, e in out.entities.items() if e.type == "Organization"}
        for pkey, place in out.entities.items():
            if place.type != "Place" or not _WORKS.search(place.canonical()):
                continue
            w = place.canonical().split()[0]
            owners = [k for k, fw in orgs.items() if fw == w and out.entities[k].canonical() != place.canonical()]
            if len(owners) == 1 and (ev := first_sentence(pkey)):
                self._add_relation(out, owners[0], "OPERATES", pkey, ev, "operates.named-after", 0.6, None)

    def _add_relation(self, out: Extraction, hk: str, rel_type: str, tk: str, evidence: str,
                      rule: str, confidence: float, title: str | None,
                      head_text: str | None = None, tail_text: str | None = None) -> None:
        rel = out.relations.get((hk, rel_type, tk))
        if rel is None:
            rel = out.relations[(hk, rel_type, tk)] = ExtractedRelation(
                hk, rel_type, tk,  # a person is named in full, as the document first names them
                head_text=None if out.entities[hk].type == "Person" else _as_name(head_text),
                tail_text=None if out.entities[tk].type == "Person" else _as_name(tail_text))
        if evidence not in rel.evidence:
            rel.evidence.append(evidence)
        rel.rules.add(rule)
        rel.confidence = max(rel.confidence, confidence)
        rel.title = rel.title or title
        rel.count += 1

    @staticmethod
    def _may_state(out: Extraction, hk: str, rel: str, tk: str, head_type: str, tail_type: str) -> bool:
        """Whether a relation a rule found can stand: two actors, of types it joins; and one
        operates a mine, a plant, a site, not a city, a province or a country."""
        return hk != tk and allows(rel, head_type, tail_type) and not (
            rel == "OPERATES" and PLACE_RANK.get(out.entities[tk].kind or "", 0) >= 1)

    def _relations(self, out: Extraction, sent_text: str, ments: list[tuple[int, int, str, str]]) -> None:
        if len(ments) < 2:
            return
        evidence = sent_text.strip()
        stated: set[frozenset[str]] = set()
        for f in find_relations(sent_text, [(s, e, t) for s, e, t, _ in ments]):
            head, tail = ments[f.head], ments[f.tail]
            hk, tk = head[3], tail[3]
            if not self._may_state(out, hk, f.relation, tk, head[2], tail[2]) or (
                    f.rule in _PLACE_PAIR_RULES and not self._larger(out, tk, hk, f.rule)):
                continue
            self._add_relation(out, hk, f.relation, tk, evidence, f.rule, f.confidence, f.title,
                               sent_text[head[0]:head[1]], sent_text[tail[0]:tail[1]])
            stated.add(frozenset((hk, tk)))
        keys = sorted({k for *_, k in ments})
        relations = out.relations
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                if stated and frozenset((a, b)) in stated:
                    continue
                rel = relations.get((a, CO_MENTIONED, b))
                if rel is None:  # made only when new: a dataclass with a set is not free
                    rel = relations[(a, CO_MENTIONED, b)] = ExtractedRelation(
                        a, CO_MENTIONED, b, rules={"co-mention"}, confidence=0.0)
                rel.count += 1
