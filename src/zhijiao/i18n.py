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
    # spreadsheets: import, template, export
    "批量导入学习成果": "Import learning outcomes",
    "当前角色无权导入学习成果": "Your role may not import learning outcomes",
    "上传 .xlsx 或 .csv（UTF-8 或 GBK 编码）文件。整个文件要么全部导入，要么一行也不导入；有问题时列出全部问题。": (
        "Upload an .xlsx or .csv (UTF-8 or GBK) file. The whole file is imported or nothing is; "
        "if anything is wrong, every problem is listed."
    ),
    "下载导入模板（Excel）": "Download the import template (Excel)",
    "文件": "File",
    "导入": "Import",
    "导入完成": "Import complete",
    "新增成果": "Outcomes added",
    "新开账号": "Accounts opened",
    "已存在跳过": "Already recorded, skipped",
    "没有新增数据：文件中的学习成果均已记录": "Nothing new: every outcome in the file is already recorded",
    "导入文件有误，未导入任何数据": "The file has problems; nothing was imported",
    "共": "In total",
    "处问题": "problems",
    "处问题，未导入任何数据": "problems; nothing was imported",
    "行": "Row",
    "列": "Column",
    "问题": "Problem",
    "读取": "Reading",
    "校验": "Validating",
    "核对": "Checking",
    "开户": "Opening accounts",
    "写入": "Writing",
    "用户不存在或已停用": "No such active user",
    "文件不存在": "File not found",
    "模板文件须以 .xlsx 结尾": "The template file name must end in .xlsx",
    "模板已生成": "Template written",
    "导出文件须以 .csv 或 .xlsx 结尾": "The export file name must end in .csv or .xlsx",
    "已导出": "Exported",
    "条学习成果": "learning outcomes",
    "身份证号": "National ID",
    "姓名": "Name",
    "成果类型": "Outcome kind",
    "成果名称": "Title",
    "成果代码": "Code",
    "颁发机构": "Issuer",
    "学时": "Hours",
    "学分": "Credits",
    "成绩": "Score",
    "等级": "Level",
    "获得日期": "Date obtained",
}


def translator(lang: str) -> Callable[[str], str]:
    if lang == "en":
        return lambda text: EN.get(text, text)
    return lambda text: text
