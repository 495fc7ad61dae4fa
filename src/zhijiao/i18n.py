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
    # credentials (可验证凭证)
    "凭证核验": "Verify a credential",
    "结论": "Verdict",
    "检查项": "Check",
    "结果": "Result",
    "原因": "Reason",
    "签名": "Signature",
    "发证机构": "Issuer",
    "有效期": "Validity",
    "状态": "Status",
    "结构规范": "Schema",
    "通过": "passed",
    "未通过": "failed",
    "未检查": "not checked",
    "凭证": "Credential",
    "签发时间": "Issued",
    "粘贴凭证（JWS 文本或 JSON）": "Paste a credential (JWS text or JSON)",
    "或上传凭证文件": "or upload a credential file",
    "核验": "Verify",
    "核验无需登录。成绩单（CLR）凭证请提交其 JWS。": "No sign-in needed. Submit transcripts (CLR) as their JWS.",
    "凭证有效": "The credential is valid",
    "凭证格式错误，无法解析": "The credential is malformed and cannot be read",
    "签名无效：凭证可能被篡改": "Invalid signature: the credential may have been tampered with",
    "发证机构未知或不受信任": "Unknown or untrusted issuer",
    "凭证已被撤销": "The credential has been revoked",
    "凭证已被暂停": "The credential has been suspended",
    "凭证已过期": "The credential has expired",
    "凭证尚未生效": "The credential is not yet valid",
    "凭证不符合 Open Badges 3.0 结构规范": "The credential does not conform to the Open Badges 3.0 schema",
    "部分检查无法完成，暂不能确认凭证有效": "Some checks could not be completed; validity is not confirmed",
    "我的凭证": "My credentials",
    "下载": "Download",
    "暂无凭证": "No credentials yet",
    "撤销/暂停": "Revoke/suspend",
    "签发成绩单凭证": "Issue a transcript credential",
    "学分": "credits",
    "签发所选成果的成绩单": "Issue a transcript of the selected outcomes",
    "凭证状态": "Credential status",
    "已更新": "Updated",
    "当前状态": "Current status",
    "操作": "Action",
    "暂停": "Suspend",
    "恢复": "Reinstate",
    "撤销（不可恢复）": "Revoke (final)",
    "原因（记入台账）": "Reason (kept in the ledger)",
    "提交": "Submit",
    "有效": "active",
    "已暂停": "suspended",
    "已撤销": "revoked",
    "凭证已签发": "Credential issued",
    "批量签发完成": "Bulk issuance finished",
    "新签发": "newly issued",
    "已有凭证": "already issued",
    "签发凭证": "Issuing credentials",
    "密钥已轮换": "Keys rotated",
    "无法读取文件": "Cannot read the file",
}


def translator(lang: str) -> Callable[[str], str]:
    if lang == "en":
        return lambda text: EN.get(text, text)
    return lambda text: text
