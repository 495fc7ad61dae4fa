"""Benchmark: batch exemption suggestions, DuckDB (set-based) vs the per-learner Python loop.

    .venv/bin/python benchmarks/conversion_batch.py [--learners 200000] [--rules 300] [--sample 2000]

Both run in the same process on the same generated data (seeded). When the loop would take too
long it is timed on a random sample of learners and extrapolated (the output says so); the
sample's suggestions are also checked against the batch's. On a shared machine the load changes
within a run, so the sampled loop is timed before and after the batch and the mean is the baseline;
the load average is printed at each step.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date

import duckdb

from zhijiao.adapters.analytics.conversion_batch import run_batch, suggest_exemptions_loop
from zhijiao.adapters.analytics.conversion_synthetic import (
    generate_outcomes,
    rows_by_learner,
    synthetic_plan,
    synthetic_rule_set,
)

ON = date(2024, 6, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200_000)
    parser.add_argument("--per-learner", type=int, default=20)
    parser.add_argument("--rules", type=int, default=300)
    parser.add_argument(
        "--sample", type=int, default=2_000, help="learners timed in the Python loop (0 = all)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=0, help="DuckDB threads (0 = DuckDB's default)")
    args = parser.parse_args()

    con = duckdb.connect()
    if args.threads:
        con.execute(f"SET threads = {args.threads}")
    plan = synthetic_plan()
    rule_set = synthetic_rule_set(plan, args.rules, args.seed)
    t = time.perf_counter()
    table = generate_outcomes(con, args.learners, args.per_learner, args.seed)
    (n_outcomes,) = con.execute(f"SELECT count(*) FROM {table}").fetchone() or (0,)
    print(
        f"数据生成 data: {args.learners:,} learners, {n_outcomes:,} outcomes, "
        f"{len(rule_set.in_force(ON))} rules in force ({len(rule_set.rules)} versions), "
        f"{time.perf_counter() - t:.1f} s"
    )

    all_ids = [r[0] for r in con.execute(f"SELECT DISTINCT learner_id FROM {table}").fetchall()]
    sampled = args.sample and args.sample < len(all_ids)
    ids = sorted(random.Random(args.seed).sample(all_ids, args.sample)) if sampled else all_ids
    rows = rows_by_learner(con, table, ids if sampled else None)

    def timed_loop() -> tuple[float, list]:  # type: ignore[type-arg]
        t = time.perf_counter()
        found = suggest_exemptions_loop(rows, plan, rule_set, ON)
        return time.perf_counter() - t, found

    # the machine is shared: the loop is timed before and after the batch, and the mean is the baseline
    loop_before, loop = timed_loop() if sampled else (0.0, [])
    load_before = os.getloadavg()[0]
    t = time.perf_counter()
    result = run_batch(con, table, plan, rule_set, ON)
    batch_s = time.perf_counter() - t
    load_batch = os.getloadavg()[0]
    batch = result.suggestions
    learners_with = len({s.learner_id for s in batch})
    print(f"DuckDB batch: {batch_s:.2f} s — {len(batch):,} exemptions for {learners_with:,} learners")
    print(
        f"exact search needed by {result.searched:,} of {result.learners:,} learners with claims "
        f"(claims compete for a course, an outcome or a cap); credits gained over greedy: "
        f"{result.gained.normalize():f}"
    )
    print(
        f"  where the time goes: SQL (matching, claims, which learners compete, the rest set-based) "
        f"{batch_s - result.search_seconds:.1f} s; fetching, packing and the exact search "
        f"{result.search_seconds:.1f} s ({result.search_seconds / max(result.searched, 1) * 1e3:.2f} ms per learner, "
        f"{result.nodes / max(result.searched, 1):.0f} branch-and-bound nodes per learner)"
    )

    loop_after, loop = timed_loop()
    loop_s = (loop_before + loop_after) / 2 if sampled else loop_after
    print(
        f"load average (1 min): {load_before:.1f} before the batch, {load_batch:.1f} after it, "
        f"{os.getloadavg()[0]:.1f} after the loop"
    )
    wanted = set(ids)
    agree = loop == [s for s in batch if s.learner_id in wanted]
    if sampled:
        estimate = loop_s * len(all_ids) / len(ids)
        print(
            f"Python loop: {loop_before:.2f} s before the batch, {loop_after:.2f} s after it, mean "
            f"{loop_s:.2f} s on a random sample of {len(ids):,} learners "
            f"→ extrapolated to {len(all_ids):,}: {estimate:.0f} s (EXTRAPOLATED, not measured)"
        )
    else:
        estimate = loop_s
        print(f"Python loop: {loop_s:.2f} s for all {len(ids):,} learners (measured)")
    print(f"ratio loop/batch: {estimate / batch_s:.1f}×   (goal: batch < 60 s and ≥ 20×)")
    print(f"results agree on the {'sample' if sampled else 'cohort'}: {agree}")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
