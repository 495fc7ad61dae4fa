"""Running a province's admission from its files: policy → inputs → credit-bank checks → rounds →
output files and the run record (SHA-256 of every input and output)."""

from __future__ import annotations

import platform as py_platform
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta, timezone
from importlib.metadata import version
from pathlib import Path
from time import perf_counter, process_time
from typing import TYPE_CHECKING, Any

import numpy as np

from zhijiao.adapters.admissions.files import InputFile, Inputs, read_inputs
from zhijiao.adapters.admissions.outputs import RECORD, write_outputs, write_record
from zhijiao.adapters.admissions.policy_io import read_policy
from zhijiao.domain.access import Principal
from zhijiao.domain.admissions.model import Result, RunResult
from zhijiao.domain.admissions.policy import Policy
from zhijiao.domain.admissions.rounds import RESULTS, run_admission
from zhijiao.services.admissions.checks import CheckSummary, check_with_credit_bank
from zhijiao.services.bulk import no_cyclic_gc
from zhijiao.services.clock import utcnow

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork

RECORD_FORMAT = "zhijiao-admissions-run/1"
BEIJING = timezone(timedelta(hours=8), "北京时间")


@dataclass(slots=True)
class RunFiles:
    policy: InputFile
    programmes: InputFile
    candidates: InputFile
    majors: InputFile | None = None
    supplementary: InputFile | None = None

    def named(self) -> list[tuple[str, InputFile]]:
        roles = [("policy", self.policy), ("programmes", self.programmes), ("majors", self.majors),
                 ("candidates", self.candidates), ("supplementary", self.supplementary)]  # fmt: skip
        return [(role, f) for role, f in roles if f is not None]


@dataclass(slots=True)
class Run:
    policy: Policy
    inputs: Inputs
    result: RunResult
    checks: CheckSummary | None
    counts: dict[str, int]
    timings: dict[str, float] = field(default_factory=dict)  # wall-clock seconds per phase
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds (user + sys, all threads) per phase
    outputs: dict[str, str] = field(default_factory=dict)
    record: dict[str, Any] = field(default_factory=dict)


def counts_of(result: RunResult) -> dict[str, int]:
    cols = result.columns
    if cols is None:
        c = Counter(o.result for o in result.outcomes)
        second = sum(1 for o in result.outcomes if o.result is Result.admitted and o.round == 2)
    else:
        per = np.bincount(cols.result, minlength=3)
        c = Counter({r: int(per[k]) for k, r in enumerate(RESULTS)})
        second = int(((cols.result == 1) & (cols.round == 2)).sum())
    return {"candidates": len(result.outcomes), "admitted": c[Result.admitted], "rejected": c[Result.rejected],
            "not_dispatched": c[Result.not_dispatched], "admitted_supplementary": second}  # fmt: skip


def run_admissions(
    files: RunFiles,
    *,
    overrides: Mapping[str, Any] | None = None,
    credit_bank: Callable[[], SqlUnitOfWork] | None = None,
    principal: Principal | None = None,
    progress: Callable[[str], None] | None = None,
) -> Run:
    """Read and check everything (all problems at once), then run round 1 and the supplementary round.
    With `credit_bank` (a unit-of-work factory, called only when some candidate gives a 学习账号), the
    account holders' awards and certificates are checked against the credit bank as `principal`."""
    with no_cyclic_gc():
        return _run_admissions(files, overrides, credit_bank, principal, progress or (lambda _: None))


def _run_admissions(
    files: RunFiles,
    overrides: Mapping[str, Any] | None,
    credit_bank: Callable[[], SqlUnitOfWork] | None,
    principal: Principal | None,
    say: Callable[[str], None],
) -> Run:
    t, c = perf_counter(), process_time()
    timings: dict[str, float] = {}
    cpu: dict[str, float] = {}
    policy = read_policy(files.policy.data.decode("utf-8-sig"), files.policy.name, overrides)
    say("读取输入文件")
    inputs = read_inputs(policy, files.programmes, files.candidates, files.majors, files.supplementary)
    timings["read"], cpu["read"] = perf_counter() - t, process_time() - c
    checks = None
    table = inputs.candidates
    if credit_bank is not None and principal is not None and table.account_no:
        say("学分银行核验")
        holders = sorted(table.account_no)
        people = [table[i] for i in holders]
        checks = check_with_credit_bank(credit_bank(), principal, people)
        for i, c in zip(holders, people, strict=True):
            table.set_claims(i, c.award, c.certificate_level, c.check_note)
        timings["credit_bank"] = perf_counter() - t - timings["read"]
    say("排序、投档、录取")
    t2, c2 = perf_counter(), process_time()
    result = run_admission(policy, inputs.programmes, inputs.candidates, inputs.supplementary)
    timings["allocate"], cpu["allocate"] = perf_counter() - t2, process_time() - c2
    return Run(policy, inputs, result, checks, counts_of(result), timings, cpu)


def write_run(run: Run, files: RunFiles, outdir: Path, *, overrides: Mapping[str, Any] | None = None,
              workbook: bool = True) -> Run:  # fmt: skip
    """Write the outputs and the run record into `outdir`."""
    t, c = perf_counter(), process_time()
    with no_cyclic_gc():
        run.outputs = write_outputs(
            outdir, run.result, run.inputs.candidates, run.inputs.programmes, workbook=workbook
        )
    run.timings["write"], run.cpu["write"] = perf_counter() - t, process_time() - c
    now = utcnow()
    run.record = {
        "format": RECORD_FORMAT,
        "policy": {"name": run.policy.name, "province_code": run.policy.province_code, "year": run.policy.year,
                   "effective": dict(run.policy.source), "overrides": dict(overrides or {})},
        "inputs": [{"role": role, "file": f.name, "sha256": f.sha256, "bytes": len(f.data)} for role, f in files.named()],
        "outputs": [{"file": name, "sha256": digest} for name, digest in run.outputs.items()],
        "counts": run.counts,
        "credit_bank": None if run.checks is None else {
            "accounts": run.checks.accounts, "found": run.checks.found,
            "awards_confirmed": run.checks.awards_confirmed,
            "certificates_confirmed": run.checks.certificates_confirmed},
        "finished_at": now.astimezone(BEIJING).isoformat(timespec="seconds"),
        "software": {"zhijiao": version("zhijiao"), "python": py_platform.python_version()},
        "recompute": "zhijiao admissions run --policy … --programmes … [--majors …] --candidates … -o DIR，"
                     "比较各输出文件的 SHA-256",
    }  # fmt: skip
    write_record(outdir, run.record)
    run.outputs[RECORD] = ""
    return run
