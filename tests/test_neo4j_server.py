"""The local Neo4j of tools/neo4j: settings passed through REKG_NEO4J_CONFIG."""
from __future__ import annotations

import os

import pytest
from rekg.graph.errors import StoreError
from rekg.graph.stores import neo4j_local as server

from tests.neo4j_fixtures import EXTRA_CONFIG


@pytest.mark.neo4j
def test_extra_settings_reach_the_server(neo4j_store) -> None:
    if os.environ.get("NEO4J_URI"):
        pytest.skip("an outside server: not started with REKG_NEO4J_CONFIG")
    name, value = EXTRA_CONFIG.split("=")
    rows = neo4j_store.execute("SHOW SETTINGS YIELD name, value WHERE name = $name RETURN value", {"name": name})
    assert [r["value"] for r in rows] == [value]


@pytest.mark.neo4j
def test_a_malformed_setting_is_one_clear_line(tmp_path, monkeypatch, neo4j_server) -> None:
    # (neo4j_server: the jars are fetched and a server can start here, or this test is skipped)
    monkeypatch.setenv("REKG_NEO4J_CONFIG", "db.transaction.timeout=10m;nonsense")
    with pytest.raises(StoreError) as caught:
        server.start(tmp_path / "state")
    message = str(caught.value)
    assert "\n" not in message
    assert "REKG_NEO4J_CONFIG" in message and "'nonsense'" in message
    assert server.status(tmp_path / "state").running is False
