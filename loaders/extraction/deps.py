"""Dependency patterns: when the pipeline has a parser, a verb's subject and object (or the
object of its preposition) that are both actors state a relation, typed by the verb.

"The Department of Defense awarded a contract to Lynas USA" -> FUNDS, "MP Materials was
funded by the Pentagon" -> FUNDS (the agent of a passive is the subject). The surface rules in
`relations.py` work without a parser; these add what long or reordered sentences hide.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Token

#: verb lemma -> (relation, where the head is, where the tail is). "subj" and "obj" are the
#: logical subject and object; a preposition names the object of that preposition.
VERBS: dict[str, tuple[str, str, str]] = {
    **{v: ("FUNDS", "subj", "obj") for v in ("fund", "finance", "back", "bankroll", "subsidise", "subsidize")},
    **{v: ("FUNDS", "subj", "to") for v in ("award", "grant", "lend", "loan", "give", "provide")},
    **{v: ("FUNDS", "subj", "in") for v in ("invest",)},
    **{v: ("PART_OF", "obj", "subj") for v in ("acquire", "buy", "purchase", "absorb")},
    **{v: ("OPERATES", "subj", "obj") for v in ("operate", "run", "develop", "mine", "manage", "own")},
    **{v: ("PARTNERS_WITH", "subj", "with") for v in ("partner", "collaborate", "cooperate", "team", "ally",
                                                     "sign", "agree", "work")},
    **{v: ("PARTNERS_WITH", "subj", "obj") for v in ("supply",)},
    **{v: ("ISSUED", "subj", "obj") for v in ("issue", "enact", "adopt", "announce", "publish", "introduce",
                                             "impose", "launch", "administer", "unveil", "pass", "implement")},
    **{v: ("AFFECTS", "subj", "obj") for v in ("target", "restrict", "affect", "ban", "sanction", "regulate",
                                              "cover", "limit", "curb", "benefit")},
    **{v: ("VISITED", "subj", "obj") for v in ("visit", "tour", "inspect")},
    **{v: ("HOLDS_POSITION", "subj", "obj") for v in ("lead", "head", "chair")},
    **{v: ("LOCATED_IN", "subj", "in") for v in ("base", "headquarter", "locate", "situate")},
}

_NOUN_DEPS = ("compound", "amod", "poss", "nmod", "appos", "flat")


@dataclass
class DepFound:
    """A relation a verb states between two entities (indices into the entity list)."""

    head: int
    tail: int
    relation: str
    rule: str
    verb: int  # token index of the verb


def _entity_of(tok: Token, owner: dict[int, int]) -> int | None:
    """The entity a noun phrase headed by `tok` names: the one holding `tok`, else one holding a
    modifier of it ("the Mount Weld mine")."""
    if tok.i in owner:
        return owner[tok.i]
    for child in tok.children:
        if child.dep_ in _NOUN_DEPS and child.i in owner:
            return owner[child.i]
    return None


def _with_conjuncts(tok: Token) -> list[Token]:
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj":
            out.extend(_with_conjuncts(c))
    return out


def _arguments(verb: Token) -> dict[str, list[Token]]:
    """Logical subject, object and prepositional objects of `verb`."""
    args: dict[str, list[Token]] = {"subj": [], "obj": []}
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    for c in verb.children:
        if c.dep_ == "nsubj":
            args["subj"].extend(_with_conjuncts(c))
        elif c.dep_ == "nsubjpass":
            args["obj"].extend(_with_conjuncts(c))
        elif c.dep_ == "dobj":
            args["obj"].extend(_with_conjuncts(c))
        elif c.dep_ == "agent" and passive:
            for p in c.children:
                if p.dep_ == "pobj":
                    args["subj"].extend(_with_conjuncts(p))
        elif c.dep_ in ("prep", "dative"):
            for p in c.children:
                if p.dep_ == "pobj":
                    args.setdefault(c.lower_, []).extend(_with_conjuncts(p))
    return args


def find_dependency_relations(doc: Doc, spans: list[tuple[int, int]]) -> Iterator[DepFound]:
    """Relations stated by verbs of `doc` between entities given as (start, end) token spans."""
    if not doc.has_annotation("DEP"):
        return
    owner = {i: k for k, (s, e) in enumerate(spans) for i in range(s, e)}
    for tok in doc:
        spec = VERBS.get(tok.lemma_) if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB") else None
        if spec is None:
            continue
        relation, head_role, tail_role = spec
        args = _arguments(tok)
        heads = [e for t in args.get(head_role, []) if (e := _entity_of(t, owner)) is not None]
        tails = [e for t in args.get(tail_role, []) if (e := _entity_of(t, owner)) is not None]
        for h in heads:
            for t in tails:
                if h != t:
                    yield DepFound(h, t, relation, f"dep.{tok.lemma_}", tok.i)
