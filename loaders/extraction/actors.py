"""Rules for actors the gazetteer does not know, run after the gazetteer's EntityRuler.

A name is a run of capitalized tokens (with small connectors: "Department of Defense"); its
head word says what it is: an organization suffix or keyword, a policy word, or person cues
around it (a title before, "said" after, a Chinese surname first). In-text acronym
definitions ("Department of Defense (DoD)") make the acronym an alias for the whole document.
Spans from a statistical pipeline fill what is left, mapped to the four types and filtered.
"""
from __future__ import annotations

import re

import numpy
from spacy.attrs import ENT_ID, ENT_IOB, ENT_TYPE
from spacy.tokens import Doc, Span

from .tokens import Tokens
from .vocab import (
    CHINESE_SURNAMES,
    DESCRIPTORS,
    GENERIC_WORDS,
    NAME_CONNECTORS,
    NAME_TITLES,
    NOT_ACTOR_ACRONYMS,
    NOT_NAME_START,
    NUMBERED,
    ORG_HEADS,
    PERSON_CUES,
    PERSON_VERBS,
    PLACE_HEADS,
    POLICY_HEADS,
    TITLE_WORDS,
    WEAK_ORG_HEADS,
    WEAK_POLICY_HEADS,
)

ORG, PER, POL, PLACE = "Organization", "Person", "Policy", "Place"
TYPES = (ORG, PER, POL, PLACE)
#: spaCy's statistical labels mapped to ours.
STAT_LABELS = {"ORG": ORG, "PERSON": PER, "GPE": PLACE, "LOC": PLACE, "FAC": PLACE, "LAW": POL,
               "NORP": None}
#: First words that make "X of Y" an organization whatever Y is.
ORG_FIRST = frozenset("Ministry Department Bureau Office Commission Council Agency Institute "
                      "University Bank Academy Board Court Government Administration Committee "
                      "Federation Association Chamber Embassy Secretariat Directorate".split())
CORPORATE_SUFFIXES = frozenset("LLC Ltd Ltd. Inc Inc. Co. Corp. PLC plc Limited AG SA S.A. GmbH "
                               "Pty Bhd".split())
COMMODITIES = frozenset("""
neodymium praseodymium dysprosium terbium lanthanum cerium samarium europium gadolinium yttrium
scandium holmium erbium thulium ytterbium lutetium promethium lithium cobalt nickel graphite
gallium germanium antimony tungsten uranium thorium monazite bastnaesite xenotime ndpr ndfeb
""".split())
HEADS = ORG_HEADS | POLICY_HEADS | PLACE_HEADS
#: Words that continue a place's name without making it another place ("Kachin State").
PLACE_KIND_HEADS = frozenset("State Province Region County District Prefecture Township City Municipality "
                             "Autonomous".split())
#: First words of place names ("Mount Weld", "Fort Worth").
PLACE_FIRST = frozenset("Mount Mt. Mt Lake Port Cape Fort Isle Lac Monte Sierra".split())
#: Lower-case words after a name that make it a place ("the Yangibana project", "Lai Chau province").
PLACE_AFTER = frozenset("mine mines deposit deposits project projects province provinces county counties "
                        "district districts prefecture township townships municipality village villages town "
                        "towns city region regions state states".split())
#: Words before a name that make it a place ("based in Sartell", "the town of Chipwi").
PLACE_BEFORE = re.compile(r"(?:\b(?:based|headquartered|located|situated) in|\b(?:plant|facility|factory|refinery|"
                          r"mine|project|operations|site|office|offices|smelter|center|centre|headquarters|hub|"
                          r"base|plants|facilities|factories|mines|projects) (?:in|at|near)|"
                          r"\b(?:city|town|village|province|district|county|region|state|port) of|"
                          r"\bnear (?:the )?(?:town|city|village) of)\s+$", re.I)
#: "rare earths producer Molycorp", "Australian miner Lynas": an organization named after its kind.
_ORG_NOUN_WORDS = frozenset("company companies miner producer firm maker manufacturer developer supplier "
                            "processor refiner startup explorer conglomerate automaker carmaker smelter rival "
                            "subsidiary group lender bank investor fund shareholder partner customer "
                            "operator".split())
_ORG_NOUNS = rf"(?:{'|'.join(sorted(_ORG_NOUN_WORDS - {'startup'}))}|start-?up|joint venture)"
#: "Molycorp, a US rare earth producer": an appositive that says what the name is.
_ORG_AFTER_APPOSITIVE = re.compile(rf"^\s*,\s*(?:a|an|the)\s+(?:[\w.-]+\s+){{0,4}}?{_ORG_NOUNS}\b")
#: Prepositions before a place named by its larger place ("at Chavara in Kerala").
PLACE_BEFORE_AT = re.compile(r"\b(?:at|in|near|from|to)\s+$", re.I)
#: Verbs after a single capitalized word that make it a news organization ("Xinhua reported").
ORG_AFTER = frozenset("reported reports reported, wrote".split())
#: Words that end the description of a team when reading back from its noun.
_TEAM_STOP = frozenset("the a an and of to its their his her our will would shall can could may might has have "
                       "had is are was were be been being further also new this that these those".split())
#: Nouns that name a body of people sent somewhere.
TEAM_NOUNS = frozenset("team delegation taskforce mission".split())
TEAM_FORMS = TEAM_NOUNS | {w.capitalize() for w in TEAM_NOUNS} | {w.upper() for w in TEAM_NOUNS}
QUOTES = frozenset("“ ” \" ' ‘ ’".split())
#: Function words trimmed from the start of a run (not "de", "du", "van": they begin names).
LEADING_TRIM = frozenset("of and for the & on in to".split())
#: Materials that make no name by themselves ("Hydrogen Processing" is a technique).
MATERIALS = frozenset("hydrogen oxygen nitrogen iron steel copper zinc aluminium aluminum coal oil gas "
                      "carbon silicon magnet magnets oxide oxides metal metals alloy".split())
#: Words that make no name alone or together ("Group", "Ministry", "Chief Executive", "The").
_PLAIN = GENERIC_WORDS | HEADS | DESCRIPTORS | NAME_TITLES | NOT_NAME_START | CORPORATE_SUFFIXES
_ACRONYM = re.compile(r"^[A-Z][A-Za-z&]*[A-Z][A-Za-z&]*s?$|^[A-Z]{2,}$")
_THAI = re.compile("[\u0e00-\u0e7f]")
_SYLLABLE = (r"(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|"
             r"ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue|a|o|e|i|u|v)|ang|eng|ai|ei|ao|ou|an|en|er|a|o|e)")
#: A pinyin given name of one or two syllables: "Fenglian", "Wentao", "Qiang".
_PINYIN_NAME = re.compile(rf"^(?:{_SYLLABLE}){{1,2}}$", re.I)
#: Words after which a capitalized pair is a place or a project, not a person.
_SITE_WORDS = frozenset("mine mines deposit project rare area region district province county "
                        "plant site village town city township".split())


class Cand:
    """A name the rules found: tokens start..end, its type and its id ("" while new). (A spaCy
    `Span` makes three tokens to learn its characters: too dear for every candidate.)"""

    __slots__ = ("start", "end", "label_", "id_")

    def __init__(self, start: int, end: int, label: str, span_id: str = "") -> None:
        self.start, self.end, self.label_, self.id_ = start, end, label, span_id

    def __len__(self) -> int:
        return self.end - self.start

    def __repr__(self) -> str:
        return f"Cand({self.start}, {self.end}, {self.label_!r}, {self.id_!r})"


def _set_entities(doc: Doc, spans: list[tuple[int, int, str, str]]) -> None:
    """`doc.ents` = these (start, end, label, id) spans, sorted and apart, written as token
    arrays in one call (the `doc.ents` setter makes a Token per token of every span)."""
    strings = doc.vocab.strings
    rows = numpy.zeros((len(doc), 3), dtype="uint64")
    rows[:, 0] = 2  # outside
    for start, end, label, ident in spans:
        rows[start, 0] = 3  # begins
        rows[start + 1:end, 0] = 1  # inside
        rows[start:end, 1] = strings.add(label)
        rows[start:end, 2] = strings.add(ident)
    doc.from_array([ENT_IOB, ENT_TYPE, ENT_ID], rows)


def new_key(type_: str, name: str) -> str:
    """The document-local key of an actor the gazetteer does not know."""
    return f"new:{type_}:{name}"


class ActorRules:
    """The `rekg_actors_v1` component: adds rule-found actors, links acronyms, keeps the rest."""

    def __init__(self, statistical: bool = False, package_ids: frozenset[str] = frozenset()) -> None:
        self.statistical = statistical
        #: ids of places that come from a data package, not the domain gazetteer
        self.package_ids = package_ids
        #: ids of provinces, states (3) and countries (4): "Sartell, Minnesota" tells a place
        self.large_places: dict[str, int] = {}

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data.setdefault("rekg_names", {})
        # the sentence splitter's arrays, unless a statistical pipeline ran in between
        arrays = doc.user_data.pop("rekg_arrays", None)
        toks = Tokens(doc, doc.user_data.get("rekg_gazetteer", ()), None if self.statistical else arrays)
        known: list[Cand] = []
        gaz_tokens: set[int] = set()
        for start, end, label, ident in doc.user_data.get("rekg_gazetteer", ()):
            gaz_tokens.update(range(start, end))
            if not self._embedded_package_place(toks, start, end, label, ident):
                known.append(Cand(start, end, label, ident))
        stat: list[Span] = []
        if self.statistical:  # the model's entities, where the gazetteer matched nothing
            stat = [e for e in doc.ents if e.label_ not in TYPES and gaz_tokens.isdisjoint(range(e.start, e.end))]
        taken = [False] * len(toks)
        for ent in known:
            for i in range(ent.start, ent.end):
                taken[i] = True
        headline = [False] * len(toks)
        for s, e in toks.sentences():
            if toks.is_headline(s, e):
                for i in range(s, e):
                    headline[i] = True
        found = self._candidates(toks, taken, known, headline)
        found.extend(self._teams(toks, found))
        found = self._with_acronyms(toks, found)
        if self.statistical:
            found.extend(self._statistical(toks, stat, found, headline))
        found.sort(key=lambda s: (s.start, -len(s)))
        final: list[tuple[int, int, str, str]] = []
        last_end = -1
        for span in found:
            start, end = span.start, span.end
            if start >= last_end:
                label, ident = span.label_, span.id_
                # an explicit id on every span: ids the ruler left on tokens must not leak
                final.append((start, end, label, ident or new_key(label, toks.span_text(start, end))))
                last_end = end
        _set_entities(doc, final)
        # the same, and the sentence starts, as plain values for the extractor (reading them back
        # from the doc's arrays costs more); character offsets, token bounds
        doc.user_data["rekg_entities"] = [(*toks.span_chars(s, e), label, ident, s, e) for s, e, label, ident in final]
        doc.user_data["rekg_sentence_starts"] = [toks.idx[i] for i, start in enumerate(toks.sent_start) if start]
        return doc

    def _embedded_package_place(self, doc: Tokens, start: int, end: int, label: str, ident: str) -> bool:
        """A package place inside a longer capitalized name ("Energy Innovation Hub", "New York
        Stock Exchange") is not a place there."""
        if label != PLACE or ident not in self.package_ids:
            return False
        after = doc[end] if end < len(doc) else None
        before = doc[start - 1] if start > 0 else None
        if after is not None and not after.is_sent_start and doc.cap[end] and after.text[:1].isalpha():
            return True
        return before is not None and not doc[start].is_sent_start and doc.cap[start - 1] \
            and before.text not in NOT_NAME_START and before.ent_type_ == ""

    # -- capitalized runs --------------------------------------------------------------------
    def _runs(self, doc: Tokens, taken: list[bool]):
        """Maximal runs of free capitalized tokens inside one sentence, with connectors
        ("of", "of the", "&", tight hyphens), "(Group)" and ", Ltd." inside, and, after a head
        word and "of", known names too ("University of Minnesota")."""
        n = len(doc)
        cap, texts, starts, digit = doc.cap, doc.texts, doc.sent_start, doc.digit
        i = 0
        for i0 in doc.cap_or_paren:  # the tokens a run may start at, in order
            if i0 < i:
                continue
            i = i0
            paren = (texts[i] == "(" and i > 0 and taken[i - 1] and i + 3 < n
                     and texts[i + 2] == ")" and cap[i + 1] and cap[i + 3])
            if not paren and (not cap[i] or taken[i]):
                i += 1
                continue
            j = i + 3 if paren else i + 1
            absorb = False
            while j < n and not starts[j]:
                text = texts[j]
                if cap[j] and (absorb or not taken[j]):
                    j += 1
                    continue
                absorb = False
                if digit[j] and texts[j - 1] in NUMBERED:
                    j += 1
                    continue
                if text == "-" and j + 2 < n and not doc.space[j - 1] and not doc.space[j] \
                        and texts[j + 1].isalpha() and texts[j + 1].islower() and cap[j + 2] \
                        and not taken[j + 2] and not starts[j + 2]:  # "State-owned Assets …"
                    j += 2
                    continue
                if text == "(" and j + 3 < n and texts[j + 2] == ")" and cap[j + 1] \
                        and cap[j + 3] and not taken[j + 3] and not starts[j + 3]:
                    j += 3
                    continue
                if text.lower() == "of" and texts[j - 1] in HEADS:
                    k = j + 2 if j + 2 < n and texts[j + 1].lower() == "the" else j + 1
                    if k < n and not starts[k] and cap[k]:
                        j = k
                        absorb = True
                        continue
                k = self._connectors(doc, taken, j)
                if k > j:
                    j = k
                elif text == "," and j + 1 < n and texts[j + 1] in CORPORATE_SUFFIXES:
                    j += 2
                else:
                    break
            yield i, j
            i = j

    @staticmethod
    def _connectors(doc: Tokens, taken: list[bool], j: int) -> int:
        """Index after the connectors at j ("of", "of the", "&", a tight hyphen) when a free
        capitalized token follows them inside the sentence; j when there is none."""
        texts, starts, cap, n = doc.texts, doc.sent_start, doc.cap, len(doc)
        k = j
        while k < n and k - j < 2 and not starts[k] and (
                texts[k].lower() in NAME_CONNECTORS or texts[k] == "&"
                or (texts[k] == "-" and not doc.space[k] and not doc.space[k - 1])):
            k += 1
        if k > j and k < n and cap[k] and not taken[k] and not starts[k] \
                and texts[k] not in NOT_NAME_START:  # not "… Regulations on Monday"
            return k
        return j

    def _trim(self, doc: Tokens, start: int, end: int) -> tuple[int, int]:
        texts = doc.texts
        while start < end and (texts[start] in NOT_NAME_START or texts[start].lower() in LEADING_TRIM):
            start += 1
        while end > start and (texts[end - 1].lower() in NAME_CONNECTORS or texts[end - 1] in ("-", "&", ",")):
            end -= 1
        return start, end

    def _candidates(self, doc: Tokens, taken: list[bool], known: list[Cand],
                    headline: list[bool]) -> list[Cand]:
        known_by_end = {k.end: k for k in known}
        out: dict[tuple[int, int], Cand] = {(k.start, k.end): k for k in known}
        for run_start, run_end in self._runs(doc, taken):
            if headline[run_start]:
                continue
            splits = list(self._split(doc, *self._trim(doc, run_start, run_end)))
            prev = known_by_end.get(run_start)
            if not splits and prev is not None and doc[prev.end - 1].whitespace_ and not doc[run_start].is_sent_start:
                label = self._classify(doc, prev.start, run_end)  # "Inner Mongolia" + "University"
                if label in (ORG, POL) and label != prev.label_:
                    splits = [(run_start, run_end, label)]
                elif prev.label_ == PLACE and run_end - run_start == 1 and doc.texts[run_start] in PLACE_KIND_HEADS:
                    splits = [(run_start, run_end, PLACE)]  # "Kachin" + "State": the same place
            for start, end, label in splits:
                prev = known_by_end.get(start)
                if prev is not None and label in (ORG, POL, PLACE) and not doc[start].is_sent_start \
                        and (doc[prev.end - 1].whitespace_ or doc[start].text == "("):
                    # a known name continued: "Northern Rare Earth" + "(Group) High-Tech Co., Ltd."
                    out.pop((prev.start, prev.end), None)
                    if self._distinctive(doc, start, end) or prev.label_ != label:
                        # "Lynas" + "USA, LLC", "U.S." + "Geological Survey": a new name
                        span = Cand(prev.start, end, label)
                    else:
                        span = Cand(prev.start, end, prev.label_, prev.id_)
                else:
                    span = Cand(start, end, label)
                out[(span.start, span.end)] = span
                for k in range(span.start, span.end):
                    taken[k] = True
        return list(out.values())

    def _split(self, doc: Tokens, start: int, end: int):
        """Classify a trimmed run; split "A Co and B Corp" into two names."""
        if end <= start:
            return
        s = start
        while s < end - 1 and doc[s].text in NAME_TITLES:
            s += 1
        if s > start and self._is_person(doc, s, end):  # "Colonel Naw Bu", "President Xi Jinping"
            yield s, end, PER
            return
        label = self._classify(doc, start, end)
        if label is None or label == ORG:
            # "USGS Director Marcia McNutt", "Hastings Technology Metals Chief Executive Officer
            # Alwyn Vorster": a title inside a run, a name after it
            for k in range(end - 2, max(start, end - 4), -1):
                if doc[k - 1].text in NAME_TITLES and doc[k].text not in NAME_TITLES and \
                        self._is_person(doc, k, end, cue=True):
                    t = k - 1
                    while t > start and doc[t - 1].text in NAME_TITLES:
                        t -= 1
                    if t > start:
                        yield from self._split(doc, *self._trim(doc, start, t))
                    yield k, end, PER
                    return
        if label is None:
            label = self._by_context(doc, start, end)
        if label in (ORG, POL):
            for k in range(start + 1, end - 1):
                if doc[k].lower_ == "and":
                    rs, re_ = self._trim(doc, k + 1, end)
                    left, right = self._classify(doc, start, k), self._classify(doc, rs, re_)
                    single = re_ - rs == 1 and doc[rs].text not in GENERIC_WORDS and doc[rs].text not in HEADS
                    if left in (ORG, POL) and (right in (ORG, POL) or single):
                        yield start, k, left
                        yield from self._split(doc, rs, re_)
                        return
        if label is None:
            return
        if doc[start].text in DESCRIPTORS and end - start > 1:
            if label == PER or (label == ORG and self._distinctive(doc, start + 1, end)):
                s2, e2 = self._trim(doc, start + 1, end)
                label2 = self._classify(doc, s2, e2) if e2 > s2 else None
                if label2 is not None:
                    yield s2, e2, label2
                return
        yield start, end, label

    def _by_context(self, doc: Tokens, start: int, end: int) -> str | None:
        """A name that says nothing of itself, told by its neighbours: "the Yangibana project",
        "based in Sartell", "Xinhua reported"."""
        words = doc.texts[start:end]
        if any(w in GENERIC_WORDS or w in DESCRIPTORS or w in NOT_ACTOR_ACRONYMS for w in words[:1]) \
                or len(words) > 4 or words[0] in NAME_TITLES:
            return None
        # "Australian miner Lynas", "Molycorp, a US rare earth producer,"
        if start > 0 and not doc.sent_start[start] and doc.texts[start - 1].lower() in _ORG_NOUN_WORDS:
            return ORG
        if end < len(doc) and doc.texts[end] == "," and _ORG_AFTER_APPOSITIVE.match(
                doc.span_text(end, min(end + 8, len(doc)))):
            return ORG
        nxt = doc[end] if end < len(doc) else None
        k = end
        while k < len(doc) and doc[k].lower_ in ("rare", "earth", "earths", "rare-earth", "-"):
            k += 1  # "the Kvanefjeld rare earths project"
        if k < len(doc) and doc[k].lower_ in PLACE_AFTER and not doc[k].is_title:
            return PLACE
        if nxt is not None and nxt.lower_ in ("and", ",") and end + 1 < len(doc):
            k = end + 1  # "in Phong Tho and Tam Duong districts"
            while k < len(doc) and k < end + 5 and doc.cap[k] and not doc.sent_start[k]:
                k += 1
            if k > end + 1 and k < len(doc) and doc[k].lower_ in PLACE_AFTER and not doc[k].is_title:
                return PLACE
        before = doc.before(start)
        if nxt is not None and nxt.lower_ == "in" and end + 1 < len(doc) and doc[end + 1].ent_type_ == PLACE \
                and self._kind_rank(doc[end + 1].ent_id_) >= 3 and PLACE_BEFORE_AT.search(before):
            return PLACE  # "at Chavara in Kerala"
        if nxt is not None and nxt.text == "," and end + 1 < len(doc) and doc[end + 1].ent_type_ == PLACE \
                and doc[end + 1].ent_id_ and self._kind_rank(doc[end + 1].ent_id_) >= 3:
            return PLACE  # "Sartell, Minnesota"
        if PLACE_BEFORE.search(before) and (nxt is None or nxt.is_punct or not nxt.is_title):
            return PLACE
        if nxt is not None and nxt.lower_ in ORG_AFTER and len(words) <= 2 and not self._is_person(doc, start, end):
            return ORG
        return None

    def _kind_rank(self, ent_id: str) -> int:
        """3 for a province or state, 4 for a country, 0 otherwise (see `large_places`)."""
        return self.large_places.get(ent_id, 0)

    @staticmethod
    def _distinctive(doc: Tokens, start: int, end: int) -> bool:
        """Whether the words before the head include a proper, non-generic one."""
        for t in doc[start:end - 1]:
            w = t.text
            if w in GENERIC_WORDS or w in HEADS or w in CORPORATE_SUFFIXES or w in DESCRIPTORS \
                    or t.lower_ in NAME_CONNECTORS or t.is_punct or w in ("High-Tech", "Hi-Tech"):
                continue
            if t.is_alpha or t.like_num is False:
                return True
        return False

    def _classify(self, doc: Tokens, start: int, end: int) -> str | None:
        words = doc.texts[start:end]
        last, first = words[-1], words[0]
        content = [w for w in words if w.lower() not in NAME_CONNECTORS and w not in "-&,()"]
        if len(content) == 1 and (last in ORG_HEADS or last in POLICY_HEADS or last in PLACE_HEADS):
            return None
        if last.isdigit() and len(words) >= 2 and words[-2] in NUMBERED:
            return POL
        if first in PLACE_FIRST and len(content) >= 2 and not any(w in ORG_HEADS for w in words[1:]):
            return PLACE
        head = last
        for k, w in enumerate(words[1:], 1):
            if w.lower() in ("of", "for", "on", "to"):
                head = words[k - 1]
                break
        if head != last and (head.isdigit() or re.fullmatch(r"[IVXL]+", head) or head in NUMBERED
                             or head in ("Title", "Part", "Chapter", "Article")):
            head = last  # "Title III of the Defense Production Act"
        distinctive = self._distinctive(doc, start, end) or (head != last)
        if head in POLICY_HEADS and len(content) >= 2:
            if head in WEAK_POLICY_HEADS and not distinctive:
                return None
            return POL
        if first in ORG_FIRST and len(words) >= 3 and words[1].lower() in ("of", "for"):
            return ORG
        if head in ORG_HEADS and len(content) >= 2:
            if head in WEAK_ORG_HEADS and not distinctive:
                return None
            return ORG
        if last in CORPORATE_SUFFIXES:
            return ORG
        if head in PLACE_HEADS and len(content) >= 2 and distinctive:
            return PLACE
        if self._is_person(doc, start, end):
            return PER
        return None

    @staticmethod
    def _is_person(doc: Tokens, start: int, end: int, cue: bool = False) -> bool:
        """2–3 title-case words with a person cue around them (or `cue` already given)."""
        if not 2 <= end - start <= 3:
            return False
        toks = doc[start:end]
        for t in toks:
            if not (t.is_title and t.is_alpha or re.match(r"^[A-Z][a-z]+-[A-Z]?[a-z]+$", t.text)
                    or re.match(r"^[A-Z]\.$", t.text)):
                return False
            if t.text in GENERIC_WORDS or t.text in NOT_NAME_START or t.text in HEADS \
                    or t.text in NAME_TITLES:
                return False
        if cue:
            return True
        prev = doc[start - 1] if start > 0 else None
        prev2 = doc[start - 2] if start > 1 else None
        nxt = doc[end] if end < len(doc) else None
        if prev is not None and (prev.text in PERSON_CUES or prev.text in NAME_TITLES
                                 or prev.lower_ in TITLE_WORDS):
            return True
        if prev is not None and prev.text == "," and prev2 is not None and prev2.lower_ in TITLE_WORDS:
            return True
        if prev is not None and prev.lower_ == "by" and prev2 is not None and \
                prev2.lower_ in ("led", "headed", "chaired", "founded", "co-founded", "signed", "said",
                                 "controlled", "owned", "appointed", "named", "chosen", "replaced", "run"):
            return True
        if nxt is not None and nxt.lower_ in PERSON_VERBS:
            return True
        if nxt is not None and nxt.lower_ in ("is", "was", "became", "remains", "serves", "served") \
                and any(t.lower_ in TITLE_WORDS for t in doc[end + 1:end + 5]):
            return True  # "Darryl Cuzzubbo is the managing director …"
        if nxt is not None and nxt.text == "," and end + 1 < len(doc):
            after = doc[end + 1 : end + 4]
            if any(t.lower_ in TITLE_WORDS for t in after) or (after and after[0].lower_ == "who"):
                return True
        if toks[0].text in CHINESE_SURNAMES and len(toks) == 2 and _PINYIN_NAME.match(toks[1].text) \
                and not (nxt is not None and (nxt.lower_ in _SITE_WORDS or nxt.text == "-")):
            return True
        return False

    # -- delegations and teams ----------------------------------------------------------------
    def _teams(self, doc: Tokens, found: list[Cand]) -> list[Cand]:
        """"Inner Mongolia's official Party “lecture team”": a body named by its owner, a few
        words and a team noun is an organization ("Inner Mongolia Party lecture team")."""
        by_end = {s.end: s for s in found}
        taken = {i for s in found for i in range(s.start, s.end)}
        out = []
        for i in [i for i, t in enumerate(doc.texts) if t in TEAM_FORMS]:
            tok = doc[i]
            if i in taken:
                continue
            k = tok.i - 1
            words = 0
            while k >= 0 and words < 5 and not doc[k].is_sent_start and (
                    doc[k].is_alpha and doc[k].lower_ not in _TEAM_STOP
                    or doc[k].text in QUOTES) and k not in taken:
                words += doc[k].is_alpha
                k -= 1
            if words == 0 or k < 1:
                continue
            if doc[k].text not in ("'s", "’s"):
                # "the Inner Mongolia Party lecture team": the name runs on from a known one
                owner = by_end.get(k + 1)
                if owner is not None and owner.label_ in (ORG, PLACE) and words <= 3 and all(
                        doc[j].is_lower for j in range(k + 1, tok.i)):
                    name = " ".join([doc.span_text(owner.start, owner.end)] + doc.texts[k + 1:tok.i + 1])
                    key = new_key(ORG, name)
                    out.append(Cand(owner.start, tok.i + 1, ORG, key))
                    doc.doc.user_data["rekg_names"][key] = name
                continue
            owner = by_end.get(k)
            if owner is None or owner.label_ not in (ORG, PLACE):
                continue
            start = k + 1
            while start < tok.i and (doc[start].lower_ in ("official", "new", "special")
                                     or doc[start].text in QUOTES):
                start += 1
            end = tok.i + 1
            if end < len(doc) and doc[end].text in QUOTES:
                end += 1
            parts = [doc.span_text(owner.start, owner.end)] + [t for t in doc.texts[start:end] if t not in QUOTES]
            name = " ".join(parts)
            key = new_key(ORG, name)
            span = Cand(start, tok.i + 1, ORG, key)
            doc.doc.user_data["rekg_names"][key] = name
            out.append(span)
        return out

    # -- acronyms ------------------------------------------------------------------------------
    def _with_acronyms(self, doc: Tokens, spans: list[Cand]) -> list[Cand]:
        """"Department of Defense (DoD)": DoD becomes an alias, and every DoD a mention."""
        spans.sort(key=lambda s: s.start)
        by_acronym: dict[str, Cand] = {}
        texts = doc.texts
        for span in spans:
            e = span.end
            if e + 2 < len(texts) and texts[e] == "(" and texts[e + 2] == ")":
                acr = texts[e + 1]
                if _ACRONYM.match(acr) and acr not in NOT_ACTOR_ACRONYMS and 2 <= len(acr) <= 10 \
                        and acr not in by_acronym:
                    by_acronym[acr] = span
        if not by_acronym:
            return spans
        taken = {i for s in spans for i in range(s.start, s.end)}
        keys = {}
        for acr, span in by_acronym.items():
            keys[acr] = span.id_ or new_key(span.label_, doc.span_text(span.start, span.end))
        out = []
        definers = {(s.start, s.end) for s in by_acronym.values() if not s.id_}
        for span in spans:  # a defining span carries the key its acronym mentions share
            if (span.start, span.end) in definers:
                key = new_key(span.label_, doc.span_text(span.start, span.end))
                span = Cand(span.start, span.end, span.label_, key)
            out.append(span)
        for i in [i for i, text in enumerate(texts) if text in by_acronym]:
            if i in taken:
                continue
            out.append(Cand(i, i + 1, by_acronym[texts[i]].label_, keys[texts[i]]))
            taken.add(i)
        return out

    # -- statistical spans ---------------------------------------------------------------------
    def _statistical(self, doc: Tokens, stat: list[Span], found: list[Cand], headline: list[bool]) -> list[Cand]:
        taken = {i for s in found for i in range(s.start, s.end)}
        out = []
        for ent in stat:
            label = STAT_LABELS.get(ent.label_)
            if label is None or any(i in taken for i in range(ent.start, ent.end)):
                continue
            span = ent
            while span.end > span.start and (doc[span.end - 1].text in ("'s", "’s", "'", "’")
                                             or doc[span.end - 1].lower_ in NAME_CONNECTORS):
                span = doc.doc[span.start : span.end - 1]
            while span.end > span.start and (doc[span.start].text in NOT_NAME_START
                                             or doc[span.start].is_punct):
                span = doc.doc[span.start + 1 : span.end]
            if len(span) and not headline[span.start] and self._plausible(doc, span, label):
                out.append(Cand(span.start, span.end, label))
        return out

    def _plausible(self, doc: Tokens, span: Span, label: str) -> bool:
        """Whether a statistical span is an actor, not one of the model's known faults:
        commodities, generic capitalized words, damaged punctuation, acronyms that are not
        actors, spans running over a sentence end, titles taken for names."""
        text = span.text
        words = [t.text for t in span if not t.is_punct]
        if not words or _THAI.search(text) or "\n" in text or len(text) > 80 or text[:1].islower():
            return False
        if any(t.is_sent_start for t in span[1:]) or not any(c.isalpha() for c in text):
            return False
        if text in NOT_ACTOR_ACRONYMS or any(w.lower() in COMMODITIES for w in words):
            return False
        if len(words) == 1 and any(c.isdigit() for c in text):
            return False
        if all(w in _PLAIN or w.lower() in NAME_CONNECTORS or w.lower() in MATERIALS for w in words):
            return False
        if label == PER:
            return len(words) >= 2 and all(len(w) <= 14 for w in words) and all(
                (t.is_title and t.is_alpha or re.match(r"^[A-Z]\.$", t.text) or "-" in t.text)
                and t.text not in _PLAIN for t in span if not t.is_punct)
        if label == POL and words[-1] not in POLICY_HEADS and not (
                words[-1].isdigit() and len(words) > 1 and words[-2] in NUMBERED):
            return False
        if len(words) == 1:
            w = words[0]
            acronym = len(w) >= 2 and sum(c.isupper() for c in w) >= 2
            if not acronym:  # a single ordinary word must recur mid-sentence to count
                return doc.mid_sentence_count(w) >= 2 and not doc[span.start].is_sent_start
        return True
