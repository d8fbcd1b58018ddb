"""Neo4j when things go wrong: re-runs, a server killed with SIGKILL in the middle of an ingest,
a refused write, an unreachable or wrongly-authenticated URI.

The kill test runs its own server (tools/neo4j/, data in a folder of the test) so that it can
kill and restart it on the same data.
"""
from __future__ import annotations

import dataclasses
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import rekg.loaders.ingest as ingest_module
from rekg.graph.errors import RekgError, StoreError, StoreUnavailable
from rekg.graph.model import Entity, GraphBatch, Relation, Subgraph, WriteSummary
from rekg.graph.stores import cypher
from rekg.graph.stores import neo4j_local as server
from rekg.graph.stores.neo4j import Neo4jStore, open_neo4j
from rekg.graph.stores.networkx import NetworkxStore
from rekg.loaders.ingest import ingest

from .conftest import DEV_CORPUS, ROOT, need_dev_corpus
from .neo4j_fixtures import neo4j_unavailable

pytestmark = pytest.mark.neo4j

PASSWORD = "faults-pw"


def snapshot(store) -> tuple:
    """Everything a store holds, with the load times (which differ per run) left out."""
    sub = store.subgraph()
    sub = dataclasses.replace(sub, documents=[dataclasses.replace(d, loaded_at=None) for d in sub.documents])
    docs = {k: dataclasses.replace(v, loaded_at=None) for k, v in store.documents().items()}
    return sub, docs, store.counts()


def test_reingest_changes_nothing(neo4j_store, extractor):
    need_dev_corpus()
    files = sorted(DEV_CORPUS.glob("*.txt"))
    first = ingest(files, neo4j_store, extractor)
    assert first.loaded == len(files)
    before = snapshot(neo4j_store)
    loaded_at = {k: d.loaded_at for k, d in neo4j_store.documents().items()}
    again = ingest(files, neo4j_store, extractor)
    assert (again.loaded, again.skipped, again.written) == (0, len(files), WriteSummary())
    assert snapshot(neo4j_store) == before
    assert {k: d.loaded_at for k, d in neo4j_store.documents().items()} == loaded_at


def test_refused_upsert_writes_nothing(neo4j_store):
    ok = Entity("organization/a", "A", "Organization")
    bad = GraphBatch([], [ok], [Relation("organization/a", "PART_OF", "organization/ghost", sources=["d"])])
    with pytest.raises(StoreError, match="unknown entity organization/ghost"):
        neo4j_store.upsert(bad)
    assert neo4j_store.subgraph() == Subgraph()  # the entity of the same batch was rolled back


def test_concurrent_writers_lose_nothing(neo4j_store, neo4j_server, monkeypatch):
    """Two writers adding to the same entities and relation at once: every contribution stays
    (each upsert locks the entities it touches before it reads them)."""
    import threading

    import rekg.graph.stores.neo4j as store_module
    from rekg.graph.model import Document, Mention

    real_fold = store_module._fold_relation

    def slow_fold(old, contributions):  # widen the window between reading and writing back
        time.sleep(0.02)
        return real_fold(old, contributions)

    monkeypatch.setattr(store_module, "_fold_relation", slow_fold)
    a, b = "organization/a", "organization/b"
    neo4j_store.upsert(GraphBatch([], [Entity(a, "A", "Organization"), Entity(b, "B", "Organization")]))
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            with open_neo4j(neo4j_server.uri, neo4j_server.user, neo4j_server.password) as store:
                for n in range(15):
                    doc = Document(f"doc-{name}-{n}", "t", "s", published=f"2024-01-{n + 1:02d}")
                    store.upsert(GraphBatch(
                        [doc],
                        [Entity(a, "A", "Organization", [f"A {name}{n}"]), Entity(b, "B", "Organization")],
                        [Relation(a, "FUNDS", b, sources=[doc.id], evidence=[f"{name} {n}"],
                                  first_seen=doc.published, last_seen=doc.published)],
                        [Mention(doc.id, a), Mention(doc.id, b)]))
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("x", "y")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    sub = neo4j_store.subgraph()
    funds = sub.relations[0]
    assert len(funds.sources) == funds.count == 30 and len(set(funds.sources)) == 30
    assert (funds.first_seen, funds.last_seen) == ("2024-01-01", "2024-01-15")
    assert sorted(next(e for e in sub.entities if e.id == a).aliases) == sorted(
        f"A {name}{n}" for name in "xy" for n in range(15))
    assert len(sub.mentions) == 60


# -- SIGKILL in the middle of an ingest -----------------------------------------------------

@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    """(state dir, data dir): a server of this module's own, stopped at the end."""
    base = tmp_path_factory.mktemp("neo4j-faults")
    state, data = base / "state", base / "data"
    try:
        server.start(state, data_dir=data, password=PASSWORD)
    except RekgError as exc:
        neo4j_unavailable(f"the local Neo4j did not start: {exc}")
    yield state, data
    server.stop(state)


def kill_server(state) -> None:
    pid = server.status(state).pid
    assert pid, "the server is not running"
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while os.path.exists(f"/proc/{pid}") and time.monotonic() < deadline:
        time.sleep(0.05)


def test_kill_during_ingest_then_rerun_gives_the_uninterrupted_graph(own_server, tmp_path, monkeypatch,
                                                                     extractor):
    need_dev_corpus()
    state, data = own_server
    files = sorted(DEV_CORPUS.glob("*.txt"))
    per_batch = 4
    monkeypatch.setattr(ingest_module, "BATCH_DOCUMENTS", per_batch)

    # the uninterrupted run, and what the first batch alone gives (embedded store: same graph,
    # as test_neo4j_parity shows)
    whole = NetworkxStore(tmp_path / "whole.json")
    ingest(files, whole, extractor)
    first_only = NetworkxStore(tmp_path / "first.json")
    ingest(files[:per_batch], first_only, extractor)

    info = server.start(state, data_dir=data, password=PASSWORD)
    store = open_neo4j(info.uri, info.user, info.password, max_transaction_retry_time=2.0)
    store.execute("MATCH (n) DETACH DELETE n", write=True)

    # the second upsert's transaction: its documents are written, then the server dies
    writes = {"documents": 0}
    real_write = Neo4jStore._batched_write

    def write_then_die(self, tx, query, key, items):
        done = real_write(self, tx, query, key, items)
        if query == cypher.merge_documents():
            writes["documents"] += 1
            if writes["documents"] == 2:
                kill_server(state)
        return done

    monkeypatch.setattr(Neo4jStore, "_batched_write", write_then_die)
    with pytest.raises(StoreUnavailable, match="lost Neo4j at"):
        ingest(files, store, extractor)
    store.close()
    monkeypatch.setattr(Neo4jStore, "_batched_write", real_write)
    assert writes["documents"] == 2

    # restart on the same data: exactly the first batch is there, nothing of the second
    info = server.start(state, data_dir=data, password=PASSWORD)
    with open_neo4j(info.uri, info.user, info.password) as store:
        assert snapshot(store) == snapshot(first_only)
        report = ingest(files, store, extractor)
        assert (report.skipped, report.loaded) == (per_batch, len(files) - per_batch)
        assert snapshot(store) == snapshot(whole)


# -- the command line, when Neo4j cannot be used --------------------------------------------

def rekg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "rekg", *args], capture_output=True, text=True,
                          cwd=ROOT, env=full_env, timeout=120, check=False)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("command", [["stats"], ["cypher", "RETURN 1"], ["ingest", "examples/corpus"]])
def test_unreachable_uri_is_one_line_and_exit_1(command):
    uri = f"bolt://127.0.0.1:{closed_port()}"
    done = rekg("--neo4j", uri, *command)
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and uri in lines[0] and lines[0].startswith("Error: cannot reach Neo4j")


def test_wrong_password_is_one_line_and_exit_1(neo4j_server):
    done = rekg("--neo4j", neo4j_server.uri, "stats", env={"NEO4J_PASSWORD": "wrong"})
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and neo4j_server.uri in lines[0] and "refused the login" in lines[0]


def test_cypher_command(neo4j_store, neo4j_server):
    env = {"NEO4J_URI": neo4j_server.uri, "NEO4J_USER": neo4j_server.user,
           "NEO4J_PASSWORD": neo4j_server.password}
    done = rekg("cypher", "CREATE (n:Scratch {name: $name}) RETURN n.name AS name", "-p", "name=<b>'x'</b>",
                env=env)
    assert done.returncode == 1 and "--write" in done.stderr
    done = rekg("cypher", "CREATE (n:Scratch {name: $name, n: $n}) RETURN n.name AS name, n.n AS n",
                "-p", "name=<b>'x'</b>", "-p", "n=3", "--write", "--format", "json", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == '[\n  {\n    "name": "<b>\'x\'</b>",\n    "n": 3\n  }\n]'
    done = rekg("cypher", "MATCH (n:Scratch) RETURN n.name AS name, n.n AS n", "--format", "csv", env=env)
    assert done.stdout.splitlines() == ["name,n", "<b>'x'</b>,3"]
    done = rekg("cypher", "MATCH (n:Scratch RETURN n", env=env)
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1


def test_neo4j_status_command(own_server):
    state, _ = own_server
    info = server.start(state, password=PASSWORD)  # running already: the same server
    done = rekg("neo4j", "status", "--state", str(state))
    assert done.returncode == 0 and done.stdout.split()[:2] == ["running", info.uri]
    done = rekg("neo4j", "start", "--state", str(state))
    assert done.returncode == 0
    assert server.parse_env(done.stdout) == info
    # eval "$(rekg neo4j start)" must reach child processes
    shell = subprocess.run(["bash", "-c", 'eval "$1"; bash -c \'echo "$NEO4J_URI"\'', "_", done.stdout],
                           capture_output=True, text=True, check=True)
    assert shell.stdout.strip() == info.uri
    done = rekg("neo4j", "status", "--state", str(state / "nothing-here"))
    assert (done.returncode, done.stdout) == (3, "stopped\n")
