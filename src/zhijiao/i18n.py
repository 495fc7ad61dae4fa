"""Chinese first, English available: text is written in Chinese (pages, CLI, reports) and looked up here for English."""

from __future__ import annotations

from collections.abc import Callable

LANGS = ("zh", "en")

EN: dict[str, str] = {
    "职教平台": "Zhijiao",
    "学分银行": "Credit Bank",
    "登录": "Sign in",
    "退出": "Sign out",
    "用户名": "Username",
    "密码": "Password",
    "用户名或密码错误": "Wrong username or password",
    "请先登录": "Please sign in first",
    "首页": "Home",
    "接口文档": "API docs",
    "语言": "Language",
    "中文": "中文",
    "English": "English",
    "页面不存在": "Page not found",
    "无权访问": "Access denied",
}


def translator(lang: str) -> Callable[[str], str]:
    if lang == "en":
        return lambda text: EN.get(text, text)
    return lambda text: text
