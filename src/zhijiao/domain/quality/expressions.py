"""A small, safe expression language for indicators and validation rules (never `eval`).

    expression := term (("+" | "-") term)*
    term       := factor (("*" | "/") factor)*
    factor     := NUMBER | ELEMENT_CODE | "(" expression ")" | "-" factor

Element codes are the data-element codes (`students_fulltime`). An expression is parsed once into a
tree; the tree is evaluated over one school's values (Python, `evaluate`) or over whole columns, one per
element (`adapters.analytics.quality_verdicts`), so both paths compute the same formula. A missing value makes the
result missing (None); so does a division by zero.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation
from functools import lru_cache

from zhijiao.domain.errors import ValidationFailed


@dataclass(frozen=True, slots=True)
class Num:
    value: Decimal


@dataclass(frozen=True, slots=True)
class Ref:
    code: str


@dataclass(frozen=True, slots=True)
class Neg:
    operand: Node


@dataclass(frozen=True, slots=True)
class BinOp:
    op: str
    left: Node
    right: Node


Node = Num | Ref | Neg | BinOp

_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?)|([a-z_][a-z0-9_]*)|(.))")


class ExpressionError(ValidationFailed):
    code = "expression_invalid"


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for m in _TOKEN.finditer(text):
        number, name, other = m.groups()
        if number:
            out.append(("num", number))
        elif name:
            out.append(("ref", name))
        elif other and not other.isspace():
            if other not in "+-*/()":
                raise ExpressionError(f"表达式“{text}”中有不允许的字符“{other}”")
            out.append(("op", other))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokens(text)
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise ExpressionError(f"表达式“{self.text}”不完整")
        self.i += 1
        return tok

    def expression(self) -> Node:
        node = self.term()
        while (tok := self.peek()) and tok[1] in ("+", "-") and tok[0] == "op":
            self.i += 1
            node = BinOp(tok[1], node, self.term())
        return node

    def term(self) -> Node:
        node = self.factor()
        while (tok := self.peek()) and tok[1] in ("*", "/") and tok[0] == "op":
            self.i += 1
            node = BinOp(tok[1], node, self.factor())
        return node

    def factor(self) -> Node:
        kind, text = self.take()
        if kind == "num":
            return Num(Decimal(text))
        if kind == "ref":
            return Ref(text)
        if text == "-":
            return Neg(self.factor())
        if text == "(":
            node = self.expression()
            if self.take() != ("op", ")"):
                raise ExpressionError(f"表达式“{self.text}”缺少右括号")
            return node
        raise ExpressionError(f"表达式“{self.text}”在“{text}”处有误")


@lru_cache(maxsize=512)
def parse(text: str) -> Node:
    parser = _Parser(text)
    node = parser.expression()
    if parser.peek() is not None:
        raise ExpressionError(f"表达式“{text}”在“{parser.peek()[1]}”处有多余内容")  # type: ignore[index]
    return node


def references(node: Node) -> list[str]:
    """The element codes `node` reads, in order of first use."""
    match node:
        case Ref(code):
            return [code]
        case Neg(operand):
            return references(operand)
        case BinOp(_, left, right):
            return list(dict.fromkeys(references(left) + references(right)))
    return []


def evaluate(node: Node, values: dict[str, Decimal]) -> Decimal | None:
    """The value of `node` over `values` (element code → total); None if any input is missing."""
    match node:
        case Num(value):
            return value
        case Ref(code):
            return values.get(code)
        case Neg(operand):
            v = evaluate(operand, values)
            return None if v is None else -v
        case BinOp(op, left, right):
            a, b = evaluate(left, values), evaluate(right, values)
            if a is None or b is None:
                return None
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            try:
                return a / b if b != 0 else None
            except (DivisionByZero, InvalidOperation):
                return None
    return None


def describe(node: Node, names: dict[str, str], top: bool = True, en: bool = False) -> str:
    """`node` in words: element codes replaced by their Chinese names (e.g. 专任教师数 + 校外… × 0.5)."""
    match node:
        case Num(value):
            return format(value.normalize(), "f")
        case Ref(code):
            return names.get(code, code)
        case Neg(operand):
            return "-" + describe(operand, names, False, en)
        case BinOp(op, left, right):
            sym = {"*": "×", "/": "÷"}.get(op, op)
            text = f"{describe(left, names, False, en)} {sym} {describe(right, names, False, en)}"
            return text if top or op in "*/" else (f"({text})" if en else f"（{text}）")
    raise AssertionError(node)
