"""Named queries on the embedded store: small hand-built graphs whose answers are known exactly,
the sample corpus, parameters, name resolution, the Cypher files and `rekg query`."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rekg.graph.errors import Ambiguous, NotFound, QueryError
from rekg.graph.model import Document, Entity, GraphBatch, Mention, Relation
from rekg.graph.stores.networkx import NetworkxStore
from rekg.queries.base import CYPHER_DIR
from rekg.queries.library import QUERIES, ego_subgraph, listing, run
from rekg.queries.names import resolve

from rekg.cli import cli

from .conftest import EXAMPLES

ORG, PER, POL, PLA = "Organization", "Person", "Policy", "Place"


def build(tmp_path: Path, entities: list[tuple], relations: list[tuple],
          docs: dict[str, str | None] | None = None, mentions: list[tuple] = ()) -> NetworkxStore:
    """A store from (id, name, type[, aliases]) entities and (head, TYPE, tail[, doc[, title]])
    relations; ids are short (`a`, `b` …); each relation's evidence is "head TYPE tail.".
    Every relation end is mentioned by the relation's document."""
    docs = {"d1": "2024-01-01"} if docs is None else docs
    batch = GraphBatch()
    batch.documents = [Document(d, f"title {d}", f"src/{d}", "pub", date) for d, date in docs.items()]
    batch.entities = [Entity(e[0], e[1], e[2], list(e[3]) if len(e) > 3 else []) for e in entities]
    seen: dict[tuple[str, str], int] = {}
    for rel in relations:
        head, type_, tail = rel[:3]
        doc = rel[3] if len(rel) > 3 else next(iter(docs))
        title = rel[4] if len(rel) > 4 else None
        date = docs[doc]
        batch.relations.append(Relation(head, type_, tail, title, [doc], [f"{head} {type_} {tail}."], [doc],
                                        1, date, date))
        for end in (head, tail):
            seen[(doc, end)] = seen.get((doc, end), 0) + 1
    for doc, ent in mentions:
        seen[(doc, ent)] = seen.get((doc, ent), 0) + 1
    batch.mentions = [Mention(d, e, n) for (d, e), n in sorted(seen.items())]
    store = NetworkxStore(tmp_path / "graph.json", autosave=False)
    store.upsert(batch)
    return store


# -- names --------------------------------------------------------------------------------------

@pytest.fixture
def named(tmp_path):
    return build(tmp_path, [
        ("o/baotou-steel", "Baotou Steel", ORG, ["Baogang", "BAOTOU"]),
        ("p/baotou", "Baotou", PLA),
        ("o/lynas", "Lynas Rare Earths", ORG, ["Lynas"]),
        ("o/lynas-usa", "Lynas USA", ORG, ["Lynas"]),
        ("o/strasse", "Große Straße GmbH", ORG),
    ], [])


def test_resolve_any_case_alias_or_id(named):
    assert resolve(named, "baogang") == "o/baotou-steel"
    assert resolve(named, "  LYNAS   rare earths ") == "o/lynas"
    assert resolve(named, "o/lynas-usa") == "o/lynas-usa"
    assert resolve(named, "GROSSE STRASSE GMBH") == "o/strasse"  # ß folds to ss, as in the Cypher


def test_resolve_name_beats_alias_and_types_narrow(named):
    # "Baotou" is the Place's name and the company's alias: the name wins
    assert resolve(named, "baotou") == "p/baotou"
    assert resolve(named, "baotou", [ORG]) == "o/baotou-steel"


def test_resolve_ambiguous_lists_candidates(named):
    with pytest.raises(Ambiguous) as err:
        resolve(named, "lynas")
    message = str(err.value)
    assert "may mean 2 actors" in message
    assert "Lynas Rare Earths (Organization, o/lynas)" in message
    assert "Lynas USA (Organization, o/lynas-usa)" in message


def test_resolve_not_found_suggests_closest(named):
    with pytest.raises(NotFound) as err:
        resolve(named, "Lynaz Rare Earth")
    assert str(err.value).startswith("no actor is called 'Lynaz Rare Earth'; closest: Lynas Rare Earths (")
    with pytest.raises(NotFound, match=r"no Person is called 'Baotou' \(it names: Baotou Steel \(Organization, "
                                       r"o/baotou-steel\); Baotou \(Place, p/baotou\)\)"):
        resolve(named, "Baotou", [PER])


# -- profile, timeline, new-since ---------------------------------------------------------------

@pytest.fixture
def small(tmp_path):
    """Two documents; a company, its unit, a person, places, a policy, and one co-mention."""
    return build(tmp_path, [
        ("o/a", "Alpha Mining", ORG, ["Alpha"]), ("o/b", "Beta Unit", ORG), ("o/c", "Gamma Fund", ORG),
        ("x/p", "Pat Doe", PER), ("l/t", "Town", PLA), ("l/s", "State", PLA), ("l/m", "Mine Site", PLA),
        ("y/law", "Mining Law", POL),
    ], [
        ("o/b", "PART_OF", "o/a", "d1"), ("o/b", "PART_OF", "o/a", "d2"),
        ("x/p", "HOLDS_POSITION", "o/b", "d1", "director"),
        ("o/a", "LOCATED_IN", "l/t", "d1"), ("l/t", "LOCATED_IN", "l/s", "d1"),
        ("o/b", "OPERATES", "l/m", "d2"), ("l/m", "LOCATED_IN", "l/t", "d2"),
        ("o/c", "FUNDS", "o/a", "d2", "loan"), ("o/a", "FUNDS", "o/b", "d2", "grant"),
        ("o/c", "ISSUED", "y/law", "d1"), ("y/law", "AFFECTS", "o/a", "d2"),
        ("o/a", "CO_MENTIONED", "x/p", "d1"),
    ], docs={"d1": "2021-05-01", "d2": "2023-02-01", "d3": None}, mentions=[("d3", "o/a")])


def test_profile_groups_relations_and_leaves_out_co_mentions(small):
    rows = run(small, "profile", {"name": "alpha"})
    assert [(r["relation"], r["direction"], r["other"]) for r in rows] == [
        ("AFFECTS", "in", "Mining Law"),
        ("FUNDS", "in", "Gamma Fund"),
        ("FUNDS", "out", "Beta Unit"),
        ("LOCATED_IN", "out", "Town"),
        ("PART_OF", "in", "Beta Unit"),
    ]
    part = rows[-1]
    assert part["name"] == "Alpha Mining" and part["type"] == ORG and part["aliases"] == ["Alpha"]
    # two documents state it in the same words: one evidence sentence is kept
    assert part["count"] == 2 and part["evidenceCount"] == 1 and part["sources"] == ["title d1", "title d2"]
    assert rows[1]["title"] == "loan"


def test_profile_of_an_actor_without_relations_is_one_row(tmp_path):
    store = build(tmp_path, [("o/a", "Alone", ORG)], [], mentions=[("d1", "o/a")])
    [row] = run(store, "profile", {"name": "Alone"})
    assert row["name"] == "Alone" and row["relation"] is None and row["sources"] == []


def test_profile_types_filter(small):
    rows = run(small, "profile", {"name": "Alpha Mining", "types": "funds"})
    assert {r["relation"] for r in rows} == {"FUNDS"}


def test_timeline_orders_documents_and_lists_what_each_states(small):
    rows = run(small, "timeline", {"name": "Alpha"})
    assert [(r["document"], r["published"]) for r in rows] == [("d1", "2021-05-01"), ("d2", "2023-02-01"),
                                                                ("d3", None)]
    assert rows[0]["relations"] == ["Alpha Mining LOCATED_IN Town", "Beta Unit PART_OF Alpha Mining"]
    assert rows[1]["relations"] == ["Alpha Mining FUNDS Beta Unit", "Beta Unit PART_OF Alpha Mining",
                                    "Gamma Fund FUNDS Alpha Mining", "Mining Law AFFECTS Alpha Mining"]
    assert rows[2]["relations"] == []


def test_new_since(small):
    rows = run(small, "new-since", {"date": "2022-01-01"})
    actors = [r["name"] for r in rows if r["element"] == "actor"]
    relations = [(r["head"], r["type"], r["tail"]) for r in rows if r["element"] == "relation"]
    assert actors == ["Mine Site"]  # everything else is named in 2021 already
    assert relations == [("Mining Law", "AFFECTS", "Alpha Mining"), ("Alpha Mining", "FUNDS", "Beta Unit"),
                         ("Gamma Fund", "FUNDS", "Alpha Mining"), ("Mine Site", "LOCATED_IN", "Town"),
                         ("Beta Unit", "OPERATES", "Mine Site")]
    assert {r["firstSeen"] for r in rows} == {"2023-02-01"}
    assert ("Beta Unit", "PART_OF", "Alpha Mining") not in relations  # first seen 2021
    assert run(small, "new-since", {"date": "2023-02-01"}) == []  # strictly after


# -- organizations ------------------------------------------------------------------------------

def test_people_through_parts(small):
    assert [(r["person"], r["title"], r["organization"], r["level"]) for r in run(small, "people",
                                                                                  {"name": "Alpha"})] \
        == [("Pat Doe", "director", "Beta Unit", 1)]
    assert run(small, "people", {"name": "Alpha", "parts": "no"}) == []
    with pytest.raises(NotFound):  # people of a Person: the name must be an organization
        run(small, "people", {"name": "Pat Doe"})


def test_family_above_and_below(tmp_path):
    store = build(tmp_path, [("o/top", "Top", ORG), ("o/mid", "Mid", ORG), ("o/low", "Low", ORG),
                             ("o/low2", "Low Two", ORG), ("o/x", "Other", ORG)],
                  [("o/mid", "PART_OF", "o/top"), ("o/low", "PART_OF", "o/mid"), ("o/low2", "PART_OF", "o/low"),
                   ("o/x", "FUNDS", "o/mid")])
    rows = run(store, "family", {"name": "mid"})
    assert [(r["side"], r["level"], r["part"], r["whole"]) for r in rows] == [
        ("above", 1, "Mid", "Top"), ("below", 1, "Low", "Mid"), ("below", 2, "Low Two", "Low")]


def test_funding_in_and_out(small):
    rows = run(small, "funding", {"name": "alpha mining"})
    assert [(r["direction"], r["funder"], r["recipient"], r["title"]) for r in rows] == [
        ("in", "Gamma Fund", "Alpha Mining", "loan"), ("out", "Alpha Mining", "Beta Unit", "grant")]
    assert rows[0]["evidence"] == "o/c FUNDS o/a." and rows[0]["firstSeen"] == "2023-02-01"


def test_policies_with_issuers_and_evidence(small):
    [row] = run(small, "policies", {"name": "Alpha"})
    assert row["policy"] == "Mining Law" and row["issuers"] == ["Gamma Fund"]
    assert row["evidence"] == ["y/law AFFECTS o/a."] and row["sources"] == ["title d2"]


def test_in_place_follows_located_in_chains(small):
    rows = run(small, "in-place", {"name": "State"})
    assert [(r["organization"], r["relation"], r["place"], r["distance"]) for r in rows] == [
        ("Alpha Mining", "LOCATED_IN", "Town", 1), ("Beta Unit", "OPERATES", "Mine Site", 2)]
    assert run(small, "in-place", {"name": "Mine Site"})[0]["distance"] == 0


# -- network ------------------------------------------------------------------------------------

@pytest.fixture
def chain(tmp_path):
    """a - b - c - d in a line over PARTNERS_WITH, plus b - e over FUNDS and a CO_MENTIONED a - d."""
    return build(tmp_path, [(f"o/{n}", n.upper(), ORG) for n in "abcde"], [
        ("o/a", "PARTNERS_WITH", "o/b"), ("o/c", "PARTNERS_WITH", "o/b"), ("o/c", "PARTNERS_WITH", "o/d"),
        ("o/b", "FUNDS", "o/e"), ("o/a", "CO_MENTIONED", "o/d")])


def test_ego_depths_and_edges(chain):
    def nodes(rows):
        return [(r["name"], r["distance"]) for r in rows if r["element"] == "node"]

    def edges(rows):
        return [(r["head"], r["type"], r["tail"]) for r in rows if r["element"] == "edge"]

    one = run(chain, "ego", {"name": "a"})
    assert nodes(one) == [("A", 0), ("B", 1)] and edges(one) == [("o/a", "PARTNERS_WITH", "o/b")]
    two = run(chain, "ego", {"name": "a", "depth": 2})
    assert nodes(two) == [("A", 0), ("B", 1), ("C", 2), ("E", 2)]
    three = run(chain, "ego", {"name": "a", "depth": "3"})
    assert nodes(three)[-1] == ("D", 3)
    assert edges(three) == [("o/a", "PARTNERS_WITH", "o/b"), ("o/b", "FUNDS", "o/e"),
                            ("o/c", "PARTNERS_WITH", "o/b"), ("o/c", "PARTNERS_WITH", "o/d")]
    only = run(chain, "ego", {"name": "b", "types": ["PARTNERS_WITH"]})
    assert nodes(only) == [("B", 0), ("A", 1), ("C", 1)]
    co = run(chain, "ego", {"name": "a", "types": "CO_MENTIONED"})
    assert nodes(co) == [("A", 0), ("D", 1)]


def test_ego_edges_among_the_outer_ring(tmp_path):
    # b and c both at distance 1 from a, joined to each other: that relation is in the answer
    store = build(tmp_path, [("o/a", "A", ORG), ("o/b", "B", ORG), ("o/c", "C", ORG)],
                  [("o/a", "FUNDS", "o/b"), ("o/a", "FUNDS", "o/c"), ("o/b", "PARTNERS_WITH", "o/c")])
    rows = run(store, "ego", {"name": "a"})
    assert ("o/b", "PARTNERS_WITH", "o/c") in {(r["head"], r["type"], r["tail"]) for r in rows}


def test_ego_subgraph_for_rendering(chain):
    sub = ego_subgraph(chain, "b", 1, "PARTNERS_WITH")
    assert [e.id for e in sub.entities] == ["o/a", "o/b", "o/c"]
    assert [r.key for r in sub.relations] == [("o/a", "PARTNERS_WITH", "o/b"), ("o/c", "PARTNERS_WITH", "o/b")]
    assert [d.id for d in sub.documents] == ["d1"]


@pytest.fixture
def diamond(tmp_path):
    """s -> x -> t and s -> y -> t, plus a second relation type on s - x; a long way round via z."""
    return build(tmp_path, [(f"o/{n}", n, ORG) for n in ("s", "x", "y", "t", "z", "far")], [
        ("o/s", "FUNDS", "o/x"), ("o/s", "PARTNERS_WITH", "o/x"), ("o/x", "PARTNERS_WITH", "o/t"),
        ("o/s", "FUNDS", "o/y"), ("o/t", "FUNDS", "o/y"),
        ("o/s", "PART_OF", "o/z"), ("o/far", "PART_OF", "o/z")])


def test_paths_every_shortest_one_with_parallel_relations(diamond):
    rows = run(diamond, "paths", {"from": "s", "to": "t"})
    paths: dict[int, list] = {}
    for r in rows:
        paths.setdefault(r["path"], []).append((r["from"], r["direction"], r["relation"], r["to"]))
    assert list(paths.values()) == [
        [("s", "->", "FUNDS", "x"), ("x", "->", "PARTNERS_WITH", "t")],
        [("s", "->", "PARTNERS_WITH", "x"), ("x", "->", "PARTNERS_WITH", "t")],
        [("s", "->", "FUNDS", "y"), ("y", "<-", "FUNDS", "t")],
    ]
    assert rows[0]["evidence"] == "o/s FUNDS o/x." and rows[0]["hop"] == 1 and rows[1]["hop"] == 2


def test_paths_limits(diamond):
    assert run(diamond, "paths", {"from": "s", "to": "t", "maxLength": 1}) == []
    assert {r["path"] for r in run(diamond, "paths", {"from": "s", "to": "t", "limit": 1})} == {1}
    assert run(diamond, "paths", {"from": "s", "to": "t", "types": "FUNDS"})[1]["direction"] == "<-"
    far = run(diamond, "paths", {"from": "far", "to": "t"})  # far - z - s, then the three ways on
    assert len(far) == 3 * 4 and {r["path"] for r in far} == {1, 2, 3}
    with pytest.raises(QueryError, match="same actor"):
        run(diamond, "paths", {"from": "s", "to": "o/s"})


def test_central_on_a_star(tmp_path):
    leaves = [f"o/l{i}" for i in range(5)]
    store = build(tmp_path, [("o/hub", "Hub", ORG), *[(leaf, leaf[2:], ORG) for leaf in leaves]],
                  [("o/hub", "FUNDS", leaf) for leaf in leaves] + [("o/l0", "PARTNERS_WITH", "o/hub")])
    rows = run(store, "central", {"limit": 3})
    assert [r["name"] for r in rows] == ["Hub", "l0", "l1"]
    assert rows[0]["degree"] == 6 and rows[0]["betweenness"] == 1.0 and rows[1]["betweenness"] == 0.0
    everyone = run(store, "central", {"limit": 100})
    assert abs(sum(r["pagerank"] for r in everyone) - 1) < 1e-5
    by_degree = run(store, "central", {"by": "degree", "types": "PARTNERS_WITH"})
    assert [(r["name"], r["degree"]) for r in by_degree] == [("Hub", 1), ("l0", 1)]


def test_communities_two_cliques(tmp_path):
    left, right = ["a", "b", "c", "d"], ["e", "f", "g", "h"]
    rels = [(f"o/{u}", "PARTNERS_WITH", f"o/{v}") for group in (left, right)
            for i, u in enumerate(group) for v in group[i + 1:]]
    store = build(tmp_path, [(f"o/{n}", n.upper(), ORG) for n in left + right], rels + [("o/d", "FUNDS", "o/e")])
    rows = run(store, "communities", {})
    assert [(r["community"], r["members"]) for r in rows] == [(1, ["A", "B", "C", "D"]), (2, ["E", "F", "G", "H"])]
    assert run(store, "communities", {"seed": 7}) == rows
    assert run(store, "communities", {"minSize": 5}) == []


# -- parameters ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name, params, message", [
    ("profile", {}, "parameter name is required"),
    ("profile", {"name": "a", "colour": "red"}, "unknown parameter colour"),
    ("ego", {"name": "a", "depth": "4"}, "between 1 and 3"),
    ("ego", {"name": "a", "depth": "two"}, "not a valid int"),
    ("ego", {"name": "a", "types": "OWNS"}, "unknown relation type 'OWNS'"),
    ("profile", {"name": "a", "types": "CO_MENTIONED"}, "unknown relation type"),
    ("new-since", {"date": "May 2024"}, "not a valid date"),
    ("central", {"by": "fame"}, "must be one of degree, pagerank, betweenness"),
    ("centrl", {}, "no named query 'centrl'; did you mean central"),
])
def test_bad_parameters(chain, name, params, message):
    with pytest.raises(QueryError, match=re.escape(message)):
        run(chain, name, params)


def test_every_query_has_cypher_using_only_its_parameters():
    files = {p.stem for p in CYPHER_DIR.glob("*.cypher")}
    for query in QUERIES.values():
        assert query.name in files, query.name
        used = set(re.findall(r"\$(\w+)", query.cypher))
        assert used <= {p.key for p in query.params}, (query.name, used)
        assert query.networkx.__doc__, query.name
    public = [q for q in QUERIES.values() if not q.internal]
    assert all(q.example.startswith(f"rekg query {q.name} ") for q in public)
    assert [r["name"] for r in listing()] == [q.name for q in public]


# -- the sample corpus --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_corpus(tmp_path_factory, extractor):
    from rekg.loaders.ingest import ingest

    store = NetworkxStore(tmp_path_factory.mktemp("examples") / "graph.json", autosave=False)
    report = ingest([EXAMPLES], store, extractor)
    assert report.loaded == 10 and not report.failed
    return store


def test_sample_corpus_answers(sample_corpus):
    store = sample_corpus
    profile = run(store, "profile", {"name": "lynas"})
    assert {"Lynas Rare Earths"} == {r["name"] for r in profile}
    assert ("OPERATES", "Mount Weld") in {(r["relation"], r["other"]) for r in profile}
    assert "CO_MENTIONED" not in {r["relation"] for r in profile}
    assert "Amanda Lacaze" in {r["person"] for r in run(store, "people", {"name": "Lynas Rare Earths"})}
    assert ("Lynas Rare Earths", "OPERATES", "Mount Weld") in {
        (r["organization"], r["relation"], r["place"]) for r in run(store, "in-place", {"name": "Western Australia"})}
    hops = [(r["from"], r["relation"], r["to"]) for r in run(store, "paths", {"from": "Amanda Lacaze",
                                                                              "to": "Mount Weld"})]
    assert hops == [("Amanda Lacaze", "HOLDS_POSITION", "Lynas Rare Earths"),
                    ("Lynas Rare Earths", "OPERATES", "Mount Weld")]
    ego = run(store, "ego", {"name": "Lynas", "depth": 2})
    assert ego[0]["name"] == "Lynas Rare Earths" and ego[0]["distance"] == 0
    assert {"Mount Weld", "Amanda Lacaze"} <= {r["name"] for r in ego if r["distance"] == 1}
    timeline = run(store, "timeline", {"name": "Lynas"})
    dates = [r["published"] for r in timeline if r["published"]]
    assert dates == sorted(dates) and len(timeline) >= 2
    central = run(store, "central", {"limit": 5})
    assert len(central) == 5 and central[0]["pagerank"] >= central[-1]["pagerank"]
    communities = run(store, "communities", {})
    assert sum(r["size"] for r in communities) == len({i for r in communities for i in r["ids"]})


# -- the CLI ------------------------------------------------------------------------------------

def test_cli_query(small, tmp_path):
    small.save()
    runner = CliRunner()
    base = ["--store", str(small.path), "query"]
    done = runner.invoke(cli, [*base, "funding", "--param", "name=ALPHA", "--format", "json"])
    assert done.exit_code == 0, done.output
    assert [r["recipient"] for r in json.loads(done.stdout)] == ["Alpha Mining", "Beta Unit"]
    done = runner.invoke(cli, [*base, "people", "-p", "name=Alpha Mining", "--format", "csv"])
    assert done.exit_code == 0 and done.stdout.splitlines()[0].startswith("person,title,organization,level")
    done = runner.invoke(cli, [*base, "--list"])
    assert done.exit_code == 0 and "profile" in done.stdout and "new-since" in done.stdout


def test_cli_query_errors(named):
    named.save()
    runner = CliRunner()
    base = ["--store", str(named.path), "query"]
    done = runner.invoke(cli, [*base, "profile", "--param", "name=lynas"])
    assert done.exit_code == 1
    assert "may mean 2 actors" in done.stderr and "o/lynas-usa" in done.stderr and done.stdout == ""
    done = runner.invoke(cli, [*base, "profile", "--param", "name"])
    assert done.exit_code == 2 and "is not KEY=VALUE" in done.stderr
    done = runner.invoke(cli, [*base])
    assert done.exit_code == 2
