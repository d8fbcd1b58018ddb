"""End to end through the CLI: the seed article, idempotent re-ingest, extract, stats, demo."""
from __future__ import annotations

import json

from click.testing import CliRunner
from rekg.graph.stores.networkx import NetworkxStore

from rekg.cli import cli

from .conftest import DEV_CORPUS, SEED, need_dev_corpus


def run(*args: str, env: dict | None = None):
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return result


def test_seed_article_end_to_end(store_path):
    need_dev_corpus()
    result = run("--store", str(store_path), "ingest", str(SEED), "--model", "none")
    assert result.exit_code == 0, result.output
    sub = NetworkxStore(store_path).subgraph()
    by_name = {e.name: e for e in sub.entities}
    expected = {"China Northern Rare Earth Group": "Organization", "Du Fenglian": "Person",
                "15th Five-Year Plan": "Policy", "Inner Mongolia": "Place",
                "Inner Mongolia University": "Organization"}
    for name, type_ in expected.items():
        assert by_name[name].type == type_, name
    assert not any("\u0e42" in e.name or "\u0e42" in "".join(e.aliases) for e in sub.entities)
    ids = {e.name: e.id for e in sub.entities}
    pos = [r for r in sub.relations if r.type == "HOLDS_POSITION"
           and r.head == ids["Du Fenglian"] and r.tail == ids["Inner Mongolia University"]]
    assert len(pos) == 1 and pos[0].title == "vice president"
    assert "Du Fenglian" in pos[0].evidence[0] and pos[0].sources == [sub.documents[0].id]
    team = next(e for e in sub.entities if e.name == "Inner Mongolia Party lecture team")
    assert team.type == "Organization"
    visits = [r for r in sub.relations if r.type == "VISITED"]
    assert [(r.head, r.tail) for r in visits] == [(team.id, ids["China Northern Rare Earth Group"])]
    led = [r for r in sub.relations if r.type == "HOLDS_POSITION" and r.tail == team.id]
    assert [(r.head, r.title) for r in led] == [(ids["Du Fenglian"], "leader")]
    mentions = {m.entity for m in sub.mentions}
    assert ids["Du Fenglian"] in mentions and len(sub.documents) == 1


def test_ingesting_again_changes_nothing(store_path):
    need_dev_corpus()
    files = sorted(str(p) for p in DEV_CORPUS.glob("dev0[0-4]*.txt"))
    first = run("--store", str(store_path), "ingest", *files, "--format", "json")
    assert first.exit_code == 0
    before = store_path.read_bytes()
    second = run("--store", str(store_path), "ingest", *files, "--format", "json")
    summary = json.loads(second.stdout)
    assert summary["loaded"] == 0 and summary["skipped_unchanged"] == len(files)
    assert summary["new_entities"] == 0 and summary["new_relations"] == 0
    assert store_path.read_bytes() == before


def test_extract_prints_one_json_object_per_document():
    need_dev_corpus()
    files = sorted(str(p) for p in DEV_CORPUS.glob("dev0[0-2]*.txt"))
    result = run("extract", *files, "--model", "none")
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3
    records = [json.loads(line) for line in lines]
    assert [r["doc"] for r in records] == files
    seed = records[0]
    assert {"name", "type", "aliases"} <= set(seed["entities"][0])
    rel = next(r for r in seed["relations"] if r["type"] == "HOLDS_POSITION")
    assert {"head", "tail", "evidence", "rules"} <= set(rel)


def test_missing_file_is_one_line_and_non_zero(store_path, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Lynas Rare Earths operates the Mount Weld mine in Western Australia.\n")
    result = CliRunner().invoke(cli, ["--store", str(store_path), "ingest", str(tmp_path / "nope.txt"),
                                      str(good)])
    assert result.exit_code == 1
    assert "nope.txt: no such file or folder" in result.output
    assert "Traceback" not in result.output
    assert len(NetworkxStore(store_path).documents()) == 1  # the good file still loaded


def test_unreadable_store_is_one_line(tmp_path):
    bad = tmp_path / "graph.json"
    bad.write_text("not json")
    result = CliRunner().invoke(cli, ["--store", str(bad), "stats"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "cannot read the graph store" in result.output


def test_stats_json(store_path):
    need_dev_corpus()
    run("--store", str(store_path), "ingest", str(SEED))
    data = json.loads(run("--store", str(store_path), "stats", "--format", "json").stdout)
    assert data["nodes"]["Document"] == 1 and data["nodes"]["Person"] >= 1
    assert data["relationships"]["HOLDS_POSITION"] >= 2
    assert data["top_actors"][0]["degree"] >= data["top_actors"][-1]["degree"]


def test_demo_builds_graph_and_page(tmp_path):
    out = tmp_path / "demo"
    result = run("demo", "-o", str(out), "--model", "none")
    assert result.exit_code == 0, result.output
    store = NetworkxStore(out / "graph.json")
    assert len(store.documents()) == 10
    names = {e.name for e in store.subgraph().entities}
    assert {"China Northern Rare Earth Group", "Du Fenglian", "Lynas Rare Earths", "MP Materials"} <= names
    page = (out / "graph.html").read_text()
    assert "<script src=" not in page and "https://" not in page.split("<script")[0]
    assert "Du Fenglian" in page


def test_every_command_has_help():
    for name, command in cli.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0 and command.help, name


def test_stats_gives_the_same_top_actors_on_both_stores(store, extractor):
    """`rekg stats` reads types from the entities, not from Neo4j's label order."""
    need_dev_corpus()
    from rekg.loaders.ingest import ingest
    from rekg.queries.stats import stats

    ingest([SEED], store, extractor)
    top = stats(store, 5)["top_actors"]
    assert top and {row["type"] for row in top} <= {"Organization", "Person", "Policy", "Place"}
    assert top[0]["degree"] >= top[-1]["degree"]


def test_every_command_is_in_the_readme():
    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in cli.commands if f"rekg {name}" not in readme]
    assert missing == []
