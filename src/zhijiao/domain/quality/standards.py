"""Standards: the lines an indicator is judged against — national, with provincial overrides and
a school's own higher targets (the plan's “国家、省、校三级标准体系”) — per level and discipline
type, effective-dated, each citing its source.

National lines:
- 高职专科: 《普通高等学校基本办学条件指标（试行）》(教发〔2004〕2号), 表一 (合格) and 表二
  (限制招生), 专科（高职）院校 rows, per discipline type.
- 职业本科: the same document's 本科院校 rows of 表一 (合格).
- 中职: 《中等职业学校设置标准》(教职成〔2010〕12号), 第七条 and 第八条.
Each figure records where it was checked, or that it could not be (`verified`).
- every level: the plan's own ratios (教职成〔2020〕7号).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from zhijiao.domain.quality.elements import DisciplineType, SchoolLevel
from zhijiao.domain.quality.indicators import BASIC_2004, PLAN, SECONDARY_2010, Source


@dataclass(frozen=True, slots=True)
class Standard:
    indicator: str
    level: SchoolLevel
    pass_line: Decimal  # 合格
    source: Source
    discipline: DisciplineType | None = None  # None: every discipline type
    restrict_line: Decimal | None = None  # 限制招生 (only national basic conditions)
    effective_from: date = date(2000, 1, 1)
    effective_to: date | None = None
    scope: str = "national"  # "national", "province:44" or "school:<institution id>"
    below_is: str = "fail"  # the verdict under the line when there is no 限制招生 line: fail or warning
    verified: bool = True  # False: the 合格 figure could not be checked against the document's text
    restrict_verified: bool = True  # the same for the 限制招生 figure
    checked_at: str = ""  # where the figure was checked (a published copy of the document)

    def applies(self, level: SchoolLevel, discipline: DisciplineType, on: date) -> bool:
        return (
            self.level is level
            and (self.discipline is None or self.discipline is discipline)
            and self.effective_from <= on
            and (self.effective_to is None or on < self.effective_to)
        )

    @property
    def scope_rank(self) -> int:
        return {"national": 0, "province": 1, "school": 2}[self.scope.split(":", 1)[0]]

    @property
    def scope_label(self) -> str:
        kind = self.scope.split(":", 1)[0]
        return {"national": "国家标准", "province": "省级标准", "school": "学校目标"}[kind]

    @property
    def scope_label_en(self) -> str:
        kind = self.scope.split(":", 1)[0]
        return {
            "national": "National standard",
            "province": "Provincial standard",
            "school": "School target",
        }[kind]


D = Decimal
H, S, B = SchoolLevel.higher, SchoolLevel.secondary, SchoolLevel.bachelor
DT = DisciplineType
ISSUED_2004 = date(2004, 2, 6)
ISSUED_2010 = date(2010, 7, 6)
ISSUED_2020 = date(2020, 9, 16)

# Where each figure was checked (public copies of the documents; the ministry's own site was not
# reachable from here). A figure that could not be checked is kept with `verified=False`: the
# explanations and the API say so instead of presenting it as the document's.
COPY_2004 = (
    "http://tianhezy.com/gzc/zdfg/sjfg/14384.htm"  # 表一（合格）: every 本科 row; 专科(高职) 综合/工科 rows
)
COPY_2004_NOTES = "https://360docs.net/doc/268866136.html"  # 表一/表二 备注, 测算办法
COPY_2010_ART7 = "http://tengyi66.com/plus/view.php?aid=99502"  # 第七条（师资）
COPY_2010_ART8 = "https://pic.usqiaobao.com/news/20220909/50577.html"  # 第八条（校园、校舍）
COPY_2010_DABIAO = (
    "http://www.digipub.cc/dy/article/JG8L4DJP05569JFY.html"  # 教育部达标工程: 图书 30 册（参照12号）
)

_T1 = "表一 基本办学条件指标：合格"
_T2 = "表二 基本办学条件指标：限制招生"
# 教发〔2004〕2号, 专科（高职）院校 rows: (生师比, 研究生学位比例, 生均教学行政用房 m², 生均仪器设备值 元,
# 生均图书 册) for 合格 (表一) and 限制招生 (表二), and whether the 合格 row was checked against a copy of
# the table. No copy of 表二 (限制招生) with its figures could be found: every 限制招生 figure below is
# unverified (kept from the first transcription, to be checked against the document).
HIGHER_2004: dict[DisciplineType, tuple[tuple[str, ...], tuple[str, ...], bool]] = {
    DT.comprehensive: (("18", "0.15", "14", "4000", "80"), ("22", "0.05", "9", "2500", "45"), True),
    DT.engineering: (("18", "0.15", "16", "4000", "60"), ("22", "0.05", "11", "2500", "35"), True),
    DT.medical: (("16", "0.15", "16", "4000", "60"), ("20", "0.05", "11", "2500", "35"), False),
    DT.humanities: (("18", "0.15", "9", "3000", "80"), ("23", "0.05", "6", "1500", "50"), False),
    DT.sports: (("13", "0.15", "22", "3000", "70"), ("17", "0.05", "15", "2000", "45"), False),
    DT.arts: (("13", "0.15", "18", "3000", "80"), ("17", "0.05", "12", "2000", "50"), False),
}
# 教发〔2004〕2号 表一, 本科院校 rows (合格), every one checked (COPY_2004). They are the 合格 lines of
# 职业本科 (本科层次职业学校 are 普通本科高校). Their 限制招生 lines (表二) could not be checked, so none
# are set: 职业本科 schools get verdicts against 合格, and no yellow or red card.
BACHELOR_2004: dict[DisciplineType, tuple[str, ...]] = {
    DT.comprehensive: ("18", "0.30", "14", "5000", "100"),
    DT.engineering: ("18", "0.30", "16", "5000", "80"),
    DT.medical: ("16", "0.30", "16", "5000", "80"),
    DT.humanities: ("18", "0.30", "9", "3000", "100"),
    DT.sports: ("11", "0.30", "22", "4000", "70"),
    DT.arts: ("11", "0.30", "18", "4000", "80"),
}
_BASIC = (
    "student_teacher_ratio", "postgraduate_teacher_share", "teaching_admin_space_per_student",
    "equipment_value_per_student", "books_per_student",
)  # fmt: skip


_UNITS = dict(zip(_BASIC, ("", "%", "平方米/生", "元/生", "册/生"), strict=True))
_NAMES = dict(
    zip(
        _BASIC,
        (
            "生师比",
            "具有研究生学位教师占专任教师的比例",
            "生均教学行政用房",
            "生均教学科研仪器设备值",
            "生均图书",
        ),
        strict=True,
    )
)


def _shown(code: str, figure: str, en: bool = False) -> str:
    from zhijiao.domain.quality.english import UNITS_EN

    unit = _UNITS[code]
    if unit == "%":
        return f"{D(figure) * 100:.0f}%"
    return figure + (UNITS_EN.get(unit, unit) if en else unit)


def _en(code: str) -> str:
    from zhijiao.domain.quality.indicators import INDICATOR_BY_CODE

    return INDICATOR_BY_CODE[code].name_en.lower()


def _higher_2004() -> list[Standard]:
    out = []
    for discipline, (passing, restricting, checked) in HIGHER_2004.items():
        for code, p, r in zip(_BASIC, passing, restricting, strict=True):
            sentence = (
                f"{_T1}，专科（高职）院校，{discipline_label(discipline)}：{_NAMES[code]} {_shown(code, p)}；"
                f"{_T2}：{_shown(code, r)}"
            )
            from zhijiao.domain.quality.english import DISCIPLINES_EN

            sentence_en = (
                f"Table 1 (pass), junior-college (higher vocational) schools, {DISCIPLINES_EN[discipline.value]}: "
                f"{_en(code)} {_shown(code, p, True)}; Table 2 (restricted enrolment): {_shown(code, r, True)}"
            )
            out.append(
                Standard(
                    code, H, D(p), Source(*BASIC_2004, sentence, sentence_en), discipline, D(r), ISSUED_2004,
                    verified=checked, restrict_verified=False, checked_at=COPY_2004 if checked else "",
                )
            )  # fmt: skip
    return out


def _bachelor_2004() -> list[Standard]:
    out = []
    for discipline, passing in BACHELOR_2004.items():
        for code, p in zip(_BASIC, passing, strict=True):
            from zhijiao.domain.quality.english import DISCIPLINES_EN

            sentence = f"{_T1}，本科院校，{discipline_label(discipline)}：{_NAMES[code]} {_shown(code, p)}"
            sentence_en = (
                f"Table 1 (pass), undergraduate schools, {DISCIPLINES_EN[discipline.value]}: {_en(code)} "
                f"{_shown(code, p, True)}"
            )
            out.append(
                Standard(code, B, D(p), Source(*BASIC_2004, sentence, sentence_en), discipline, None, ISSUED_2004,
                         checked_at=COPY_2004)
            )  # fmt: skip
    return out


def discipline_label(d: DisciplineType) -> str:
    from zhijiao.domain.quality.elements import DISCIPLINE_LABELS

    return DISCIPLINE_LABELS[d]


def _plan(code: str, level: SchoolLevel, line: str, sentence: str, below_is: str = "fail") -> Standard:
    return Standard(
        code, level, D(line), Source(*PLAN, sentence), effective_from=ISSUED_2020, below_is=below_is
    )


def _secondary(code: str, line: str, sentence: str, checked_at: str) -> Standard:
    return Standard(
        code, S, D(line), Source(*SECONDARY_2010, sentence), effective_from=ISSUED_2010, checked_at=checked_at
    )


_DUAL = "到2023年，专业教师中“双师型”教师占比超过50%"
_PRACTICE = "实践性教学学时原则上占总学时数50%以上"
_TRAINING = "实现优质职业学校年培训人次达到在校生规模的2倍以上"
_IDEO = "高职学校应当根据全日制在校生总数，严格按照师生比不低于1:350的比例核定专职思政课教师岗位"
_ART7 = "第七条"
_ART8 = "第八条"

NATIONAL: tuple[Standard, ...] = (
    *_higher_2004(),
    *_bachelor_2004(),
    # 《中等职业学校设置标准》(教职成〔2010〕12号), 中职
    _secondary("student_teacher_ratio", "20", f"{_ART7}：专任教师一般不少于60人，师生比达到1:20", COPY_2010_ART7),
    _secondary("fulltime_teachers", "60", f"{_ART7}：专任教师一般不少于60人", COPY_2010_ART7),
    _secondary("senior_title_share", "0.2", f"{_ART7}：专任教师中，具有高级专业技术职务人数不低于20%",
               COPY_2010_ART7),
    _secondary("professional_teacher_share", "0.5", f"{_ART7}：专业教师数应不低于本校专任教师数的50%",
               COPY_2010_ART7),
    # 12号's 双师型 line (30 % of 专业教师) until the plan raised it to 50 %
    replace(
        _secondary("dual_qualified_share", "0.3", f"{_ART7}：专业教师数应不低于本校专任教师数的50%，其中双师型教师不低于30%",
                   COPY_2010_ART7),
        effective_to=ISSUED_2020,
    ),
    _secondary("land_area_per_student", "33", f"{_ART8}：生均用地面积指标不少于33平方米", COPY_2010_ART8),
    _secondary("building_area_per_student", "20", f"{_ART8}：生均校舍建筑面积指标不少20平方米", COPY_2010_ART8),
    _secondary("books_per_student", "30", "生均图书不少于30册（教育部中职学校办学条件达标工程监测指标，参照教职成〔2010〕12号）",
               COPY_2010_DABIAO),
    # the plan (教职成〔2020〕7号), every level
    *(_plan("dual_qualified_share", lv, "0.5", _DUAL) for lv in (S, H, B)),
    *(_plan("practical_hours_share", lv, "0.5", _PRACTICE) for lv in (S, H, B)),
    *(_plan("training_ratio", lv, "2", _TRAINING, below_is="warning") for lv in (S, H, B)),
    *(_plan("students_per_ideopolitical_teacher", lv, "350", _IDEO) for lv in (H, B)),
)  # fmt: skip


def resolve(
    standards: list[Standard] | tuple[Standard, ...],
    indicator: str,
    level: SchoolLevel,
    discipline: DisciplineType,
    on: date,
    *,
    province: str,
    school_id: int,
) -> Standard | None:
    """The line `indicator` is judged against for one school on day `on`: its own target, else its
    province's, else the national one (the latest in force). Local lines only raise the pass line;
    the national 限制招生 line stays (the cards are national)."""
    scopes = ("national", f"province:{province}", f"school:{school_id}")
    found = [
        s for s in standards
        if s.indicator == indicator and s.scope in scopes and s.applies(level, discipline, on)
    ]  # fmt: skip
    if not found:
        return None
    national = [s for s in found if s.scope == "national"]
    national.sort(key=lambda s: (s.discipline is not None, s.effective_from))
    best = max(found, key=lambda s: (s.scope_rank, s.discipline is not None, s.effective_from))
    if best.scope != "national" and national and national[-1].restrict_line is not None:
        best = replace(best, restrict_line=national[-1].restrict_line)
    return best
