"""The conversion API over HTTP: public plans and rules, applications with pre-check, grants and denials."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.conftest import token_for
from tests.conversion_world import build, plan_data, rules_yaml
from tests.factories import World


def test_published_plans_and_rules_are_public_publishing_is_not(client: TestClient, world: World) -> None:
    plan_file = {"file": ("plan.json", json.dumps(plan_data(world)).encode(), "application/json")}
    assert client.post("/api/v1/plans", files=plan_file).status_code == 401
    denied = client.post("/api/v1/plans", files=plan_file, headers=token_for(client, "other_staff"))
    assert denied.status_code == 403 and denied.headers["content-type"].startswith("application/problem+json")
    staff = token_for(client, "school_staff")
    created = client.post("/api/v1/plans", files=plan_file, headers=staff)
    assert created.status_code == 201, created.text
    base = f"/api/v1/plans/{world.school.id}/510201/2023"
    rules_file = {"file": ("rules.yaml", rules_yaml(world).encode(), "application/yaml")}
    assert (
        client.post(base + "/rules", files=rules_file, headers=token_for(client, "liming")).status_code == 403
    )
    imported = client.post(base + "/rules", files=rules_file, headers=staff)
    assert imported.status_code == 201 and "R-WEB@1" in imported.json()["added"]
    bad = {"file": ("rules.yaml", rules_yaml(world).replace(f'institution: "{world.school.moe_code}"',
                                                             f"institution_id: {world.school.id}").encode(), "application/yaml")}
    invalid = client.post(base + "/rules", files=bad, headers=staff)  # internal ids: refused, re-export
    assert invalid.status_code == 422 and "institution_id：规则文件不再接受内部编号" in invalid.json()["title"]
    assert "zhijiao rules export" in invalid.json()["title"]
    unknown = {"file": ("rules.yaml", rules_yaml(world).replace(world.other_school.uscc or "", "91440000MA00000000")
                        .encode(), "application/yaml")}  # fmt: skip
    refused = client.post(base + "/rules", files=unknown, headers=staff)
    assert refused.status_code == 422
    assert refused.json()["title"] == "agreements[0].partner：找不到学校标识码或统一社会信用代码为 91440000MA00000000 的机构"
    # public, without a token
    assert client.get("/api/v1/plans").json()[0]["key"] == f"{world.school.id}/510201/2023"
    plan = client.get(base).json()
    assert plan["institution_name"] == "广州番禺职业技术学院" and len(plan["courses"]) == 6
    exported = client.get(base + "/rules?format=yaml").text  # institutions by code; imports back unchanged
    assert exported.startswith(f"institution: '{world.school.moe_code}'") and "partner_id" not in exported
    again = client.post(base + "/rules", files={"file": ("rules.yaml", exported.encode(), "application/yaml")},
                        headers=staff)  # fmt: skip
    assert again.status_code == 201 and again.json()["added"] == [] and again.json()["unchanged"] == 4
    pub = client.get(base + "/rules/publication?on=2023-06-01").json()
    assert {"id": "R-DB", "version": 1} in pub["in_force"] and pub["schema"].endswith(
        "conversion-rules.schema.json"
    )
    assert client.get("/api/v1/conversion/rules-schema").json()["title"].startswith("学习成果转换办法")
    assert client.get(f"/api/v1/plans/{world.school.id}/510201/2030").status_code == 404
    assert client.get(f"/api/v1/agreements?institution_id={world.school.id}").status_code == 401


def test_application_over_http(client: TestClient, world: World) -> None:
    cw = build(world)
    learner, staff = token_for(client, "liming"), token_for(client, "school_staff")
    body = {"account_no": cw.account_no, "outcome_ids": [cw.certificate.id], "target_courses": ["H01"]}
    pre = client.post("/api/v1/conversion/precheck", json=body, headers=learner)
    assert pre.status_code == 200 and pre.json()[0]["eligible"]
    # another school that issued one of the outcomes sees the account, but may not apply for the learner
    assert (
        client.post("/api/v1/applications", json=body, headers=token_for(client, "other_staff")).status_code
        == 403
    )
    assert (
        client.post("/api/v1/applications", json=body, headers=token_for(client, "far_staff")).status_code
        == 404
    )
    app = client.post("/api/v1/applications", json=body, headers=learner)
    assert app.status_code == 201, app.text
    app_id = app.json()["id"]
    assert "满足" in app.json()["precheck"][0]["explanation"]
    url = f"/api/v1/applications/{app_id}"
    assert client.get(url, headers=token_for(client, "other_staff")).status_code == 404
    approve = {"to": "approved"}
    assert client.post(url + "/transitions", json=approve, headers=learner).status_code == 403
    assert client.post(url + "/transitions", json=approve, headers=staff).status_code == 409
    assert client.post(url + "/transitions", json={"to": "under_review"}, headers=staff).status_code == 200
    no_reason = client.post(url + "/transitions", json={"to": "rejected"}, headers=staff)
    assert no_reason.status_code == 422 and no_reason.json()["title"] == "驳回申请必须填写理由"
    done = client.post(url + "/transitions", json=approve, headers=staff)
    assert done.status_code == 200 and done.json()["state_label"] == "已批准"
    assert [t["to_state"] for t in done.json()["transitions"]] == ["submitted", "under_review", "approved"]
    assert client.post(url + "/transitions", json=approve, headers=staff).status_code == 409
    queue = client.get("/api/v1/applications?state=approved&course=H01", headers=staff).json()
    assert [a["id"] for a in queue] == [app_id]
    assert client.get("/api/v1/applications?overdue=true", headers=staff).json() == []
    exemptions = client.get(f"/api/v1/accounts/{cw.account_no}/exemptions", headers=learner).json()
    assert [e["course_code"] for e in exemptions] == ["H01"]
    assert (
        client.get(
            f"/api/v1/accounts/{cw.account_no}/exemptions", headers=token_for(client, "far_staff")
        ).status_code
        == 404
    )
    audit = client.get(f"/api/v1/accounts/{cw.account_no}/audit", headers=learner).json()
    assert audit["exempted_credits"] == "4" and not audit["met"]
    suggestions = client.get(f"/api/v1/plans/{world.school.id}/510201/2023/suggestions", headers=staff)
    assert suggestions.status_code == 200
    assert (
        client.get(f"/api/v1/plans/{world.school.id}/510201/2023/suggestions", headers=learner).status_code
        == 403
    )


def test_preference_over_http(client: TestClient, world: World) -> None:
    """`preferred_courses` on pre-check and submission: kept as far as the caps allow, the reasons for
    the course left out in Chinese and English, a preference outside the courses applied for refused."""
    cw = build(world)
    learner = token_for(client, "liming")
    body = {
        "account_no": cw.account_no,
        "outcome_ids": [cw.certificate.id, cw.db_course.id],
        "target_courses": ["H01", "H02"],
    }
    plain = {
        v["course_code"]: v
        for v in client.post("/api/v1/conversion/precheck", json=body, headers=learner).json()
    }
    assert plain["H01"]["granted"] and not plain["H02"]["granted"]  # the 4 credits beat the 3.5
    pre = client.post(
        "/api/v1/conversion/precheck", json={**body, "preferred_courses": ["H02"]}, headers=learner
    )
    verdicts = {v["course_code"]: v for v in pre.json()}
    assert verdicts["H02"]["granted"] and not verdicts["H01"]["granted"]
    assert verdicts["H01"]["left_out_reason"].startswith(
        "超出专业核心类免修学分上限：剩余 2.5 学分，本课程 4 学分"
    )
    assert verdicts["H01"]["left_out_reason_en"].startswith("over the cap for professional core courses")
    bad = client.post(
        "/api/v1/conversion/precheck", json={**body, "preferred_courses": ["E01"]}, headers=learner
    )
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    app = client.post("/api/v1/applications", json={**body, "preferred_courses": ["H02"]}, headers=learner)
    assert app.status_code == 201 and app.json()["preferred_courses"] == ["H02"]
