"""Field names as the office says them: ``planned_start`` is 计划开工时间, ``progress.2022-04`` is
2022年4月完成投资, ``approvals[立项备案].date`` is 手续（立项备案）日期.

YAML keys stay English (they are the file format); everything a clerk reads — ``log``, ``diff``, ``project
set`` — names a field by its label, and ``project set`` and ``issue set`` take either. One table, by record
kind where a key means different things (a letter's ``number`` is its 编号, a meeting's ``date`` its 日期);
a path's parts are labelled one by one, months and years written as the office writes them.
"""

from __future__ import annotations

import re

# the fields of every kind of record, and of xmtj.yaml
COMMON = {
    "id": "编号", "name": "名称", "date": "日期", "status": "状态", "text": "内容", "project": "所属项目",
    "responsible_unit": "责任单位", "department": "审批部门", "remarks": "备注",
}  # fmt: skip
PROJECT = {
    "name": "项目名称", "owner": "建设单位", "content": "建设内容", "capacity": "建设规模", "location": "建设地点",
    "levels": "项目级别", "investment_type": "投资类型", "nature": "建设性质", "sector": "行业", "six_new": "六新类别",
    "key_years": "重点项目年度", "branch": "分指挥部", "liaison_leader": "包联领导", "contact": "联系人",
    "total_investment": "总投资", "annual_plan": "年度计划投资", "monthly_plan": "月度计划投资",
    "planned_start": "计划开工时间", "planned_completion": "计划竣工时间", "planned_production": "计划投产时间",
    "actual_start": "实际开工时间", "actual_completion": "实际竣工时间", "actual_production": "实际投产时间",
    "approvals": "手续", "progress": "月度进展", "phone": "联系电话", "item": "事项", "doc_no": "文号",
    "amount": "完成投资", "text": "形象进度", "since": "期初数起始月份", "contact.name": "联系人",
    "contact.phone": "联系电话",
}  # fmt: skip
ISSUE = {
    "description": "问题描述", "category": "问题类别", "source": "问题来源", "meeting": "提出的会议",
    "raised_on": "提出日期", "deadline": "办结时限", "resolved_on": "办结日期", "resolution": "办结情况",
}  # fmt: skip
MEETING = {"kind": "活动类型", "title": "活动名称", "chair": "主持人", "projects": "涉及项目", "decisions": "议定事项"}
LETTER = {
    "number": "督办函编号", "doc_no": "发文字号", "recipient": "主送单位", "cc": "抄送", "light": "亮灯",
    "as_of": "数据截至", "reasons": "督办事由", "figures": "函中数据", "feedback_due": "反馈期限", "feedback": "反馈",
    "received_on": "收到反馈日期", "voided": "作废", "reason": "作废原因", "annual_plan": "年度计划",
    "completed_ytd": "累计完成", "expected": "应完成进度", "lag_points": "落后百分点", "plan_rate": "完成率",
    "total_investment": "总投资", "feedback.received_on": "收到反馈日期", "feedback.text": "反馈内容",
}  # fmt: skip
CONFIG = {
    "office": "办公室名称", "city": "地名", "letter_prefix": "督办函发文字号前缀", "place_level": "行政级别",
    "id_prefix": "项目编号前缀", "report_prefix": "通报发文字号前缀", "contact": "联系人", "phone": "联系电话",
    "branches": "分指挥部", "levels": "项目级别", "sectors": "行业", "natures": "建设性质", "targets": "年度目标任务",
    "lights": "亮灯", "yellow_gap": "黄灯差距", "red_gap": "红灯差距", "red_start_months": "未开工亮红灯月数",
    "basis": "序时口径", "letters": "督办函", "feedback_days": "反馈天数", "documents": "公文",
    "formats": "格式", "cc": "抄送", "issuer": "印发机关", "approvals": "手续", "departments": "审批部门",
    "remind_days": "提醒天数", "units": "单位", "members": "成员", "keys": "签名密钥", "require_signed": "要求签名",
    "other_tags": "其他标签", "max_blob_mb": "单个文件上限", "reporting": "报送", "tag": "标签", "remote": "远程仓库",
    "url": "地址", "code": "编码", "branch": "分支", "git": "提交", "commit": "自动提交", "verify": "运行钩子",
    "limits": "限制", "max_file_kb": "文件大小上限", "max_depth": "嵌套层数上限", "years": "年度范围",
    "first": "起始年度", "ahead": "可提前年数", "timezone": "时区", "import": "导入", "columns": "列名",
    "issue_category": "问题类别", "issue_source": "问题来源", "contact.name": "联系人", "contact.phone": "联系电话",
}  # fmt: skip
KINDS = {"projects": PROJECT, "issues": ISSUE, "meetings": MEETING, "letters": LETTER, "config": CONFIG}

_MONTH = re.compile(r"^((?:19|20)\d\d)-(0[1-9]|1[0-2])$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_PART = re.compile(r"([^.\[\]]+)(?:\[([^\]]*)\])?")


def kind_of(path: str) -> str:
    """The kind of record a ledger file holds, by its folder (``data/issues/W1.yaml`` → ``issues``)."""
    parts = path.replace("\\", "/").split("/")
    if parts[-1] in ("xmtj.yaml",):
        return "config"
    return parts[1] if len(parts) > 2 and parts[0] == "data" else ""


def month_words(key: str) -> str:
    """``2022-04`` → ``2022年4月``."""
    match = _MONTH.match(key)
    return f"{match[1]}年{int(match[2])}月" if match else key


def label(field: str, kind: str = "projects") -> str:
    """A dotted field path (``progress.2022-04.text``, ``approvals[立项备案].date``) in the office's words."""
    table = {**COMMON, **KINDS.get(kind, PROJECT)}
    parts = [(m[1], m[2]) for m in _PART.finditer(field)]
    if not parts:
        return field
    head = parts[0][0]
    rest = parts[1:]
    if head in ("progress", "monthly_plan") and rest and _MONTH.match(rest[0][0]):
        month = month_words(rest[0][0])
        if head == "monthly_plan":
            return f"{month}计划投资"
        tail = rest[1:]
        return month + ("".join(table.get(name, name) for name, _ in tail) if tail else "完成投资")
    if head in ("annual_plan", "targets") and rest and _YEAR.match(rest[0][0]):
        return f"{rest[0][0]}年" + ("计划投资" if head == "annual_plan" else "目标任务")
    if field in table:  # a path with a name of its own (contact.phone: 联系电话)
        return table[field]
    text = ""
    for n, (name, key) in enumerate(parts):
        if n and name not in table:  # a key of a mapping (审批部门 of 施工许可), not a field
            text += f"（{name}）"
        else:
            word = table.get(name, name)
            text += ("·" if n and not text.endswith("）") else "") + word
        if key is not None:  # an item of a list: by its name (手续（立项备案）), or its place
            text += f"（{int(key) + 1 if key.isdigit() else key}）"
    return text


_YEAR_WORDS = re.compile(r"^((?:19|20)\d\d)年(?:度)?(计划投资|年度计划投资|目标任务)$")
_MONTH_WORDS = re.compile(r"^((?:19|20)\d\d)年(\d{1,2})月(计划投资|完成投资|形象进度)$")


def field_for(words: str, kind: str = "projects") -> str | None:
    """The field path a label names, for commands that take either (``计划开工时间`` → ``planned_start``,
    ``2022年计划投资`` → ``annual_plan.2022``, ``2022年4月计划投资`` → ``monthly_plan.2022-04``, ``联系电话`` →
    ``contact.phone``); None when the words name no field of ``kind``."""
    table = {**COMMON, **KINDS.get(kind, PROJECT)}
    wanted = "".join(words.split())
    year = _YEAR_WORDS.match(wanted)
    if year and kind in ("projects", "config"):
        return f"{'targets' if year[2] == '目标任务' else 'annual_plan'}.{year[1]}"
    month = _MONTH_WORDS.match(wanted)
    if month and kind == "projects" and 1 <= int(month[2]) <= 12:
        key = f"{month[1]}-{int(month[2]):02d}"
        return {"计划投资": f"monthly_plan.{key}", "完成投资": f"progress.{key}", "形象进度": f"progress.{key}.text"}[
            month[3]
        ]
    found = [key for key, value in table.items() if value == wanted]
    return found[0] if found else None


def fields_of(kind: str, names: list[str]) -> list[tuple[str, str]]:
    """(label, field) of ``names`` (a record class's fields), for ``project fields``."""
    table = {**COMMON, **KINDS.get(kind, PROJECT)}
    return [(table.get(name, name), name) for name in names]
