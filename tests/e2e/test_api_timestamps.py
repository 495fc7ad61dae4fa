"""Issue 8 item 4: every time the API returns is RFC 3339 with an offset, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, get_args, get_origin

from fastapi.testclient import TestClient
from pydantic import BaseModel

from tests.conftest import token_for
from tests.conversion_world import build
from tests.factories import World
from zhijiao.api.timestamps import rfc3339

# a date and a time: what must carry an offset (a bare date such as obtained_on is not a moment)
_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def _moments(value: Any, path: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [m for k, v in value.items() for m in _moments(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [m for i, v in enumerate(value) for m in _moments(v, f"{path}[{i}]")]
    if isinstance(value, str) and _MOMENT.match(value):
        return [(path, value)]
    return []


def _models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for a in get_args(annotation) for m in _models(a)]


def _bare_datetimes(model: type[BaseModel], seen: set[type[BaseModel]]) -> list[str]:
    if model in seen:
        return []
    seen.add(model)
    bad = []
    for name, field in model.model_fields.items():
        args = get_args(field.annotation) if get_origin(field.annotation) else (field.annotation,)
        serialised = any(getattr(m, "func", None) is rfc3339 for m in field.metadata)
        if datetime in args and not serialised:
            bad.append(f"{model.__name__}.{name}")
        for inner in _models(field.annotation):
            bad.extend(_bare_datetimes(inner, seen))
    return bad


def _all_models(cls: type[BaseModel] = BaseModel) -> list[type[BaseModel]]:
    return [m for sub in cls.__subclasses__() for m in (sub, *_all_models(sub))]


def test_no_api_model_declares_a_bare_datetime(client: TestClient) -> None:
    """Every time field of every API model is a `Timestamp` (the offset is written whatever the
    database gave back) — so a new endpoint cannot forget it."""
    assert client.get("/openapi.json").status_code == 200  # every route module is imported
    models = {m for m in _all_models() if m.__module__.startswith("zhijiao.api")}
    seen: set[type[BaseModel]] = set()
    bad = [field for model in models for field in _bare_datetimes(model, seen)]
    assert bad == []
    assert len(seen) > 20  # the walk really reached the models


def test_every_endpoint_that_returns_times_gives_an_offset(client: TestClient, world: World) -> None:
    cw = build(world)
    learner, staff = token_for(client, "liming"), token_for(client, "school_staff")
    no = cw.account_no
    cred = client.post(
        f"/api/v1/outcomes/{cw.certificate.id}/credential", headers=token_for(client, "certifier")
    )
    assert cred.status_code == 201, cred.text
    body = {"account_no": no, "outcome_ids": [cw.certificate.id], "target_courses": ["H01"]}
    app = client.post("/api/v1/applications", json=body, headers=learner)
    assert app.status_code == 201, app.text
    base = f"/api/v1/plans/{world.school.id}/510201/2023"
    gets = [
        (f"/api/v1/accounts/{no}/transcript", staff),
        (f"/api/v1/accounts/{no}/ledger", staff),
        (f"/api/v1/accounts/{no}/ledger/1/proof", staff),
        (f"/api/v1/accounts/{no}/credentials", learner),
        (f"/api/v1/credentials/{cred.json()['id']}", learner),
        ("/api/v1/ledger/checkpoints", None),
        ("/api/v1/plans", None),
        (base, None),
        (base + "/rules/publication", None),
        (f"/api/v1/applications/{app.json()['id']}", staff),
        ("/api/v1/applications", staff),
    ]
    found: dict[str, list[tuple[str, str]]] = {"POST credential": _moments(cred.json())}
    for url, h in gets:
        r = client.get(url, headers=h or {})
        assert r.status_code == 200, (url, r.text)
        found[url] = _moments(r.json())
    names = {p.rsplit(".", 1)[-1] for ms in found.values() for p, _ in ms}
    # the times the issue names are among those checked
    assert {"recorded_at", "issued_at", "published_at", "generated_at", "created_at", "at"} <= names, names
    bad = {url: [m for m in ms if not _RFC3339.match(m[1])] for url, ms in found.items()}
    assert {url: ms for url, ms in bad.items() if ms} == {}
