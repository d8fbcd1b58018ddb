"""Write throughput of the Neo4j store: the batched writer against a naive one-query-per-row one.

    .venv/bin/python bench/neo4j_write.py [--relations 100000] [--naive-sample 5000] [--uri URI]

Starts its own local Neo4j (tools/neo4j/neo4j.sh, temporary state and data) unless --uri is
given (NEO4J_USER / NEO4J_PASSWORD then give the login; the database is wiped). Generates
synthetic relations between organizations, each one document's contribution with one
evidence sentence, and writes them:

- batched: `Neo4jStore.upsert`, one transaction per --chunk relations plus their entities
  (default: all of them in one), statements of 5,000 rows: the whole merge (create or lock
  and read, merge in Python, write back what changed), as an ingest does it;
- naive: one query per relation, each its own transaction (MERGE both ends, MERGE the
  relation, SET its properties), on the first --naive-sample relations of a cleared
  database; its rate is extrapolated from that sample.

Both run after a warm-up (--warmup full-size batched passes, and 500 naive rows: query plans
cached, JIT compiled).
For scale it also times what the server does with no merging at all on this machine: the
same entities and relations written with plain `UNWIND $rows ... CREATE`, one statement (and
transaction) for the entities and one per relationship type, nothing read or locked.

Prints relations per second for each (batched: the median of --repeat passes, each on a
cleared database), and their ratio.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.ids import entity_id  # noqa: E402
from graph.merge import merge_relation  # noqa: E402
from graph.model import Entity, GraphBatch, Relation, to_properties  # noqa: E402
from graph.stores.cypher import RELATION_KEYS  # noqa: E402
from graph.stores.neo4j import Neo4jStore, open_neo4j  # noqa: E402

TYPES = ("PARTNERS_WITH", "FUNDS", "PART_OF")

# The straw man: what one writes without batching. One statement per relation, its values as
# parameters, in a transaction of its own (round trips and a commit per row).
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


FLOOR_ENTITIES = "UNWIND $rows AS row CREATE (e:Entity:Organization) SET e = row.props"
FLOOR_RELATIONS = """UNWIND $rows AS row
MATCH (h:Entity {id: row.head}) USING INDEX h:Entity(id)
MATCH (t:Entity {id: row.tail}) USING INDEX t:Entity(id)
CREATE (h)-[r:%s]->(t) SET """ + ", ".join(f"r.{k} = row.props.{k}" for k in RELATION_KEYS)


def rel_props(rel: Relation) -> dict:
    """The properties the store gives a new relationship: not its ends and type, no nulls."""
    return {k: v for k, v in to_properties(merge_relation(None, rel)).items() if v is not None and k in RELATION_KEYS}


def floor(store: Neo4jStore, entities: list[Entity], relations: list[Relation]) -> None:
    store.execute(FLOOR_ENTITIES, {"rows": [{"id": e.id, "props": to_properties(e)} for e in entities]},
                  write=True)
    by_type: dict[str, list[dict]] = {}
    for rel in relations:
        props = rel_props(rel)
        by_type.setdefault(rel.type, []).append({"head": rel.head, "tail": rel.tail, "props": props})
    for rel_type, rows in by_type.items():
        store.execute(FLOOR_RELATIONS % rel_type, {"rows": rows}, write=True)


def naive(store: Neo4jStore, entities: list[Entity], relations: list[Relation]) -> None:
    by_id = {e.id: e for e in entities}
    for rel in relations:
        props = rel_props(rel)
        store.execute(NAIVE_ROW % rel.type, {
            "head": rel.head, "tail": rel.tail, "props": props,
            "head_props": to_properties(by_id[rel.head]), "tail_props": to_properties(by_id[rel.tail]),
        }, write=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--relations", type=int, default=100_000)
    ap.add_argument("--entities", type=int, default=20_000)
    ap.add_argument("--chunk", type=int, default=100_000, help="relations per upsert (transaction)")
    ap.add_argument("--naive-sample", type=int, default=5_000)
    ap.add_argument("--warmup", type=int, default=3, help="full-size batched passes before timing")
    ap.add_argument("--repeat", type=int, default=5, help="timed batched passes (the median is reported)")
    ap.add_argument("--uri", default=None, help="an existing server to use (it is wiped)")
    args = ap.parse_args()

    state = None
    if args.uri:
        uri, user, password = args.uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "")
    else:
        from rekg import neo4j_server

        state = tempfile.mkdtemp(prefix="rekg-bench-state.")
        # a server set up for throughput, not for the tests' quick start: a fixed 4 GiB heap
        # (a 100,000-relation transaction is held in memory until it commits; with 2 GiB the
        # JVM spent seconds in full collections), the throughput collector, and the JVM's
        # optimising compiler (the launcher stops at C1)
        os.environ.setdefault("REKG_NEO4J_HEAP", "4g")
        os.environ.setdefault("REKG_NEO4J_PAGECACHE", "512")
        os.environ.setdefault("REKG_NEO4J_JAVA_OPTS", "-XX:TieredStopAtLevel=4 -Xms4g -XX:+UseParallelGC")
        print(f"starting a local Neo4j (state {state}, heap {os.environ['REKG_NEO4J_HEAP']}, "
              f"{os.environ['REKG_NEO4J_JAVA_OPTS']}) ...", file=sys.stderr)
        info = neo4j_server.start(state)
        uri, user, password = info.uri, info.user, info.password
    try:
        store = open_neo4j(uri, user, password)
        entities, relations = make_data(args.relations, args.entities)
        work = batches(entities, relations, args.chunk)
        clear(store)
        # warm-up: plan the statements and let the JIT compile (the optimising compiler takes
        # a few full-size passes to settle), then clear
        for _ in range(args.warmup):
            for b in work:
                store.upsert(b)
            clear(store)
        naive(store, entities, relations[-500:])
        clear(store)

        runs = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            for b in work:
                store.upsert(b)
            runs.append(time.perf_counter() - t0)
            got = sum(v for k, v in store.counts().relations.items())
            if got != len(relations):
                raise SystemExit(f"batched writer stored {got} relations, expected {len(relations)}")
            clear(store)
        batched_s = statistics.median(runs)
        batched_rate = len(relations) / batched_s

        clear(store)
        t0 = time.perf_counter()
        floor(store, entities, relations)
        floor_rate = len(relations) / (time.perf_counter() - t0)

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

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"server: {uri}; machine: {os.cpu_count()} CPUs, load average {load} at the end")
    print(f"batched: {len(relations):,} relations (+{len(entities):,} entities) in {len(work)} "
          f"transaction(s) of {args.chunk:,}: median of {len(runs)} passes {batched_s:.1f} s, "
          f"{batched_rate:,.0f} relations/s (passes: "
          f"{', '.join(f'{len(relations) / r:,.0f}' for r in runs)} relations/s)")
    print(f"naive:   {len(sample):,}-relation sample, one transaction per relation: {naive_s:.1f} s, "
          f"{naive_rate:,.0f} relations/s (extrapolated to {len(relations):,}: "
          f"{len(relations) / naive_rate:,.0f} s)")
    print(f"ratio:   batched / naive = {batched_rate / naive_rate:.1f}x")
    print(f"no merge: plain UNWIND/CREATE of the same graph, one statement per type: {floor_rate:,.0f} "
          f"relations/s (batched, merging, reaches {batched_rate / floor_rate:.0%} of it)")


if __name__ == "__main__":
    main()
