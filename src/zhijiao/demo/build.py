"""Writing a generated province through the real services, and listing the demo users.

Institutions go through `register_institution`, outcomes through `import_outcomes` in batches
(validation, encryption, hashing and the ledger apply), majors through `record_enrolments`,
users through `create_user`.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from zhijiao.bootstrap import Platform
from zhijiao.demo.admissions import DEMO_CANDIDATES, demo_policy, demo_schools, synthetic_province
from zhijiao.demo.catalogs import provinces
from zhijiao.demo.curriculum import exempts_ahead
from zhijiao.demo.province import SCALES, InstitutionSpec, LearnerSpec, ProvinceGenerator
from zhijiao.demo.showcase import DemoClass, Showcase, build_showcase
from zhijiao.domain.access import ROLE_LABELS, SYSTEM, Principal, Role
from zhijiao.domain.creditbank.model import OUTCOME_KIND_LABELS, InstitutionKind, OutcomeKind
from zhijiao.domain.identity import IdType
from zhijiao.services import institutions, users
from zhijiao.services.creditbank import accounts, enrolments, imports

DEMO_PASSWORD = "zhijiao-demo-2025"
BATCH_ROWS = 20_000
PROVINCE_ABBR = {"44": "gd", "43": "hn", "32": "js", "37": "sd", "51": "sc"}
Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True, slots=True)
class DemoUser:
    username: str
    role: str  # Chinese role label
    scope: str  # institution, province or account the user acts for
    password: str


@dataclass(frozen=True, slots=True)
class DemoSummary:
    institutions: int
    learners: int
    outcomes: int
    seconds: float
    users: list[DemoUser]
    showcase: Showcase | None = None
    quality: str = ""  # what the quality data came to
    admissions: str = ""  # the published admission run


def demo_usernames() -> list[str]:
    """Every username the demo creates, whatever the province and seed."""
    return [
        "admin", *(f"{a}_admin" for a in PROVINCE_ABBR.values()), "staff1", "staff2", "staff3", "certifier1",
        "learner1", "learner2", "learner3",
    ]  # fmt: skip


def has_data(platform: Platform) -> bool:
    with platform.uow().read() as uow:
        return bool(uow.institutions.list())


def demo_users(platform: Platform) -> list[DemoUser]:
    """The demo users present in the database, with their (known) password."""
    found = []
    with platform.uow().read() as uow:
        for name in demo_usernames():
            row = uow.users.by_username(name)
            if row is None:
                continue
            scope = "全国"
            if row.province_code:
                scope = provinces().get(row.province_code, row.province_code)
            if row.institution_id and (inst := uow.institutions.get(row.institution_id)):
                scope = inst.name
            if row.account_id and (acc := uow.accounts.get(row.account_id)):
                scope = f"{acc.name}（学习账号 {acc.account_no}）"
            found.append(DemoUser(name, ROLE_LABELS[Role(row.role)], scope, DEMO_PASSWORD))
    return found


def _user(
    platform: Platform, username: str, role: Role, display: str, **scope: int | str | None
) -> Principal:
    users.create_user(
        platform.uow(), username=username, password=DEMO_PASSWORD, role=role, display_name=display, **scope
    )  # type: ignore[arg-type]
    with platform.uow().read() as uow:
        return users.principal_of(uow.users.by_username(username))


def _register(platform: Platform, spec: InstitutionSpec) -> None:
    institutions.register_institution(
        platform.uow(), SYSTEM, name=spec.name, kind=spec.kind, region_code=spec.region_code,
        moe_code=spec.moe_code, uscc=spec.uscc,
    )  # fmt: skip


def _import(platform: Platform, principal: Principal, batch: list[dict[str, str]], n: int) -> int:
    digest = hashlib.sha256(repr(batch).encode()).hexdigest()
    result = imports.import_outcomes(
        platform.uow(),
        principal,
        enumerate(batch, start=2),
        filename=f"演示数据-{n:03d}.csv",
        file_sha256=digest,
    )
    if not result.ok:
        first = "；".join(p.describe(result.filename) for p in result.problems[:3])
        raise RuntimeError(f"演示数据导入失败：{first}")
    return result.outcomes_created


def _enrol(platform: Platform, principal: Principal, learners: Iterable[LearnerSpec]) -> None:
    items = [
        enrolments.Enrolment(p.national_id, p.major.code, p.cohort)
        for p in learners
        if p.major is not None and p.cohort is not None
    ]
    if items:
        enrolments.record_enrolments(platform.uow(), principal, items)


class _LearnerPicker:
    """learner1…3: a learner of each demo school (staff1…3) on a plannable major (six-digit code),
    preferably the first one holding a 1+X certificate whose exempted course is still ahead of them
    (see `curriculum.exempts_ahead`), else the first holding any skill certificate, else the school's
    first; any learner with a major where a school has none."""

    CERTIFICATE = OUTCOME_KIND_LABELS[OutcomeKind.skill_certificate]

    def __init__(self, schools: list[InstitutionSpec], seed: int) -> None:
        self.schools = schools
        self.seed = seed
        self.first: dict[int, LearnerSpec] = {}
        self.certified: dict[int, LearnerSpec] = {}
        self.ahead: dict[int, LearnerSpec] = {}
        self.others: list[LearnerSpec] = []

    def see(self, person: LearnerSpec, rows: list[dict[str, str]]) -> None:
        if person.major is None:
            return
        if person.home in self.schools and person.cohort is not None and person.major.code.isdigit():
            n = self.schools.index(person.home)
            self.first.setdefault(n, person)
            if n not in self.ahead and any(r["kind"] == self.CERTIFICATE for r in rows):
                self.certified.setdefault(n, person)
                if exempts_ahead(person.major, self.seed, rows, self.CERTIFICATE):
                    self.ahead[n] = person
        elif len(self.others) < 3:
            self.others.append(person)

    def chosen(self) -> list[LearnerSpec]:
        picked = [
            self.ahead.get(n) or self.certified.get(n) or self.first[n]
            for n in range(len(self.schools))
            if n in self.first
        ]
        return (picked + self.others)[:3]


def build_demo(
    platform: Platform,
    *,
    province: str = "44",
    seed: int = 2025,
    scale: str = "default",
    learners: int | None = None,
    progress: Progress | None = None,
) -> DemoSummary:
    """Generate the province and write it; return what was made and the demo users."""
    started = time.perf_counter()
    shape = SCALES[scale]
    gen = ProvinceGenerator(province, seed, shape, learners if learners is not None else shape.learners)
    for i, spec in enumerate(gen.institutions, start=1):
        _register(platform, spec)
        if progress:
            progress("登记机构", i, len(gen.institutions))

    with platform.uow().read() as uow:
        registered = {i.uscc: i for i in uow.institutions.list()}

    def inst_id(spec: InstitutionSpec) -> int:
        found = registered[spec.uscc].id
        assert found is not None
        return found

    province_name = gen.province_name
    abbr = PROVINCE_ABBR[province]
    _user(platform, "admin", Role.national_admin, "国家学分银行管理员")
    admin = _user(
        platform, f"{abbr}_admin", Role.province_admin, f"{province_name}管理员", province_code=province
    )
    kinds = (InstitutionKind.secondary, InstitutionKind.higher, InstitutionKind.bachelor)
    schools = [gen.by_kind[k][0] for k in kinds if gen.by_kind[k]]
    staff = [
        _user(
            platform,
            f"staff{n}",
            Role.institution_staff,
            f"{school.name}教务员",
            institution_id=inst_id(school),
        )
        for n, school in enumerate(schools, start=1)
    ]
    certifier = gen.by_kind[InstitutionKind.certifier][0]
    _user(platform, "certifier1", Role.certifier, f"{certifier.name}", institution_id=inst_id(certifier))

    rng = random.Random(f"{seed}:outcomes")
    batch: list[dict[str, str]] = []
    people: list[LearnerSpec] = []
    picker = _LearnerPicker(schools, seed)
    outcomes = done = batches = 0

    def flush() -> None:
        nonlocal outcomes, batches
        if batch:
            batches += 1
            outcomes += _import(platform, admin, batch, batches)
            _enrol(platform, admin, people)
            batch.clear()
            people.clear()

    for person in gen.learners():
        rows = gen.rows(person, rng)
        batch.extend(rows)
        people.append(person)
        picker.see(person, rows)
        done += 1
        if len(batch) >= BATCH_ROWS:
            flush()
            if progress:
                progress("学习者与学习成果", done, gen.learner_count)
    flush()
    if progress:
        progress("学习者与学习成果", done, gen.learner_count)

    classes = []
    for n, person in enumerate(picker.chosen(), start=1):
        account = accounts.find_account_by_id_number(
            platform.uow(), SYSTEM, IdType.national_id, person.national_id
        )
        user = _user(platform, f"learner{n}", Role.learner, person.name, account_id=account.id)
        if person.home in schools:
            school = schools.index(person.home)
            classes.append(
                DemoClass(person.home, inst_id(person.home), staff[school], person, user, account.account_no)
            )
    if progress:
        progress("学分转换与凭证", 0, 1)
    showcase = build_showcase(platform, gen, classes, seed)
    if progress:
        progress("学分转换与凭证", 1, 1)
    quality = build_quality(platform, admin, gen, inst_id, seed, progress)
    admitted = build_admissions(
        platform, admin, gen, seed, DEMO_CANDIDATES.get(scale, 1_500),
        [(c.account_no, c.learner.name) for c in classes], progress,
    )  # fmt: skip
    return DemoSummary(
        len(gen.institutions),
        done,
        outcomes,
        time.perf_counter() - started,
        demo_users(platform),
        showcase,
        quality,
        admitted,
    )


def build_admissions(
    platform: Platform, admin: Principal, gen: ProvinceGenerator, seed: int, n_candidates: int,
    accounts: list[tuple[str, str]], progress: Progress | None = None,
) -> str:  # fmt: skip
    """分类考试招生 for the demo province: its 高职 and 技工 schools as programmes, a synthetic cohort
    (exempt groups, 技能拔尖 免试, certificate exemptions; the demo learners' accounts checked in the credit
    bank), run through the same service as `zhijiao admissions run` and published for the pages."""
    import tempfile
    from pathlib import Path

    from zhijiao.adapters.admissions.files import InputFile
    from zhijiao.services.admissions.published import publish_run
    from zhijiao.services.admissions.runs import RunFiles, run_admissions, write_run

    started = time.perf_counter()
    if progress:
        progress("分类考试招生", 0, 2)
    specs = [
        s for k in (InstitutionKind.higher, InstitutionKind.technician) for s in gen.by_kind[k] if s.moe_code
    ]
    schools = demo_schools([(s.moe_code or "", s.name, [(m.code, m.name) for m in s.majors],
                             s.kind is InstitutionKind.technician) for s in specs])  # fmt: skip
    province = synthetic_province(
        schools, n_candidates, n_groups=len(schools) * 3, seed=seed, with_accounts=accounts
    )
    files = RunFiles(
        InputFile(f"{gen.province_name}2026年录取政策.yaml", demo_policy(gen.province)),
        InputFile("专业组.csv", province.programmes), InputFile("考生.csv", province.candidates),
        InputFile("专业.csv", province.majors), InputFile("征集志愿.csv", province.supplementary),
    )  # fmt: skip
    done = run_admissions(files, credit_bank=platform.uow, principal=admin)
    with tempfile.TemporaryDirectory() as tmp:
        write_run(done, files, Path(tmp), workbook=False)
    if progress:
        progress("分类考试招生", 1, 2)
    publish_run(platform.uow(), admin, done)
    if progress:
        progress("分类考试招生", 2, 2)
    c = done.counts
    return (f"{len(schools)} 所高职与技工学校，{province.groups} 个专业组，{province.seats} 个计划；{c['candidates']} 名考生，"
            f"录取 {c['admitted']}（征集志愿 {c['admitted_supplementary']}），退档 {c['rejected']}，未投档 "
            f"{c['not_dispatched']}（{time.perf_counter() - started:.1f} s）")  # fmt: skip


def build_quality(
    platform: Platform, admin: Principal, gen: ProvinceGenerator, inst_id: Callable[[InstitutionSpec], int],
    seed: int, progress: Progress | None = None,
) -> str:  # fmt: skip
    """Three academic years of every school's quality data, imported as the province's long data-value
    set through the real import path, and the workflow: earlier years submitted on time and approved;
    the latest mostly submitted (some late), part approved, one returned, some still drafts."""
    from datetime import UTC, datetime, timedelta

    from zhijiao.adapters.spreadsheets.quality_form import read_quality_file
    from zhijiao.demo import quality as q
    from zhijiao.domain.quality.elements import level_of
    from zhijiao.domain.quality.workflow import Action
    from zhijiao.services.quality import collection
    from zhijiao.services.quality.schools import set_discipline_types

    rng = random.Random(f"{seed}:quality")
    specs = [s for s in gen.institutions if s.moe_code and level_of(s.kind) is not None]
    schools = q.demo_schools(rng, [(s.moe_code or "", s.name, level_of(s.kind)) for s in specs])  # type: ignore[misc]
    set_discipline_types(platform.uow(), admin, {school.code: school.discipline for school in schools})
    written = 0
    for n, year in enumerate(q.YEARS, start=1):
        rows = [row for school in schools for row in q.long_rows(seed, school, year)]
        read = read_quality_file(f"{gen.province_name}{year - 1}-{year}学年状态数据.csv", _csv(rows))
        result = collection.import_values(
            platform.uow(), admin, read.values, filename=read.filename, file_sha256=read.sha256,
            file_kind=read.kind, file_problems=read.problems,
        )  # fmt: skip
        if not result.ok:
            raise RuntimeError(
                "演示质量数据导入失败：" + "；".join(p.describe(read.filename) for p in result.problems[:3])
            )
        written += result.values_written
        if progress:
            progress("质量监测数据", n, len(q.YEARS) + 1)
    latest = q.YEARS[-1]
    approved = late = 0
    steps: list[collection.Step] = []
    for school in schools:
        for year in q.YEARS:
            period = f"{year - 1}-{year}"
            due = datetime(year, 10, 15, 8, tzinfo=UTC)
            draw = rng.random()
            if year == latest and draw < 0.15:
                continue  # still a draft
            is_late = year == latest and draw > 0.9
            at = (
                due + timedelta(days=rng.randint(3, 40))
                if is_late
                else due - timedelta(days=rng.randint(1, 30))
            )
            late += is_late
            steps.append(
                collection.Step(school.code, period, Action.submit, declared_by="数据填报负责人", at=at)
            )
            if year < latest or draw < 0.55:
                steps.append(collection.Step(school.code, period, Action.approve, at=at + timedelta(days=5)))
                approved += 1
            elif draw < 0.6:
                comment = "生均图书与上年差异过大，请核实"
                steps.append(
                    collection.Step(school.code, period, Action.return_, comment, at=at + timedelta(days=5))
                )
    collection.act_many(platform.uow(), admin, steps)
    if progress:
        progress("质量监测数据", len(q.YEARS) + 1, len(q.YEARS) + 1)
    return f"{len(schools):,} 所学校 × {len(q.YEARS)} 学年，{written:,} 个数据值；{approved:,} 份已审核，{late:,} 份逾期提交"


def _csv(rows: list[list[str]]) -> bytes:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["机构代码", "期间", "数据元代码", "分类", "值"])
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")
