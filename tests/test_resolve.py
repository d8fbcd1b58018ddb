"""Entity resolution across documents: ids, merges and their reasons, names that must not merge."""
from __future__ import annotations

from rekg.graph.stores.networkx import NetworkxStore
from rekg.loaders.extraction.resolve import EntityIndex, Resolver, _initials, _typo_apart
from rekg.loaders.ingest import ingest


def test_typos_merge_but_different_words_do_not():
    assert _typo_apart("lai chau rate earth", "lai chau rare earth")
    assert not _typo_apart("china northern rare earth", "china southern rare earth")
    assert not _typo_apart("lynas usa", "lynas malaysia")


def test_initials():
    assert _initials("China Rare Earth Group") == "CREG"
    assert _initials("Department of Energy") == "DE"


def test_index_finds_same_name_acronym_and_typo_within_type_and_country():
    idx = EntityIndex()
    idx.add("organization/acme-rare-earths", "Organization", ["Acme Rare Earths Ltd."], "AU")
    idx.add("organization/zeta-magnet-works-group", "Organization", ["Zeta Magnet Works Group"])
    assert idx.find("Organization", ["Acme Rare Earths Limited"], None)[0] == "organization/acme-rare-earths"
    assert idx.find("Organization", ["ZMWG"], None)[0] == "organization/zeta-magnet-works-group"
    assert idx.find("Organization", ["Acme Rare Earthz"], None)[0] == "organization/acme-rare-earths"
    assert idx.find("Organization", ["Acme Rare Earthz"], "CA") is None  # countries differ
    assert idx.find("Place", ["Acme Rare Earths"], None) is None  # types differ


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_same_unknown_company_in_two_documents_is_one_node_with_merge_reason(tmp_path, extractor):
    store = NetworkxStore(tmp_path / "g.json")
    a = _write(tmp_path, "a.txt", "Title\n\nQuarrion Magnetics Ltd. is headquartered in Perth, Western Australia.\n")
    b = _write(tmp_path, "b.txt", "Title\n\nQuarrion Magnetics Limited opened a plant in Darwin.\n"
                                  "Quarion Magnetics Limited said it would hire staff.\n")
    ingest([a], store, extractor)
    ingest([b], store, extractor)
    orgs = [e for e in store.subgraph().entities if "Magnetics" in e.name]
    assert len(orgs) == 1, [e.name for e in orgs]
    assert orgs[0].id == "organization/quarrion-magnetics"


def test_two_companies_sharing_a_short_name_stay_apart(tmp_path, extractor):
    store = NetworkxStore(tmp_path / "g.json")
    a = _write(tmp_path, "a.txt", "Title\n\nBelmora Resources Ltd. operates the Kallen mine.\n"
                                  "Belmora Minerals Ltd. is based in Lisbon.\n")
    ingest([a], store, extractor)
    names = {e.name for e in store.subgraph().entities if e.type == "Organization"}
    assert {"Belmora Resources Ltd.", "Belmora Minerals Ltd."} <= names


def test_resolver_records_why_it_merged(extractor):
    r = Resolver(extractor.gaz, [{"id": "organization/tallis-rare-earth-group", "type": "Organization",
                                  "name": "Tallis Rare Earth Group", "aliases": [], "country": None}])
    from rekg.loaders.sources.inputs import SourceDocument

    ex = extractor.extract(SourceDocument("Title\n\nTalis Rare Earth Group said it shipped oxide.", "x.txt"))
    batch = r.to_batch(ex)
    merged = {e.id: e.merged for e in batch.entities}
    assert any("near spelling" in m for m in merged.get("organization/tallis-rare-earth-group", []))


def test_cli_entities_merged_shows_reason(tmp_path):
    from click.testing import CliRunner

    from rekg.cli import cli

    store = tmp_path / "g.json"
    a = _write(tmp_path, "a.txt", "Title\n\nQuarrion Magnetics Ltd. is headquartered in Perth.\n")
    b = _write(tmp_path, "b.txt", "Title\n\nQuarion Magnetics Ltd. opened a plant in Darwin.\n")
    runner = CliRunner()
    for f in (a, b):
        assert runner.invoke(cli, ["--store", str(store), "ingest", str(f), "--model", "none"]).exit_code == 0
    result = runner.invoke(cli, ["--store", str(store), "entities", "--merged", "--format", "json"])
    import json

    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == ["organization/quarrion-magnetics"]
    assert "near spelling" in rows[0]["merged"][0] and "Quarion Magnetics Ltd." in rows[0]["aliases"]
