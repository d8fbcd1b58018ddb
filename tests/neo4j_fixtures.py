"""Fixtures for the tests that need a real Neo4j (loaded by tests/conftest.py).

- `neo4j_server` (session): the server at NEO4J_URI when set (its database must be empty: the
  tests wipe it), else one of our own started by tools/neo4j/ in a temporary state folder and
  stopped at the end. When none can be had the Neo4j tests are skipped, unless
  REKG_REQUIRE_NEO4J is set: then they fail.
- `neo4j_store`: a `Neo4jStore` on that server, emptied before each test.
- `store`: the same test on both backends, parametrised over ["networkx", "neo4j"].
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from rekg.graph.errors import RekgError
from rekg.graph.stores.networkx import NetworkxStore

#: What the test server is started with in REKG_NEO4J_CONFIG.
EXTRA_CONFIG = "db.transaction.timeout=10m"


def neo4j_unavailable(reason: str) -> None:
    """Skip, or fail when REKG_REQUIRE_NEO4J is set (CI), because there is no Neo4j."""
    if os.environ.get("REKG_REQUIRE_NEO4J"):
        pytest.fail(f"REKG_REQUIRE_NEO4J is set but {reason}", pytrace=False)
    pytest.skip(reason)


def clear(store) -> None:
    """Delete every node and relationship (in chunks: one transaction stays small)."""
    while store.execute("MATCH (n) WITH n LIMIT 5000 DETACH DELETE n RETURN count(*) AS n",
                        write=True)[0]["n"]:
        pass


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """How to reach the test server: a `rekg.graph.stores.neo4j_local.ServerInfo`."""
    from rekg.graph.stores import neo4j_local as server
    from rekg.graph.stores.neo4j import open_neo4j

    if os.environ.get("NEO4J_URI"):
        info = server.ServerInfo(os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j"),
                                 os.environ.get("NEO4J_PASSWORD", ""))
        try:
            with open_neo4j(info.uri, info.user, info.password) as store:
                held = store.execute("MATCH (n) RETURN count(n) AS n")[0]["n"]
        except RekgError as exc:
            neo4j_unavailable(f"NEO4J_URI is set but unusable: {exc}")
        if held:
            pytest.fail(f"NEO4J_URI={info.uri} holds {held} nodes and the tests wipe the database "
                        "they use: point NEO4J_URI at an empty database, or unset it to have the "
                        "tests start their own server", pytrace=False)
        yield info
        with open_neo4j(info.uri, info.user, info.password) as store:
            clear(store)
        return
    state = Path(tmp_path_factory.mktemp("neo4j")) / "state"
    try:
        # a raw setting passed through, as users may (tests/test_neo4j_server.py reads it back),
        # and a safety net: a transaction hung by a test is ended
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("REKG_NEO4J_CONFIG", EXTRA_CONFIG)
            info = server.start(state)
    except RekgError as exc:
        neo4j_unavailable(f"the local Neo4j did not start: {exc}")
    try:
        yield info
    finally:
        server.stop(state)


@pytest.fixture(scope="session")
def _neo4j_session_store(neo4j_server) -> Iterator:
    from rekg.graph.stores.neo4j import open_neo4j

    store = open_neo4j(neo4j_server.uri, neo4j_server.user, neo4j_server.password)
    yield store
    store.close()


@pytest.fixture
def neo4j_store(_neo4j_session_store):
    """The Neo4j store of the test server, empty (constraints and indexes stay)."""
    clear(_neo4j_session_store)
    return _neo4j_session_store


@pytest.fixture(params=["networkx", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest, tmp_path: Path):
    """An empty store of each backend."""
    if request.param == "networkx":
        return NetworkxStore(tmp_path / "graph.json")
    return request.getfixturevalue("neo4j_store")
