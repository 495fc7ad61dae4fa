"""The allocation rules a province relies on: quotas × ratio, one admission per candidate, ties at the
last seat, the refused policy, exempt groups, 免试, 退档 without re-dispatch, the supplementary round."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.admissions.helpers import cand, policy, programmes
from zhijiao.domain.admissions.model import Major, Programme, Result
from zhijiao.domain.admissions.policy import Category, PolicyInvalid, Tier
from zhijiao.domain.admissions.rounds import Preferences, run_admission


@st.composite
def provinces(draw: st.DrawFn) -> tuple:
    n_groups = draw(st.integers(1, 5))
    quotas = draw(st.lists(st.integers(1, 25), min_size=n_groups, max_size=n_groups))
    n = draw(st.integers(1, 80))
    # few distinct scores: many ties
    scores = draw(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=n, max_size=n))
    prefs = [
        draw(st.lists(st.integers(0, n_groups - 1), min_size=1, max_size=n_groups, unique=True))
        for _ in range(n)
    ]
    ratio = draw(st.sampled_from(["1", "1.02", "1.05"]))
    return quotas, scores, prefs, ratio


@settings(max_examples=200, deadline=None)
@given(provinces())
def test_no_group_over_quota_times_ratio_except_full_ties_and_no_candidate_twice(p: tuple) -> None:
    quotas, scores, prefs, ratio = p
    cands = [cand(i, 10 * c, 10 * s, pr) for i, ((c, s), pr) in enumerate(zip(scores, prefs, strict=True))]
    result = run_admission(policy(dispatch_ratio=float(ratio)), programmes(quotas), cands)
    dispatched = Counter(o.group for o in result.outcomes if o.group >= 0)
    admitted = Counter(o.group for o in result.outcomes if o.result is Result.admitted)
    for g, q in enumerate(quotas):
        cap = int(q * Decimal(ratio))
        members = [i for i, o in enumerate(result.outcomes) if o.group == g]
        if dispatched[g] > cap:  # only by candidates fully tied at the last seat

            def key(i: int, g: int = g) -> tuple[int, int, int, int]:
                c = cands[i]
                return (c.skill + c.culture, c.skill, c.culture, -prefs[i].index(g))

            worst = min(key(i) for i in members)
            tied = [i for i in members if key(i) == worst]  # tied on scores and preference position
            assert len(tied) > 1 and dispatched[g] - len(tied) < cap
        if admitted[g] > q:  # only candidates tied on scores with the one in the last place
            scores_in = sorted(((cands[i].skill + cands[i].culture, cands[i].skill, cands[i].culture)
                                for i in members if result.outcomes[i].result is Result.admitted), reverse=True)  # fmt: skip
            assert scores_in[q - 1] == scores_in[-1]
    # one outcome per candidate; every admitted candidate in exactly one group it chose
    for i, o in enumerate(result.outcomes):
        if o.result is Result.admitted:
            assert o.group in prefs[i]
    # nobody is left out while a group they prefer to theirs has room (no justified envy of free places)
    left = {g: int(q * Decimal(ratio)) - dispatched[g] for g, q in enumerate(quotas)}
    for i, o in enumerate(result.outcomes):
        better = prefs[i] if o.group < 0 else prefs[i][: prefs[i].index(o.group)]
        assert all(left[g] <= 0 for g in better)


def test_higher_score_first_then_skill_then_culture() -> None:
    cands = [cand(0, 200, 300, [0]), cand(1, 150, 350, [0]), cand(2, 100, 350, [0])]
    result = run_admission(policy(), programmes([1]), cands)
    # equal totals (500, 500): the higher skill score goes first
    assert [o.result for o in result.outcomes] == [
        Result.not_dispatched,
        Result.admitted,
        Result.not_dispatched,
    ]
    assert result.outcomes[0].reason == "所填志愿分数不足，未投档"


def test_preference_position_breaks_a_tie_then_all_tied_are_dispatched() -> None:
    # 1 and 2 tie on every score; 1 put G000 first, 2 second: 1 wins the last seat of G000
    cands = [cand(1, 100, 300, [0, 1]), cand(2, 100, 300, [1, 0])]
    r = run_admission(policy(), programmes([1, 0]), cands)
    assert [o.group for o in r.outcomes] == [0, -1]
    # the same position at the same group: both are dispatched (and admitted) beyond the quota
    cands = [cand(1, 100, 300, [0]), cand(2, 100, 300, [0]), cand(3, 90, 300, [0])]
    r = run_admission(policy(), programmes([1]), cands)
    assert [o.result for o in r.outcomes] == [Result.admitted, Result.admitted, Result.not_dispatched]
    assert r.lines[0].dispatched == 2 and r.lines[0].quota == 1


def test_without_preference_in_the_chain_tied_candidates_all_get_the_last_seat() -> None:
    cands = [cand(1, 100, 300, [0, 1]), cand(2, 100, 300, [1, 0])]
    r = run_admission(policy(tie_break=["skill", "culture"]), programmes([1, 0]), cands)
    assert [o.group for o in r.outcomes] == [0, 0]


def test_named_component_breaks_a_tie() -> None:
    p = policy(
        score={"culture": {"full_marks": 300}, "skill": {"full_marks": 450},
               "components": [{"name": "技能操作", "full_marks": 300}]},
        tie_break=["skill", "component:技能操作", "preference"],
    )  # fmt: skip
    cands = [cand(1, 100, 300, [0], components=(200_00,)), cand(2, 100, 300, [0], components=(250_00,))]
    r = run_admission(p, programmes([1]), cands)
    assert [o.result for o in r.outcomes] == [Result.not_dispatched, Result.admitted]


def test_policy_with_skill_share_below_half_is_refused_naming_the_figures() -> None:
    with pytest.raises(PolicyInvalid) as e:
        policy(score={"culture": {"full_marks": 300}, "skill": {"full_marks": 200}})
    assert "40.0%" in e.value.message and "200" in e.value.message and "500" in e.value.message
    # a weight counts too: 300 × 1 vs 300 × 0.9
    with pytest.raises(PolicyInvalid, match="50%"):
        policy(score={"culture": {"full_marks": 300}, "skill": {"full_marks": 300, "weight": 0.9}})
    assert policy(
        score={"culture": {"full_marks": 300}, "skill": {"full_marks": 300}}
    ).skill_share == Decimal("0.5")


def test_dispatch_ratio_above_105_is_refused() -> None:
    with pytest.raises(PolicyInvalid, match=r"1\.05"):
        policy(dispatch_ratio=1.1)


def test_exempt_groups_with_a_fixed_culture_value_compete_in_the_general_plan() -> None:
    cands = [
        cand(1, None, 400, [0], category=Category.veteran),  # 150 + 400 = 550
        cand(2, 280, 260, [0]),  # 540
    ]
    r = run_admission(policy(), programmes([1]), cands)
    assert [o.result for o in r.outcomes] == [Result.admitted, Result.not_dispatched]
    assert r.outcomes[0].total == 550 * 10_000


def test_exempt_groups_on_skill_alone_are_ranked_in_their_own_plan() -> None:
    p = policy(exempt_groups={"mode": "skill_only", "min_skill_score": 200})
    cands = [
        cand(1, None, 300, [0], category=Category.migrant),
        cand(2, None, 350, [0], category=Category.farmer),
        cand(3, None, 199, [0], category=Category.laid_off),
        cand(4, 100, 100, [0]),
    ]
    r = run_admission(p, programmes([1], separate_quota=1), cands)
    assert [o.result for o in r.outcomes] == [Result.not_dispatched, Result.admitted,
                                              Result.not_dispatched, Result.admitted]  # fmt: skip
    assert "单列计划最低分数线" in r.outcomes[2].reason
    assert r.separate_lines[0].dispatched == 1


def test_skill_champion_meeting_a_condition_is_admitted_without_examination() -> None:
    p = policy(skill_champions={"conditions": [{"tier": "国赛", "min_prize": "三等奖"},
                                               {"tier": "省赛", "min_prize": "一等奖"}]})  # fmt: skip
    cands = [
        cand(1, 290, 440, [0]),
        cand(2, None, None, [0], category=Category.champion, award=(Tier.national, 3)),
        cand(3, None, None, [0], category=Category.champion, award=(Tier.provincial, 2)),
    ]
    r = run_admission(p, programmes([1]), cands)
    assert [o.result for o in r.outcomes] == [Result.not_dispatched, Result.admitted, Result.not_dispatched]
    assert r.outcomes[1].reason.startswith("技能拔尖免试")
    assert "不符合技能拔尖免试条件" in r.outcomes[2].reason


def test_certificate_exemption_counts_the_fixed_skill_score() -> None:
    p = policy(certificate_exemption={"min_level": "中级", "skill_score": 360})
    cands = [cand(1, 200, None, [0], certificate_level=2), cand(2, 200, 350, [0]),
             cand(3, 200, None, [0], certificate_level=1)]  # fmt: skip
    r = run_admission(p, programmes([1]), cands)
    assert [o.result for o in r.outcomes] == [Result.admitted, Result.not_dispatched, Result.not_dispatched]
    assert "缺考" in r.outcomes[2].reason


def _with_majors() -> list[Programme]:
    return [Programme("G000", "S1", "甲校", 2, majors=(Major("01", "数控", 1), Major("02", "模具", 1))),
            Programme("G001", "S2", "乙校", 5)]  # fmt: skip


def test_placement_by_major_order_reassignment_and_rejection_without_redispatch() -> None:
    cands = [
        cand(1, 200, 400, [0, 1], major_orders=(("01",),)),
        cand(2, 200, 390, [0, 1], major_orders=(("01",),), reassign=True),
        cand(3, 200, 380, [0, 1], major_orders=(("01",), ()), reassign=False),
    ]
    r = run_admission(policy(dispatch_ratio=1.05), _with_majors(), cands)
    o = r.outcomes
    assert (o[0].result, o[0].major) == (Result.admitted, "01")
    assert (o[1].result, o[1].major) == (Result.admitted, "02") and "调剂" in o[1].reason
    # ratio 1.05 on 2 places dispatches 2: candidate 3 goes to its second choice
    assert (o[2].result, o[2].group) == (Result.admitted, 1)
    assert o[2].reason == "第1志愿分数不足，第2志愿投档并录取"


def test_rejected_candidate_is_not_dispatched_again_in_the_round() -> None:
    progs = [
        Programme("G000", "S1", "甲校", 20, majors=(Major("01", "数控", 20),)),
        Programme("G001", "S2", "乙校", 5),
    ]
    cands = [cand(2, 200, 390, [0, 1], major_orders=(("02",),), reassign=False)]
    r = run_admission(policy(), progs, cands)
    o = r.outcomes[0]
    assert o.result is Result.rejected and o.group == 0
    assert o.reason == "第1志愿投档，所报专业均已录满且不服从专业调剂，退档"
    assert r.admitted_per_group == [0, 0]  # G001 had room, yet no second dispatch in the round


def test_supplementary_round_fills_places_left_from_candidates_still_free() -> None:
    progs = [Programme("G000", "S1", "甲校", 2), Programme("G001", "S2", "乙校", 1)]
    cands = [cand(1, 200, 400, [1]), cand(2, 200, 390, [1]), cand(3, 200, 380, [1]), cand(4, 10, 10, [])]
    r = run_admission(policy(batch_min_score=100), progs, cands,
                      supplementary={1: Preferences((0,)), 0: Preferences((0,)), 3: Preferences((0,))})  # fmt: skip
    o = r.outcomes
    assert (o[0].result, o[0].group, o[0].round) == (Result.admitted, 1, 1)  # admitted: not free
    assert (o[1].result, o[1].group, o[1].round) == (Result.admitted, 0, 2)
    assert o[1].reason == "征集志愿：第1志愿投档并录取"
    assert o[2].result is Result.not_dispatched  # no new preferences
    assert o[3].result is Result.not_dispatched and "批次最低控制线" in o[3].reason
    assert r.supplementary_lines[0].quota == 2 and r.supplementary_lines[0].dispatched == 1


def test_candidates_tied_at_a_majors_last_place_are_all_admitted_to_it() -> None:
    progs = [Programme("G000", "S1", "甲校", 3, majors=(Major("01", "数控", 1), Major("02", "模具", 2)))]
    cands = [
        cand(1, 200, 400, [0], major_orders=(("01",),), reassign=False),
        cand(2, 200, 400, [0], major_orders=(("01",),), reassign=False),  # tied with 1 on every score
        cand(3, 200, 399, [0], major_orders=(("01",),), reassign=False),  # one point less: 01 is full
    ]
    r = run_admission(policy(), progs, cands)
    o = r.outcomes
    assert [(x.result, x.major) for x in o[:2]] == [(Result.admitted, "01"), (Result.admitted, "01")]
    assert o[2].result is Result.rejected and "不服从专业调剂" in o[2].reason
    # the same two without the tie: the second is not admitted to 01
    cands[1] = cand(2, 200, 399.5, [0], major_orders=(("01",),), reassign=False)
    assert run_admission(policy(), progs, cands).outcomes[1].result is Result.rejected
