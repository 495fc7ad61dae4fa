"""A synthetic province for 分类考试招生: programmes (专业组 of 高职 and 技工 schools), their majors, and
candidates with a realistic score distribution, category mix, preferences, awards and certificates.

Used by `zhijiao demo`, the benchmark and tests. Deterministic for a seed.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass

CATEGORY_MIX = (("普通", 0.935), ("退役军人", 0.02), ("下岗职工", 0.005), ("农民工", 0.015),
                ("高素质农民", 0.01), ("技能拔尖", 0.015))  # fmt: skip
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰欣怡子涵浩然宇轩梓萱雨桐俊杰思远"
AWARDS = ("国赛一等奖", "国赛二等奖", "国赛三等奖", "省赛一等奖", "省赛二等奖", "省赛三等奖")


@dataclass(frozen=True, slots=True)
class SchoolSpec:
    code: str
    name: str
    majors: tuple[tuple[str, str], ...]  # (专业代码, 专业名称)
    technician: bool = False  # 技工学校 (on the same platform, 任务 14)


@dataclass(frozen=True, slots=True)
class Province:
    programmes: bytes
    majors: bytes
    candidates: bytes
    supplementary: bytes
    groups: int
    seats: int


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]] | list[list[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def synthetic_schools(n_schools: int, seed: int = 1) -> list[SchoolSpec]:
    rng = random.Random(f"{seed}:schools")
    fields = ("机电", "信息", "财经", "医药", "交通", "建筑", "旅游", "农业", "艺术", "轻工")
    out = []
    for s in range(n_schools):
        f = fields[s % len(fields)]
        technician = rng.random() < 0.25
        name = f"第{s + 1}{f}{'技师学院' if technician else '职业技术学院'}"
        majors = tuple((f"{m + 1:02d}", f"{f}专业{m + 1}") for m in range(rng.randint(4, 12)))
        out.append(SchoolSpec(f"{s + 1:05d}", name, majors, technician))
    return out


def synthetic_province(
    schools: Sequence[SchoolSpec],
    n_candidates: int,
    *,
    n_groups: int | None = None,
    preferences: int = 6,
    seat_ratio: float = 0.85,
    seed: int = 1,
    with_accounts: Sequence[tuple[str, str]] = (),
) -> Province:
    """Programmes (each school's majors split into groups of ~3), majors, candidates, and the
    supplementary-round preferences of ~40 % of the candidates. `with_accounts`: (learning-account
    number, name) pairs given to the first candidates (their awards are then checked in the credit bank)."""
    rng = random.Random(f"{seed}:admissions")
    groups: list[tuple[str, SchoolSpec, tuple[tuple[str, str], ...]]] = []
    per_school = max(1, (n_groups or len(schools) * 2) // max(1, len(schools)))
    for school in schools:
        ms = list(school.majors)
        k = max(1, min(per_school, len(ms)))
        for j in range(k):
            part = tuple(ms[j::k])
            groups.append((f"{school.code}{j + 1:02d}", school, part))
    if n_groups is not None:
        groups = groups[:n_groups]
    weights = [rng.paretovariate(1.2) for _ in groups]  # some groups are far more popular
    total_w = sum(weights)
    seats = int(n_candidates * seat_ratio)
    quotas = [max(len(g[2]), round(seats * w / total_w)) for g, w in zip(groups, weights, strict=True)]
    programmes = []
    majors = []
    major_quota: dict[str, list[int]] = {}
    for (code, school, ms), q in zip(groups, quotas, strict=True):
        programmes.append([code, school.code, school.name, q])
        shares = [rng.random() + 0.5 for _ in ms]
        split = [int(q * s / sum(shares)) for s in shares]
        for i in range(q - sum(split)):
            split[i % len(split)] += 1
        major_quota[code] = split
        for (mcode, mname), mq in zip(ms, split, strict=True):
            majors.append([code, mcode, mname, mq])
    cum: list[float] = []
    acc = 0.0
    for w in weights:
        acc += w
        cum.append(acc)
    codes = [g[0] for g in groups]
    major_codes = [[m[0] for m in g[2]] for g in groups]
    cats = [c for c, _ in CATEGORY_MIX]
    cat_cum = []
    acc = 0.0
    for _, share in CATEGORY_MIX:
        acc += share
        cat_cum.append(acc)
    header = ["考生号", "姓名", "考生类别", "文化素质成绩", "职业技能成绩",
              *(f"志愿{i}" for i in range(1, preferences + 1)), "服从调剂", "获奖", "证书等级", "学习账号"]  # fmt: skip
    rows = []
    supp = []
    gauss, rand, choices = rng.gauss, rng.random, rng.choices
    n_groups_total = len(groups)
    for n in range(n_candidates):
        cat = choices(cats, cum_weights=cat_cum)[0]
        culture = min(300.0, max(0.0, round(gauss(165, 45) * 2) / 2))
        skill = min(450.0, max(0.0, round(gauss(285, 65) * 2) / 2))
        award = cert = account = ""
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rand() < 0.6 else "")
        if n < len(with_accounts):
            account, name = with_accounts[n]
        exempt = cat in ("退役军人", "下岗职工", "农民工", "高素质农民")
        culture_text = "" if exempt else f"{culture:g}"
        skill_text = f"{skill:g}"
        if cat == "技能拔尖":
            award = rng.choice(AWARDS)
            if rand() < 0.5:
                culture_text = skill_text = ""
        if rand() < 0.08:
            cert = "中级" if rand() < 0.7 else "高级"
            if rand() < 0.5:
                skill_text = ""
        picked: list[int] = []
        for g in choices(range(n_groups_total), cum_weights=cum, k=preferences + 3):
            if g not in picked:
                picked.append(g)
                if len(picked) == preferences:
                    break
        prefs = []
        for g in picked:
            if rand() < 0.5:
                ms = major_codes[g]
                order = rng.sample(ms, min(len(ms), rng.randint(1, 3)))
                prefs.append(f"{codes[g]}:{','.join(order)}")
            else:
                prefs.append(codes[g])
        prefs += [""] * (preferences - len(prefs))
        no = f"26{n + 1:010d}"
        rows.append(
            [
                no,
                name,
                cat,
                culture_text,
                skill_text,
                *prefs,
                "是" if rand() < 0.8 else "否",
                award,
                cert,
                account,
            ]
        )
        if rand() < 0.4:
            supp.append(
                [no, *(codes[g] for g in rng.sample(range(n_groups_total), min(3, n_groups_total))), "是"]
            )
    return Province(
        programmes=_csv(["专业组代码", "院校代码", "院校名称", "计划数"], programmes),
        majors=_csv(["专业组代码", "专业代码", "专业名称", "计划数"], majors),
        candidates=_csv(header, rows),
        supplementary=_csv(["考生号", "志愿1", "志愿2", "志愿3", "服从调剂"], supp),
        groups=len(groups),
        seats=sum(quotas),
    )


DEMO_CANDIDATES = {"small": 1_500, "default": 50_000}


def demo_schools(specs: Sequence[tuple[str, str, Sequence[tuple[str, str]], bool]]) -> list[SchoolSpec]:
    """The demo province's 高职 and 技工 schools as admission programmes: (学校标识码, name, majors, 技工)."""
    return [
        SchoolSpec(code, name, tuple(majors) or (("01", "通用专业"),), tech)
        for code, name, majors, tech in specs
    ]


def demo_policy(province_code: str, year: int = 2026) -> bytes:
    """The documented example policy, for the demo province."""
    from zhijiao.adapters.admissions.policy_io import policy_template

    text = policy_template().replace('province_code: "44"', f'province_code: "{province_code}"')
    return text.replace("year: 2026", f"year: {year}").encode("utf-8")
