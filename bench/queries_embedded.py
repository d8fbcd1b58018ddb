"""Named queries on a large embedded store: `ego` (depth 2) and `paths` on random actors.

    .venv/bin/python bench/queries_embedded.py [--entities 100000] [--relations 1000000] [--runs 200]

Builds the embedded store's networkx graph directly (no JSON, no upsert): --entities actors
(60% organizations, 15% people, 5% policies, 20% places) and --relations distinct stated
relations whose ends respect the schema, with every property the store keeps (one source
document, one evidence sentence, dates, confidence, rules). Ends are drawn with a skew
(index = n * u**1.5), so some actors are hubs, as in real news graphs.

Then runs each query --runs times on random actors and prints milliseconds per query (median,
p90, max) for the query alone (`store.run` with ids) and end to end (`rekg.queries.library.run`
with names, which adds name resolution), the answer sizes, the process RSS after building and
at its peak, and the peak Python allocation of one query (tracemalloc, on a sample of runs).
"""
from __future__ import annotations

import argparse
import gc
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rekg.graph.schema import RELATION_TYPES  # noqa: E402
from rekg.graph.stores.networkx import NetworkxStore  # noqa: E402
from rekg.queries.library import run  # noqa: E402
from rekg.queries.named.network import EGO, PATHS  # noqa: E402
from rekg.queries.named.spec import STATED  # noqa: E402

TYPE_SHARES = (("Organization", 0.60), ("Person", 0.15), ("Policy", 0.05), ("Place", 0.20))
DOCUMENTS = 20_000


def rss_mib() -> float:
    """Current resident set size of this process, in MiB (Linux)."""
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(store: NetworkxStore, n_entities: int, n_relations: int, seed: int) -> dict[str, list[str]]:
    """Fill `store.graph` with entities and distinct relations; return the ids per type."""
    rng = random.Random(seed)
    g = store.graph
    pools: dict[str, list[str]] = {}
    start = 0
    for etype, share in TYPE_SHARES:
        count = round(n_entities * share) if etype != "Place" else n_entities - start
        ids = [f"{etype.lower()}/{etype.lower()}-{i}" for i in range(count)]
        for i, ident in enumerate(ids):
            name = f"{etype} {i}"
            g.add_node(ident, label=etype, id=ident, name=name, type=etype, aliases=[f"{name} alias"],
                       kind=None, country=None, wikidata=None)
        pools[etype] = ids
        start += count
    dates = [f"20{rng.randint(10, 25):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
             for _ in range(DOCUMENTS)]
    ends = {name: ([e for t in rt.heads for e in pools[t]], [e for t in rt.tails for e in pools[t]])
            for name, rt in RELATION_TYPES.items()}
    names = list(RELATION_TYPES)
    added = 0
    while added < n_relations:
        rtype = names[rng.randrange(len(names))]
        heads, tails = ends[rtype]
        head = heads[int(len(heads) * rng.random() ** 1.5)]
        tail = tails[int(len(tails) * rng.random() ** 1.5)]
        if head == tail or g.has_edge(head, tail, key=rtype):
            continue
        doc = rng.randrange(DOCUMENTS)
        g.add_edge(head, tail, key=rtype, head=head, type=rtype, tail=tail, title=None,
                   sources=[f"doc-{doc}"], evidence=[f"{head} {rtype.lower()} {tail} (document {doc})."],
                   evidenceSources=[f"doc-{doc}"], count=1, firstSeen=dates[doc], lastSeen=dates[doc],
                   confidence=0.8, rules=["bench"])
        added += 1
    return pools


def timed(fn, runs: int, traced: int) -> tuple[list[float], list[int], int]:
    """Milliseconds and answer sizes of `runs` calls of fn(i); peak allocation of `traced` of them."""
    times, sizes, peak = [], [], 0
    for i in range(runs):
        if i < traced:
            tracemalloc.start()
        t0 = time.perf_counter()
        rows = fn(i)
        times.append((time.perf_counter() - t0) * 1000)
        if i < traced:
            peak = max(peak, tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
        sizes.append(len(rows))
    # tracemalloc slows what it traces: report times of the untraced runs when there are any
    return times[traced:] or times, sizes, peak


def summary(label: str, times: list[float], sizes: list[int], peak: int | None = None) -> str:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    text = (f"{label:34s} median {statistics.median(ordered):8.1f} ms   p90 {p90:8.1f} ms   "
            f"max {ordered[-1]:8.1f} ms   rows median {statistics.median(sizes):7.0f} (max {max(sizes)})")
    if peak is not None:
        text += f"   peak alloc {peak / 2**20:6.1f} MiB"
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--relations", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200, help="queries of each kind")
    parser.add_argument("--traced", type=int, default=10, help="of which measured with tracemalloc")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    base = rss_mib()
    folder = tempfile.mkdtemp(prefix="rekg-bench-")
    store = NetworkxStore(Path(folder) / "never-written.json", autosave=False)
    t0 = time.perf_counter()
    pools = build(store, args.entities, args.relations, args.seed)
    gc.collect()
    built = rss_mib()
    g = store.graph
    print(f"graph: {g.number_of_nodes():,} entities, {g.number_of_edges():,} relations "
          f"({len(STATED)} types), built in {time.perf_counter() - t0:.1f} s; "
          f"RSS {base:.0f} MiB before, {built:.0f} MiB after (+{built - base:.0f} MiB)")

    rng = random.Random(args.seed + 1)
    everyone = [n for ids in pools.values() for n in ids]
    actors = [rng.choice(everyone) for _ in range(args.runs)]
    pairs = [tuple(rng.sample(everyone, 2)) for _ in range(args.runs)]
    types = list(STATED)

    def ego(i: int):
        return store.run(EGO, {"id": actors[i], "depth": 2, "types": types})

    def paths(i: int):
        a, b = pairs[i]
        return store.run(PATHS, {"fromId": a, "toId": b, "maxLength": 4, "types": types, "limit": 50})

    def ego_by_name(i: int):
        return run(store, "ego", {"name": g.nodes[actors[i]]["name"].lower(), "depth": 2})

    def paths_by_name(i: int):
        a, b = pairs[i]
        return run(store, "paths", {"from": g.nodes[a]["name"], "to": g.nodes[b]["name"]})

    times, sizes, peak = timed(ego, args.runs, args.traced)
    print(summary("ego depth 2 (store.run)", times, sizes, peak))
    times, sizes, peak = timed(paths, args.runs, args.traced)
    found = sum(1 for s in sizes if s)
    print(summary("paths maxLength 4 (store.run)", times, sizes, peak)
          + f"   connected pairs {found}/{len(sizes)}")
    few = max(1, args.runs // 10)
    times, sizes, _ = timed(ego_by_name, few, 0)
    print(summary(f"ego depth 2 by name ({few} runs)", times, sizes))
    times, sizes, _ = timed(paths_by_name, few, 0)
    print(summary(f"paths by name ({few} runs)", times, sizes))
    print(f"RSS now {rss_mib():.0f} MiB, peak {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
