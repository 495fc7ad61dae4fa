"""English for the quality pillar's dynamic text (Chinese first, English complete): units, the
documents' titles and numbers, and the quoted sentences' English renderings.

A quotation stays a quotation of the Chinese document: where a sentence's English is given here it is
a rendering for readers, not the document's own wording.
"""

from __future__ import annotations

import re

# The names of data elements and indicators are in their definitions (`name_en`, elements.py and
# indicators.py); what is here is shared by several of them.

UNITS_EN = {
    "": "", "人": "", "人次": " person-times", "个": "", "门": " courses", "学时": " hours", "册": " volumes",
    "元": " yuan", "平方米": " m²", "平方米/生": " m²/student", "元/生": " yuan/student", "册/生": " volumes/student",
}  # fmt: skip

DOCUMENTS_EN = {
    "职业教育提质培优行动计划（2020—2023年）": "Action Plan for Improving the Quality of Vocational Education (2020–2023)",
    "普通高等学校基本办学条件指标（试行）": "Basic Indicators of the Conditions for Running Regular Higher Education Institutions (Trial)",
    "中等职业学校设置标准": "Standards for Establishing Secondary Vocational Schools",
}

# 文号 in English: the issuer's abbreviation in pinyin, the year in brackets, the number
ISSUERS_EN = {"教职成": "Jiaozhicheng", "教发": "Jiaofa"}
_NUMBER = re.compile(r"^(?P<issuer>\S+?)〔(?P<year>\d{4})〕(?P<no>\d+)号$")


def document_number_en(number: str) -> str:
    """`教发〔2004〕2号` as `Jiaofa [2004] No. 2`; a number of an issuer not listed stays as it is."""
    m = _NUMBER.match(number)
    if m is None or m["issuer"] not in ISSUERS_EN:
        return number
    return f"{ISSUERS_EN[m['issuer']]} [{m['year']}] No. {m['no']}"


DISCIPLINES_EN = {
    "comprehensive": "comprehensive, teacher-training and ethnic schools",
    "engineering": "engineering, agriculture and forestry schools",
    "medical": "medical schools",
    "humanities": "language, finance and law schools",
    "sports": "sports schools",
    "arts": "art schools",
}

SENTENCES_EN = {
    # 教职成〔2020〕7号
    "到2023年，专业教师中“双师型”教师占比超过50%": (
        "by 2023, dual-qualified teachers make up more than 50% of professional teachers"
    ),
    "实践性教学学时原则上占总学时数50%以上": "practical teaching hours in principle make up 50% or more of all hours",
    "加强实践性教学，实践性教学学时原则上占总学时数50%以上": (
        "strengthen practical teaching: practical teaching hours in principle make up 50% or more of all hours"
    ),
    "实现优质职业学校年培训人次达到在校生规模的2倍以上": (
        "high-quality vocational schools train, each year, at least twice as many people as they enrol"
    ),
    "高职学校应当根据全日制在校生总数，严格按照师生比不低于1:350的比例核定专职思政课教师岗位": (
        "higher vocational schools set their full-time ideological-political teacher posts from their full-time "
        "enrolment, strictly at no fewer than 1 teacher per 350 students"
    ),
    "建立健全三年大修订、每年小修订的教材动态更新调整机制": (
        "textbooks are thoroughly revised every three years and updated every year"
    ),
    "把职业道德、职业素养、技术技能水平、就业质量和创业能力作为衡量人才培养质量的重要内容": (
        "professional ethics, professionalism, technical skills, employment quality and entrepreneurship are key "
        "measures of the quality of training"
    ),
    # 教职成〔2010〕12号
    "专业教师一般应不低于本校专任教师数的50%": "professional teachers make up at least 50% of full-time teachers",
    "专任教师中，具有高级专业技术职务人数不低于20%": (
        "at least 20% of full-time teachers hold a senior professional title"
    ),
    "专任教师一般不少于60人": "a school generally has at least 60 full-time teachers",
    "校园占地面积……生均用地面积指标不少于33平方米": "land area: at least 33 m² per student",
    "校舍建筑面积……生均校舍建筑面积不少于20平方米": "building area: at least 20 m² per student",
    "第七条：专任教师一般不少于60人，师生比达到1:20": (
        "Article 7: generally at least 60 full-time teachers, and a teacher-student ratio of 1:20"
    ),
    "第七条：专任教师一般不少于60人": "Article 7: generally at least 60 full-time teachers",
    "第七条：专任教师中，具有高级专业技术职务人数不低于20%": (
        "Article 7: at least 20% of full-time teachers hold a senior professional title"
    ),
    "第七条：专业教师数应不低于本校专任教师数的50%": (
        "Article 7: professional teachers make up at least 50% of full-time teachers"
    ),
    "第七条：专业教师数应不低于本校专任教师数的50%，其中双师型教师不低于30%": (
        "Article 7: professional teachers make up at least 50% of full-time teachers, at least 30% of them "
        "dual-qualified"
    ),
    "第八条：生均用地面积指标不少于33平方米": "Article 8: at least 33 m² of land per student",
    "第八条：生均校舍建筑面积指标不少20平方米": "Article 8: at least 20 m² of building area per student",
    "生均图书不少于30册（教育部中职学校办学条件达标工程监测指标，参照教职成〔2010〕12号）": (
        "at least 30 books per student (the ministry's monitoring indicator for secondary vocational schools' "
        "conditions, after Jiaozhicheng [2010] No. 12)"
    ),
    # 教发〔2004〕2号
    "生师比＝折合在校生数÷教师总数": "student-teacher ratio = weighted students ÷ total teachers",
    "具有研究生学位教师占专任教师的比例＝具有研究生学位的专任教师数÷专任教师数": (
        "share of teachers with a postgraduate degree = full-time teachers with a postgraduate degree ÷ "
        "full-time teachers"
    ),
    "生均教学行政用房＝教学行政用房面积÷全日制在校生数": (
        "teaching and administrative space per student = that floor area ÷ full-time students"
    ),
    "生均教学科研仪器设备值＝教学科研仪器设备资产总值÷折合在校生数": (
        "equipment value per student = teaching and research equipment assets ÷ weighted students"
    ),
    "生均图书＝图书总数÷折合在校生数": "books per student = books ÷ weighted students",
    "凡有一项指标未达到规定要求的学校，即被确定为限制招生（黄牌）学校；凡两项或两项以上指标未达到规定要求的学校，"
    "即被确定为暂停招生（红牌）学校；凡连续三年被确定为“黄”牌的学校，第三年即被确定为暂停招生（红牌）学校": (
        "a school with one indicator below the requirement is a restricted-enrolment (yellow card) school; with two "
        "or more, a suspended-enrolment (red card) school; a school with a yellow card three years running gets a "
        "red card in the third year"
    ),
}

TABLES_EN = {
    "表一 基本办学条件指标：合格": "Table 1, basic conditions: pass",
    "表二 基本办学条件指标：限制招生": "Table 2, basic conditions: restricted enrolment",
}
