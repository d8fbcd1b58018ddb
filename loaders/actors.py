"""Rules for actors the gazetteer does not know, run after the gazetteer's EntityRuler.

A name is a run of capitalized tokens (with small connectors: "Department of Defense"); its
head word says what it is: an organization suffix or keyword, a policy word, or person cues
around it (a title before, "said" after, a Chinese surname first). In-text acronym
definitions ("Department of Defense (DoD)") make the acronym an alias for the whole document.
Spans from a statistical pipeline fill what is left, mapped to the four types and filtered.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from .vocab import (
    CHINESE_SURNAMES,
    GENERIC_WORDS,
    NAME_CONNECTORS,
    NOT_ACTOR_ACRONYMS,
    NOT_NAME_START,
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
#: Function words trimmed from the start of a run (not "de", "du", "van": they begin names).
LEADING_TRIM = frozenset("of and for the & on in to".split())
_ACRONYM = re.compile(r"^[A-Z][A-Za-z&]*[A-Z][A-Za-z&]*s?$|^[A-Z]{2,}$")
_ORDINAL = re.compile(r"^\d+(st|nd|rd|th)$")
_THAI = re.compile("[\u0e00-\u0e7f]")


def new_key(type_: str, name: str) -> str:
    """The document-local key of an actor the gazetteer does not know."""
    return f"new:{type_}:{name}"


def _is_cap(tok) -> bool:
    t = tok.text
    return (t[:1].isupper() and not tok.is_punct) or bool(_ORDINAL.match(t)) or t in ("&",)


class ActorRules:
    """The `rekg_actors_v1` component: adds rule-found actors, links acronyms, keeps the rest."""

    def __init__(self, statistical: bool = False) -> None:
        self.statistical = statistical

    def __call__(self, doc: Doc) -> Doc:
        names: dict[str, str] = doc.user_data.setdefault("rekg_names", {})
        aliases: dict[str, set[str]] = doc.user_data.setdefault("rekg_aliases", {})
        known: list[Span] = []
        stat: list[Span] = []
        for ent in doc.ents:
            if ent.label_ in TYPES:
                known.append(ent)
            elif self.statistical:
                stat.append(ent)
        taken = [False] * len(doc)
        for ent in known:
            for i in range(ent.start, ent.end):
                taken[i] = True
        found: list[Span] = list(known)
        for cand in self._candidates(doc, taken):
            found.append(cand)
        found = self._with_acronyms(doc, found, names, aliases)
        if self.statistical:
            found.extend(self._statistical(doc, stat, found))
        found.sort(key=lambda s: (s.start, -len(s)))
        final: list[Span] = []
        last_end = -1
        for span in found:
            if span.start >= last_end:
                final.append(span)
                last_end = span.end
        for tok in doc:  # ids the ruler left on tokens would leak into rule-found spans
            tok.ent_id = 0
        doc.ents = final
        return doc

    # -- capitalized runs --------------------------------------------------------------------
    def _runs(self, doc: Doc, taken: list[bool]):
        """Maximal runs of capitalized tokens inside one sentence, free of gazetteer matches
        except at their start ("Lynas USA, LLC" extends the gazetteer's "Lynas")."""
        n = len(doc)
        i = 0
        while i < n:
            tok = doc[i]
            if not _is_cap(tok) or (taken[i] and not self._extends(doc, taken, i)):
                i += 1
                continue
            j = i + 1
            absorb = False  # after "Head of", a known name is part of this one
            while j < n and not doc[j].is_sent_start:
                t = doc[j]
                if _is_cap(t) and (absorb or not (taken[j] and not taken[j - 1])):
                    j += 1
                    continue
                absorb = False
                if t.lower_ == "of" and doc[j - 1].text in HEADS and j + 1 < n \
                        and _is_cap(doc[j + 1]) and not doc[j + 1].is_sent_start:
                    j += 1
                    absorb = True
                    continue
                k = self._connectors(doc, taken, j)
                if k > j:
                    j = k
                elif t.text == "," and j + 1 < n and doc[j + 1].text in CORPORATE_SUFFIXES:
                    j += 2
                else:
                    break
            yield i, j
            i = max(j, i + 1)

    @staticmethod
    def _connectors(doc: Doc, taken: list[bool], j: int) -> int:
        """Index after the connectors at j ("of", "of the", "&", a tight hyphen) when a free
        capitalized token follows them inside the sentence; j when there is none."""
        k = j
        while k < len(doc) and k - j < 2 and not doc[k].is_sent_start and (
                doc[k].lower_ in NAME_CONNECTORS or doc[k].text == "&"
                or (doc[k].text == "-" and doc[k].whitespace_ == "" and doc[k - 1].whitespace_ == "")):
            k += 1
        if k > j and k < len(doc) and _is_cap(doc[k]) and not taken[k] and not doc[k].is_sent_start:
            return k
        return j

    @staticmethod
    def _extends(doc: Doc, taken: list[bool], i: int) -> bool:
        """A gazetteer match at i is the start of a longer name when a free capitalized
        organization or policy head follows it directly."""
        j = i
        while j < len(doc) and taken[j]:
            j += 1
        if j >= len(doc) or doc[j].is_sent_start or j == i:
            return False
        if i > 0 and taken[i - 1]:
            return False
        k = j
        while k < len(doc) and not doc[k].is_sent_start:
            if _is_cap(doc[k]) and not taken[k]:
                k += 1
            elif doc[k].text == "," and k + 1 < len(doc) and doc[k + 1].text in CORPORATE_SUFFIXES:
                return True
            else:
                k2 = ActorRules._connectors(doc, taken, k)
                if k2 == k:
                    break
                k = k2
        if k == j:
            return False
        last = doc[k - 1].text
        return (last in ORG_HEADS or last in POLICY_HEADS or last in CORPORATE_SUFFIXES) \
            and last not in WEAK_ORG_HEADS

    def _candidates(self, doc: Doc, taken: list[bool]):
        for start, end in self._runs(doc, taken):
            # trim leading non-name words and trailing connectors
            while start < end and (doc[start].text in NOT_NAME_START
                                   or doc[start].lower_ in LEADING_TRIM):
                start += 1
            while end > start and (doc[end - 1].lower_ in NAME_CONNECTORS
                                   or doc[end - 1].text in ("-", "&", ",")):
                end -= 1
            if end <= start:
                continue
            label = self._classify(doc, start, end)
            if label is None:
                continue
            span = Span(doc, start, end, label=label)
            for k in range(start, end):
                taken[k] = True
            yield span

    def _classify(self, doc: Doc, start: int, end: int) -> str | None:
        toks = doc[start:end]
        words = [t.text for t in toks]
        last, first = words[-1], words[0]
        content = [w for w in words if w.lower() not in NAME_CONNECTORS and w not in "-&,"]
        distinctive = [w for w in content[:-1] if w not in GENERIC_WORDS]
        if len(words) == 1 and (last in ORG_HEADS or last in POLICY_HEADS):
            return None
        if last.isdigit() and len(words) >= 2 and words[-2] in ("Order", "Section", "Resolution"):
            return POL
        head = last
        for k, w in enumerate(words[1:], 1):
            if w.lower() in ("of", "for", "on"):
                head = words[k - 1]
                break
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
    def _is_person(doc: Doc, start: int, end: int) -> bool:
        toks = doc[start:end]
        if not 2 <= len(toks) <= 3:
            return False
        for t in toks:
            if not (t.is_title and t.is_alpha or re.match(r"^[A-Z][a-z]+-[A-Z]?[a-z]+$", t.text)
                    or re.match(r"^[A-Z]\.$", t.text)):
                return False
            if t.text in GENERIC_WORDS or t.text in NOT_NAME_START:
                return False
        prev = doc[start - 1] if start > 0 else None
        prev2 = doc[start - 2] if start > 1 else None
        nxt = doc[end] if end < len(doc) else None
        if prev is not None and (prev.text in PERSON_CUES or prev.lower_ in TITLE_WORDS):
            return True
        if prev is not None and prev.lower_ == "by" and prev2 is not None and \
                prev2.lower_ in ("led", "headed", "chaired", "founded", "signed", "said"):
            return True
        if nxt is not None and nxt.lower_ in PERSON_VERBS:
            return True
        if nxt is not None and nxt.text == "," and end + 1 < len(doc):
            after = doc[end + 1 : end + 4]
            if any(t.lower_ in TITLE_WORDS for t in after) or (after and after[0].lower_ == "who"):
                return True
        if toks[0].text in CHINESE_SURNAMES and len(toks) == 2 and toks[1].is_lower is False \
                and len(toks[1]) >= 3:
            return True
        return False

    # -- acronyms ------------------------------------------------------------------------------
    def _with_acronyms(self, doc: Doc, spans: list[Span], names: dict, aliases: dict) -> list[Span]:
        """"Department of Defense (DoD)": DoD becomes an alias, and every DoD a mention."""
        spans.sort(key=lambda s: s.start)
        by_acronym: dict[str, Span] = {}
        for span in spans:
            e = span.end
            if e + 2 < len(doc) and doc[e].text == "(" and doc[e + 2].text == ")":
                acr = doc[e + 1].text
                if _ACRONYM.match(acr) and acr not in NOT_ACTOR_ACRONYMS and 2 <= len(acr) <= 10 \
                        and acr not in by_acronym:
                    by_acronym[acr] = span
        if not by_acronym:
            return spans
        taken = {i for s in spans for i in range(s.start, s.end)}
        out = list(spans)
        for tok in doc:
            span = by_acronym.get(tok.text)
            if span is None or tok.i in taken:
                continue
            key = span.ent_id_ or new_key(span.label_, span.text)
            new = Span(doc, tok.i, tok.i + 1, label=span.label_)
            new.ent_id_ = key
            if not span.ent_id_:
                span.ent_id_ = key
            aliases.setdefault(key, set()).add(tok.text)
            out.append(new)
            taken.add(tok.i)
        return out

    # -- statistical spans ---------------------------------------------------------------------
    def _statistical(self, doc: Doc, stat: list[Span], found: list[Span]) -> list[Span]:
        taken = {i for s in found for i in range(s.start, s.end)}
        out = []
        for ent in stat:
            label = STAT_LABELS.get(ent.label_)
            if label is None or any(i in taken for i in range(ent.start, ent.end)):
                continue
            span = ent
            while span.end > span.start and doc[span.end - 1].text in ("'s", "’s", "'", "’"):
                span = doc[span.start : span.end - 1]
            while span.end > span.start and (doc[span.start].text in NOT_NAME_START
                                             or doc[span.start].is_punct):
                span = doc[span.start + 1 : span.end]
            text = span.text
            if not text or _THAI.search(text) or text.lower() in COMMODITIES:
                continue
            if text in NOT_ACTOR_ACRONYMS or text in GENERIC_WORDS or text[:1].islower():
                continue
            if "\n" in text or len(text) > 80 or not any(c.isalpha() for c in text):
                continue
            if label == PER and (len(span) < 2 or any(t.text in ORG_HEADS for t in span)):
                continue
            out.append(Span(doc, span.start, span.end, label=label))
        return out
