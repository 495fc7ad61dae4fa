"""Time to render a transcript PDF with 50 outcomes, against an empty transcript in the same run.

.venv/bin/python benchmarks/transcript_pdf.py [--outcomes 50] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, date, datetime
from decimal import Decimal

from zhijiao.adapters.reports.transcript import render_transcript_pdf
from zhijiao.domain.creditbank.model import (
    Grade,
    Institution,
    InstitutionKind,
    LearnerType,
    LearningAccount,
    Outcome,
    OutcomeKind,
    OutcomeStatus,
)
from zhijiao.domain.creditbank.transcript import accumulate
from zhijiao.domain.identity import IdType
from zhijiao.services.creditbank.transcripts import Transcript

SCHOOL = Institution(1, "广州番禺职业技术学院", InstitutionKind.higher, "440113")
TITLES = (
    "数控加工编程与操作",
    "机械制图与计算机绘图",
    "电工电子技术",
    "液压与气动技术",
    "工业机器人技术基础",
)


def transcript(n: int) -> Transcript:
    account = LearningAccount(
        1, "4400000000018", "李明", LearnerType.enrolled, IdType.national_id, "4401**********0013", "44", 1
    )
    outcomes = [
        Outcome(
            id=i,
            account_id=1,
            kind=OutcomeKind.course,
            title=f"{TITLES[i % 5]}（{i + 1}）",
            issuer_id=1,
            obtained_on=date(2020 + i % 4, 1 + i % 12, 1 + i % 28),
            credits=Decimal(2),
            framework_level=5,
            hours=Decimal(32 + i % 16),
            score=Decimal(70 + i % 30),
            grade=Grade.good,
            status=OutcomeStatus.revoked if i % 17 == 16 else OutcomeStatus.active,
        )
        for i in range(n)
    ]
    return Transcript(account, SCHOOL, outcomes, {1: SCHOOL}, accumulate(outcomes), True, datetime.now(UTC))


def best_of(t: Transcript, repeat: int) -> tuple[float, float, int]:
    times, size = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        size = len(render_transcript_pdf(t))
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--outcomes", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    render_transcript_pdf(transcript(1))  # warm up: imports, Jinja, fontconfig
    base_best, base_median, base_size = best_of(transcript(0), args.repeat)
    best, median, size = best_of(transcript(args.outcomes), args.repeat)
    print(
        f"empty transcript (baseline): best {base_best:.3f} s, median {base_median:.3f} s, {base_size:,} bytes"
    )
    print(f"{args.outcomes} outcomes: best {best:.3f} s, median {median:.3f} s, {size:,} bytes")
    print(f"ratio {args.outcomes} outcomes / empty (median): {median / base_median:.2f}x")


if __name__ == "__main__":
    main()
