"""Benchmark: a whole province's 分类考试招生 run, and the ratio against the `matching` package.

    .venv/bin/python benchmarks/admissions_run.py [--candidates 1000000] [--groups 5000] [--preferences 6]
                                                  [--matching-budget 60] [--no-xlsx]

1. Generates (not timed) a synthetic province: `--groups` 专业组 with majors inside, `--candidates`
   candidates with `--preferences` choices each (half of them with a major order), as CSV files.
2. Times the full run through the same service as `zhijiao admissions run`: read and check the files,
   rank, dispatch (平行志愿, ratio 1.05), place into majors, supplementary round, write 录取结果.csv,
   投档线.csv, the Excel workbook and the run record. Wall-clock and CPU (user + sys, every thread)
   seconds per phase: on a shared machine the CPU figure is the less disturbed one. The compiled
   dispatch (numba) is cached on disk: the very first run after an install also compiles it (a few s).
3. On instances of growing size (ratio 1, no majors: textbook deferred acceptance), times `matching`'s
   HospitalResident until one takes longer than `--matching-budget` seconds or fails, checks that both
   give the same matching, and prints the ratio on the largest instance `matching` solved.

The machine is shared with other work: figures vary between runs; the ratio is measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import warnings
from pathlib import Path

from zhijiao.adapters.admissions.files import InputFile
from zhijiao.adapters.admissions.policy_io import policy_template, read_policy
from zhijiao.demo.admissions import synthetic_province, synthetic_schools
from zhijiao.domain.admissions.model import Candidate, Programme, Result
from zhijiao.domain.admissions.policy import Category
from zhijiao.domain.admissions.rounds import run_admission
from zhijiao.services.admissions.runs import RunFiles, run_admissions, write_run


def full_run(args: argparse.Namespace) -> None:
    t = time.perf_counter()
    schools = synthetic_schools(max(1, args.groups // 4), seed=args.seed)
    province = synthetic_province(schools, args.candidates, n_groups=args.groups, preferences=args.preferences,
                                  seed=args.seed)  # fmt: skip
    print(f"生成数据 / generated: {args.candidates:,} candidates, {province.groups:,} groups, "
          f"{province.seats:,} places, {len(province.candidates) / 1e6:.0f} MB CSV in {time.perf_counter() - t:.1f} s")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        files = RunFiles(
            InputFile("P.yaml", policy_template().encode()),
            InputFile("programmes.csv", province.programmes),
            InputFile("candidates.csv", province.candidates),
            InputFile("majors.csv", province.majors),
            InputFile("supplementary.csv", province.supplementary),
        )
        t, c = time.perf_counter(), time.process_time()
        run = run_admissions(files)
        write_run(run, files, out, workbook=not args.no_xlsx)
        total, cpu = time.perf_counter() - t, time.process_time() - c
        sizes = {p.name: p.stat().st_size for p in out.iterdir()}
    stages = "，".join(f"{k} {v:.2f} s (CPU {run.cpu.get(k, 0):.2f} s)" for k, v in run.timings.items())
    print(f"完整运行 / full run: {total:.2f} s wall, {cpu:.2f} s CPU (user+sys)（{stages}）")
    print(f"  load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"  counts: {run.counts}")
    print("  outputs: " + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sizes.items()))
    def met(x: float) -> str:
        return "met" if x < 10 else "NOT met"

    if args.candidates >= 1_000_000:
        print(f"  goal < 10 s for 1,000,000 candidates: wall-clock {met(total)}, CPU {met(cpu)}")


def _instance(n: int, seed: int) -> tuple[list[int], list[int], list[list[int]]]:
    rng = random.Random(f"{seed}:{n}")
    n_groups = max(5, n // 50)
    quotas = [rng.randint(10, 70) for _ in range(n_groups)]
    totals = rng.sample(range(750_00), n)
    prefs = [rng.sample(range(n_groups), min(6, n_groups)) for _ in range(n)]
    return quotas, totals, prefs


def _ours(quotas: list[int], totals: list[int], prefs: list[list[int]]) -> tuple[float, dict[int, int]]:
    policy = read_policy(policy_template(), overrides={"dispatch_ratio": 1, "batch_min_score": 0,
                                                       "tie_break": ["skill", "culture", "preference"]})  # fmt: skip
    progs = [Programme(f"G{g}", "S", "学校", q) for g, q in enumerate(quotas)]
    cands = [Candidate(f"K{i}", "考生", Category.ordinary, 0, t // 100 if t < 450_00 else 450_00, tuple(p), True)
             for i, (t, p) in enumerate(zip(totals, prefs, strict=True))]  # fmt: skip
    for c, t in zip(cands, totals, strict=True):  # total = culture + skill, both within full marks
        c.skill = min(t, 450_00)
        c.culture = t - c.skill
    t0 = time.perf_counter()
    result = run_admission(policy, progs, cands)
    elapsed = time.perf_counter() - t0
    return elapsed, {i: o.group for i, o in enumerate(result.outcomes) if o.result is Result.admitted}


def _matching(quotas: list[int], totals: list[int], prefs: list[list[int]]) -> tuple[float, dict[int, int]]:
    from matching.games import HospitalResident

    residents = {f"r{i}": [f"h{g}" for g in p] for i, p in enumerate(prefs)}
    order = sorted(range(len(totals)), key=lambda i: -totals[i])
    wanted: dict[int, list[str]] = {g: [] for g in range(len(quotas))}
    for i in order:
        for g in prefs[i]:
            wanted[g].append(f"r{i}")
    hospitals = {f"h{g}": rs for g, rs in wanted.items() if rs}
    caps = {h: quotas[int(h[1:])] for h in hospitals}
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(residents, hospitals, caps)
        matched = game.solve(optimal="resident")
    elapsed = time.perf_counter() - t0
    return elapsed, {int(r.name[1:]): int(h.name[1:]) for h, rs in matched.items() for r in rs}


def against_matching(args: argparse.Namespace) -> None:
    best = None
    for n in (500, 1000, 2000, 5000, 10000, 20000):
        inst = _instance(n, args.seed)
        try:
            t_m, m = _matching(*inst)
            if t_m < 5:  # best of three on both sides while that is cheap (ours takes milliseconds)
                t_m = min(t_m, *(_matching(*inst)[0] for _ in range(2)))
        except (RecursionError, MemoryError) as e:
            print(f"  matching, {n:,} candidates: failed ({type(e).__name__})")
            break
        t_o, o = _ours(*inst)
        t_o = min(t_o, *(_ours(*inst)[0] for _ in range(2)))
        same = "same matching" if m == o else "DIFFERENT matching"
        print(f"  {n:>6,} candidates: matching {t_m:8.2f} s, zhijiao {t_o:6.3f} s, ×{t_m / t_o:,.0f}, {same}")
        if m != o:
            sys.exit(1)
        best = (n, t_m, t_o)
        if t_m > args.matching_budget:
            break
    if best:
        n, t_m, t_o = best
        print(f"对比 / vs matching on the largest instance it solved ({n:,} candidates): "
              f"{t_m:.2f} s vs {t_o:.3f} s — zhijiao is {t_m / t_o:,.0f}× faster")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=1_000_000)
    parser.add_argument("--groups", type=int, default=5_000)
    parser.add_argument("--preferences", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--matching-budget", type=float, default=60.0, help="stop growing once matching takes longer"
    )
    parser.add_argument("--no-xlsx", action="store_true", help="leave out the Excel workbook")
    parser.add_argument("--skip-matching", action="store_true")
    args = parser.parse_args()
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    full_run(args)
    if not args.skip_matching:
        print("与 matching（HospitalResident，学生提议的延迟接受）对比 / against matching:")
        against_matching(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
