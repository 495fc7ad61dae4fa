"""Chinese first, English available: text is written in Chinese (pages, CLI, reports) and looked up here for English."""

from __future__ import annotations

import re
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
    "凭证不符合其结构规范（JSON Schema）": "The credential does not conform to its JSON Schema",
    "待重新签发": "To reissue",
    "个状态列表": "status lists",
    "份凭证": "credentials",
    "重新签发凭证": "Reissuing credentials",
    "重新签发完成": "Reissue done",
    "份成果凭证": "achievement credentials",
    "份成绩单凭证": "transcript credentials",
    "其中已撤销": "of which revoked",
    "状态记录已按列表更正": "state records corrected from the list",
    "部分检查无法完成，暂不能确认凭证有效": "Some checks could not be completed; validity is not confirmed",
    "我的凭证": "My credentials",
    "下载": "Download",
    "暂无凭证": "No credentials yet",
    "撤销/暂停": "Revoke/suspend",
    "签发成绩单凭证": "Issue a transcript credential",
    "签发所选成果的成绩单": "Issue a transcript of the selected outcomes",
    "凭证状态": "Credential status",
    "已更新": "Updated",
    "当前状态": "Current status",
    "暂停": "Suspend",
    "恢复": "Reinstate",
    "撤销（不可恢复）": "Revoke (final)",
    "原因（记入台账）": "Reason (kept in the ledger)",
    "提交": "Submit",
    "已暂停": "suspended",
    "凭证已签发": "Credential issued",
    "批量签发完成": "Bulk issuance finished",
    "新签发": "newly issued",
    "已有凭证": "already issued",
    "签发凭证": "Issuing credentials",
    "密钥已轮换": "Keys rotated",
    "无法读取文件": "Cannot read the file",
    # credit-bank pages
    "返回首页": "Back to home",
    "我的账号": "My account",
    "本校学习者": "Our learners",
    "颁发记录": "Issued outcomes",
    "批量导入": "Bulk import",
    "省级概况": "Province overview",
    "全国概况": "National overview",
    "学习者": "Learner",
    "学习者数": "Learners",
    "台账记录": "Ledger",
    "序号": "No.",
    "操作": "Action",
    "时间（北京时间）": "Time (Beijing)",
    "操作人": "By",
    "说明": "Note",
    "哈希": "Hash",
    "学习者名册": "Learner roster",
    "全部学习者": "All learners",
    "按姓名查找": "Find by name",
    "姓名（前几个字）": "Name (first characters)",
    "查找": "Search",
    "批量导入学习成果": "Import learning outcomes",
    "共 {n} 人": "{n} in total",
    "学习账号": "Learning account",
    "姓名": "Name",
    "证件号码": "ID number",
    "学习者类型": "Learner type",
    "开户时间": "Opened",
    "没有找到学习者": "No learners found",
    "学分银行概况": "Credit bank overview",
    "省份": "Province",
    "全国": "All of China",
    "查看": "Show",
    "名学习者": "learners",
    "项成果": "outcomes",
    "学分": "credits",
    "学时": "hours",
    "按机构类型": "By institution type",
    "类型": "Type",
    "机构数": "Institutions",
    "颁发成果": "Outcomes issued",
    "暂无数据": "No data yet",
    "按成果类型": "By outcome type",
    "成果数": "Outcomes",
    "按年度": "By year",
    "年度": "Year",
    "颁发成果最多的机构": "Institutions issuing the most outcomes",
    "机构": "Institution",
    "所属院校": "Home institution",
    "无": "None",
    "所在省份": "Province",
    "共 {n} 项学习成果": "{n} learning outcomes in total",
    "获得日期": "Date obtained",
    "成果类型": "Outcome type",
    "名称": "Title",
    "等级": "Level",
    "状态": "Status",
    "已撤销": "Revoked",
    "有效": "Valid",
    "暂无颁发记录": "Nothing issued yet",
    "学习成果记录": "Transcript",
    "我的学分银行账号": "My credit bank account",
    "个人学习账号": "Learning account",
    "仅显示本机构颁发的学习成果": "Only the outcomes your institution issued are shown",
    "下载成绩单（PDF）": "Download transcript (PDF)",
    "颁发机构": "Issuer",
    "成绩": "Score / grade",
    "资历框架等级": "Framework level",
    "暂无学习成果": "No learning outcomes yet",
    "学分积累": "Accumulated credits",
    "按资历框架等级": "By framework level",
    "第 {n} 级": "Level {n}",
    "分页": "Pages",
    "上一页": "Previous",
    "第 {page} 页，共 {pages} 页": "Page {page} of {pages}",
    "下一页": "Next",
    "课程": "Course",
    "职业技能等级证书": "Vocational skill level certificate (1+X)",
    # transcript PDF (adapters/reports/transcript.py, cli/transcripts.py)
    "职教平台 学分银行": "Zhijiao Credit Bank",
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
    "学习成果": "Learning outcomes",
    "框架等级": "Framework level",
    "第 {n} 页 / 共 {m} 页": "Page {n} of {m}",
    "职业资格证书": "Vocational qualification certificate",
    "职业培训": "Vocational training",
    "技能竞赛获奖": "Skills competition award",
    "工作经历": "Work experience",
    "在线课程": "Online course",
    "中职": "Secondary vocational school",
    "技工学校": "Technician school",
    "高职专科": "Higher vocational college",
    "职业本科": "Vocational university",
    "普通本科": "University",
    "开放大学": "Open university",
    "企业": "Enterprise",
    "培训评价组织": "Certifier",
    "初级": "Junior",
    "中级": "Intermediate",
    "高级": "Senior",
    "技师": "Technician",
    "高级技师": "Senior technician",
    "在校学生": "Enrolled student",
    "社会学习者": "Adult learner",
    "开户": "Opened",
    "记录": "Recorded",
    "更正": "Corrected",
    "撤销": "Revoked",
    "院校工作人员": "Institution staff",
    "省级管理员": "Province administrator",
    "国家级管理员": "National administrator",
    "北京市": "Beijing",
    "天津市": "Tianjin",
    "河北省": "Hebei",
    "山西省": "Shanxi",
    "内蒙古自治区": "Inner Mongolia",
    "辽宁省": "Liaoning",
    "吉林省": "Jilin",
    "黑龙江省": "Heilongjiang",
    "上海市": "Shanghai",
    "江苏省": "Jiangsu",
    "浙江省": "Zhejiang",
    "安徽省": "Anhui",
    "福建省": "Fujian",
    "江西省": "Jiangxi",
    "山东省": "Shandong",
    "河南省": "Henan",
    "湖北省": "Hubei",
    "湖南省": "Hunan",
    "广东省": "Guangdong",
    "广西壮族自治区": "Guangxi",
    "海南省": "Hainan",
    "重庆市": "Chongqing",
    "四川省": "Sichuan",
    "贵州省": "Guizhou",
    "云南省": "Yunnan",
    "西藏自治区": "Tibet",
    "陕西省": "Shaanxi",
    "甘肃省": "Gansu",
    "青海省": "Qinghai",
    "宁夏回族自治区": "Ningxia",
    "新疆维吾尔自治区": "Xinjiang",
    "台湾省": "Taiwan",
    "香港特别行政区": "Hong Kong",
    "澳门特别行政区": "Macao",
    "优": "Excellent",
    "良": "Good",
    "中": "Fair",
    "及格": "Pass",
    "不及格": "Fail",
    "请求有误": "Bad request",
    "网址中的参数不正确": "The parameters in the address are not valid",
    "学习账号不存在或无权查看": "The learning account does not exist or you may not see it",
    "机构不存在或无权查看": "The institution does not exist or you may not see it",
    "省份不存在": "No such province",
    "省级管理员只能查看本省概况": "A province administrator can only see their own province",
    "当前角色无权执行此操作": "Your role may not do this",
    "请选择机构": "Please choose an institution",
    "只能查看本校学习者": "You can only see your own institution's learners",
    "培训评价组织请按证书查询学习者": "Certifiers look learners up by the certificates they issued",
    # spreadsheets: import, template, export
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
    "写入": "Writing",
    "用户不存在或已停用": "No such active user",
    "文件不存在": "File not found",
    "是目录，不是文件": "Is a directory, not a file",
    "没有读取权限": "Permission denied",
    "不是 UTF-8 编码的文本文件": "Not a UTF-8 text file",
    "模板文件须以 .xlsx 结尾": "The template file name must end in .xlsx",
    "模板已生成": "Template written",
    "导出文件须以 .csv 或 .xlsx 结尾": "The export file name must end in .csv or .xlsx",
    "已导出": "Exported",
    "条学习成果": "learning outcomes",
    "身份证号": "National ID",
    "成果名称": "Title",
    "成果代码": "Code",
    "学习成果记录已导出": "Transcript written",
    "语言只能是 zh 或 en": "Language must be zh or en",
    "当前用户没有学习账号": "You have no learning account",
}

# conversion (学习成果转换) pages and CLI
EN.update(
    {
        "人才培养方案": "Curriculum plans",
        "人才培养方案公开：已发布的方案与转换规则无需登录即可查看。": "Published plans and conversion rules are public: no sign-in needed.",
        "暂无已发布的培养方案": "No published plans yet",
        "方案": "Plan",
        "院校": "Institution",
        "专业代码": "Major code",
        "年级": "Cohort",
        "级": " cohort",
        "总学分": "Total credits",
        "课程代码": "Course code",
        "课程名称": "Course name",
        "类别": "Category",
        "必修": "Required",
        "是": "yes",
        "否": "no",
        "毕业要求": "Graduation requirements",
        "学习成果转换办法": "Conversion rules",
        "今日生效的规则版本": "Rule versions in force today",
        "机器可读发布": "machine-readable publication",
        "规则": "Rule",
        "版本": "Version",
        "生效": "Effective",
        "来源成果": "Source outcomes",
        "免修课程": "Exempted courses",
        "申请免修": "Apply for exemption",
        "我的申请": "My applications",
        "审核队列": "Review queue",
        "毕业审核": "Graduation audit",
        "毕业/资格审核": "Graduation / qualification audit",
        "出错了": "Something went wrong",
        "学分兑换申请": "Credit conversion application",
        "引用的学习成果": "Outcomes cited",
        "申请免修的课程": "Courses to be exempted",
        "资格预审": "Pre-check",
        "提交申请": "Submit",
        "资格预审结果": "Pre-check result",
        "全部": "All",
        "培养方案": "Plan",
        "仅显示逾期": "Overdue only",
        "筛选": "Filter",
        "编号": "No.",
        "审核期限": "Review deadline",
        "已逾期": "overdue",
        "没有符合条件的申请": "No matching applications",
        "已批准的免修": "Exemptions granted",
        "待复核": "to be reviewed again",
        "办理记录": "History",
        "开始审核": "Start review",
        "批准": "Approve",
        "驳回理由": "Reason for rejection",
        "驳回": "Reject",
        "撤回申请": "Withdraw",
        "审核": "Audit",
        "满足全部毕业要求": "All graduation requirements met",
        "尚未满足毕业要求": "Graduation requirements not yet met",
        "已修读与免修学分": "Credits earned and exempted",
        "其中免修": "of which exempted",
        "完成方式": "Completed by",
        "修读": "study",
        "免修": "exemption",
        "待复核的免修（不计入）": "Exemptions to be reviewed again (not counted)",
        "已提交": "Submitted",
        "审核中": "Under review",
        "已批准": "Approved",
        "已驳回": "Rejected",
        "已撤回": "Withdrawn",
        "公共基础": "General education",
        "专业基础": "Professional foundation",
        "专业核心": "Professional core",
        "实习实训": "Practice and internship",
        "选修": "Elective",
        "全年级预审": "Pre-checking the cohort",
        "规则生效日": "Rules in force on",
        "名学习者中": "learners,",
        "名可申请免修": "may claim exemptions",
        "门课程": "courses",
        "已发布": "Published",
        "新发布": "newly published",
        "未变": "unchanged",
        "个规则版本": "rule versions",
        "日期格式应为 YYYY-MM-DD": "Dates are written YYYY-MM-DD",
    }
)
EN.update(
    {  # credentials for transcripts (PDF), exemptions and qualifications
        "部分记录不附可验证凭证。": " A partial record carries no verifiable credential.",
        "内嵌成绩单凭证": "Embedded transcript credential",
        "免修记录不存在或无权签发凭证": "Exemption not found, or you may not issue a credential for it",
    }
)
EN.update(
    {  # the demo's conversion and credentials summary
        "学分转换与凭证": "Conversion and credentials",
        "优先免修（可选，按意愿排序）": "Exempt first (optional, most wanted first)",
        "意愿": "Choice",
        "优先免修": "Exempt first",
        "个人才培养方案及转换办法": "curriculum plans with conversion rules",
        "条规则": "rules",
        "批量预审": "cohort pre-check:",
        "项可免修": "possible exemptions",
        "件学分兑换申请": "applications",
        "项免修": "exemptions granted",
        "份可验证凭证": "verifiable credentials issued",
    }
)

# the ledger as a transparency log (zhijiao ledger …)
EN.update(
    {
        "校验台账": "Verifying the ledger",
        "台账完好": "Ledger intact",
        "个账号": "accounts",
        "条记录": "entries",
        "与检查点一致": "consistent with checkpoints",
        "台账校验失败": "Ledger verification failed",
        "共发现问题": "Problems found:",
        "检查点已写入": "Checkpoint written",
        "树大小": "tree size",
        "见证方配置错误": "Witness configuration error",
        "拒绝联署": "Refused to cosign",
        "已联署检查点": "Cosigned checkpoint",
        "检查点格式不正确：应为来源、树大小、根哈希三行，空行后为签名行": (
            "Malformed checkpoint: expected origin, tree size and root hash lines, a blank line, then signature lines"
        ),
        "检查点格式不正确：树大小或根哈希无法读取": "Malformed checkpoint: unreadable tree size or root hash",
        "检查点签名行格式不正确": "Malformed checkpoint signature line",
        "公钥格式不正确（应为 名称+密钥ID+base64 公钥）": "Malformed key (expected name+keyid+base64 key)",
        "检查点不是该台账的密钥签发的，或签名无效": "The checkpoint is not signed by this ledger's key, or the signature is invalid",
        "记录内容与哈希不符（可能被直接改动）": "Entry does not match its hash (edited directly?)",
        "前序哈希与上一条记录不符": "Previous hash does not match the previous entry",
        "记录内容无法读取（可能被直接改动）": "Entry cannot be read (edited directly?)",
    }
)


# Messages with variable parts (a cell, a code, a name): a Chinese pattern and its English template.
# Each captured part is translated again (a status label, a period) or kept (a code, a name).
PATTERNS: list[tuple[re.Pattern[str], str]] = []
# Tried in order when neither EN nor a pattern knows a text: each returns the English or None.
FALLBACKS: list[Callable[[str], str | None]] = []


def pattern(zh: str, en: str) -> None:
    """Register `zh` (a regular expression matched in full) and its English template ({0}, {1}…)."""
    PATTERNS.append((re.compile(zh), en))


def to_english(text: str) -> str:
    hit = EN.get(text)
    if hit is not None:
        return hit
    for regex, template in PATTERNS:
        m = regex.fullmatch(text)
        if m:
            return template.format(*(to_english(g) if g else "" for g in m.groups()))
    for fallback in FALLBACKS:
        found = fallback(text)
        if found is not None:
            return found
    return text


def _positional(zh: str, en: str) -> str:
    """An English template written with named groups (\\g<f>) as the positional fields pattern() takes."""
    index = re.compile(zh).groupindex
    return re.sub(r"\\g<(\w+)>", lambda m: "{" + str(index[m[1]] - 1) + "}", en)


# Messages with a file name, row or value in them: (Chinese pattern, English template with \\g<name>).
_ASK = "请在 Excel 或 WPS 中另存为“CSV UTF-8（逗号分隔）”或 GBK 编码的 CSV 文件后再导入"
_ASK_EN = "save it from Excel or WPS as “CSV UTF-8 (comma delimited)” or as a GBK-encoded CSV and import it again"
for _zh, _en in (
        (r"^文件“(?P<f>.*)”是 UTF-8 编码，但第 (?P<n>\d+) 行有无效的字节（文件可能已损坏或被截断），导入会变成乱码：" + _ASK + "$",
         r"File “\g<f>” is UTF-8 but has invalid bytes on line \g<n> (damaged or cut short?); importing it would store garbled text: " + _ASK_EN),
        (r"^文件“(?P<f>.*)”不是 UTF-8 或 GBK 编码的文本，导入会变成乱码：" + _ASK + "$",
         r"File “\g<f>” is not UTF-8 or GBK text; importing it would store garbled text: " + _ASK_EN),
        (r"^文件“(?P<f>.*)”第 (?P<n>\d+) 行有不属于 GBK 编码的字节：" + _ASK + "$",
         r"File “\g<f>” has bytes on line \g<n> that are not GBK: " + _ASK_EN),
        (r"^文件“(?P<f>.*)”含有空字符（NUL），不是文本文件：" + _ASK + "$",
         r"File “\g<f>” contains NUL characters and is not a text file: " + _ASK_EN),
        (r"^文件“(?P<f>.*)”第 (?P<n>\d+) 行“(?P<c>.*)”列的内容过长（(?P<l>[\d,]+) 个字符，上限 (?P<m>[\d,]+)）：可能是引号不成对或粘贴了大段内容$",
         r"File “\g<f>”, row \g<n>, column “\g<c>”: the cell is too long (\g<l> characters, at most \g<m>); an unmatched quote or pasted text?"),
        (r"^文件“(?P<f>.*)”第 (?P<n>\d+) 行第 (?P<c>\d+) 列的内容过长（(?P<l>[\d,]+) 个字符，上限 (?P<m>[\d,]+)）：可能是引号不成对或粘贴了大段内容$",
         r"File “\g<f>”, row \g<n>, column \g<c>: the cell is too long (\g<l> characters, at most \g<m>); an unmatched quote or pasted text?"),
        (r"^日期“(?P<t>.*)”有歧义：不带分隔符时须为 8 位数字 YYYYMMDD（如 20231101），或写作 2023-11-01$",
         r"The date “\g<t>” is ambiguous: without separators it must be eight digits YYYYMMDD (e.g. 20231101), or write 2023-11-01"),
        (r"^成绩“(?P<t>.*)”的小数多于 1 位：平台只保存到 0.1，请按规定取舍后再填写$",
         r"The score “\g<t>” has more than one decimal: scores are stored to 0.1, round it as your rules say first"),
        (r"^学时“(?P<t>.*)”的小数多于 1 位：平台只保存到 0.1，请按规定取舍后再填写$",
         r"The hours “\g<t>” have more than one decimal: hours are stored to 0.1, round them first"),
        (r"^成绩“(?P<t>.*)”无效：应为百分制 0—100 的数字，或等级 优/良/中/及格/不及格$",
         r"The score “\g<t>” is not valid: a number from 0 to 100, or a grade 优/良/中/及格/不及格 (excellent/good/fair/pass/fail)"),
        (r"^成绩 (?P<t>.*) 超出范围（百分制 0—100，或等级 优/良/中/及格/不及格）$",
         r"The score \g<t> is out of range (0–100, or a grade 优/良/中/及格/不及格)"),
        (r"^(?P<f>\S+)：找不到学校标识码或统一社会信用代码为 (?P<c>.*) 的机构$",
         r"\g<f>: no institution has the school code (学校标识码) or unified social credit code \g<c>"),
        (r"^(?P<f>\S+)：规则文件不再接受内部编号，请改用机构代码（学校标识码或统一社会信用代码）；可用 zhijiao rules export 导出现行格式的规则文件$",
         r"\g<f>: rule files no longer accept internal ids; name institutions by code (school code or unified social credit code); `zhijiao rules export` writes a file in the current form"),
        (r"^机构 (?P<i>\d+) 没有学校标识码或统一社会信用代码，规则文件无法指明它$",
         r"Institution \g<i> has neither a school code nor a unified social credit code, so a rule file cannot name it"),
    ):  # fmt: skip
    pattern(_zh, _positional(_zh, _en))
EN.update(
    {
        "文件没有数据行（只有表头）": "The file has no data rows (only the header)",
        "身份证号单元格是数字格式（Excel 只保留 15 位有效数字，末几位可能已丢失）：请把该列设为“文本”格式后重新输入": (
            "The ID cell is a number (Excel keeps only 15 significant digits, so the last digits may be lost): "
            "format the column as Text and type the numbers again"
        ),
        "用户名不能为空": "The username must not be empty",
    }
)


def translator(lang: str) -> Callable[[str], str]:
    if lang == "en":
        return to_english
    return lambda text: text


EN.update(
    {  # quality monitoring (质量监测): pages, CLI, labels
        "质量监测": "Quality monitoring",
        "质量监测数据": "Quality data",
        "一致性提示": "Consistency check",
        "上传": "Upload",
        "上年": "Last year",
        "下载填报表（Excel）": "Download the form (Excel)",
        "位置": "Where",
        "值": "Value",
        "分类": "Category",
        "填报": "Reporting",
        "填报人": "Submitted by",
        "填报完成情况": "Reporting completeness",
        "填报状态": "Status",
        "填报表已生成": "Form written",
        "学年": "Academic year",
        "学校": "School",
        "学校数": "Schools",
        "完成率": "Completion rate",
        "按时率": "On-time rate",
        "导出 Excel": "Export to Excel",
        "层次": "Level",
        "异常值": "Outliers",
        "意见": "Comment",
        "我已阅读并确认": "I have read and confirm",
        "批次": "batch",
        "指标": "Indicator",
        "指标与标准": "Indicators and standards",
        "按名称": "By name",
        "按机构代码": "By code",
        "按结论": "By verdict",
        "排序": "Sort",
        "提交审核": "Submit for review",
        "审核通过并锁定": "Approve and lock",
        "退回": "Return",
        "重新开放": "Reopen",
        "数据元": "Data element",
        "数据来源": "Provenance",
        "新增或更新": "new or changed values",
        "未变": "unchanged",
        "旧版本": "earlier version",
        "时间为北京时间": "Times are Beijing time",
        "期间": "Period",
        "未填报": "Not reported",
        "未知的办学类型": "Unknown discipline type",
        "本年度尚无数据": "No data for this year yet",
        "机构代码": "Code",
        "标准": "Standard",
        "格式只能是 table、json 或 csv": "The format must be table, json or csv",
        "没有变化：文件中的数据均已记录": "Nothing changed: every value in the file is already recorded",
        "真实性声明": "Declaration of accuracy",
        "本人承诺：所填报数据真实、准确、完整，与学校原始记录一致，如有不实愿承担相应责任。": (
            "I declare that the data reported are true, accurate and complete and agree with the school's "
            "records, and I accept responsibility for any misstatement."
        ),
        "请勾选确认真实性声明": "Please tick the box to confirm the declaration",
        "已提交，等待省级审核": "Submitted; awaiting the province's review",
        "责任人姓名": "Name of the responsible person",
        "返回": "Back",
        "第": "row",
        "合格": "Pass",
        "黄牌": "Yellow card",
        "红牌": "Red card",
        "黄牌（限制招生）": "Yellow card (enrolment restricted)",
        "红牌（暂停招生）": "Red card (enrolment suspended)",
        "达标": "pass",
        "预警": "warning",
        "不达标": "fail",
        "草稿": "Draft",
        "已提交待审核": "Submitted, awaiting review",
        "已退回修改": "Returned for changes",
        "已审核（锁定）": "Approved (locked)",
        "综合、师范、民族院校": "Comprehensive, teacher-training and ethnic schools",
        "工科、农、林院校": "Engineering, agriculture and forestry schools",
        "医学院校": "Medical schools",
        "语文、财经、政法院校": "Language, finance and law schools",
        "体育院校": "Sports schools",
        "艺术院校": "Art schools",
        "生师比": "Student-teacher ratio",
        "具有研究生学位教师占专任教师的比例": "Share of full-time teachers with a postgraduate degree",
        "生均教学行政用房": "Teaching and administrative space per student",
        "生均教学科研仪器设备值": "Teaching and research equipment value per student",
        "生均图书": "Books per student",
        "“双师型”教师占专业课教师的比例": "Share of dual-qualified teachers among professional teachers",
        "专业课教师占专任教师的比例": "Share of professional teachers among full-time teachers",
        "全日制在校生数与专职思政课教师数之比": "Full-time students per full-time ideological-political teacher",
        "实践性教学学时占总学时的比例": "Share of practical teaching hours",
        "社会培训人次与全日制在校生数之比": "Training person-times per full-time student",
        "使用近三年修订教材的课程占比": "Share of courses using textbooks revised in the last three years",
        "毕业生就业率": "Graduate employment rate",
        "生均占地面积": "Land area per student",
        "生均校舍建筑面积": "Building area per student",
        "数据库中已有数据，不再生成演示数据": "The database already holds data; no demo data generated",
        "演示用户": "Demo users",
        "演示省份已生成": "Demo province generated",
        "未知的规模": "Unknown scale",
        # standards, provincial lines and school targets (国家、省、校三级)
        "国家标准": "National standard",
        "省级标准": "Provincial standard",
        "学校目标": "School target",
        "省级标准和学校目标": "Provincial standards and school targets",
        "标准与学校目标": "Standards and school targets",
        "国家标准、省级标准和学校目标（国家、省、校三级）。省级标准和学校目标只能严于国家标准，限制招生线始终为国家标准。": (
            "National standards, provincial standards and school targets (the three tiers). Provincial "
            "standards and school targets may only be stricter than the national ones; the restricted-"
            "enrolment lines are always the national ones."
        ),
        "合格线": "Pass line",
        "限制招生线": "Restricted-enrolment line",
        "已核实": "Checked",
        "是": "yes",
        "否": "no",
        "否（未能对照原文核实）": "no (could not be checked against the document)",
        "核对来源": "checked against",
        "来源": "Source",
        "范围": "Scope",
        "办学类型": "Discipline type",
        "生效日期": "Effective from",
        "依据的文件": "Document",
        "文号": "Document number",
        "依据的条文": "Provision",
        "学校（机构代码）": "School (code)",
        "设定标准": "Set the standard",
        "标准已设定": "Standard set",
        "在用的标准": "Standards in force",
        "自": "from",
        "全部": "All",
        "学校层次、办学类型或生效日期不正确": "Invalid level, discipline type or effective date",
        "只有省级管理员或学校可以设定本级标准": "Only a province administrator or a school can set its own standard",
        "只能为本校设定目标": "A school can set targets only for itself",
        "标准值应为数字": "The line must be a number",
        "标准须注明依据的文件和条文": "A standard must cite its document and provision",
        "专任教师数": "Full-time teachers",
        "具有高级专业技术职务专任教师的比例": "Share of full-time teachers with a senior professional title",
    }
)
EN.update(
    {  # the layout, page components and the pages of issue 9 (web UI)
        "主导航": "Main navigation",
        "跳到正文": "Skip to content",
        "本站显示的时间均为北京时间（UTC+8）。": "Times on this site are Beijing time (UTC+8).",
        "概况": "Overview",
        "已颁发": "Issued",
        "导入": "Import",
        "导出": "Export",
        "导入记录": "Import history",
        "按{col}排序": "Sort by {col}",
        "跳到第": "Go to page",
        "跳转": "Go",
        "{n} 学分": "{n} credits",
        "第{n}版": "version {n}",
        "北京时间": "Beijing time",
        "时间（北京时间）": "Time (Beijing)",
        "提交时间（北京时间）": "Submitted (Beijing time)",
        "签发时间（北京时间）": "Issued (Beijing time)",
        "开户时间（北京时间）": "Opened (Beijing time)",
        "导入时间（北京时间）": "Imported (Beijing time)",
        "职业教育信息平台": "Vocational education platform",
        "依据《职业教育提质培优行动计划（2020—2023年）》建设：学分银行为每位学习者开设个人学习账号，记录、积累和转换学历教育与非学历教育的学习成果；学校、培训评价组织和主管部门在此办理导入、审核与凭证签发。": (
            "Built under the Action Plan for Improving the Quality of Vocational Education (2020–2023): the "
            "credit bank opens a personal learning account for every learner and records, accumulates and "
            "converts the outcomes of formal and non-formal learning; schools, training and assessment "
            "organisations and the authorities import, review and issue credentials here."
        ),
        "查看已公开的人才培养方案": "See the published curriculum plans",
        "用人单位：核验学习者出示的凭证": "Employers: verify a credential a learner shows you",
        "无需登录。扫描凭证或成绩单上的二维码即可打开核验页面；也可以粘贴凭证文本或上传凭证文件。": (
            "No sign-in needed. Scan the QR code on a credential or transcript to open its verification "
            "page, or paste the credential's text, or upload its file."
        ),
        "二维码链接或凭证编号": "QR code link or credential id",
        "例如扫码得到的 …/verify/… 链接": "e.g. the …/verify/… link a QR code gives",
        "未能识别该链接或凭证编号": "This link or credential id was not recognised",
        "为该学习者填写申请": "Apply for this learner",
        "学习者所在方案": "The learner's plan",
        "无法完成操作": "The action could not be completed",
        "查看该账号的凭证": "Show this account's credentials",
        "选择要写入成绩单的学习成果": "Choose the outcomes for the transcript",
        "可免修": "may be exempted",
        "不可免修": "may not be exempted",
        "满足": "met",
        "不满足": "not met",
        "本次不能免修": "Not exempted this time",
        "各条件须由不同的学习成果满足": "each condition must be met by a different learning outcome",
        "指定机构": "the named institutions",
        "一对一": "one to one",
        "多对一": "many to one",
        "一对多": "one to many",
        "多对多": "many to many",
        "本校": "own school",
        "本校及协议院校": "own school and partner schools",
        "不限": "any",
        "免修待复核": "Exemption to recheck",
        "撤销凭证": "Credential revoked",
        "暂停凭证": "Credential suspended",
        "恢复凭证": "Credential reinstated",
        "凭证状态正常": "The credential's status is good",
        "发证机构已登记": "The issuer is registered",
        "在有效期内": "Within its validity period",
        "凭证未登记状态列表，视为有效": "The credential names no status list; taken as valid",
        "凭证已被发证机构撤销": "Revoked by the issuer",
        "凭证无法解析，未检查": "Not checked: the credential cannot be read",
        "凭证缺少发证机构标识": "The credential names no issuer",
        "签名密钥不属于该发证机构": "The signing key does not belong to this issuer",
        "暂时无法查询发证机构名录": "The issuer registry cannot be reached now",
        "结构校验未能执行": "The schema check could not run",
        "学分兑换申请": "Credit conversion applications",
        "Excel": "Excel",
        "总学分": "Total credits",
        "更正学习成果": "Correct a learning outcome",
        "撤销学习成果": "Revoke a learning outcome",
        "更正": "Correct",
        "撤销": "Revoke",
        "更正原因（记入台账）": "Reason for the correction (kept in the ledger)",
        "撤销原因（记入台账）": "Reason for revoking (kept in the ledger)",
        "请填写原因": "Please give the reason",
        "学习成果已更正": "The learning outcome was corrected",
        "学习成果已撤销": "The learning outcome was revoked",
        "撤销后该成果不再计入学分，但仍保留在台账中。": (
            "Once revoked the outcome counts for no credits, but it stays in the ledger."
        ),
        "返回账号": "Back to the account",
        "操作": "Action",
        "查找学习者": "Find a learner",
        "学习账号或证件号码": "Account number or ID number",
        "证件号码只在表单中提交，不会出现在网址里。": "An ID number is sent in the form only, never in the address.",
        "按学校": "School",
        "全部学校": "All schools",
        "全部类型": "All types",
        "开户年份": "Year opened",
        "全部年份": "All years",
        "学校": "School",
        "没有找到该学习者": "No such learner found",
        "批量导入": "Import",
        "文件名": "File",
        "导入人": "Imported by",
        "新增成果": "Outcomes added",
        "问题数": "Problems",
        "结果": "Result",
        "成功": "Imported",
        "未导入": "Not imported",
        "暂无导入记录": "No imports yet",
        "导入详情": "Import details",
        "核验其他凭证": "Verify another credential",
        "共 {n} 次": "{n} in all",
        "请填写学习账号或证件号码": "Please enter an account number or an ID number",
        "导入记录不存在或无权查看": "No such import, or not yours to see",
        "名称不能为空": "The title cannot be empty",
        "请填写数字": "Please enter a number",
        "未知的操作": "Unknown action",
        "凭证不存在或无权查看": "No such credential, or not yours to see",
        "学习成果不存在": "No such learning outcome",
        "更正须说明原因": "A correction needs a reason",
        "撤销须说明原因": "Revoking needs a reason",
        "已撤销的学习成果不能更正": "A revoked learning outcome cannot be corrected",
        "该学习成果已撤销": "This learning outcome has already been revoked",
        "学分兑换申请不存在或无权查看": "No such credit conversion application, or not yours to see",
        "驳回申请必须填写理由": "Rejecting an application needs a reason",
        "只能导出本机构的学习成果": "Only your own institution's learning outcomes can be exported",
        "总行数": "Rows",
        "问题所在位置": "Where the problems were",
        "问题的具体内容可能引用文件中的姓名等个人信息，故不保存；请修改文件后重新导入查看。": (
            "The problems themselves are not kept, as they can quote names and other personal data from "
            "the file; correct the file and import it again to see them."
        ),
        "核验凭证": "Verify a credential",
        "{n}级": "{n} cohort",
    }
)


def translate_reason(text: str, lang: str) -> str:
    """A verification check's reason (built with figures by the domain) in the page's language."""
    return translator(lang)(text)


for _zh, _en in (
    (r"^JWS（(\w+)）签名有效$", "JWS ({}) signature valid"),
    (r"^Data Integrity（([\w-]+)）签名有效$", "Data Integrity ({}) signature valid"),
    (r"^符合(.+?) ?结构规范（官方 (.+)）$", "Conforms to the {} schema (official {})"),
    (r"^符合(.+?) ?结构规范$", "Conforms to the {} schema"),
    (r"^符合(.+)$", "Conforms to {}"),
    (r"^不符合(.+?)：(.*)$", "Does not conform to {}: {}"),
    (r"^凭证已于 (\S+) 过期$", "Expired on {}"),
    (r"^发证机构 (\S+) 未在平台登记$", "Issuer {} is not registered with the platform"),
    (r"^无法获取状态列表 (\S+)$", "The status list {} could not be fetched"),
    (r"^凭证状态正常（状态说明：(.*)）$", "The credential's status is good (status note: {})"),
    (r"^凭证已被发证机构暂停(?:（状态说明：(.*)）)?$", "Suspended by the issuer (note: {})"),
    (r"^凭证无法解析：(.*)$", "The credential cannot be read: {}"),
):
    pattern(_zh, _en)


# quality monitoring (质量监测): import problems, workflow and scope errors with variable parts
for _zh, _en in (
    (r"(\d{4}-\d{4})学年", "academic year {0}"),
    (r"(\d{4})年", "year {0}"),
    (r"工作表“(.+?)” ([A-Z]+\d+)", "sheet “{0}” {1}"),
    (r"工作表“(.+?)”第 (\d+) 行“(.+?)”列", "sheet “{0}” row {1} column “{2}”"),
    (r"工作表“(.+?)”第 (\d+) 行", "sheet “{0}” row {1}"),
    (r"第 (\d+) 行“(.+?)”列", "row {0} column “{1}”"),
    (r"第 (\d+) 行", "row {0}"),
    (r"(.+?)，不能为空", "{0}; it must not be empty"),
    (r"(.+?)，“(.*)”不是数字", "{0}; “{1}” is not a number"),
    (
        r"未登记或无权查看的机构代码“(.*)”（应为学校标识码或统一社会信用代码）",
        "Unknown school code “{0}”, or one you may not see (use the school code or the unified social credit code)",
    ),
    (r"无权填报“(.+)”的数据", "You may not report data for “{0}”"),
    (
        r"“(.*)”应为年度（如 2024）或学年（如 2023-2024）",
        "“{0}” should be a year (e.g. 2024) or an academic year (e.g. 2023-2024)",
    ),
    (
        r"期间“(.*)”应为年度（如 2024）或学年（如 2023-2024）",
        "Period “{0}” should be a year (e.g. 2024) or an academic year (e.g. 2023-2024)",
    ),
    (r"未知的数据元代码“(.*)”", "Unknown data element code “{0}”"),
    (r"“(.*)”不是“(.+?)”的分类：(.*)", "“{0}” is not a category of “{1}”: {2}"),
    (
        r"与(.+)重复（同一机构、期间、数据元和分类）",
        "Duplicate of {0} (same school, period, element and category)",
    ),
    (
        r"(.+)数据当前状态为“(.+)”，不能修改；如需更改请由省级管理员重新开放",
        "The data of {0} are “{1}” and cannot be changed; the province must reopen them first",
    ),
    (r"当前状态为“(.+)”，不能(.+)", "The current status is “{0}”: cannot {1}"),
    (r"(.+)须填写意见或理由", "{0} needs a comment or reason"),
    (r"(.+)尚无数据，不能提交", "{0} has no data yet and cannot be submitted"),
    (
        r"数据未通过一致性校验，不能提交：(.+)",
        "The data fail the consistency checks and cannot be submitted: {0}",
    ),
    (r"学校“(.*)”不存在或无权查看", "School “{0}” does not exist or you may not see it"),
    (
        r"“(.+)”不是质量监测范围内的学校（中职、高职专科或职业本科）",
        "“{0}” is not a monitored school (secondary vocational, higher vocational or vocational bachelor)",
    ),
    (
        r"“(.+)”尚无 (\d{4}) 年度（(\d{4}-\d{4}) 学年或 (\d{4}) 年）的数据",
        "“{0}” has no data for {1} (academic year {2} or year {3})",
    ),
    (r"未知的指标“(.*)”", "Unknown indicator “{0}”"),
    (
        r"省级标准和学校目标只能高于国家标准（国家标准 (.+)）",
        "Provincial standards and school targets may only be stricter than the national standard ({0})",
    ),
    (
        r"表单版本“(.*)”不是当前版本，请重新下载填报表",
        "Form version “{0}” is not the current one: download the form again",
    ),
    (r"缺少工作表“(.+)”，请使用下载的原表填报", "Sheet “{0}” is missing: fill in the downloaded form"),
    (r"第 1 行有未知的列“(.*)”", "Unknown column “{0}” in row 1"),
    (r"缺少必需的列：(.+)", "Required columns missing: {0}"),
):
    pattern(_zh, _en)
for _key, _text in {  # only what no other page has translated already
    "应为非负整数": "should be a non-negative whole number",
    "应为非负数（至多两位小数）": "should be a non-negative number (at most two decimals)",
    "数值过大": "the number is too large",
    "机构代码不能为空": "The school code must not be empty",
    "提交前须由具名责任人确认真实性声明": "A named responsible person must confirm the declaration before submitting",
    "无权提交该校数据": "You may not submit this school's data",
    "只有省级或国家级管理员可以审核、退回或重新开放": "Only a province or national administrator can approve, return or reopen",
    "省级管理员只能查看本省学校": "A province administrator can see only the province's schools",
    "只有省级或国家级管理员可以设置学校的办学类型": "Only a province or national administrator can set a school's discipline type",
    "年度应为四位数字，如 2024": "The year should be four digits, e.g. 2024",
    "第 1 行没有表头（应为 机构代码,期间,数据元代码,分类,值）": "Row 1 has no header (expected org,period,element,category,value, or the same in Chinese)",
    "共": "In all",
    "处问题，未导入任何数据": "problems; nothing was imported",
    "处问题": "problems",
    "导入完成": "Import finished",
    "导入文件有误，未导入任何数据": "The file has problems; nothing was imported",
    "问题": "Problem",
    "说明": "Explanation",
    "办理记录": "History",
    "查看": "Show",
    "文件": "File",
    "版本": "Version",
    "时间（北京时间）": "Time (Beijing time)",
    "年度": "year",
    "全国": "Nation",
    "省份": "Province",
    "已提交": "Submitted",
    "已填报": "Reported",
    "已审核": "Approved",
    "暂无数据": "No data yet",
    "筛选": "Filter",
    "原因": "Reason",
    "审核通过并锁定": "Approve and lock",
    "退回": "Return",
    "重新开放": "Reopen",
    "未填报": "Not reported",
    "达不到限制招生线的指标": "Indicators below the restricted-enrolment line",
    "一致性提示": "Consistency check",
}.items():
    EN.setdefault(_key, _text)
EN.update(
    {  # 分类考试招生 (admissions): CLI, pages, fixed messages (composed ones: adapters/admissions/english.py)
        "分类考试招生": "Classified admissions",
        "招生录取": "Admissions",
        "录取批次": "Admission runs",
        "录取结果查询": "Admission result",
        "已写出录取政策示例": "Example admission policy written",
        "录取政策有效": "The admission policy is valid",
        "职业技能占比": "skill share",
        "投档比例": "dispatch ratio",
        "录取中……": "Running the admission…",
        "读取输入文件": "Reading the input files",
        "学分银行核验": "Credit-bank check",
        "排序、投档、录取": "Ranking, dispatching, admitting",
        "录取结果": "Admission results",
        "考生": "Candidates",
        "录取": "admitted",
        "其中征集志愿录取": "of which in the supplementary round",
        "退档": "rejected",
        "未投档": "not dispatched",
        "专业组": "Major groups",
        "计划数": "Places",
        "未完成计划": "Unfilled places",
        "学习账号": "learning accounts",
        "找到": "found",
        "获奖认定": "awards confirmed",
        "证书认定": "certificates confirmed",
        "输出目录": "Output directory",
        "用时": "time",
        "暂无已发布的录取批次": "No published admission runs yet",
        "名称": "Name",
        "年度": "Year",
        "发布时间（北京时间）": "Published (Beijing time)",
        "上传政策与文件，执行录取": "Upload the policy and files, run the admission",
        "CSV（UTF-8 或 GBK）或 Excel；中文表头，也接受英文表头。文件有误时列出全部问题，不执行录取。": (
            "CSV (UTF-8 or GBK) or Excel; Chinese headers, English aliases accepted. If a file is wrong, every "
            "problem is listed and nothing runs."
        ),
        "录取政策示例": "Example policy",
        "政策 schema": "Policy schema",
        "录取政策（.yaml / .json）": "Admission policy (.yaml / .json)",
        "专业组文件": "Major groups file",
        "专业文件（选填）": "Majors file (optional)",
        "考生文件": "Candidates file",
        "征集志愿文件（选填）": "Supplementary-round file (optional)",
        "投档比例（选填，覆盖政策，≤ 1.05）": "Dispatch ratio (optional, overrides the policy, ≤ 1.05)",
        "试运行（不发布）": "Try (not published)",
        "执行并发布": "Run and publish",
        "试运行结果（未发布）": "Trial result (not published)",
        "投档线": "Cut-off lines",
        "专业组代码": "Group",
        "院校名称": "School",
        "投档数": "Dispatched",
        "录取数": "Admitted",
        "最低投档分": "Lowest score",
        "最低位次": "Lowest rank",
        "本校院校代码": "Our school code",
        "运行记录（输入输出 SHA-256）": "Run record (SHA-256 of inputs and outputs)",
        "征集志愿": "Supplementary round",
        "单列计划": "Separate plan",
        "本校投档考生": "Candidates dispatched to us",
        "考生录取结果": "Candidates' results",
        "考生号": "Candidate no.",
        "姓名": "Name",
        "专业代码": "Major",
        "总分": "Total",
        "位次": "Rank",
        "共": "Total",
        "上一页": "Previous",
        "下一页": "Next",
        "退档理由": "Reason for rejection",
        "已退档": "Rejected",
        "输入考生号、姓名（及考试院发放的查询码）查询本人的录取结果。无需登录。": (
            "Enter your candidate number, name (and the query code the examination office gave you) to see "
            "your own result. No sign-in needed."
        ),
        "查询码（考试院发放时填写）": "Query code (if the examination office gave you one)",
        "查询": "Look up",
        "录取批次不存在或无权查看": "Admission run not found, or you may not see it",
        "未查到与考生号、姓名和查询码相符的录取结果": "No result matches this candidate number, name and query code",
        "只有省级教育考试机构可以执行录取": "Only the provincial examination office can run admissions",
        "结果应为 录取、退档 或 未投档": "The result must be 录取, 退档 or 未投档",
        "请填写退档理由": "Please give the reason for the rejection",
        "退档理由不超过 200 字": "The reason is at most 200 characters",
        "只有考生被投档的学校可以退档": "Only the school the candidate was dispatched to can reject",
        "本校没有该考生的投档记录": "No candidate with this number was dispatched to your school",
        "请选择录取政策、专业组文件和考生文件": "Choose the policy, the major groups file and the candidates file",
    }
)
EN.update(
    {  # access and privacy (decision 0016)
        "姓名与证件号码不符": "The name does not match the ID number",
        "机构不存在": "No such institution",
        "没有对该机构的授权": "No grant to this institution",
        "该学习者的学习账号不属本省，省级管理员只能记录本省的学习账号": (
            "The learner's account is in another province; a province admin records only in its own province"
        ),
        "凭证不存在或无权查看": "No such credential, or you may not see it",
        "只有发证机构及其主管部门可改变该凭证的状态": (
            "Only the issuing institution and its authorities may change this credential's status"
        ),
        "有 {missing} 个身份证号不在本单位范围内或尚未开设学习账号": (
            "{missing} ID numbers are outside your scope or have no learning account"
        ),
        "第 {rows} 行是模板的示例行（示例身份证号的出生日期为 2 月 30 日，不属于任何人），已跳过": (
            "Rows {rows} are the template's example rows (their sample ID numbers are born on 30 February "
            "and belong to no one); skipped"
        ),
        "6. 示例行的身份证号出生日期为 2 月 30 日，不可能属于任何人；导入时示例行会被识别并跳过。": (
            "6. The example rows' ID numbers are born on 30 February and cannot be anyone's; the import "
            "recognises and skips them."
        ),
    }
)
EN.update(
    {  # overview charts and reconciliation (概况 pages, decision 0019)
        "数据表": "Data table",
        "入学年份": "Cohort year",
        "未登记": "Not recorded",
        "申请数": "Applications",
        "资历框架等级": "Framework level",
        "第 {n} 级": "Level {n}",
        "图表": "Charts",
        "学习者（按入学年份与类型）": "Learners by cohort year and type",
        "各入学年份的学习者人数，按学习者类型分段堆叠。": "Learners per cohort year, stacked by learner type.",
        "学习成果（按取得年份与类型）": "Outcomes by year obtained and kind",
        "各年取得的有效学习成果数，按成果类型分段堆叠。": "Active outcomes obtained each year, stacked by kind.",
        "学分（按资历框架等级）": "Credits by framework level",
        "有效学习成果的学分合计，按资历框架等级。": "Credits of active outcomes, by framework level.",
        "学分兑换申请（按状态）": "Credit conversion applications by state",
        "学习者提交的学分兑换申请数，按当前状态。": "Applications learners submitted, by their current state.",
        "两种口径": "Two ways of counting",
        "上方合计与按年度、按成果类型的数字是本省学习者持有的成果；按机构类型与机构列表的数字是本省机构颁发的成果。":
            "The totals above and the figures by year and kind count outcomes held by the province's learners; "
            "the figures by institution type and the institution list count outcomes issued by the province's "
            "institutions.",
        "本省学习者持有": "Held by the province's learners",
        "其中外省机构颁发": "of which issued by institutions of other provinces",
        "本省机构颁发": "Issued by the province's institutions",
        "其中颁给外省学习者": "of which held by learners of other provinces",
        "两者之差即跨省的成果": "the difference is the outcomes that crossed the province's border",
    }
)
EN.update(
    {  # the demo summary and serve's note on ZHIJIAO_BASE_URL (issue 9, item 7)
        "项目": "Item",
        "角色": "Role",
        "范围": "Scope",
        "数量": "Count",
        "用时": "Time",
        "学习成果数": "Outcomes",
        "学分兑换申请数": "Credit conversion applications",
        "免修项数": "Exemptions",
        "人才培养方案及转换办法": "Curriculum plans with conversion rules",
        "批量预审可免修": "Exemptions found by the cohort pre-check",
        "learner1 的可验证凭证": "learner1's verifiable credentials",
        "演示凭证的状态列表地址为": "The demo credentials' status lists are at",
        "在其他地址或端口提供服务时，请设置相同的 ZHIJIAO_BASE_URL，": "When serving on another address or port, set the same ZHIJIAO_BASE_URL,",
        "否则核验显示“部分检查无法完成”。": 'or verification shows "some checks could not be completed".',
        "注意：ZHIJIAO_BASE_URL 为 {base}，与服务地址 {serve} 不同。": "Note: ZHIJIAO_BASE_URL is {base}, not the serving address {serve}.",
        "凭证中的状态列表地址取自 ZHIJIAO_BASE_URL，在本地址核验会显示“部分检查无法完成”；":
            " Credentials carry their status-list address from ZHIJIAO_BASE_URL, so verifying them here shows "
            '"some checks could not be completed";',
        "请把 ZHIJIAO_BASE_URL 设为对外地址（反向代理之后可以不同）。":
            " set ZHIJIAO_BASE_URL to the public address (behind a reverse proxy it may differ).",
    }
)


def _quality_metadata() -> None:
    """English for the quality pillar's metadata where it reaches messages and pages as Chinese text
    (element names in import problems, categories, school levels): taken from the
    definitions (`name_en`, the label tables), not written twice."""
    from zhijiao.domain.quality.elements import (
        CATEGORY_LABELS_EN,
        ELEMENTS,
        SCHOOL_LEVEL_LABELS,
        SCHOOL_LEVEL_LABELS_EN,
    )
    from zhijiao.domain.quality.indicators import DERIVED, DERIVED_NAMES_EN, INDICATORS

    for e in ELEMENTS:
        EN.setdefault(e.name, e.name_en[0].upper() + e.name_en[1:])
        if e.categories:
            EN.setdefault("、".join(e.categories), ", ".join(CATEGORY_LABELS_EN[c] for c in e.categories))
    for code, (name, _expr) in DERIVED.items():
        EN.setdefault(name, DERIVED_NAMES_EN[code][0].upper() + DERIVED_NAMES_EN[code][1:])
    for i in INDICATORS:
        EN.setdefault(i.name, i.name_en)
    for level, label in SCHOOL_LEVEL_LABELS.items():
        EN.setdefault(label, SCHOOL_LEVEL_LABELS_EN[level])
    for zh, en in CATEGORY_LABELS_EN.items():
        EN.setdefault(zh, en)
    # consistency rules' explanations (domain/quality/rules.py), one or several joined by "；"
    from zhijiao.domain.quality.rules import RULE_MESSAGES_EN, RULES

    for rule in RULES:
        EN.setdefault(rule.message, RULE_MESSAGES_EN[rule.code][0].upper() + RULE_MESSAGES_EN[rule.code][1:])
    messages = "|".join(re.escape(r.message) for r in RULES)
    pattern(rf"({messages})（([^（）]*)）", "{0} ({1})")
    pattern(r"([a-z_]+ = [^，]+)，([a-z_0-9]+ = [^，]+)", "{0}, {1}")
    pattern(rf"((?:{messages})（[^（）]*）)；(.+)", "{0}; {1}")


_quality_metadata()
EN.update(
    {  # quality monitoring in English (issue 9, item 5): what the pages, CLI and exports still lacked
        "数据元代码": "Element code",
        "（该数据元不分类，应留空）": "(this element has no categories: leave it empty)",
        "按异常值": "By outliers",
        "凭证不存在": "No such credential",  # /verify/{unknown id} (found by tests/untranslated.py)
        "学校不存在或无权查看": "No such school, or you may not see it",
    }
)
for _zh, _en in (  # the demo's quality summary (demo/build.py), one line per part
    (r"([\d,]+) 所学校 × (\d+) 学年，([\d,]+) 个数据值", "{0} schools × {1} academic years, {2} data values"),
    (r"([\d,]+) 份已审核，([\d,]+) 份逾期提交", "{0} approved, {1} submitted late"),
    # and its admissions summary (demo/build.py, build_admissions)
    (
        r"(\d+) 所高职与技工学校，(\d+) 个专业组，(\d+) 个计划",
        "{0} higher vocational and technician schools, {1} major groups, {2} places",
    ),
    (
        r"(\d+) 名考生，录取 (\d+)（征集志愿 (\d+)），退档 (\d+)，未投档 (\d+)（([\d.]+ s)）",
        "{0} candidates, {1} admitted ({2} in the supplementary round), {3} rejected, {4} not dispatched ({5})",
    ),
):
    pattern(_zh, _en)


# ---- every raised error message in English (API problem+json, CLI, pages) ----
# tests/unit/test_english_messages.py reads the source for every DomainError/HTTPException message and
# fails on one without its English here.
EN.update(
    {
        # HTTP statuses (api/problems.py)
        "请求有误": "Bad request",
        "未登录或登录已过期": "Not signed in, or the sign-in has expired",
        "资源不存在": "Not found",
        "不支持该请求方法": "Method not allowed",
        "与现有数据冲突": "Conflicts with existing data",
        "上传的文件过大": "The uploaded file is too large",
        "不支持的文件类型": "Unsupported file type",
        "提交的数据不正确": "The submitted data are not valid",
        "请求过于频繁": "Too many requests",
        "请求失败": "The request failed",
        "服务器内部错误，请稍后重试": "Internal server error; please try again later",
        # request validation (api/problems.py _FIELD_MESSAGES): templates, formatted after translation
        "必填": "required",
        "不允许的字段": "field not allowed",
        "应为文本": "should be text",
        "至少 {min_length} 个字符": "at least {min_length} characters",
        "最多 {max_length} 个字符": "at most {max_length} characters",
        "格式不正确": "malformed",
        "应为整数": "should be a whole number",
        "应为数字": "should be a number",
        "数字位数过多（最多 {max_digits} 位）": "too many digits (at most {max_digits})",
        "小数位过多（最多 {decimal_places} 位）": "too many decimals (at most {decimal_places})",
        "应为 true 或 false": "should be true or false",
        "应为日期（YYYY-MM-DD）": "should be a date (YYYY-MM-DD)",
        "应为日期时间（ISO 8601，带时区）": "should be a date and time (ISO 8601, with a time zone)",
        "日期时间须带时区": "the date and time needs a time zone",
        "应大于 {gt}": "should be greater than {gt}",
        "不得小于 {ge}": "must not be less than {ge}",
        "应小于 {lt}": "should be less than {lt}",
        "不得大于 {le}": "must not be greater than {le}",
        "至少 {min_length} 项": "at least {min_length} items",
        "最多 {max_length} 项": "at most {max_length} items",
        "应为列表": "should be a list",
        "应为对象": "should be an object",
        "不是有效的 JSON": "not valid JSON",
        "应为 {expected} 之一": "should be one of {expected}",
        "应为 UUID": "should be a UUID",
        "应为网址": "should be a URL",
        "取值不正确": "invalid value",
        # users and institutions
        "密码至少8个字符": "The password needs at least 8 characters",
        "院校或培训评价组织用户须指定所属机构": "A school or certifier user needs an institution",
        "省级管理员须指定省份": "A province administrator needs a province",
        "学习者用户须关联学习账号": "A learner user needs a learning account",
        "机构名称不能为空": "The institution's name must not be empty",
        "省级管理员只能登记本省机构": "A province administrator registers only the province's institutions",
        "学校标识码与统一社会信用代码至少填写一项": "Give the school code (学校标识码) or the unified social credit code (统一社会信用代码), or both",
        "已存在相同学校标识码或统一社会信用代码的机构": "An institution with the same school code or unified social credit code already exists",
        # identity documents
        "不支持15位旧身份证号，请使用18位居民身份证号": "Old 15-digit ID numbers are not accepted; use the 18-digit resident ID number",
        "身份证号应为18位：17位数字加1位数字或X": "An ID number has 18 characters: 17 digits and a digit or X",
        "身份证号中的出生日期晚于今天": "The birth date in the ID number is after today",
        "身份证号中的出生日期不合理（超过120岁）": "The birth date in the ID number is implausible (over 120 years)",
        "身份证号校验码错误": "The ID number's check digit is wrong",
        "身份证号中的出生日期不存在": "The birth date in the ID number does not exist",
        "统一社会信用代码应为18位，由数字和除 I、O、Z、S、V 以外的大写字母组成": (
            "A unified social credit code has 18 characters: digits and capital letters other than I, O, Z, S and V"
        ),
        "统一社会信用代码中的组织机构代码校验码错误（GB 11714）": "The organisation code's check digit in the unified social credit code is wrong (GB 11714)",
        "统一社会信用代码校验码错误（GB 32100）": "The unified social credit code's check character is wrong (GB 32100)",
        "学校标识码应为10位数字": "A school code has 10 digits",
        "居民身份证": "Resident ID card",
        "护照": "Passport",
        "港澳居民来往内地通行证": "Mainland travel permit for Hong Kong and Macao residents",
        "台湾居民来往大陆通行证": "Mainland travel permit for Taiwan residents",
        "外国人永久居留身份证": "Foreign permanent resident ID card",
        # credit bank: accounts, outcomes, ledger, exports
        "当前角色无权开设学习账号": "Your role may not open learning accounts",
        "姓名不能为空且不超过50个字符": "The name must not be empty and has at most 50 characters",
        "只能为本校学生开设账号": "You may open accounts only for your own school's students",
        "只能开设本省的学习账号": "You may open learning accounts only in your province",
        "所属院校不存在": "The home institution does not exist",
        "当前角色无权导出学习成果": "Your role may not export outcomes",
        "只有账号本人、所属院校和主管部门可查看完整台账": "Only the account holder, the home institution and the authorities may see the whole ledger",
        "台账记录不存在": "No such ledger entry",
        "须满足 0 < from ≤ to": "0 < from ≤ to is required",
        "树大小超出台账记录数": "The tree size exceeds the number of ledger entries",
        "颁发机构不存在": "The issuing institution does not exist",
        "获得日期不得晚于今天": "The date obtained must not be after today",
        "学时不能为负数": "Hours must not be negative",
        "成绩超出范围（百分制 0—100）": "The score is out of range (0–100)",
        "成果名称不能为空": "The outcome's title must not be empty",
        "该学习成果已记录": "This outcome is already recorded",
        "更正须说明原因": "A correction needs a reason",
        "学分不能为负数": "Credits must not be negative",
        "每学分学时数必须大于0": "Hours per credit must be above 0",
        "学分步长必须大于0": "The credit step must be above 0",
        "学分上限不能为负数": "The credit cap must not be negative",
        # credentials
        "发证机构没有可用的签名密钥": "The issuer has no usable signing key",
        "学习者无权管理发证密钥": "Learners may not manage issuing keys",
        "该发证机构尚未启用 did:web 标识": "This issuer has no did:web identifier yet",
        "RS256 签名需要 did:web 发证标识（演示模式的 did:key 仅支持 Ed25519）": (
            "RS256 signatures need a did:web issuer (the demo mode's did:key supports Ed25519 only)"
        ),
        "只有国家级管理员可管理学分银行的签名密钥": "Only the national administrator may manage the credit bank's signing keys",
        "学习成果不存在或无权签发凭证": "No such outcome, or you may not issue a credential for it",
        "已撤销的学习成果不能签发凭证": "A revoked outcome cannot get a credential",
        "有效期截止时间必须晚于现在": "The expiry must be in the future",
        "成绩单至少应包含一项学习成果": "A transcript needs at least one outcome",
        "凭证不存在": "No such credential",
        "学习者不能撤销或暂停凭证": "Learners cannot revoke or suspend credentials",
        "只有主管部门可撤销或暂停成绩单凭证": "Only the authorities may revoke or suspend transcript credentials",
        "请说明原因": "Please give a reason",
        "凭证已撤销，不能再次撤销": "The credential is revoked already",
        "只有有效的凭证可以暂停": "Only an active credential can be suspended",
        "只有已暂停的凭证可以恢复（撤销不可恢复）": "Only a suspended credential can be reinstated (revocation is final)",
        "只有账号本人、所属院校和主管部门可签发成绩单凭证": "Only the account holder, the home institution and the authorities may issue a transcript credential",
        "状态列表不存在": "No such status list",
        "有效期截止时间必须晚于生效时间": "The expiry must be after the start of validity",
        "成绩单至少应包含一份凭证": "A transcript needs at least one credential",
        "凭证中不得使用居民身份证号标识学习者": "A credential must not identify the learner by the resident ID number",
        "identityHash 的盐值至少 16 个字符": "The identityHash salt needs at least 16 characters",
        "凭证中不得出现居民身份证号": "A credential must not contain a resident ID number",
        "不是有效的状态列表凭证": "Not a valid status list credential",
        "状态列表缺少 encodedList": "The status list has no encodedList",
        "statusSize 应为 1–8": "statusSize must be 1–8",
        "状态列表编码应以多重编码前缀“u”开头": "The status list encoding must start with the multibase prefix “u”",
        "不支持的凭证状态类型": "Unsupported credential status type",
        "状态列表的用途无效": "Invalid status list purpose",
        "凭证状态条目不完整或取值无效": "The credential status entry is incomplete or has invalid values",
        "状态列表无法解码（应为 GZIP + base64url）": "The status list cannot be decoded (GZIP + base64url expected)",
        # conversion (学分转换)
        "申请须引用至少一项学习成果": "An application must cite at least one outcome",
        "申请须指定至少一门免修课程或模块": "An application must name at least one course or module to exempt",
        "优先免修的课程有重复": "A preferred course is repeated",
        "状态变更时间不能早于上一次变更": "A status change cannot be earlier than the previous one",
        "只有申请人本人可以撤回申请": "Only the applicant may withdraw the application",
        "工作日天数不能为负数": "The number of working days must not be negative",
        "只有学习者本人或其所在院校的工作人员可以提交学分兑换申请": (
            "Only the learner or staff of the learner's school may submit a credit conversion application"
        ),
        "只有培养方案所属院校的工作人员可以审核学分兑换申请": "Only staff of the plan's school may review credit conversion applications",
        "引用的学习成果有重复": "A cited outcome is repeated",
        "目标课程有重复": "A target course is repeated",
        "申请已被他人处理，请刷新后查看": "Someone else has handled the application; reload to see it",
        "当前角色无权查看学分兑换申请": "Your role may not see credit conversion applications",
        "请填写学习账号": "Please give the learning account",
        "申请只能转入：审核中、已批准、已驳回、已撤回": "An application can only move to: under review, approved, rejected, withdrawn",
        "只有账号本人、所属院校和主管部门可查看免修与审核结果": (
            "Only the account holder, the home institution and the authorities may see exemptions and audits"
        ),
        "该学习者尚未加入人才培养方案（院校、专业、年级）": "The learner is not in a curriculum plan yet (school, major, cohort)",
        "协议编号不能为空": "The agreement number must not be empty",
        "失效日期早于生效日期": "The end date is before the start date",
        "协议院校不能是本校": "The partner school cannot be your own",
        "转换规则只能由培养方案所属院校发布": "Only the plan's school may publish its conversion rules",
        "状态不存在": "No such status",
        # quality, web and API file checks
        "学校层次或办学类型不正确": "Invalid school level or discipline type",
        "学校不存在或无权查看": "No such school, or you may not see it",
        "文件超过 5 MB": "The file is larger than 5 MB",
    }
)
for _zh, _en in (
    (r"用户名“(.+)”已存在", "The username “{0}” is already taken"),
    (r"身份证号前两位“(.*)”不是有效的省级行政区划代码", "The first two digits of the ID number, “{0}”, are not a province code"),
    (r"(居民身份证|护照|港澳居民来往内地通行证|台湾居民来往大陆通行证|外国人永久居留身份证)号码格式不正确", "{0} number is malformed"),
    (r"统一社会信用代码中的行政区划代码“(.*)”无效", "The area code “{0}” in the unified social credit code is not valid"),
    (r"学校标识码第2—3位“(.*)”不是有效的省级行政区划代码", "Digits 2–3 of the school code, “{0}”, are not a province code"),
    (r"行政区划代码“(.*)”无效（应为 GB/T 2260 六位代码）", "The area code “{0}” is not valid (a six-digit GB/T 2260 code expected)"),
    (r"学习账号“(.*)”无效（13位，末位为校验码）", "The learning account “{0}” is not valid (13 characters, the last a check digit)"),
    (r"无权以“(.+)”的名义记录学习成果", "You may not record outcomes in the name of “{0}”"),
    (r"不是数字：(.*)", "not a number: {0}"),
    (r"优先免修的课程须是申请免修的课程：(.*)", "Preferred courses must be among the courses applied for: {0}"),
    (r"申请状态不能从「(.+)」变为「(.+)」", "An application cannot move from “{0}” to “{1}”"),
    (r"学习成果「(.*)」尚未登记（缺少编号）", "The outcome “{0}” is not recorded yet (it has no number)"),
    (r"培养方案中没有课程：(.*)", "The plan has no course: {0}"),
    (r"无权管理“(.+)”的培养方案与转换规则", "You may not manage the plans and conversion rules of “{0}”"),
    (r"培养方案 (\S+) 中没有课程 (\S+)", "Plan {0} has no course {1}"),
    (r"毕业要求中的必修课程不在方案中：(.*)", "Required courses of the graduation requirements are not in the plan: {0}"),
    (r"课程代码重复：(.*)", "Course code repeated: {0}"),
    (r"规则集属于培养方案 (\S+)，而不是 (\S+)", "The rule set belongs to plan {0}, not {1}"),
    (r"(.+)：至少需要一个来源条件", "{0}: at least one source condition is needed"),
    (r"(.+)：目标课程不能为空或重复", "{0}: target courses must not be empty or repeated"),
    (r"(.+)：失效日期早于生效日期", "{0}: the end date is before the start date"),
    (r"规则 (\S+) 第(\d+)版重复", "Rule {0} version {1} is repeated"),
    (r"规则 (\S+) 不属于培养方案 (\S+)", "Rule {0} does not belong to plan {1}"),
    (r"规则 (\S+) 第(\d+)版已发布，不能修改；请以新版本号发布", "Rule {0} version {1} is published and cannot change; publish it under a new version"),
    (r"所选凭证不在该账户中：(.*)", "Selected credentials are not in this account: {0}"),
    (r"状态列表至少应有 (\d+) 个条目，且为 8 的倍数", "A status list needs at least {0} entries, a multiple of 8"),
    (r"状态索引 (\d+) 超出范围（0–(\d+)）", "Status index {0} is out of range (0–{1})"),
    (r"状态值 (\d+) 超出 (\d+) 位的范围", "Status value {0} does not fit in {1} bits"),
    (r"statusSize 为 (\d+) 时 statusMessage 应有 (\d+) 项", "With statusSize {0}, statusMessage needs {1} items"),
    (r"学分须为 (\S+) 的整数倍", "Credits must be a multiple of {0}"),
    (r"单项成果学分不能超过 (\S+)", "One outcome's credits cannot exceed {0}"),
    (r"(\S+)“(.*)”不是数字", "{0} “{1}” is not a number"),
    (r"获得日期 (\S+) 晚于今天", "The date obtained, {0}, is after today"),
    (r"获得日期 (\S+) 过早", "The date obtained, {0}, is too early"),
    (r"(\S+)“(.*)”的小数多于 (\d+) 位：平台只保存到 0.1，请按规定取舍后再填写",
     "{0} “{1}” has more than {2} decimal(s): values are stored to 0.1, round it as your rules say first"),
    (r"(\S+)不能为负数", "{0} must not be negative"),
    (r"(\S+) (\S+) 超过上限 (\S+)", "{0} {1} exceeds the limit {2}"),
    (r"未知的成果类型“(.*)”，应为：(.*)", "Unknown outcome kind “{0}”; expected one of: {1}"),
    (r"未知的等级“(.*)”，应为 初级/中级/高级/技师/高级技师",
     "Unknown level “{0}”; expected 初级/中级/高级/技师/高级技师 (elementary/intermediate/advanced/technician/senior technician)"),
    (r"日期“(.*)”格式不正确，应为 YYYY-MM-DD", "The date “{0}” is malformed; YYYY-MM-DD expected"),
    (r"日期“(.*)”不存在", "The date “{0}” does not exist"),
    (r"学习成果 #(\d+) 不在该学习账号中", "Outcome #{0} is not in this learning account"),
    (r"没有可以批准的免修（(.*)），请驳回并说明理由", "Nothing can be approved ({0}); reject the application with a reason"),
    (r"该免修已被标记待复核，不能签发凭证：(.*)", "The exemption is flagged for review; no credential can be issued: {0}"),
    (r"尚未满足培养方案 (\S+) 的毕业要求，不能签发资历凭证：(.*)",
     "The graduation requirements of plan {0} are not met yet; no qualification credential can be issued: {1}"),
    (r"只有“(.+)”及其主管部门可签发该培养方案的资历凭证", "Only “{0}” and its authorities may issue qualification credentials for this plan"),
    (r"培养方案应写作“院校编号/专业代码/年级”，如 1/510201/2023：(.*)", "A plan is written school/major code/cohort, e.g. 1/510201/2023: {0}"),
    (r"培养方案 (\S+) 不存在或未发布", "Plan {0} does not exist or is not published"),
    (r"院校编号 (\S+) 不存在", "No school with number {0}"),
    (r"(.+)：只支持 \.json 或 \.xlsx 文件", "{0}: only .json or .xlsx files are supported"),
    (r"(.+)：无法解析 JSON：(.*)", "{0}: cannot be read as JSON: {1}"),
    (r"协议院校 (\S+) 不存在", "The partner school {0} does not exist"),
    (r"所选学习成果不在该账号中或已撤销：(.*)", "Selected outcomes are not in this account or are revoked: {0}"),
    (r"第 (\d+) 项：专业代码“(.*)”无效（应为6位数字）", "Item {0}: the major code “{1}” is not valid (six digits expected)"),
    (r"第 (\d+) 项：入学年份 (\S+) 不合理", "Item {0}: the cohort year {1} is implausible"),
    (r"有 (\d+) 个身份证号不在本单位范围内或尚未开设学习账号", "{0} ID numbers are outside your scope or have no learning account"),
    (r"不可更正的字段：(.*)", "Fields that cannot be corrected: {0}"),
    (r"期间“(.*)”应为年度（如 2024）或学年（如 2023-2024）", "Period “{0}” should be a year (e.g. 2024) or an academic year (e.g. 2023-2024)"),
    (r"(.*)：应为“是”或“否”，实际为 (.*)", "{0}: should be 是 or 否 (yes or no), found {1}"),
    (r"(.*)无法读取 Excel 文件（应为 \.xlsx）", "{0}cannot read the Excel file (.xlsx expected)"),
    (r"(.*)缺少工作表「(.+)」", "{0}sheet “{1}” is missing"),
    (r"(.*)「(.+)」表第1行缺少列「(.+)」", "{0}sheet “{1}”, row 1: column “{2}” is missing"),
    (r"(.+)：未知项目「(.*)」", "{0}: unknown item “{1}”"),
    (r"「(.+)」表第 (\d+) 行「(.+)」列", "sheet “{0}” row {1} column “{2}”"),
    (r"文件“(.+)”超过 200 MB", "File “{0}” is larger than 200 MB"),
    (r"(.+)：文件应为 UTF-8 编码", "{0}: the file should be UTF-8 text"),
    (r"投档比例应为数字，实际为“(.*)”", "The dispatch ratio should be a number, found “{0}”"),
    (r"录取政策属于省份 (\d+)，只能发布本省的录取批次", "The policy belongs to province {0}; you may only publish your own province's runs"),
    (r"考生 (\S+) 当前为“(.+)”，只能对已录取的考生退档", "Candidate {0} is “{1}”; only admitted candidates can be rejected"),
    (r"“(.+)”尚无 (\d+) 年度（(\d{4}-\d{4}) 学年或 (\d+) 年）的数据", "“{0}” has no data for {1} (academic year {2} or year {3})"),
):
    pattern(_zh, _en)
EN["结果应为 录取、退档 或 未投档"] = "The result must be “录取” (admitted), “退档” (rejected) or “未投档” (not dispatched)"


def _by_line(text: str) -> str | None:
    """A message of several lines (a file's problems, one a line): each line on its own."""
    return "\n".join(to_english(line) for line in text.split("\n")) if "\n" in text else None


def _admissions_phrases(text: str) -> str | None:
    """The admissions messages composed phrase by phrase (adapters/admissions/english.py), when that
    renders the whole message: Chinese is left only inside quoted data."""
    if not _CJK.search(text):
        return None
    from zhijiao.adapters.admissions.english import english

    out = english(text)
    return None if _CJK.search(re.sub(r'"[^"]*"|“[^”]*”', "", out)) else out


_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]")
def _place_and_message(text: str) -> str | None:
    """“place：message” (a file, a field path, a sheet): the most general form, tried last."""
    m = re.fullmatch(r"(.+?)：(.+)", text, re.S) if _CJK.search(text) else None
    return f"{to_english(m[1])}: {to_english(m[2])}" if m else None


FALLBACKS.extend((_by_line, _admissions_phrases, _place_and_message))
EN.update(
    {  # schema and field checks of rule, plan and policy files (adapters/rules_io.py, domain/conversion/fields.py)
        "（根）": "(root)",
        "不能为空": "must not be empty",
        "缺少必填字段": "required field missing",
        "应为非空字符串": "should be non-empty text",
        "应为整数或十进制字符串（不接受浮点数）": "should be a whole number or a decimal string (floats are not accepted)",
        "至少需要 {n} 项": "at least {n} items needed",
        "列表中有重复项": "the list has repeated items",
        "字符串": "text",
        "整数": "a whole number",
        "数字": "a number",
        "对象": "an object",
        "列表": "a list",
        "布尔值": "true or false",
        "转换规则集校验失败：": "The conversion rule set is invalid:",
    }
)
for _zh, _en in (
    (r"缺少必填字段 (.+)", "required fields missing: {0}"),
    (r"不允许的字段 (.+)", "fields not allowed: {0}"),
    (r"类型应为(.+?)，实际为 (.*)", "should be {0}, found {1}"),
    (r"取值 (.+) 无效，可选：(.*)", "invalid value {0}; allowed: {1}"),
    (r"字段名 (.+) 无效", "invalid field name {0}"),
    (r"数值 (.+) 不能小于 (\S+)", "the number {0} must not be less than {1}"),
    (r"数值 (.+) 不能大于 (\S+)", "the number {0} must not be greater than {1}"),
    (r"数值 (.+) 必须大于 (\S+)", "the number {0} must be greater than {1}"),
    (r"至少需要 (\d+) 项", "at least {0} items needed"),
    (r"格式不正确：(.*)", "malformed: {0}"),
    (r"取值 (.+) 不符合允许的格式", "the value {0} matches none of the allowed forms"),
    (r"不符合规则 (.+)", "breaks the rule {0}"),
    (r"不能小于 (\S+)", "must not be less than {0}"),
    (r"不是有效的数值：(.*)", "not a valid number: {0}"),
    (r"应为日期（YYYY-MM-DD）：(.*)", "should be a date (YYYY-MM-DD): {0}"),
    (r"专业代码应为6位数字：(.*)", "the major code should be six digits: {0}"),
    (r"专业代码 (\S+) 不在2021年专业目录中", "the major code {0} is not in the 2021 catalogue of majors"),
    (r"培养方案中没有课程 (\S+)", "the plan has no course {0}"),
    (r"应为 0 到 1 之间的比例（如 1/3 或 0\.3）：(.*)", "should be a share between 0 and 1 (e.g. 1/3 or 0.3): {0}"),
):
    pattern(_zh, _en)


def _enumeration(text: str) -> str | None:
    """Items listed with “、” (field names, codes): each item, joined with commas."""
    if "、" not in text:
        return None
    items = [to_english(item) for item in text.split("、")]
    return None if any(_CJK.search(item) for item in items) else ", ".join(items)


FALLBACKS.insert(1, _enumeration)
EN.update(
    {  # CLI help (zhijiao --lang en … --help; cli/main.py english_help): app, commands, options, arguments
        "职教平台命令行：数据库、学分银行、演示数据。": "The zhijiao command line: database, credit bank, demo data.",
        "界面语言：zh 或 en（也可设置环境变量 ZHIJIAO_LANG）": "Interface language: zh or en (or set the environment variable ZHIJIAO_LANG)",
        "启动网页界面和 API（默认 http://127.0.0.1:8000）；--workers N：N 个进程（各自监听该端口）。": (
            "Serve the web UI and the API (default http://127.0.0.1:8000); --workers N: N processes (each listening on the port)."
        ),
        "生成演示省份：院校、企业、培训评价组织、学习者与学习成果，并列出演示用户。": (
            "Generate a demo province: schools, companies, certifiers, learners and outcomes, and list the demo users."
        ),
        "省级行政区划代码（默认 44 广东）": "Province code (default 44, Guangdong)",
        "学习者人数（默认由 --scale 决定）": "Number of learners (default: set by --scale)",
        "随机种子：相同种子生成相同的演示省份": "Random seed: the same seed gives the same demo province",
        "规模：small（测试用）或 default": "Scale: small (for tests) or default",
        "数据库已有数据时不再生成，只列出演示用户": "If the database already holds data, generate nothing and only list the demo users",
        "数据库迁移。": "Database migrations.",
        "把数据库迁移到最新版本。": "Migrate the database to the newest version.",
        "检查表结构与迁移是否一致（alembic check）。": "Check that the tables match the migrations (alembic check).",
        "台账。": "The ledger.",
        "校验台账：每条记录的哈希、每个账号的链、整棵默克尔树与给定检查点的一致性、每条成果与台账相符；完好时退出码为 0。": (
            "Verify the ledger: every entry's hash, each account's chain, the whole Merkle tree's consistency with the "
            "given checkpoints, and every outcome against the ledger; exit status 0 when intact."
        ),
        "早先保存的已签名检查点文件（可多次给出）：证明数据库的台账是它的追加延伸": (
            "A signed checkpoint file saved earlier (may be repeated): prove the database's ledger is an append-only extension of it"
        ),
        "台账公钥（名称+密钥ID+base64）；默认为本平台的公钥": "The ledger's public key (name+key ID+base64); default: this platform's",
        "对当前台账签发检查点（已有最新的则沿用），记入检查点历史并输出；可由 cron 定时运行。": (
            "Sign a checkpoint of the ledger now (or reuse the newest), add it to the history and print it; cron-able."
        ),
        "写入的文件（默认输出到屏幕）": "File to write (default: the screen)",
        "输出台账检查点的公钥（note 验证密钥格式：名称+密钥ID+base64 公钥），供见证方和核验者使用。": (
            "Print the checkpoints' public key (note verifier key: name+key ID+base64 key) for witnesses and auditors."
        ),
        "见证方：取台账的最新检查点，核验签名，并用一致性证明确认它是上次联署的检查点的追加延伸，\n才联署（C2SP tlog-cosignature）；发现分叉则拒绝并以非零退出码退出。": (
            "Witness: fetch the ledger's newest checkpoint, verify its signature, and cosign it (C2SP tlog-cosignature) only "
            "if a consistency proof shows it extends the checkpoint cosigned last; on a fork refuse and exit non-zero."
        ),
        "台账服务的地址，例如 https://credit.example.gov.cn": "The ledger service's address, e.g. https://credit.example.gov.cn",
        "台账的公钥（zhijiao ledger key 的输出）": "The ledger's public key (the output of zhijiao ledger key)",
        "见证方的 Ed25519 私钥种子（32 字节 base64）": "The witness's Ed25519 private key seed (32 bytes, base64)",
        "见证方名称，例如 witness.edu.gd.gov.cn": "The witness's name, e.g. witness.edu.gd.gov.cn",
        "见证方保存已联署检查点的目录": "Directory where the witness keeps the checkpoints it cosigned",
        "用户。": "Users.",
        "创建用户。": "Create a user.",
        "下载导入模板。": "Import templates.",
        "生成学习成果导入模板（表头、下拉选项、填写说明）。": "Write the outcomes import template (headers, drop-downs, instructions).",
        "模板文件（.xlsx）": "Template file (.xlsx)",
        "批量导入（.xlsx / .csv）。": "Bulk import (.xlsx / .csv).",
        "批量导入学习成果：全部导入或一行也不导入；有问题时列出全部问题。": (
            "Import outcomes in bulk: every row or none; if there are problems, all of them are listed."
        ),
        "学习成果文件（.xlsx 或 .csv）": "Outcomes file (.xlsx or .csv)",
        "以该用户的身份和权限执行（默认：系统国家级管理员）": "Act as this user, with their rights (default: the system's national administrator)",
        "导出（.csv / .xlsx）。": "Export (.csv / .xlsx).",
        "导出学习成果（证件号码脱敏；已防范电子表格公式注入）。": "Export outcomes (ID numbers masked; spreadsheet formula injection neutralised).",
        "导出文件（.csv 或 .xlsx）": "Export file (.csv or .xlsx)",
        "只导出该机构颁发或其学习者的成果": "Export only the outcomes this institution issued or its learners hold",
        "学习成果记录。": "Transcripts.",
        "把学习账号的学习成果记录导出为 PDF（以系统身份）。": "Write a learning account's transcript as PDF (as the system).",
        "输出的 PDF 文件": "PDF file to write",
        "PDF 语言：zh 或 en（默认与界面语言相同）": "PDF language: zh or en (default: the interface language)",
        "可验证凭证：签发、批量签发、撤销/暂停/恢复、核验。": "Verifiable credentials: issue, issue in bulk, revoke/suspend/reinstate, verify.",
        "为一项学习成果签发凭证，打印凭证编号与核验链接。": "Issue a credential for an outcome; print its id and verification link.",
        "学习成果编号": "Outcome id",
        "JWS 算法：EdDSA 或 RS256": "JWS algorithm: EdDSA or RS256",
        "以加盐 identityHash 标识学习者": "Identify the learner by a salted identityHash",
        "为一届学生批量签发本机构颁发的学习成果凭证（已有有效凭证的跳过）。": (
            "Issue credentials in bulk for a cohort's outcomes issued by the institution (those with an active credential are skipped)."
        ),
        "机构编号": "Institution id",
        "届别（入学或毕业年份，如 2025）": "Cohort (year of entry or graduation, e.g. 2025)",
        "撤销凭证（不可恢复）。": "Revoke a credential (final).",
        "暂停凭证。": "Suspend a credential.",
        "恢复已暂停的凭证。": "Reinstate a suspended credential.",
        "核验凭证：逐项显示签名、发证机构、有效期、状态、结构的检查结果；有效时退出码为 0。": (
            "Verify a credential: show each check (signature, issuer, validity, status, schema); exit status 0 when valid."
        ),
        "凭证文件：JWS 文本或含 proof 的 JSON": "Credential file: JWS text or JSON with a proof",
        "重新签发按旧版 VC 2.0 上下文与 message 状态签发的凭证（同一编号，新签名，状态改为 revocation）。": (
            "Reissue credentials signed with the draft VC 2.0 context and message status (same id, new proofs, revocation status)."
        ),
        "只报告待重新签发的数量，不做改动": "Only report how many would be reissued; change nothing",
        "发证机构与签名密钥。": "Issuers and signing keys.",
        "轮换发证密钥；旧公钥保留，已签发的凭证仍可验证。": "Rotate issuing keys; old public keys are kept, so issued credentials still verify.",
        "机构编号；不填为学分银行平台": "Institution id; empty for the credit bank platform",
        "学习成果转换：全年级免修预审。": "Credit conversion: exemption pre-check for a whole cohort.",
        "列出全年级每位学习者可申请的免修（供学校通知学习者）。": "List the exemptions each learner of a cohort may apply for (for the school to tell them).",
        "院校编号/专业代码（或 院校编号/专业代码/年级）": "school id/major code (or school id/major code/cohort)",
        "年级，如 2023": "Cohort, e.g. 2023",
        "按哪一天生效的规则（YYYY-MM-DD，默认今天）": "Rules in force on this day (YYYY-MM-DD, default today)",
        "另存为 CSV 文件": "Also save as a CSV file",
        "人才培养方案。": "Curriculum plans.",
        "导入并发布人才培养方案。": "Import and publish a curriculum plan.",
        ".json 或 .xlsx": ".json or .xlsx",
        "学习成果转换办法（规则）。": "Conversion rules.",
        "发布转换规则：新版本追加，已发布的版本不可修改。": "Publish conversion rules: new versions are added; published versions never change.",
        ".yaml / .yml 或 .json": ".yaml / .yml or .json",
        "院校编号/专业代码/年级（核对规则集所属方案）": "school id/major code/cohort (checked against the rule set's plan)",
        "导出培养方案的全部转换规则版本（符合发布的 schema）。": "Export every version of a plan's conversion rules (in the published schema).",
        "院校编号/专业代码/年级": "school id/major code/cohort",
        "FILE.yaml 或 FILE.json": "FILE.yaml or FILE.json",
        "分类考试招生：录取政策、平行志愿投档与录取。": "Classified admissions: policies, parallel-preference dispatch and admission.",
        "写出带说明的录取政策示例（职业技能 ≥ 50%、免考群体、技能拔尖免试、同分排序），供省级考试院修改。": (
            "Write a documented example policy (skill ≥ 50%, exempt groups, exam-free skill champions, tie-break chain) "
            "for a provincial examination office to edit."
        ),
        "写出的政策文件（.yaml）": "Policy file to write (.yaml)",
        "按发布的 schema 校验录取政策，列出全部问题。": "Validate an admission policy against the published schema, naming every problem.",
        "平行志愿投档与录取：写出 录取结果.csv、投档线.csv、录取结果.xlsx 和 运行记录.json（各文件 SHA-256）。": (
            "Parallel-preference dispatch and admission: write the results CSV, the cut-off lines CSV, an Excel workbook "
            "and the run record JSON (SHA-256 of every file)."
        ),
        "专业组文件：专业组代码,院校代码,院校名称,计划数": "Major groups file: group,school_code,school_name,quota",
        "考生文件：考生号,姓名,考生类别,文化素质成绩,职业技能成绩,志愿1…,服从调剂": (
            "Candidates file: candidate_no,name,category,culture_score,skill_score,choice1…,accept_reassignment"
        ),
        "专业文件：专业组代码,专业代码,专业名称,计划数": "Majors file: group,major_code,major_name,quota",
        "征集志愿文件：考生号,志愿1…,服从调剂": "Supplementary-round file: candidate_no,choice1…,accept_reassignment",
        "覆盖政策中的投档比例（≤ 1.05）": "Override the policy's dispatch ratio (≤ 1.05)",
        "覆盖批次最低控制线": "Override the batch minimum line",
        "覆盖同分排序，如 skill,culture,preference": "Override the tie-break chain, e.g. skill,culture,preference",
        "覆盖免考群体排序方式：skill_only / fixed_culture": "Override how exempt groups are ranked: skill_only / fixed_culture",
        "覆盖免考群体文化素质固定分值": "Override the exempt groups' fixed culture value",
        "考生文件有“学习账号”时在学分银行核验获奖与证书": "When the candidates file has a learning-account column, check awards and certificates in the credit bank",
        "同时写出 Excel 工作簿": "Also write the Excel workbook",
        "质量监测：状态数据填报、指标、标准与黄牌红牌。": "Quality monitoring: state data, indicators, standards, yellow and red cards.",
        "生成学校的状态数据填报表（Excel）：每部分一个工作表、锁定标签、数据校验、隐藏代码与表单版本。": (
            "Write a school's state-data form (Excel): a sheet per section, locked labels, validated cells, hidden codes and the form version."
        ),
        "学校标识码或统一社会信用代码": "School code or unified social credit code",
        "年度：表单期间为该年结束的学年（如 2024 → 2023-2024）": "Year: the form covers the academic year ending in it (e.g. 2024 → 2023-2024)",
        "填报表文件（.xlsx）": "Form file (.xlsx)",
        "导入状态数据：全部导入或一项也不导入；有问题时逐项列出工作表和单元格（或行和列）。": (
            "Import state data: all or nothing; each problem is listed with its sheet and cell (or row and column)."
        ),
        "填报表（.xlsx）或长表（.csv / .xlsx：机构代码,期间,数据元代码,分类,值）": (
            "The form (.xlsx) or a long table (.csv / .xlsx: org,period,element,category,value)"
        ),
        "学校某年度的各项指标、标准、结论（达标/预警/不达标）与黄牌红牌。": (
            "A school's indicators for a year: standards, verdicts (pass/warning/fail), yellow and red cards."
        ),
        "年度：该年的自然年和该年结束的学年": "Year: the calendar year and the academic year ending in it",
        "table、json 或 csv": "table, json or csv",
        "一省（或全国）各校某年度的黄牌、红牌与异常值。": "Yellow and red cards and outliers of every school of a province (or the country) for a year.",
        "省级行政区划代码（如 44）；省级管理员默认本省": "Province code (e.g. 44); a province administrator's own by default",
        "提交审核（须由具名责任人确认真实性声明）。": "Submit for review (a named responsible person confirms the declaration).",
        "期间：2024 或 2023-2024": "Period: 2024 or 2023-2024",
        "确认真实性声明的责任人姓名": "Name of the person confirming the declaration",
        "省级审核通过并锁定。": "Approve at province level and lock.",
        "退回学校修改（须填写意见）。": "Return to the school for changes (a comment is required).",
        "退回意见": "Comment for the return",
        "重新开放已锁定的数据（理由记录在案）。": "Reopen locked data (the reason is recorded).",
        "重新开放的理由（记录在案）": "Reason for reopening (recorded)",
        "追溯某项指标值来自哪些单元格：文件、SHA-256、工作表与单元格（或行）、填报人与时间、历史版本。": (
            "Trace an indicator's value to its cells: file, SHA-256, sheet and cell (or row), who reported it and when, earlier versions."
        ),
        "各省填报完成率与按时率。": "Completion and on-time rates by province.",
        "设置学校的办学类型（决定适用的国家标准）。": "Set a school's discipline type (it decides which national standard applies).",
        "设定省级标准（省级管理员）或学校自己的更高目标（学校或管理员 --org），只能严于国家标准，须注明依据。": (
            "Set a provincial standard (province administrator) or a school's own higher target (school, or an administrator "
            "with --org); only stricter than the national standard, with its source."
        ),
        "指标代码，如 dual_qualified_share": "Indicator code, e.g. dual_qualified_share",
        "secondary（中职）/ higher（高职专科）/ bachelor（职业本科）": (
            "secondary (secondary vocational) / higher (higher vocational) / bachelor (vocational bachelor)"
        ),
        "合格线，如 0.6（比例用小数）": "The line, e.g. 0.6 (shares as decimals)",
        "依据的文件名称": "Title of the document it rests on",
        "生效日期，如 2024-09-01": "Effective date, e.g. 2024-09-01",
        "学校目标：学校标识码或统一社会信用代码；省级标准不填": "School target: the school code or unified social credit code; empty for a provincial standard",
        "只适用于该办学类型（默认：全部）": "Only for this discipline type (default: all)",
        "在用的标准：国家标准、省级标准和学校目标，每条注明出处以及能否对照原文核实。": (
            "The standards in force: national, provincial and school targets, each with its source and whether it could be checked against the original."
        ),
    }
)
EN.update(
    {  # CLI messages found untranslated in `--lang en` runs of each pillar's main commands
        "数据库已迁移到最新版本": "The database is migrated to the newest version",
        "表结构与迁移一致": "The tables match the migrations",
        "表结构与迁移不一致": "The tables do not match the migrations",
        "用户已创建": "User created",
        "网页与 API": "Web UI and API",
        "配置错误": "Configuration error",
        "账号 {account} 第 {seq} 条": "account {account}, entry {seq}",
        "共发现问题 {n} 处": "{n} problems found",
        "不是有效的 JWS 紧凑序列化凭证": "Not a credential in JWS compact serialisation",
        "限制招生": "Restricted enrolment",
    }
)
EN.update(
    {  # a school moves an admitted candidate between majors of the group; the office locks a run (issue 11)
        "请填写调整专业的理由": "Please give the reason for the move",
        "调整专业的理由不超过 200 字": "The reason is at most 200 characters",
        "只有考生被投档的学校可以调整专业": "Only the school the candidate was dispatched to can move them to another major",
        "录取批次已由考试院确认并锁定，不能再退档或调整专业": (
            "The examination office has confirmed and locked this run: no more rejections or moves between majors"
        ),
        "只有省级教育考试机构可以确认并锁定录取结果": "Only the provincial examination office can confirm and lock the results",
        "调整专业": "Move to another major",
        "调入专业": "Target major",
        "调整理由": "Reason for the move",
        "调整": "Move",
        "确认并锁定录取结果": "Confirm and lock the results",
        "录取结果已确认锁定": "Results confirmed and locked",
        "学校的退档与专业调整": "Rejections and moves by schools",
        "专业计划": "Majors and places",
        "专业名称": "Major name",
        "已录取": "Admitted",
        "尚余": "Free",
        "原专业": "From major",
        "新专业": "To major",
        "操作人": "By",
        "时间": "Time",
        "专业调整": "Move",
        "锁定后学校不能再退档或调整专业。": "After locking, schools can no longer reject candidates or move them between majors.",
    }
)
for _zh, _en in (
    (r"考生 (\S+) 当前为“(.+)”，只能调整已录取考生的专业", "Candidate {0} is “{1}”; only admitted candidates can be moved"),
    (r"专业组 (\S+) 不是考生 (\S+) 被投档的专业组 (\S+)，只能在同一专业组内调整专业",
     "Group {0} is not the group {2} candidate {1} was dispatched to; moves stay within the group"),
    (r"专业组 (\S+) 未分专业，不能调整专业", "Group {0} has no majors; there is nothing to move to"),
    (r"专业组 (\S+) 中没有专业 (\S+)，只能在同一专业组内调整专业", "Group {0} has no major {1}; moves stay within the group"),
    (r"考生 (\S+) 已在专业 (\S+)", "Candidate {0} is already in major {1}"),
    (r"专业 (\S+)（(.*)）计划数 (\d+) 已录满（已录取 (\d+) 人），不能调入",
     "Major {0} (“{1}”) is full: {3} admitted for {2} places; nobody can be moved in"),
):
    pattern(_zh, _en)
for _zh, _en in (  # an import's row problems (services/creditbank/imports.py, domain/creditbank/rows.py)
    (r"未登记的颁发机构“(.*)”", "Unregistered issuer “{0}”"),
    (r"与第 (\d+) 行重复", "Duplicate of row {0}"),
    (r"姓名“(.*)”与证件号码不符", "The name “{0}” does not match the ID number"),
    (r"同一身份证号在第 (\d+) 行的姓名为“(.*)”，与本行不一致", "Row {0} gives the same ID number the name “{1}”, not this row's"),
    (r"“(.*)”超过 (\d+) 个字符", "“{0}” is longer than {1} characters"),
    (r"列“(.*)”重复", "Column “{0}” repeated"),
    (r"无法识别的列“(.*)”", "Unrecognised column “{0}”"),
    (r"共 (\d+) 处问题", "{0} problems"),
):
    pattern(_zh, _en)


# Whole-file errors (adapters/spreadsheets: SpreadsheetError is “文件“NAME”REASON”): the file name kept, the
# reason translated on its own. Registered last, so that every more specific file message above wins.
EN.update(
    {
        "是旧版 Excel（.xls）文件：请在 Excel 中另存为 .xlsx 后再导入":
            "is an old Excel (.xls) file: save it as .xlsx in Excel and import it again",
        "不是 .xlsx 或 .csv 文件": "is not an .xlsx or .csv file",
        "是空文件": "is empty",
        "不是有效的 .xlsx 文件（可能已损坏，或只是改了扩展名）":
            "is not a valid .xlsx file (damaged, or only its extension was changed?)",
        "第 1 行没有表头": "has no header in row 1",
        "是 UTF-16 编码：请另存为“CSV UTF-8（逗号分隔）”后再导入":
            "is UTF-16: save it as “CSV UTF-8 (comma delimited)” and import it again",
    }
)
pattern(r"的工作表“(.*)”第 1 行没有表头", "has no header in row 1 of sheet “{0}”")
pattern(r"文件“([^”]*)”(.+)", "File “{0}” {1}")
