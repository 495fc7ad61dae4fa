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
    # transcript PDF (adapters/reports/transcript.py, cli/transcripts.py)
    "学习成果记录": "Transcript of learning outcomes",
    "职教平台 学分银行": "Zhijiao Credit Bank",
    "姓名": "Name",
    "学习账号": "Learning account",
    "证件号码": "ID number",
    "所属院校": "Home institution",
    "生成时间": "Generated",
    "（北京时间）": "(Beijing time)",
    "扫码验证": "Scan to verify",
    "本记录仅列出本机构颁发的学习成果，不是完整的学习成果记录。": "Only the outcomes issued by your institution are listed; this is not the complete record.",
    "学分汇总": "Totals",
    "有效学习成果": "Active outcomes",
    "已撤销（不计入）": "Revoked (not counted)",
    "：": ": ",
    "项": "",
    "项数": "Count",
    "学时": "Hours",
    "学分": "Credits",
    "按成果类型": "By kind",
    "按资历框架等级": "By framework level",
    "按年度": "By year",
    "第 {n} 级": "Level {n}",
    "学习成果": "Learning outcomes",
    "获得日期": "Date",
    "类型": "Kind",
    "名称": "Title",
    "颁发机构": "Issuer",
    "成绩": "Score / grade",
    "等级": "Level",
    "框架等级": "Framework level",
    "已撤销": "Revoked",
    "暂无学习成果": "No learning outcomes yet",
    "第 {n} 页 / 共 {m} 页": "Page {n} of {m}",
    "课程": "Course",
    "职业技能等级证书": "Vocational skill level certificate",
    "职业资格证书": "Vocational qualification certificate",
    "职业培训": "Vocational training",
    "技能竞赛获奖": "Skills competition award",
    "工作经历": "Work experience",
    "在线课程": "Online course",
    "初级": "Junior",
    "中级": "Intermediate",
    "高级": "Senior",
    "技师": "Technician",
    "高级技师": "Senior technician",
    "优": "Excellent",
    "良": "Good",
    "中": "Fair",
    "及格": "Pass",
    "不及格": "Fail",
    "学习成果记录已导出": "Transcript written",
    "语言只能是 zh 或 en": "Language must be zh or en",
    "当前用户没有学习账号": "You have no learning account",
}


def translator(lang: str) -> Callable[[str], str]:
    if lang == "en":
        return lambda text: EN.get(text, text)
    return lambda text: text
