"""Shared fixtures: the dev corpus, the sample corpus, a rules-only extractor."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEV_CORPUS = ROOT.parent / "shared" / "corpus" / "dev"
EXAMPLES = ROOT / "examples" / "corpus"
SEED = next(iter(sorted(DEV_CORPUS.glob("dev00_*.txt"))), None) if DEV_CORPUS.is_dir() else None

os.environ.setdefault("REKG_SPACY_MODEL", "none")

# neo4j_server, neo4j_store, and `store` over both backends
pytest_plugins = ["tests.neo4j_fixtures"]


@pytest.fixture(scope="session")
def extractor():
    from rekg.loaders.extraction.pipeline import Settings
    from rekg.loaders.ingest import make_extractor

    return make_extractor(Settings(model="none"))


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "graph.json"


def need_dev_corpus() -> None:
    if SEED is None:
        pytest.skip("../shared/corpus/dev is not beside this checkout")
