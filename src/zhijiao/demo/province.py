"""Generating a demo province from a seed: institutions, learners and their outcome rows.

Pure generation (no database): the same seed, province and scale always give the same province.
Dates are relative to the fixed `AS_OF` day, not to today, so that the seed alone decides them.
Outcome rows are import rows (column key → cell text), exactly what a school would upload.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from zhijiao.demo import vocab
from zhijiao.demo.catalogs import Major, majors, provinces
from zhijiao.domain.creditbank.model import (
    LEVEL_LABELS,
    OUTCOME_KIND_LABELS,
    InstitutionKind,
    Level,
    OutcomeKind,
)
from zhijiao.domain.identity import make_national_id, make_uscc

AS_OF = date(2025, 8, 31)
Add = Callable[..., None]
K = InstitutionKind
SCHOOL_LEVEL = {  # which catalog a school kind teaches, and for how many years
    K.secondary: ("zhongzhi", 3),
    K.technician: ("zhongzhi", 3),
    K.higher: ("zhuanke", 3),
    K.open_university: ("zhuanke", 3),
    K.bachelor: ("benke", 4),
    K.university: ("benke", 4),
}
ENTRY_AGE = {K.secondary: 15, K.technician: 15, K.higher: 18, K.bachelor: 18, K.university: 18}
# share of learners per home kind (enterprise = adult learners, 社会学习者)
LEARNER_MIX = (
    (K.secondary, 30), (K.technician, 12), (K.higher, 30), (K.bachelor, 6), (K.university, 4),
    (K.open_university, 8), (K.enterprise, 10),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Scale:
    institutions: dict[InstitutionKind, int]
    learners: int


SCALES: dict[str, Scale] = {
    "small": Scale(
        {K.secondary: 3, K.technician: 2, K.higher: 3, K.bachelor: 2, K.university: 2, K.open_university: 2,
         K.enterprise: 4, K.certifier: 4},
        300,
    ),
    "default": Scale(
        {K.secondary: 48, K.technician: 30, K.higher: 36, K.bachelor: 24, K.university: 24,
         K.open_university: 24, K.enterprise: 40, K.certifier: 20},
        30_000,
    ),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class InstitutionSpec:
    name: str
    kind: InstitutionKind
    region_code: str
    moe_code: str | None
    uscc: str
    majors: tuple[Major, ...] = ()
    certificates: tuple[str, ...] = ()  # the 1+X certificates a certifier issues


@dataclass(frozen=True, slots=True)
class LearnerSpec:
    national_id: str
    name: str
    home: InstitutionSpec
    major: Major | None
    cohort: int | None
    birth: date


@dataclass
class ProvinceGenerator:
    province: str
    seed: int
    scale: Scale
    learner_count: int
    _uscc_seen: set[str] = field(default_factory=set)
    _ids_seen: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        if self.province not in vocab.CITIES:
            supported = "、".join(f"{c} {provinces()[c]}" for c in vocab.CITIES)
            raise ValueError(f"暂无省份“{self.province}”的城市列表；可选：{supported}")
        self.province_name = provinces()[self.province]
        self.cities = vocab.CITIES[self.province]
        self.institutions = self._institutions(random.Random(f"{self.seed}:institutions"))
        self.by_kind: dict[InstitutionKind, list[InstitutionSpec]] = {k: [] for k in InstitutionKind}
        for inst in self.institutions:
            self.by_kind[inst.kind].append(inst)
        self.certifier_of = {c: inst for inst in self.by_kind[K.certifier] for c in inst.certificates}

    # --- institutions ---

    def _short_province(self) -> str:
        return self.province_name.removesuffix("省").removesuffix("市")

    def _uscc(self, rng: random.Random, region: str, authority: str, kind: str) -> str:
        while True:
            code = make_uscc(region, f"{rng.randrange(10**8):08d}", authority=authority, kind=kind)
            if code not in self._uscc_seen:
                self._uscc_seen.add(code)
                return code

    def _institutions(self, rng: random.Random) -> list[InstitutionSpec]:
        made: list[InstitutionSpec] = []
        names: set[str] = set()
        serial = 0
        for kind, count in self.scale.institutions.items():
            for i in range(count):
                for _attempt in range(200):
                    region, city = rng.choice(self.cities)
                    fld, cats = rng.choice(vocab.SCHOOL_FIELDS)
                    name = self._name(rng, kind, i, city, fld)
                    if name not in names:
                        break
                else:  # pragma: no cover - the word lists allow far more names than any scale asks
                    raise RuntimeError("演示机构名称不足")
                names.add(name)
                if kind in SCHOOL_LEVEL:
                    serial += 1
                    level = SCHOOL_LEVEL[kind][0]
                    pool = [m for m in majors(level) if m.category in (*cats, 11)]
                    offered = tuple(
                        sorted(rng.sample(pool, min(len(pool), rng.randint(6, 12))), key=lambda m: m.code)
                    )
                    private = rng.random() < 0.2
                    made.append(
                        InstitutionSpec(
                            name, kind, region, f"4{self.province}{serial:07d}",
                            self._uscc(rng, region, "5" if private else "1", "2"), offered,
                        )
                    )  # fmt: skip
                else:
                    made.append(InstitutionSpec(name, kind, region, None, self._uscc(rng, region, "9", "1")))
        # every 1+X certificate gets one certifier, round robin
        certifiers = [m for m in made if m.kind is K.certifier]
        if certifiers:
            certs = sorted({c for names_ in vocab.SKILL_CERTIFICATES.values() for c in names_})
            rng.shuffle(certs)
            share: dict[str, list[str]] = {c.uscc: [] for c in certifiers}
            for i, cert in enumerate(certs):
                share[certifiers[i % len(certifiers)].uscc].append(cert)
            made = [
                InstitutionSpec(
                    m.name, m.kind, m.region_code, m.moe_code, m.uscc, m.majors, tuple(share[m.uscc])
                )
                if m.kind is K.certifier
                else m
                for m in made
            ]
        return made

    def _name(self, rng: random.Random, kind: InstitutionKind, i: int, city: str, fld: str) -> str:
        if kind is K.open_university:
            # the province's own open university first, then the cities'
            return f"{self.province_name.removesuffix('省')}开放大学" if i == 0 else f"{self.cities[(i - 1) % len(self.cities)][1]}开放大学" + ("" if i <= len(self.cities) else f"{rng.choice('东西南北')}区分校")  # fmt: skip
        if kind is K.enterprise:
            return f"{city}{rng.choice(vocab.BRANDS)}{rng.choice(vocab.ENTERPRISE_TRADES)}有限公司"
        if kind is K.certifier:
            pattern = rng.choice(vocab.CERTIFIER_PATTERNS)
            return pattern.format(
                brand=rng.choice(vocab.BRANDS), field=rng.choice(vocab.CERTIFIER_FIELDS), city=city
            )
        pattern = rng.choice(vocab.SCHOOL_PATTERNS[kind.value])
        return pattern.format(city=city, field=fld, province=self._short_province())

    # --- learners ---

    def _person_name(self, rng: random.Random, male: bool) -> str:
        chars = vocab.GIVEN_MALE if male else vocab.GIVEN_FEMALE
        given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
        return rng.choice(vocab.SURNAMES) + given

    def _national_id(self, rng: random.Random, born: date, male: bool) -> str:
        while True:
            region = rng.choice(vocab.MIGRANT_REGIONS) if rng.random() < 0.1 else rng.choice(self.cities)[0]
            seq = rng.randrange(500) * 2 + (1 if male else 0)  # odd sequence code: male
            nid = make_national_id(region, born, seq)
            if nid not in self._ids_seen:
                self._ids_seen.add(nid)
                return nid

    def learners(self) -> Iterator[LearnerSpec]:
        rng = random.Random(f"{self.seed}:learners")
        mix = [(k, w) for k, w in LEARNER_MIX if self.by_kind[k]]
        kinds, weights = [k for k, _ in mix], [w for _, w in mix]
        for _ in range(self.learner_count):
            kind = rng.choices(kinds, weights)[0]
            home = rng.choice(self.by_kind[kind])
            male = rng.random() < 0.52
            if kind in ENTRY_AGE:
                cohort = rng.randint(AS_OF.year - SCHOOL_LEVEL[kind][1], AS_OF.year - 1)
                born = date(cohort - ENTRY_AGE[kind] - rng.choice((0, 0, 0, 1)), 1, 1)
            elif kind is K.open_university:
                cohort = rng.randint(AS_OF.year - 3, AS_OF.year - 1)
                born = date(rng.randint(1978, 2002), 1, 1)
            else:
                cohort = None
                born = date(rng.randint(1972, 2003), 1, 1)
            born += timedelta(days=rng.randrange(365))
            major = rng.choice(home.majors) if home.majors else None
            nid = self._national_id(rng, born, male)
            yield LearnerSpec(nid, self._person_name(rng, male), home, major, cohort, born)

    # --- outcome rows ---

    def rows(self, learner: LearnerSpec, rng: random.Random) -> list[dict[str, str]]:
        """The learner's outcomes as import rows; the first row is issued by the home institution."""
        out: list[dict[str, str]] = []
        seen: set[tuple[str, ...]] = set()

        def add(kind: OutcomeKind, title: str, issuer: InstitutionSpec, on: date, **cells: str) -> None:
            key = (kind.value, title, cells.get("code", ""), issuer.uscc, on.isoformat())
            if key in seen:  # the same outcome twice would be refused as a duplicate row
                return
            seen.add(key)
            out.append(
                {"national_id": learner.national_id, "name": learner.name, "kind": OUTCOME_KIND_LABELS[kind],
                 "title": title, "issuer": issuer.uscc, "obtained_on": on.isoformat(), **cells}
            )  # fmt: skip

        home = learner.home
        category = learner.major.category if learner.major else rng.randint(1, 19)
        if learner.major is not None and learner.cohort is not None:
            self._courses(rng, learner, learner.major, learner.cohort, add)
            if rng.random() < (0.35 if home.kind is not K.open_university else 0.1):
                self._skill_certificates(rng, category, home.kind, learner.cohort, add)
            if home.kind in (K.secondary, K.technician, K.higher, K.bachelor) and rng.random() < 0.08:
                skill = rng.choice(vocab.COMPETITION_SKILLS)
                award, credits = rng.choice(vocab.AWARDS)
                group = "中职组" if SCHOOL_LEVEL[home.kind][0] == "zhongzhi" else "高职组"
                title = f"{self._short_province()}职业院校技能大赛（{group}）“{skill}”赛项{award}"
                add(
                    OutcomeKind.competition_award,
                    title,
                    home,
                    self._day(rng, learner.cohort + 1, 5),
                    credits=credits,
                )
            if rng.random() < 0.15:
                self._online(rng, learner.cohort, add)
        if home.kind in (K.enterprise, K.open_university):
            self._adult(rng, learner, home, add)
        return out

    def _day(self, rng: random.Random, year: int, month: int) -> date:
        return min(date(year, month, rng.randint(1, 28)), AS_OF)

    def _courses(self, rng: random.Random, learner: LearnerSpec, major: Major, cohort: int, add: Add) -> None:
        years = SCHOOL_LEVEL[learner.home.kind][1]
        pool = [
            *vocab.GENERAL_COURSES[major.level],
            *vocab.CATEGORY_COURSES[major.category],
            *(p.format(major=major.name) for p in vocab.MAJOR_COURSES),
        ]
        semesters = []  # end days of the semesters finished by AS_OF
        for s in range(years * 2):
            end = date(cohort + 1 + s // 2, 1, 15) if s % 2 == 0 else date(cohort + 1 + s // 2, 6, 30)
            if end <= AS_OF:
                semesters.append(end)
        internship = vocab.MAJOR_COURSES[-1].format(major=major.name)  # 岗位实习: the last semester only
        classes = [t for t in pool if t != internship]
        taken = rng.sample(classes, min(len(classes), 3 * len(semesters) + rng.randint(0, 2)))
        dated = [
            (title, semesters[i % len(semesters)], rng.choice(("32", "36", "48", "64", "72")))
            for i, title in enumerate(taken)
        ]
        if len(semesters) == years * 2:
            dated.append((internship, semesters[-1], "480"))
        for title, on, hours in dated:
            score = (
                str(rng.randint(60, 99)) if rng.random() < 0.85 else rng.choice(("优", "良", "中", "及格"))
            )
            code = f"{major.code}{pool.index(title):02d}"
            add(OutcomeKind.course, title, learner.home, on, code=code, hours=hours, score=score)

    def _skill_certificates(
        self, rng: random.Random, category: int, kind: InstitutionKind, cohort: int, add: Add
    ) -> None:
        names = vocab.SKILL_CERTIFICATES[category]
        for name in rng.sample(names, min(len(names), rng.choice((1, 1, 2)))):
            issuer = self.certifier_of.get(name)
            if issuer is None:
                continue
            level = (
                Level.junior
                if kind in (K.secondary, K.technician)
                else rng.choice((Level.intermediate, Level.intermediate, Level.senior))
            )
            on = self._day(rng, cohort + rng.randint(1, 2), rng.choice((6, 12)))
            add(
                OutcomeKind.skill_certificate,
                f"{name}职业技能等级证书",
                issuer,
                on,
                level=LEVEL_LABELS[level],
            )

    def _online(self, rng: random.Random, since: int, add: Add) -> None:
        platforms = self.by_kind[K.open_university]
        if not platforms:
            return
        for title in rng.sample(vocab.ONLINE_COURSES, rng.randint(1, 3)):
            on = self._day(rng, rng.randint(since, AS_OF.year), rng.randint(1, 12))
            add(
                OutcomeKind.online_course,
                title,
                platforms[0],
                on,
                hours=rng.choice(("16", "24", "32")),
                score=str(rng.randint(70, 99)),
            )

    def _adult(self, rng: random.Random, learner: LearnerSpec, home: InstitutionSpec, add: Add) -> None:
        employers = self.by_kind[K.enterprise] or [home]
        employer = home if home.kind is K.enterprise else rng.choice(employers)
        start = max(learner.birth.year + 18, 2000)
        for _ in range(rng.randint(1, 2)):
            end = self._day(rng, rng.randint(start + 1, AS_OF.year), rng.randint(1, 12))
            title = f"{rng.choice(vocab.POSITIONS)}工作经历"
            add(
                OutcomeKind.work_experience,
                title,
                employer,
                end,
                hours=str(rng.choice((1000, 2000, 3000, 4000))),
            )
            employer = rng.choice(employers)
        trainers = self.by_kind[K.enterprise] + self.by_kind[K.technician]
        trade = rng.choice(vocab.TRADES)
        for _ in range(rng.randint(1, 4)):
            pattern = rng.choice((*vocab.TRAINING_PATTERNS, *vocab.TRAINING_GENERAL))
            on = self._day(rng, rng.randint(2018, AS_OF.year), rng.randint(1, 12))
            add(
                OutcomeKind.training,
                pattern.format(trade=trade),
                rng.choice(trainers),
                on,
                hours=rng.choice(("16", "24", "40", "64", "96")),
            )
        if rng.random() < 0.5:
            level = rng.choice((Level.junior, Level.intermediate, Level.senior, Level.technician))
            issuer = rng.choice(self.by_kind[K.technician] or trainers)
            on = self._day(rng, rng.randint(2016, AS_OF.year), rng.randint(1, 12))
            add(
                OutcomeKind.qualification_certificate,
                f"{trade}职业资格证书",
                issuer,
                on,
                level=LEVEL_LABELS[level],
            )
        if rng.random() < 0.2:
            self._skill_certificates(rng, rng.randint(1, 19), K.higher, 2021, add)
        if rng.random() < 0.5:
            self._online(rng, 2019, add)
