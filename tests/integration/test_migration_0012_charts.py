"""0012_charts with data present: the upgrade back-fills the summaries; the downgrade drops them."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect, text

from zhijiao.adapters.db import migrate


def test_upgrade_back_fills_and_downgrade_drops(database_url: str) -> None:
    cfg = migrate.alembic_config(database_url)
    migrate.command.downgrade(cfg, "0011_access")
    eng = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    with eng.begin() as c:
        c.execute(text(
            "insert into institutions (id, name, kind, region_code, created_at) values "
            "(1, 'x', 'higher', '440100', CURRENT_TIMESTAMP), (2, 'y', 'higher', '430100', CURRENT_TIMESTAMP)"
        ))  # fmt: skip
        c.execute(
            text(
                "insert into learning_accounts (id, province_code, name, learner_type, id_type, id_number_enc, "
                "id_number_hmac, id_masked, institution_id, cohort_year, created_at) values "
                "(1, '44', 'n', 'enrolled', 'passport', :b, 'h', 'm', 1, 2023, CURRENT_TIMESTAMP)"
            ),
            {"b": b"x"},
        )
        for oid, issuer, credits, status in (
            (1, 1, "2.5", "active"),
            (2, 2, "4", "active"),
            (3, 1, "9", "revoked"),
        ):
            c.execute(text(
                "insert into outcomes (id, account_id, kind, title, issuer_id, obtained_on, credits, "
                "framework_level, status, source_key, created_at) values "
                f"({oid}, 1, 'course', 't', {issuer}, '2024-06-30', {credits}, 5, '{status}', 'k{oid}', CURRENT_TIMESTAMP)"
            ))  # fmt: skip
    migrate.upgrade(database_url)
    with eng.connect() as c:
        rows = c.execute(text(
            "select province_code, issuer_id, kind, year, framework_level, outcomes, credits "
            "from overview_outcomes order by issuer_id"
        )).all()  # fmt: skip
        learners = c.execute(text("select * from overview_learners")).all()
    assert [(r[0], r[1], r[2], r[3], r[4], r[5], float(r[6])) for r in rows] == [
        ("44", 1, "course", 2024, 5, 1, 2.5),
        ("44", 2, "course", 2024, 5, 1, 4.0),
    ]  # fmt: skip  (the revoked outcome counts for nothing)
    assert [tuple(r) for r in learners] == [("44", 1, "enrolled", 2023, 1)]
    migrate.command.downgrade(cfg, "0011_access")
    assert not {"overview_outcomes", "overview_learners"} & set(inspect(eng).get_table_names())
    migrate.upgrade(database_url)
    migrate.check(database_url)
    eng.dispose()
