"""Explanations shown to people: pre-check verdicts and audit checks, as the explanation-list component
wants them (`ui.explanations`): a head and lines, each met or not, in the page's language.

The domain writes its explanations as Chinese lines (they are also stored with each application);
this module reads those lines back, puts names where the domain wrote internal ids (an issuer's
institution id → its name) and, in English mode, translates each known line shape. Data in a line
(titles, names, codes) is wrapped in `<span translate="no">`, so it is never mistaken for text
left untranslated; a line of an unknown shape is shown as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from markupsafe import Markup, escape

Translate = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Line:
    ok: bool
    text: Markup


@dataclass(frozen=True, slots=True)
class Item:
    ok: bool
    head: Markup
    lines: tuple[Line, ...]


def data(text: str) -> Markup:
    return Markup('<span translate="no">{}</span>').format(text)


_VERDICT = re.compile(r"^(?P<body>.*)：(?P<ok>满足|不满足)(?P<tail>（.*）)?$")
_HEAD = re.compile(r"^(?P<name>.+)（(?P<code>[^（）]+)）：(?P<ok>可免修|不可免修)$")
_RULE = re.compile(r"^规则 (?P<id>\S+?)(?:「(?P<name>.*)」)?（第(?P<v>\d+)版，(?P<mapping>[^）]+)）$")
_COND = re.compile(r"^条件(?P<n>\d+)（(?P<what>[^）]+)） (?P<rest>.*)$")
_OUTCOME = re.compile(r"^成果#(?P<id>\d+)「(?P<title>.*)」 (?P<check>.*)$")
_CHECKS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^成果状态 已撤销$"), "outcome revoked"),
    (re.compile(r"^成果类型 (?P<a>\S+) = 要求 (?P<b>\S+)$"), "kind {a} = required {b}"),
    (re.compile(r"^证书/课程代码 (?P<a>\S+) = 要求 (?P<b>\S+)$"), "certificate/course code {a} = required {b}"),
    (re.compile(r"^发证机构 (?P<a>\S+) 属于(?P<scope>[^（]+)（(?P<b>.*)）$"), "issuer {a} is among {scope} ({b})"),
    (re.compile(r"^证书等级 (?P<a>\S+) (?P<op>[≥<]) 要求 (?P<b>\S+)$"), "certificate level {a} {op} required {b}"),
    (re.compile(r"^成绩 (?P<a>.+) (?P<op>[≥<]) 要求 (?P<b>.+)$"), "result {a} {op} required {b}"),
    (
        re.compile(r"^取得日期 (?P<a>\S+) (?P<within>在|超过)(?P<n>\d+)年时效（不早于 (?P<b>\S+)）$"),
        "obtained {a}, {within} the {n}-year limit (not before {b})",
    ),
    (re.compile(r"^未找到类型为 (?P<a>\S+) 的学习成果$"), "no learning outcome of kind {a} found"),
)  # fmt: skip
_AUDIT = re.compile(r"^(?P<name>\S+) (?P<a>[\d.]+) ≥ 要求 (?P<b>[\d.]+)$")
_REQUIRED_ALL = re.compile(r"^必修课程 (?:(?P<n>\d+) 门)?全部完成$")
_GAP = re.compile(r"^（差 (?P<n>[\d.]+) 学分）$")
_MISSING = re.compile(r"^（未完成：(?P<names>.*)）$")
_ISSUER_IDS = re.compile(r"发证机构 (\d+) 属于[^（]+（([\d、]*)）")


def issuer_ids(texts: Iterable[str]) -> set[int]:
    """The institution ids the domain wrote into pre-check lines (to look their names up)."""
    found: set[int] = set()
    for text in texts:
        for m in _ISSUER_IDS.finditer(text):
            found.add(int(m.group(1)))
            found.update(int(x) for x in m.group(2).split("、") if x)
    return found


class Explainer:
    def __init__(self, lang: str, _: Translate, names: Mapping[int, str] | None = None) -> None:
        self.en = lang == "en"
        self._ = _
        self.names = dict(names or {})
        self.sep = ", " if self.en else "、"

    def _name(self, ident: str) -> Markup:
        return data(self.names.get(int(ident), ident)) if ident.isdigit() else data(ident)

    def _label(self, text: str) -> Markup:
        """A label from the domain's vocabulary (kind, level, category): translated."""
        return escape(self._(text))

    def _check(self, check: str) -> Markup:
        for pattern, english in _CHECKS:
            m = pattern.match(check)
            if not m:
                continue
            g = m.groupdict()
            if "scope" in g:  # the issuer: names for the ids
                issuer = self._name(g["a"])
                allowed = Markup(self.sep).join(
                    self._name(x) for x in g["b"].split("、") if x
                ) or self._label("无")
                if not self.en:
                    return Markup("发证机构 {} 属于{}（{}）").format(issuer, g["scope"], allowed)
                return Markup(english).format(a=issuer, scope=self._label(g["scope"]), b=allowed)
            if not self.en:
                return escape(check)
            values = {k: self._label(v) for k, v in g.items()}
            if "within" in g:
                values["within"] = escape("within" if g["within"] == "在" else "beyond")
            if "a" in g and check.startswith("成绩"):
                values["a"] = escape(g["a"].replace("分", " points"))
                values["b"] = escape(g["b"].replace("分", " points").replace(" 或 ", " or "))
            return Markup(english).format(**values)
        return escape(check)

    def _body(self, body: str) -> Markup:
        m = _COND.match(body)
        if m:
            kind, _, code = m["what"].partition(" ")
            what = self._label(kind) + (Markup(" ") + data(code) if code else Markup(""))
            rest = m["rest"]
            o = _OUTCOME.match(rest)
            if o:
                head = (
                    Markup("Condition {} ({}): outcome {} ").format(m["n"], what, data(o["title"]))
                    if self.en
                    else Markup("条件{}（{}） 成果{} ").format(m["n"], what, data(f"「{o['title']}」"))
                )
                return head + self._check(o["check"])
            prefix = (
                Markup("Condition {} ({}): ").format(m["n"], what)
                if self.en
                else Markup("条件{}（{}） ").format(m["n"], what)
            )
            return prefix + self._check(rest)
        if body == "各条件须由不同的学习成果满足":
            return escape(self._(body))
        if body.endswith(" 没有适用于该课程的转换规则"):
            day = body.split(" ")[0]
            return escape(f"no conversion rule applies to this course on {day}" if self.en else body)
        return escape(self._(body))

    def line(self, text: str) -> Line:
        m = _VERDICT.match(text)
        if not m:
            r = _RULE.match(text)
            if r:
                name = data(f"“{r['name']}”" if self.en else f"「{r['name']}」") if r["name"] else Markup("")
                if self.en:
                    return Line(True, Markup("Rule {} {} (version {}, {})").format(
                        data(r["id"]), name, r["v"], self._label(r["mapping"])))  # fmt: skip
                return Line(
                    True, Markup("规则 {}{}（第{}版，{}）").format(data(r["id"]), name, r["v"], r["mapping"])
                )
            if text.startswith("本次不能免修："):
                reason = text.removeprefix("本次不能免修：")
                return Line(False, escape(f"{self._('本次不能免修')}: {self._(reason)}" if self.en else text))
            return Line(True, escape(self._(text)))
        ok = m["ok"] == "满足"
        verdict = self._(m["ok"]) if self.en else m["ok"]
        tail = m["tail"] or ""
        body = m["body"]
        a = _AUDIT.match(body)
        if a:
            name = a["name"]
            label = (
                self._(name.removesuffix("学分")) + " credits"
                if self.en and name != "总学分"
                else self._(name)
            )
            main = (
                Markup("{} {} ≥ required {}: {}").format(label, a["a"], a["b"], verdict)
                if self.en
                else escape(text.removesuffix(tail))
            )
            gap = _GAP.match(tail)
            if gap and self.en:
                main += Markup(" ({} credits short)").format(gap["n"])
            elif tail and not self.en:
                main = escape(text)
            return Line(ok, main)
        r = _REQUIRED_ALL.match(body)
        if r:
            missing = _MISSING.match(tail)
            if not self.en:
                if missing:
                    return Line(
                        ok, Markup("{}：{}（未完成：{}）").format(body, m["ok"], data(missing["names"]))
                    )
                return Line(ok, escape(text))
            count = f"all {r['n']} " if r["n"] else "all "
            main = Markup("Required courses: {}completed: {}").format(count, verdict)
            if missing:
                main += Markup(" (not completed: {})").format(data(missing["names"].replace("、", ", ")))
            return Line(ok, main)
        body_html = self._body(body)
        if self.en:
            return Line(ok, body_html + Markup(": {}").format(verdict) + escape(tail))
        return Line(ok, body_html + Markup("：{}").format(m["ok"]) + escape(tail))

    def verdict(self, explanation: str, eligible: bool) -> Item:
        """One course's pre-check (its first line names the course and the verdict)."""
        head, *rest = explanation.split("\n")
        m = _HEAD.match(head)
        if m:
            verdict = self._(m["ok"])
            sep = ": " if self.en else "："
            head_html = data(m["name"]) + Markup(" ({})").format(m["code"]) if self.en else data(
                m["name"]) + Markup("（{}）").format(m["code"])  # fmt: skip
            head_html += Markup("{}{}").format(sep, verdict)
        else:
            head_html = escape(head)
        return Item(eligible, head_html, tuple(self.line(x) for x in rest))

    def checks(self, texts: Iterable[tuple[bool, str]]) -> tuple[Line, ...]:
        return tuple(Line(ok, self.line(text).text) for ok, text in texts)
