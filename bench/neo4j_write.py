"""Write throughput of the Neo4j store: the batched writer against a naive one-query-per-row one.

    .venv/bin/python bench/neo4j_write.py [--relations 100000] [--naive-sample 5000] [--uri URI]

Starts its own local Neo4j (tools/neo4j/neo4j.sh, temporary state and data) unless --uri is
given (NEO4J_USER / NEO4J_PASSWORD then give the login; the database is wiped). Generates
synthetic relations between organizations, each one document's contribution with one
evidence sentence, and writes them:

- batched: `Neo4jStore.upsert`, one transaction per chunk of --chunk relations plus their
  entities (the whole merge: lock + read + merge in Python + UNWIND/MERGE writes);
- naive: one auto-committed query per relation (MERGE both ends, MERGE the relation, SET its
  properties), on the first --naive-sample relations of a cleared database, rows/s
  extrapolated from that sample.

Prints relations per second for each, and their ratio.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.ids import entity_id  # noqa: E402
from graph.merge import merge_relation  # noqa: E402
from graph.model import Entity, GraphBatch, Relation, to_properties  # noqa: E402
from graph.stores.neo4j import Neo4jStore, open_neo4j  # noqa: E402

TYPES = ("PARTNERS_WITH", "FUNDS", "PART_OF")

# The straw man: what one writes without batching. One statement per relation, its values as
# parameters, auto-committed (a round trip and a commit per row).
NAIVE_ROW = """
MERGE (h:Entity {id: $head}) ON CREATE SET h += $head_props, h:Organization
MERGE (t:Entity {id: $tail}) ON CREATE SET t += $tail_props, t:Organization
MERGE (h)-[r:%s]->(t)
SET r = $props
"""


def make_data(n_relations: int, n_entities: int, seed: int = 7) -> tuple[list[Entity], list[Relation]]:
    rnd = random.Random(seed)
    entities = []
    for i in range(n_entities):
        name = f"Benchmark Rare Earth Company {i:06d}"
        entities.append(Entity(entity_id("Organization", name), name, "Organization",
                               [f"BREC {i}"], "company", "AU"))
    keys: set[tuple[int, str, int]] = set()
    while len(keys) < n_relations:
        h, t = rnd.randrange(n_entities), rnd.randrange(n_entities)
        if h != t:
            keys.add((h, rnd.choice(TYPES), t))
    relations = []
    for n, (h, rel_type, t) in enumerate(sorted(keys)):
        day = f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}"
        relations.append(Relation(
            entities[h].id, rel_type, entities[t].id, None, [f"doc-bench{n // 10:08d}"],
            [f"{entities[h].name} and {entities[t].name} signed agreement number {n} on rare earth "
             "oxide supply, according to the company's statement."],
            [], 1, day, day, round(0.5 + rnd.random() / 2, 3), ["bench.rule"]))
    return entities, relations


def batches(entities: list[Entity], relations: list[Relation], chunk: int) -> list[GraphBatch]:
    by_id = {e.id: e for e in entities}
    out = []
    for i in range(0, len(relations), chunk):
        rels = relations[i: i + chunk]
        ids = sorted({r.head for r in rels} | {r.tail for r in rels})
        out.append(GraphBatch(entities=[by_id[x] for x in ids], relations=rels))
    return out


def clear(store: Neo4jStore) -> None:
    while store.execute("MATCH (n) WITH n LIMIT 2000 DETACH DELETE n RETURN count(*) AS n",
                        write=True)[0]["n"]:
        pass


def naive(store: Neo4jStore, entities: list[Entity], relations: list[Relation]) -> None:
    by_id = {e.id: e for e in entities}
    for rel in relations:
        props = {k: v for k, v in to_properties(merge_relation(None, rel)).items() if v is not None}
        store.execute(NAIVE_ROW % rel.type, {
            "head": rel.head, "tail": rel.tail, "props": props,
            "head_props": to_properties(by_id[rel.head]), "tail_props": to_properties(by_id[rel.tail]),
        }, write=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--relations", type=int, default=100_000)
    ap.add_argument("--entities", type=int, default=20_000)
    ap.add_argument("--chunk", type=int, default=10_000, help="relations per upsert (transaction)")
    ap.add_argument("--naive-sample", type=int, default=5_000)
    ap.add_argument("--uri", default=None, help="an existing server to use (it is wiped)")
    args = ap.parse_args()

    state = None
    if args.uri:
        uri, user, password = args.uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "")
    else:
        from rekg import neo4j_server

        state = tempfile.mkdtemp(prefix="rekg-bench-state.")
        # a 100,000-relation run wants more than the test default of 512 MiB heap
        os.environ.setdefault("REKG_NEO4J_HEAP", "2g")
        os.environ.setdefault("REKG_NEO4J_PAGECACHE", "512")
        print(f"starting a local Neo4j (state {state}, heap {os.environ['REKG_NEO4J_HEAP']}) ...",
              file=sys.stderr)
        info = neo4j_server.start(state)
        uri, user, password = info.uri, info.user, info.password
    try:
        store = open_neo4j(uri, user, password)
        entities, relations = make_data(args.relations, args.entities)
        work = batches(entities, relations, args.chunk)
        clear(store)
        # warm-up: plan the statements once, on a small disjoint graph, then clear
        w_ents, w_rels = make_data(200, 100, seed=1)
        store.upsert(batches(w_ents, w_rels, 200)[0])
        naive(store, w_ents[:50], [r for r in w_rels if r.head in {e.id for e in w_ents[:50]}
                                   and r.tail in {e.id for e in w_ents[:50]}][:20])
        clear(store)

        t0 = time.perf_counter()
        for b in work:
            store.upsert(b)
        batched_s = time.perf_counter() - t0
        got = sum(v for k, v in store.counts().relations.items())
        if got != len(relations):
            raise SystemExit(f"batched writer stored {got} relations, expected {len(relations)}")
        batched_rate = len(relations) / batched_s

        clear(store)
        sample = relations[: args.naive_sample]
        t0 = time.perf_counter()
        naive(store, entities, sample)
        naive_s = time.perf_counter() - t0
        naive_rate = len(sample) / naive_s
        store.close()
    finally:
        if state:
            from rekg import neo4j_server

            neo4j_server.stop(state)

    print(f"server: {uri}")
    print(f"batched: {len(relations):,} relations (+{len(entities):,} entities) in {len(work)} "
          f"transactions of {args.chunk:,}: {batched_s:.1f} s, {batched_rate:,.0f} relations/s")
    print(f"naive:   {len(sample):,}-relation sample, one auto-commit query per relation: {naive_s:.1f} s, "
          f"{naive_rate:,.0f} relations/s (extrapolated to {len(relations):,}: "
          f"{len(relations) / naive_rate:,.0f} s)")
    print(f"ratio:   batched / naive = {batched_rate / naive_rate:.1f}x")


if __name__ == "__main__":
    main()
