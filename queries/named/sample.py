"""A tiny hand-built graph (real facts, our own words) that the docstring examples run on.

Three documents, fourteen actors: Lynas and its US arm, MP Materials, the US Department of
Defense and what it funds, where their mines are, and one policy.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rekg.graph.model import Document, Entity, GraphBatch, Mention, Relation

LYNAS_DOC = "doc-sample-lynas"
DOD_DOC = "doc-sample-dod-lynas-usa"
MP_DOC = "doc-sample-mp-materials"

_DOCS = [
    Document(LYNAS_DOC, "Lynas from Mount Weld to Texas", "sample/lynas.md", "rekg sample", "2024-12-31"),
    Document(DOD_DOC, "Defense contract for Lynas USA", "sample/dod.md", "rekg sample", "2022-06-14"),
    Document(MP_DOC, "MP Materials at Mountain Pass", "sample/mp.md", "rekg sample", "2022-02-22"),
]

_ENTITIES = [
    Entity("organization/lynas-rare-earths", "Lynas Rare Earths", "Organization",
           ["Lynas", "Lynas Corporation"], "company", "AU"),
    Entity("organization/lynas-usa", "Lynas USA", "Organization", ["Lynas USA, LLC"], "company", "US"),
    Entity("organization/mp-materials", "MP Materials", "Organization", ["MP"], "company", "US"),
    Entity("organization/us-department-of-defense", "US Department of Defense", "Organization",
           ["DoD", "Department of Defense"], "agency", "US"),
    Entity("person/amanda-lacaze", "Amanda Lacaze", "Person"),
    Entity("person/james-litinsky", "James Litinsky", "Person"),
    Entity("policy/defense-production-act-title-iii", "Defense Production Act Title III", "Policy",
           ["DPA Title III"], "law", "US"),
    Entity("place/mount-weld", "Mount Weld", "Place", [], "mine", "AU"),
    Entity("place/western-australia", "Western Australia", "Place", [], "state", "AU"),
    Entity("place/australia", "Australia", "Place", [], "country", "AU"),
    Entity("place/mountain-pass", "Mountain Pass", "Place", [], "mine", "US"),
    Entity("place/california", "California", "Place", [], "state", "US"),
    Entity("place/texas", "Texas", "Place", [], "state", "US"),
    Entity("place/united-states", "United States", "Place", ["US", "USA"], "country", "US"),
]

_O, _P, _L = "organization/", "place/", "person/"
_RELATIONS = [  # (head, type, tail, title, document, sentence)
    (_L + "amanda-lacaze", "HOLDS_POSITION", _O + "lynas-rare-earths", "chief executive officer", LYNAS_DOC,
     "Amanda Lacaze has been the chief executive officer of Lynas since 2014."),
    (_L + "james-litinsky", "HOLDS_POSITION", _O + "mp-materials", "chief executive officer", MP_DOC,
     "James Litinsky is the chief executive officer of MP Materials."),
    (_O + "lynas-usa", "PART_OF", _O + "lynas-rare-earths", None, LYNAS_DOC,
     "Lynas USA is a subsidiary of Lynas Rare Earths."),
    (_O + "lynas-usa", "PART_OF", _O + "lynas-rare-earths", None, DOD_DOC,
     "Lynas USA, LLC is the US arm of Lynas Rare Earths."),
    (_O + "lynas-rare-earths", "OPERATES", _P + "mount-weld", None, LYNAS_DOC,
     "Lynas operates the Mount Weld mine in Western Australia."),
    (_P + "mount-weld", "LOCATED_IN", _P + "western-australia", None, LYNAS_DOC,
     "Lynas operates the Mount Weld mine in Western Australia."),
    (_P + "western-australia", "LOCATED_IN", _P + "australia", None, LYNAS_DOC,
     "Western Australia is the largest state of Australia."),
    (_O + "lynas-usa", "LOCATED_IN", _P + "texas", None, DOD_DOC,
     "The Lynas USA plant is planned for the Gulf Coast of Texas."),
    (_P + "texas", "LOCATED_IN", _P + "united-states", None, DOD_DOC,
     "Texas, in the United States, hosts the planned plant."),
    (_O + "mp-materials", "OPERATES", _P + "mountain-pass", None, MP_DOC,
     "MP Materials operates the Mountain Pass mine."),
    (_P + "mountain-pass", "LOCATED_IN", _P + "california", None, MP_DOC,
     "Mountain Pass lies in San Bernardino County, California."),
    (_P + "california", "LOCATED_IN", _P + "united-states", None, MP_DOC,
     "California is a state of the United States."),
    (_O + "us-department-of-defense", "FUNDS", _O + "lynas-usa", "contract", DOD_DOC,
     "The Department of Defense awarded Lynas USA a contract worth about $120 million."),
    (_O + "us-department-of-defense", "FUNDS", _O + "mp-materials", "award", MP_DOC,
     "The Department of Defense awarded MP Materials $35 million."),
    (_O + "us-department-of-defense", "ISSUED", "policy/defense-production-act-title-iii", None, DOD_DOC,
     "The Department of Defense administers Defense Production Act Title III."),
    ("policy/defense-production-act-title-iii", "AFFECTS", _O + "lynas-usa", None, DOD_DOC,
     "The award to Lynas USA was made under Defense Production Act Title III."),
]


def sample_batch() -> GraphBatch:
    """The sample graph as one batch: each relation is one document's contribution."""
    dates = {d.id: d.published for d in _DOCS}
    batch = GraphBatch(documents=list(_DOCS), entities=list(_ENTITIES))
    mentioned: dict[tuple[str, str], int] = {}
    for head, type_, tail, title, doc, sentence in _RELATIONS:
        batch.relations.append(Relation(head, type_, tail, title, [doc], [sentence], [doc], 1,
                                        dates[doc], dates[doc], 1.0, ["sample"]))
        for end in (head, tail):
            mentioned[(doc, end)] = mentioned.get((doc, end), 0) + 1
    batch.mentions = [Mention(doc, ent, n) for (doc, ent), n in sorted(mentioned.items())]
    return batch


def sample_store():
    """A fresh embedded store holding the sample graph, kept in memory (never saved).

    >>> sample_store().counts().relations["FUNDS"]
    2
    """
    from rekg.graph.stores.networkx import NetworkxStore

    folder = tempfile.mkdtemp(prefix="rekg-sample-")
    os.rmdir(folder)  # nothing is ever written there
    store = NetworkxStore(Path(folder) / "graph.json", autosave=False)
    store.upsert(sample_batch())
    return store
