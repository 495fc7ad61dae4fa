"""English for the admissions messages that carry figures (file problems, policy refusals, each
candidate's reason): the Chinese text is the record; this renders it in English for `--lang en` and the
English pages. Fixed strings are in `zhijiao.i18n.EN`; here the composed ones, phrase by phrase."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from zhijiao.i18n import EN, PATTERNS, to_english

_Sub = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]


def _ordinals(m: re.Match[str]) -> str:
    nums = m.group(1).split("、")
    return ("choices " if len(nums) > 1 else "choice ") + ", ".join(nums)


# Longest and most specific first; each pattern replaces a phrase, the punctuation is converted last.
_RULES: list[tuple[str, str | Callable[[re.Match[str]], str]]] = [
    # the skill-share refusal (任务 15)
    (
        r"职业技能测试分值占总分值的 ([\d.]+)%（(.+?)满分 ([\d.]+) × 权重 ([\d.]+) = ([\d.]+)，总分值 ([\d.]+)），低于《职业教育提质培优"
        r"行动计划》要求的 50%（“职业技能测试分值不低于总分值的50%”），政策不予接受",
        r"the skill test counts for \1% of the total (\2 full marks \3 × weight \4 = \5, total \6), below the 50% the "
        r"Vocational Education Quality Action Plan requires ('the skill test at least 50% of the total'); the policy is refused",
    ),
    (r"录取政策校验失败：", "The admission policy is invalid:"),
    (r"输入文件有 (\d+) 处问题，未执行录取：", r"The input files have \1 problems; nothing was run:"),
    (r"……另有 (\d+) 处问题未列出", r"… and \1 more problems not listed"),
    (r"文件“(.+?)”第 (\d+) 行“(.+?)”：", r'File "\1", row \2, column "\3": '),
    (r"文件“(.+?)”表头“(.+?)”：", r'File "\1", header "\2": '),
    (r"文件“(.+?)”无法解析为 (JSON|YAML)：", r'File "\1" cannot be read as \2: '),
    (
        r"文件“(.+?)”应为一个对象（键值对），实际为 (\w+)",
        r'File "\1" should hold an object (key-value pairs), not \2',
    ),
    (r"文件“(.+?)”超过 200 MB", r'File "\1" is larger than 200 MB'),
    (
        r"dispatch_ratio：平行志愿投档比例 ([\d.]+) 应在 1 与 ([\d.]+) 之间",
        r"dispatch_ratio: the dispatch ratio \1 must be between 1 and \2",
    ),
    (r"未在 score\.components 中定义的组成部分“(.+?)”", r'component "\1" is not defined in score.components'),
    (r"同分排序规则有重复项", "the tie-break chain repeats an item"),
    (r"志愿顺序（preference）只能是最后一项", "the preference position (preference) can only come last"),
    (
        r"mode 为 fixed_culture 时必须给出文化素质计入的固定分值",
        "with mode fixed_culture a fixed culture value is required",
    ),
    (r"固定分值 ([\d.]+) 超过文化素质满分 ([\d.]+)", r"the fixed value \1 exceeds the culture full marks \2"),
    (r"([\d.]+) 超过职业技能满分 ([\d.]+)", r"\1 exceeds the skill full marks \2"),
    (r"满分和权重最多保留两位小数", "full marks and weight take at most two decimals"),
    (r"组成部分名称重复", "a component name is repeated"),
    (r"总分满分必须大于 0", "the total full marks must be above 0"),
    (r"不是数字：", "not a number: "),
    (
        r"志愿列应从“志愿1”起连续编号，实际为 ",
        "choice columns must be numbered from 志愿1 without gaps, found ",
    ),
    (r"应为非负整数，实际为“(.*?)”", r'should be a whole number ≥ 0, found "\1"'),
    (r"应为 1–20 位字母、数字、-、_，实际为“(.*?)”", r'should be 1–20 letters, digits, - or _, found "\1"'),
    (r"“(.+?)”与第 (\d+) 行重复", r'"\1" repeats row \2'),
    (
        r"专业组“(.+?)”各专业计划数之和为 (\d+)，与专业组计划数 (\d+) 不一致",
        r'the majors of group "\1" add up to \2 places, not the group\'s \3',
    ),
    (r"专业组“(.+?)”中专业“(.+?)”重复", r'major "\2" repeated in group "\1"'),
    (r"专业“(.+?)”不在专业组“(.+?)”中", r'major "\1" is not in group "\2"'),
    (r"专业组“(.+?)”不在专业组文件中", r'group "\1" is not in the programmes file'),
    (r"专业组“(.+?)”重复填报", r'group "\1" chosen twice'),
    (r"专业组重复填报", "a group chosen twice"),
    (r"考生“(.+?)”不在考生文件中", r'candidate "\1" is not in the candidates file'),
    (r"应为数字，实际为“(.*?)”", r'should be a number, found "\1"'),
    (r"最多保留两位小数，实际为“(.*?)”", r'at most two decimals, found "\1"'),
    (r"应在 0 到 ([\d.]+) 之间，实际为 (\S+)", r"should be between 0 and \1, found \2"),
    (r"应为“是”或“否”，实际为“(.*?)”", r'should be 是 (yes) or 否 (no), found "\1"'),
    (r"应为 (.+?) 之一，实际为“(.*?)”", r'should be one of \1, found "\2"'),
    (
        r"无法识别的获奖等级“(.*?)”（如：国赛三等奖、省赛一等奖）",
        r'unrecognised award "\1" (e.g. 国赛三等奖, 省赛一等奖)',
    ),
    (
        r"无法识别的证书等级“(.*?)”（初级、中级、高级、技师、高级技师）",
        r'unrecognised certificate level "\1" (初级 … 高级技师)',
    ),
    (r"缺少志愿列（志愿1…志愿N）", "no choice columns (志愿1…志愿N)"),
    (r"缺少必需的列", "required column missing"),
    (r"列名重复", "column name repeated"),
    (r"格式不正确：“(.*?)”", r'malformed: "\1"'),
    (r"“(.+?)”重复", r'"\1" repeated'),
    (r"不能为空", "must not be empty"),
    (r"应为 4–20 位字母或数字", "should be 4–20 letters or digits"),
    (
        r"录取政策属于省份 (\d+)，只能发布本省的录取批次",
        r"the policy belongs to province \1; you may only publish your own province's runs",
    ),
    (
        r"考生 (\S+) 当前为“(.+?)”，只能对已录取的考生退档",
        r'candidate \1 is "\2"; only admitted candidates can be rejected',
    ),
    (r"投档比例应为数字，实际为“(.*?)”", r'the dispatch ratio should be a number, found "\1"'),
    # the reasons
    (r"第([\d、]+)志愿", _ordinals),
    (r"所填 (\d+) 个志愿均分数不足，未投档", r"score too low for all \1 choices, not dispatched"),
    (r"所填志愿分数不足，未投档", "score too low for the choice, not dispatched"),
    (
        r"技能拔尖免试：所填志愿均已录满，未录取",
        "skill champion (exam-free): every choice already full, not admitted",
    ),
    (r"技能拔尖免试：", "skill champion, admitted without examination: "),
    (r"征集志愿：", "supplementary round: "),
    (r"分数不足", " score too low"),
    (r"投档并录取", " dispatched and admitted"),
    (r"服从专业调剂，调剂录取到专业 (\S+)", r"accepts reassignment, admitted to major \1 by reassignment"),
    (
        r"所报专业均已录满且不服从专业调剂，退档",
        "every chosen major full and no reassignment accepted: rejected (退档)",
    ),
    (r"专业组计划已录满，退档", "the group is full: rejected (退档)"),
    (r"超出招生计划，退档", "beyond the plan: rejected (退档)"),
    (r"院校退档：", "rejected by the school (退档): "),
    (r"院校调整专业：(\S+) → (\S+)（", r"moved by the school from major \1 to major \2 ("),
    (r"无职业技能（适应性）测试成绩，未投档", "no skill (aptitude) test score, not dispatched"),
    (
        r"职业技能成绩低于单列计划最低分数线，未投档",
        "skill score below the separate plan's minimum, not dispatched",
    ),
    (
        r"不符合技能拔尖免试条件，且无考试成绩，未投档",
        "does not meet the exam-free conditions and has no scores, not dispatched",
    ),
    (
        r"缺少文化素质或职业技能成绩（缺考），未投档",
        "culture or skill score missing (absent), not dispatched",
    ),
    (
        r"总分低于批次最低控制线（([\d.]+) 分），未投档",
        r"total below the batch minimum line (\1), not dispatched",
    ),
    (
        r"学分银行中未找到该学习账号（或无权查看），获奖与证书不予认定",
        "learning account not found in the credit bank (or not visible): awards and certificates not recognised",
    ),
    (r"学分银行已核验竞赛获奖", "competition award confirmed by the credit bank"),
    (r"学分银行中无可认定的竞赛获奖", "no recognisable competition award in the credit bank"),
    (r"学分银行已核验职业技能等级证书", "skill certificate confirmed by the credit bank"),
    (r"学分银行中无可认定的证书", "no recognisable certificate in the credit bank"),
    (r"录取", " admitted"),
    (r"投档", " dispatched"),
]
_COMPILED: list[_Sub] = [(re.compile(p), r) for p, r in _RULES]
_PUNCT = str.maketrans(
    {"，": ", ", "；": "; ", "：": ": ", "“": '"', "”": '"', "（": " (", "）": ")", "、": ", "}
)


@lru_cache(maxsize=4096)
def english(text: str) -> str:
    """The English rendering of an admissions message (fixed strings from `EN`, composed ones here)."""
    if text in EN:
        return EN[text]
    if any(regex.fullmatch(text) for regex, _ in PATTERNS):  # a message with figures registered in i18n
        return to_english(text)
    out = text
    for pattern, repl in _COMPILED:
        out = pattern.sub(repl, out)
    out = out.translate(_PUNCT)
    out = re.sub(r"[ ]{2,}", " ", out)
    return "\n".join(line.strip() for line in out.split("\n"))


def punctuated(text: str) -> str:
    """Chinese punctuation → Western, for composed English lines."""
    return re.sub(r"[ ]{2,}", " ", text.translate(_PUNCT))


def translate(lang: str) -> Callable[[str], str]:
    return english if lang == "en" else (lambda text: text)
