"""Reading plain dicts (parsed JSON/YAML) into typed values; every error names its field path in Chinese."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, TypeVar

from zhijiao.domain.errors import ValidationFailed

E = TypeVar("E", bound=Enum)
_MISSING = object()


def fail(path: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{path}：{message}", field=path)


def child(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def mapping(value: object, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise fail(path or "（根）", "应为对象")
    return value


def sequence(value: object, path: str) -> Sequence[Any]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise fail(path, "应为列表")
    return value


def get(data: Mapping[str, Any], key: str, path: str, default: object = _MISSING) -> Any:
    if key in data and data[key] is not None:
        return data[key]
    if default is _MISSING:
        raise fail(child(path, key), "缺少必填字段")
    return default


def text(value: object, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise fail(path, "应为非空字符串")
    return value.strip()


def integer(value: object, path: str, *, minimum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(path, "应为整数")
    if minimum is not None and value < minimum:
        raise fail(path, f"不能小于 {minimum}")
    return value


def decimal(value: object, path: str, *, minimum: Decimal | None = Decimal(0)) -> Decimal:
    if isinstance(value, bool | float):
        # floats are refused: credits and scores must be exact (write them as strings or integers)
        raise fail(path, "应为整数或十进制字符串（不接受浮点数）")
    try:
        result = Decimal(str(value)) if isinstance(value, int | str | Decimal) else None
    except InvalidOperation:
        result = None
    if result is None or not result.is_finite():
        raise fail(path, f"不是有效的数值：{value!r}")
    if minimum is not None and result < minimum:
        raise fail(path, f"不能小于 {minimum}")
    return result


def day(value: object, path: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise fail(path, f"应为日期（YYYY-MM-DD）：{value!r}")


def boolean(value: object, path: str) -> bool:
    if not isinstance(value, bool):
        raise fail(path, "应为 true 或 false")
    return value


def choice(enum: type[E], value: object, path: str, labels: Mapping[E, str] | None = None) -> E:
    """An enum member by value, or by its Chinese label."""
    for member in enum:
        if value == member.value or (labels is not None and value == labels.get(member)):
            return member
    allowed = "、".join(str(labels[m]) if labels else str(m.value) for m in enum)
    raise fail(path, f"取值 {value!r} 无效，可选：{allowed}")


T = TypeVar("T")


def optional(data: Mapping[str, Any], key: str, path: str, parse: Callable[[object, str], T]) -> T | None:
    """`parse(data[key])` when the key is present and not null, else None."""
    value = data.get(key)
    return None if value is None else parse(value, child(path, key))
