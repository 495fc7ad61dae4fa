"""The compiled exact search of the batch chooses what the domain's search chooses, and both what
brute force chooses (the most units, then fewer outcomes, fewer courses, the set taking an earlier item)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from zhijiao.adapters.analytics.conversion_search import solve_packed
from zhijiao.domain.conversion.allocation import Packed, Search

COURSE_UNITS = [10, 15, 20, 30, 40, 5]  # six courses; a claim's units are its courses' units
COURSE_CATEGORY = [0, 1, None, 0, None, 1]  # the capped category of each course (None: not capped)
item = st.tuples(
    st.integers(1, 63),  # course bits
    st.integers(0, 15),  # outcome bits (4 outcomes; 0 = a rule that allows reuse)
    st.integers(1, 3),  # outcomes cited
)


def _packed(courses: int, outcomes: int, cited: int, ncat: int) -> Packed:
    bits = [b for b in range(6) if courses >> b & 1]
    cats = tuple(sum(COURSE_UNITS[b] for b in bits if COURSE_CATEGORY[b] == k) for k in range(ncat))
    return Packed(sum(COURSE_UNITS[b] for b in bits), cats, courses, outcomes, cited, len(bits))


def _brute(items: list[Packed], total: int | None, caps: list[int]) -> tuple[int, ...]:
    best: tuple[tuple[int, ...], tuple[int, ...]] | None = None
    for mask in range(1 << len(items)):
        chosen = [i for i in range(len(items)) if mask >> i & 1]
        cm = om = 0
        ok = True
        for i in chosen:
            if items[i].courses & cm or items[i].outcomes & om:
                ok = False
                break
            cm, om = cm | items[i].courses, om | items[i].outcomes
        units = sum(items[i].units for i in chosen)
        if not ok or (total is not None and units > total):
            continue
        if any(sum(items[i].cats[k] for i in chosen) > cap for k, cap in enumerate(caps)):
            continue
        key = (
            -units,
            sum(items[i].cited for i in chosen),
            sum(items[i].ncourses for i in chosen),
            *(0 if mask >> i & 1 else 1 for i in range(len(items))),
        )
        if best is None or key < best[0]:
            best = (key, tuple(chosen))
    assert best is not None
    return best[1]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(item, max_size=11),
    st.sampled_from([None, 40, 60, 100]),
    st.sampled_from([[], [30], [30, 15], [1000, 0], [20, 20]]),
)
def test_compiled_search_equals_domain_and_brute_force(raw, total, caps) -> None:  # type: ignore[no-untyped-def]
    items = [_packed(cm, om, ci, len(caps)) for cm, om, ci in raw]
    # as the domain's setup does: only claims that fit alone, in claim_priority order
    items = [
        p for p in items if (total is None or p.units <= total) and all(c <= k for c, k in zip(p.cats, caps, strict=True))
    ]
    items.sort(key=lambda p: (-p.units, p.cited))
    domain = Search(items, total, caps).best()
    compiled = solve_packed(
        [p.units for p in items], [p.cats for p in items], [p.courses for p in items],
        [p.outcomes for p in items], [p.cited for p in items], [p.ncourses for p in items], total, caps,
    )  # fmt: skip
    expected = _brute(items, total, caps)
    assert domain == expected
    assert compiled == expected
