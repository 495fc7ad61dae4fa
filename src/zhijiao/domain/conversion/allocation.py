"""Allocating exemptions (免修) under the caps: the most credits the rules allow (decision 0004).

Among all sets of claims that respect every rule — each target course exempted at most once, each
outcome backing at most one claim unless the claim's rule allows reuse (its outcomes are then
neither checked nor marked), the plan, calendar-year and category caps, and the learner's prior
exemptions — `allocate` chooses one with the most exempted credits. Ties are broken, in this order:
fewer outcomes cited, fewer courses exempted, then the claim order of `claim_priority` (a set that
takes an earlier claim wins). The same data therefore always gives the same answer.

The search is exact: a depth-first branch and bound over the learner's claims (a handful to a few
dozen) in `claim_priority` order, on integer credit units so that no rounding can decide. The bound
is the credits still reachable (remaining compatible claims, limited by every remaining cap), and,
when that only equals the best found so far, the fewest outcomes and courses a completion must add.

With a preference (courses wanted first), each preferred course in turn is kept when some valid
set contains it together with the preferred courses already kept; among the sets that contain all
kept courses the most credits win as above. A preferred course that could not be kept is reported
with the reason. Every course that could have been exempted but was left out is explained with the
figures: why it does not fit beside the chosen set, and how many credits a set with it would give.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from zhijiao.domain.conversion.eligibility import Claim, CourseVerdict, claim_priority
from zhijiao.domain.conversion.plan import CATEGORY_LABELS, CourseCategory, CurriculumPlan
from zhijiao.domain.conversion.rules import ExemptionCaps


@dataclass(frozen=True, slots=True)
class Exemption:
    """One course or module the learner need not take, and what it rests on."""

    course_code: str
    credits: Decimal
    category: CourseCategory
    rule_id: str
    rule_version: int
    outcome_ids: tuple[int, ...]
    granted_on: date
    reuse_sources: bool = False


@dataclass(frozen=True, slots=True)
class Budget:
    """Credits that may still be exempted: overall (plan and year caps) and per capped category."""

    total: Decimal | None
    by_category: Mapping[CourseCategory, Decimal]


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A course some claim could exempt, not in the allocation: why, and what choosing it would give.

    `alternative` is the most credits of a valid set that exempts this course (None: no such set)."""

    course_code: str
    reason: str
    alternative: Decimal | None = None
    reason_en: str = ""  # the same in English


@dataclass(frozen=True, slots=True)
class Allocation:
    exemptions: tuple[Exemption, ...]
    left_out: tuple[LeftOut, ...] = ()  # in plan order
    preferred_not_kept: tuple[LeftOut, ...] = ()  # in preference order

    @property
    def credits(self) -> Decimal:
        return sum((e.credits for e in self.exemptions), Decimal(0))

    @property
    def courses(self) -> tuple[str, ...]:
        return tuple(e.course_code for e in self.exemptions)

    def reason_for(self, course_code: str) -> str | None:
        return next((x.reason for x in self.left_out if x.course_code == course_code), None)

    def reason_en_for(self, course_code: str) -> str | None:
        return next((x.reason_en for x in self.left_out if x.course_code == course_code), None)

    def preference_for(self, course_code: str) -> LeftOut | None:
        return next((x for x in self.preferred_not_kept if x.course_code == course_code), None)


def show(credits: Decimal) -> str:
    """4.00 → 4, 3.50 → 3.5 (how credits are written in messages)."""
    return format(credits.normalize(), "f")


def _sum(exemptions: Iterable[Exemption]) -> Decimal:
    return sum((e.credits for e in exemptions), Decimal(0))


def remaining_budget(
    plan: CurriculumPlan, caps: ExemptionCaps, on: date, prior: Iterable[Exemption] = ()
) -> Budget:
    """What the caps still allow on `on`, given exemptions already granted (`prior`)."""
    prior = tuple(prior)
    limits: list[Decimal] = []
    plan_limit = caps.plan_limit(plan)
    if plan_limit is not None:
        limits.append(plan_limit - _sum(prior))
    if caps.per_year is not None:
        limits.append(caps.per_year - _sum(e for e in prior if e.granted_on.year == on.year))
    by_category = {
        category: max(cap - _sum(e for e in prior if e.category is category), Decimal(0))
        for category, cap in caps.per_category.items()
    }
    return Budget(max(min(limits), Decimal(0)) if limits else None, by_category)


# ---- the search -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Item:
    """A claim in integer credit units, with what it occupies."""

    claim: Claim
    units: int
    by_category: tuple[tuple[int, int], ...]  # (capped category index, units)
    courses: frozenset[str]
    outcomes: frozenset[int]  # empty for a rule that allows reuse
    cited: int


class _Problem:
    """Claims that each fit on their own, the caps left, in integer units."""

    def __init__(self, items: Sequence[_Item], total: int | None, categories: Sequence[int]) -> None:
        self.items = items
        self.total = total
        self.categories = tuple(categories)
        self._search: Search | None = None
        self._course_bits: dict[str, int] = {}

    def fits(self, chosen: Sequence[int], extra: int) -> bool:
        return self._blocker(chosen, extra) is None

    def _blocker(self, chosen: Sequence[int], extra: int) -> tuple[str, int | None] | None:
        """Why item `extra` cannot join `chosen`: ("outcome"|"course", item) or ("total"|"category", k)."""
        item = self.items[extra]
        for i in chosen:
            if item.outcomes & self.items[i].outcomes:
                return "outcome", i
        for i in chosen:
            if item.courses & self.items[i].courses:
                return "course", i
        if self.total is not None and sum(self.items[i].units for i in chosen) + item.units > self.total:
            return "total", None
        for k, units in item.by_category:
            used = sum(u for i in chosen for kk, u in self.items[i].by_category if kk == k)
            if used + units > self.categories[k]:
                return "category", k
        return None

    def search(self) -> Search:
        if self._search is None:
            courses: dict[str, int] = {}
            outcomes: dict[int, int] = {}
            packed = []
            for it in self.items:
                cmask = sum(1 << courses.setdefault(c, len(courses)) for c in sorted(it.courses))
                omask = sum(1 << outcomes.setdefault(o, len(outcomes)) for o in sorted(it.outcomes))
                cats = [0] * len(self.categories)
                for k, u in it.by_category:
                    cats[k] += u
                packed.append(Packed(it.units, tuple(cats), cmask, omask, it.cited, len(it.courses)))
            self._search = Search(packed, self.total, self.categories)
            self._course_bits = courses
        return self._search

    def solve(self, required: frozenset[str] = frozenset()) -> tuple[int, ...] | None:
        """The best valid set (item indices) that exempts every course in `required`; None if none does."""
        search = self.search()
        bits = self._course_bits
        if any(c not in bits for c in required):
            return None
        return search.best(sum(1 << bits[c] for c in required))


@dataclass(frozen=True, slots=True)
class Packed:
    """A claim for the search: units, units per capped category, course and outcome bit masks,
    outcomes cited and courses exempted. Items are given in `claim_priority` order, each fits alone
    within the caps, and items with the same courses have the same units (a claim's units are its
    courses' credits) — the dominance pruning of `Search` rests on that."""

    units: int
    cats: tuple[int, ...]
    courses: int
    outcomes: int
    cited: int
    ncourses: int


class Search:
    """The exact search over packed claims (decision 0004): the most units within the caps, each course
    bit and each outcome bit at most once; ties: fewer outcomes cited, fewer courses, then the set that
    takes an earlier item.

    Before branching, (1) dominated items are dropped: an item with the same courses as an earlier
    one that cites no fewer outcomes, when every outcome of the earlier one is either its own or used
    by no other item that could sit beside it — swapping it for the earlier one keeps every set valid
    and wins every tie, so it is never in the optimum; (2) when the caps cannot bind (all items
    together fit), the items fall into independent groups (sharing no course and no outcome), each
    solved on its own — the optimum of the whole is the union of the groups' optima, tie-breaks
    included, because every key is a sum over groups and the groups' items are disjoint; (3) a
    depth-first branch and bound, including an item before excluding it, whose bound is the smallest
    of: the caps left; the units of the compatible items still to come, less what overflows each
    category cap; and, per conflict resource (one course or outcome shared by the items it names), the
    largest of those items only — at most one of them can be taken. When the bound only equals the
    best found, a completion must still cite at least gap ÷ (best units-per-outcome ratio) more
    outcomes (and as many more courses), which prunes the ties."""

    def __init__(self, items: Sequence[Packed], total: int | None, categories: Sequence[int]) -> None:
        self.items = list(items)
        self.total = total
        self.categories = tuple(categories)
        self.alive = self._undominated()
        self.key = self._resources()
        self.nodes = 0  # nodes the branch and bound visited (for profiling)

    def _undominated(self) -> list[int]:
        items = self.items
        alive = list(range(len(items)))
        changed = True
        while changed:
            changed = False
            users: dict[int, int] = {}
            for i in alive:
                m = items[i].outcomes
                while m:
                    low = m & -m
                    users[low] = users.get(low, 0) | (1 << i)
                    m ^= low
            same: dict[int, int] = {}
            for i in alive:
                same[items[i].courses] = same.get(items[i].courses, 0) | (1 << i)
            kept: list[int] = []
            for j in alive:
                b = items[j]
                dominated = False
                for i in kept:
                    a = items[i]
                    if a.courses != b.courses or a.cited > b.cited:
                        continue
                    extra = a.outcomes & ~b.outcomes
                    ok = True
                    while extra:
                        low = extra & -extra
                        if users[low] & ~same[a.courses] & ~(1 << j):
                            ok = False
                            break
                        extra ^= low
                    if ok:
                        dominated = True
                        break
                if dominated:
                    changed = True
                else:
                    kept.append(j)
            alive = kept
        return alive

    def _resources(self) -> dict[int, int]:
        """Each item's conflict resource for the bound: the course or outcome bit it shares with most items."""
        count: dict[tuple[int, int], int] = {}
        for i in self.alive:
            it = self.items[i]
            for kind, m in ((0, it.courses), (1, it.outcomes)):
                while m:
                    low = m & -m
                    count[kind, low] = count.get((kind, low), 0) + 1
                    m ^= low
        key: dict[int, int] = {}
        for i in self.alive:
            it = self.items[i]
            options = []
            for kind, m in ((0, it.courses), (1, it.outcomes)):
                while m:
                    low = m & -m
                    options.append((count[kind, low], kind, low))
                    m ^= low
            _, kind, low = max(options)
            key[i] = low.bit_length() * 2 + kind
        return key

    def _binds(self, alive: Sequence[int]) -> bool:
        items = self.items
        if self.total is not None and sum(items[i].units for i in alive) > self.total:
            return True
        return any(sum(items[i].cats[k] for i in alive) > cap for k, cap in enumerate(self.categories))

    def _groups(self, alive: Sequence[int]) -> list[list[int]]:
        groups: list[tuple[int, int, list[int]]] = []  # (courses, outcomes, members)
        for i in alive:
            it = self.items[i]
            cm, om, members = it.courses, it.outcomes, [i]
            rest = []
            for g in groups:
                if g[0] & cm or g[1] & om:
                    cm, om, members = cm | g[0], om | g[1], members + g[2]
                else:
                    rest.append(g)
            groups = [*rest, (cm, om, members)]
        return [sorted(g[2]) for g in groups]

    def best(self, required: int = 0) -> tuple[int, ...] | None:
        """The best set (item indices, ascending) exempting every course bit of `required`."""
        alive = self.alive
        if not self._binds(alive):
            chosen: list[int] = []
            for group in self._groups(alive):
                mask = 0
                for i in group:
                    mask |= self.items[i].courses
                found = self._branch(group, required & mask)
                if found is None:
                    return None
                chosen.extend(found)
                required &= ~mask
            return None if required else tuple(sorted(chosen))
        return self._branch(alive, required)

    def _branch(self, order: Sequence[int], required: int) -> tuple[int, ...] | None:
        items = self.items
        n = len(order)
        U = [items[i].units for i in order]
        C = [items[i].cats for i in order]
        CM = [items[i].courses for i in order]
        OM = [items[i].outcomes for i in order]
        CI = [items[i].cited for i in order]
        NC = [items[i].ncourses for i in order]
        KEY = [self.key[i] for i in order]
        caps = self.categories
        ncat = len(caps)
        total = self.total if self.total is not None else sum(U)
        best_key: list[tuple[int, int, int] | None] = [None]
        best_set: list[tuple[int, ...]] = [()]
        chosen: list[int] = []

        visited: list[None] = []
        FREE = [U[j] - sum(C[j]) for j in range(n)]  # units outside every capped category

        fut_c, fut_o = [0] * (n + 1), [0] * (n + 1)  # courses and outcomes of the items from j on
        for j in range(n - 1, -1, -1):
            fut_c[j], fut_o[j] = fut_c[j + 1] | CM[j], fut_o[j + 1] | OM[j]
        seen: dict[tuple[int, int, tuple[int, ...], int, int], tuple[int, int]] = {}

        def visit(pos: int, units: int, cats: tuple[int, ...], cm: int, om: int, cited: int, nc: int) -> None:
            visited.append(None)
            # memo: the same position with the same units, category units and the same courses and
            # outcomes still in play was reached before by a set that wins every tie against this one
            # (it took an earlier item) and cites no more: nothing from here can do better
            state = (pos, units, cats, cm & fut_c[pos], om & fut_o[pos])
            earlier = seen.get(state)
            if earlier is not None and earlier <= (cited, nc):
                return
            seen[state] = (cited, nc)
            free_max: dict[int, int] = {}  # per conflict resource: the largest item, outside the caps
            cat_max: list[dict[int, int]] = [{} for _ in range(ncat)]  # and its units in each category
            per_key: dict[int, int] = {}
            ratio_u, ratio_c = 0, 1  # best units per cited outcome
            ratio_cu, ratio_cc = 0, 1  # best units per course
            coverable = 0
            room = total - units
            any_fit = False
            for j in range(pos, n):
                u = U[j]
                if u > room or CM[j] & cm or OM[j] & om:
                    continue
                cj = C[j]
                fits = True
                for k in range(ncat):
                    if cats[k] + cj[k] > caps[k]:
                        fits = False
                        break
                if not fits:
                    continue
                any_fit = True
                kk = KEY[j]
                if per_key.get(kk, 0) < u:
                    per_key[kk] = u
                f = FREE[j]
                if f and free_max.get(kk, 0) < f:
                    free_max[kk] = f
                for k in range(ncat):
                    ck = cj[k]
                    if ck and cat_max[k].get(kk, 0) < ck:
                        cat_max[k][kk] = ck
                if u * ratio_c > ratio_u * CI[j]:
                    ratio_u, ratio_c = u, CI[j]
                if u * ratio_cc > ratio_cu * NC[j]:
                    ratio_cu, ratio_cc = u, NC[j]
                coverable |= CM[j]
            open_required = required & ~cm
            if open_required & ~coverable:
                return
            # at most one item per resource; each capped category at most its cap left
            reach = sum(free_max.values())
            for k in range(ncat):
                reach += min(caps[k] - cats[k], sum(cat_max[k].values()))
            bound = units + min(reach, sum(per_key.values()), room)
            key = best_key[0]
            if key is not None:
                best_units, best_cited, best_nc = key
                if bound < best_units:
                    return
                if bound == best_units:
                    gap = best_units - units
                    more_cited = more_nc = 0
                    if gap > 0:
                        # at least as many items as the largest item per resource need to cover the gap
                        steps, got = 0, 0
                        for u in sorted(per_key.values(), reverse=True):
                            steps += 1
                            got += u
                            if got >= gap:
                                break
                        more_cited = max(steps, -(-gap * ratio_c // ratio_u))
                        more_nc = max(steps, -(-gap * ratio_cc // ratio_cu))
                    if (cited + more_cited, nc + more_nc) >= (best_cited, best_nc):
                        return
            if not any_fit:
                if not open_required and (key is None or (-units, cited, nc) < (-key[0], key[1], key[2])):
                    best_key[0] = (units, cited, nc)
                    best_set[0] = tuple(chosen)
                return
            j = pos
            while True:  # the next compatible item (every item before it is incompatible)
                u = U[j]
                if u <= room and not (CM[j] & cm or OM[j] & om):
                    cj = C[j]
                    if all(cats[k] + cj[k] <= caps[k] for k in range(ncat)):
                        break
                j += 1
            chosen.append(order[j])
            cj = C[j]
            visit(j + 1, units + U[j], tuple(cats[k] + cj[k] for k in range(ncat)), cm | CM[j], om | OM[j],
                  cited + CI[j], nc + NC[j])  # fmt: skip
            chosen.pop()
            visit(j + 1, units, cats, cm, om, cited, nc)

        visit(0, 0, (0,) * ncat, 0, 0, 0, 0)
        self.nodes += len(visited)
        return None if best_key[0] is None else best_set[0]


def greedy_packed(items: Sequence[Packed], total: int | None, categories: Sequence[int]) -> tuple[int, ...]:
    """The former greedy rule on packed items (in `claim_priority` order): each item taken when it still fits."""
    chosen: list[int] = []
    units, cats, cm, om = 0, [0] * len(categories), 0, 0
    for i, it in enumerate(items):
        if it.courses & cm or it.outcomes & om or (total is not None and units + it.units > total):
            continue
        if any(cats[k] + it.cats[k] > cap for k, cap in enumerate(categories)):
            continue
        chosen.append(i)
        units, cm, om = units + it.units, cm | it.courses, om | it.outcomes
        for k in range(len(categories)):
            cats[k] += it.cats[k]
    return tuple(chosen)


def _scale(values: Iterable[Decimal]) -> int:
    places = max((-int(v.as_tuple().exponent) for v in values if int(v.as_tuple().exponent) < 0), default=0)
    return int(10**places)


def _units(value: Decimal, scale: int) -> int:
    return int(value * scale)


@dataclass(frozen=True, slots=True)
class _Setup:
    problem: _Problem
    scale: int
    blocked: dict[Claim, Said]  # claims that cannot be taken even alone, and why


def _setup(
    claims: Iterable[Claim], plan: CurriculumPlan, budget: Budget, prior: Sequence[Exemption]
) -> _Setup:
    ordered = sorted(set(claims), key=claim_priority)
    capped = list(budget.by_category)
    scale = _scale(
        [c.credits for c in ordered]
        + [plan.course(code).credits for c in ordered for code in c.targets]
        + ([budget.total] if budget.total is not None else [])
        + list(budget.by_category.values())
    )
    exempted = {e.course_code for e in prior}
    used = {i: e for e in prior if not e.reuse_sources for i in e.outcome_ids}
    total = None if budget.total is None else _units(budget.total, scale)
    categories = [_units(budget.by_category[k], scale) for k in capped]
    items: list[_Item] = []
    blocked: dict[Claim, Said] = {}
    for claim in ordered:
        per: dict[int, int] = {}
        for code in claim.targets:
            course = plan.course(code)
            if course.category in budget.by_category:
                k = capped.index(course.category)
                per[k] = per.get(k, 0) + _units(course.credits, scale)
        item = _Item(
            claim,
            _units(claim.credits, scale),
            tuple(sorted(per.items())),
            frozenset(claim.targets),
            frozenset() if claim.reuse_sources else frozenset(claim.outcome_ids),
            len(claim.outcome_ids),
        )
        reason: Said | None = None
        if done := sorted(exempted & item.courses):
            reason = f"课程{_names(plan, done)}已免修", f"{_names_en(plan, done)} already exempted"
        elif reused := sorted(used.keys() & item.outcomes):
            e = used[reused[0]]
            reason = (
                f"学习成果 #{reused[0]} 已用于免修{_names(plan, [e.course_code])}",
                f"outcome #{reused[0]} already backs the exemption from {_names_en(plan, [e.course_code])}",
            )
        elif total is not None and item.units > total:
            reason = _over_total(budget.total or Decimal(0), claim)
        else:
            for k, units in item.by_category:
                if units > categories[k]:
                    reason = _over_category(capped[k], budget.by_category[capped[k]], claim, plan)
                    break
        if reason is None:
            items.append(item)
        else:
            blocked[claim] = reason
    return _Setup(_Problem(items, total, categories), scale, blocked)


Said = tuple[str, str]  # (Chinese, English)

CATEGORY_LABELS_EN = {
    CourseCategory.public_basic: "general education",
    CourseCategory.professional_basic: "professional foundation",
    CourseCategory.professional_core: "professional core",
    CourseCategory.practice: "practice and internship",
    CourseCategory.elective: "elective",
}


def _names(plan: CurriculumPlan, codes: Iterable[str]) -> str:
    return "、".join(f"「{plan.course(c).name}（{c}）」" for c in codes)


def _names_en(plan: CurriculumPlan, codes: Iterable[str]) -> str:
    return ", ".join(f"“{plan.course(c).name} ({c})”" for c in codes)


def _credits_en(value: Decimal) -> str:
    return f"{show(value)} credit" + ("" if value == 1 else "s")


def _this(claim: Claim) -> Said:
    if len(claim.targets) == 1:
        return f"本课程 {show(claim.credits)} 学分", f"this course has {_credits_en(claim.credits)}"
    return (
        f"本规则连同其他课程共 {show(claim.credits)} 学分",
        f"this rule exempts {_credits_en(claim.credits)} with its other courses",
    )


def _over_total(left: Decimal, claim: Claim) -> Said:
    zh, en = _this(claim)
    return (
        f"超出免修学分上限：剩余 {show(left)} 学分，{zh}",
        f"over the exemption cap: {_credits_en(left)} left, {en}",
    )


def _over_category(category: CourseCategory, left: Decimal, claim: Claim, plan: CurriculumPlan) -> Said:
    units = sum(
        (plan.course(c).credits for c in claim.targets if plan.course(c).category is category), Decimal(0)
    )
    one = len(claim.targets) == 1
    this = f"本课程 {show(units)} 学分" if one else f"本规则该类共 {show(units)} 学分"
    this_en = f"this course has {_credits_en(units)}" if one else f"this rule has {_credits_en(units)} of it"
    return (
        f"超出{CATEGORY_LABELS[category]}类免修学分上限：剩余 {show(left)} 学分，{this}",
        f"over the cap for {CATEGORY_LABELS_EN[category]} courses: {_credits_en(left)} left, {this_en}",
    )


def _exemptions(claims: Iterable[Claim], plan: CurriculumPlan, on: date) -> tuple[Exemption, ...]:
    out: list[Exemption] = []
    for claim in claims:
        for code in claim.targets:
            c = plan.course(code)
            out.append(
                Exemption(c.code, c.credits, c.category, claim.rule_id, claim.rule_version, claim.outcome_ids,
                          on, claim.reuse_sources)
            )  # fmt: skip
    order = {c.code: i for i, c in enumerate(plan.courses)}
    return tuple(sorted(out, key=lambda e: order[e.course_code]))


class _Explainer:
    def __init__(self, setup: _Setup, plan: CurriculumPlan, budget: Budget) -> None:
        self.setup, self.plan, self.budget = setup, plan, budget
        self.problem = setup.problem
        self.capped = list(budget.by_category)

    def credits(self, chosen: Iterable[int]) -> Decimal:
        return sum((self.problem.items[i].claim.credits for i in chosen), Decimal(0))

    def left(self, chosen: Sequence[int], category: CourseCategory | None = None) -> Decimal:
        items = self.problem.items
        if category is None:
            assert self.budget.total is not None
            return self.budget.total - self.credits(chosen)
        k = self.capped.index(category)
        used = sum(u for i in chosen for kk, u in items[i].by_category if kk == k)
        return self.budget.by_category[category] - Decimal(used) / self.setup.scale

    def why_not(self, chosen: Sequence[int], extra: int) -> tuple[Said, bool]:
        """Why item `extra` does not fit beside `chosen`, and whether that is the plan cap reached."""
        claim = self.problem.items[extra].claim
        blocker = self.problem._blocker(chosen, extra)
        if blocker is None:
            return ("按学分最多的方案未选用", "not chosen by the set with the most credits"), False
        what, i = blocker
        if what == "outcome":
            assert i is not None
            other = self.problem.items[i]
            shared = sorted(other.outcomes & self.problem.items[extra].outcomes)
            return (
                f"学习成果 #{shared[0]} 已用于免修{_names(self.plan, other.claim.targets)}",
                f"outcome #{shared[0]} already backs the exemption from {_names_en(self.plan, other.claim.targets)}",
            ), False
        if what == "course":
            assert i is not None
            other = self.problem.items[i]
            codes = sorted(other.courses & self.problem.items[extra].courses)
            return (
                f"课程{_names(self.plan, codes)}已按规则 {other.claim.rule_id} 免修",
                f"{_names_en(self.plan, codes)} already exempted by rule {other.claim.rule_id}",
            ), False
        if what == "total":
            left = self.left(chosen)
            return _over_total(left, claim), left == 0
        category = self.capped[i or 0]
        return _over_category(category, self.left(chosen, category), claim, self.plan), False

    def course(self, code: str, chosen: Sequence[int]) -> LeftOut:
        items = self.problem.items
        alternative = self.problem.solve(frozenset({code}))
        if alternative is None:
            blocked = [r for c, r in self.setup.blocked.items() if code in c.targets]
            zh, en = (
                blocked[0]
                if blocked
                else ("与其他免修不能同时成立", "cannot stand with the other exemptions")
            )
            return LeftOut(code, zh, None, en)
        extra = next(i for i in alternative if code in items[i].courses)
        (reason, reason_en), at_cap = self.why_not(chosen, extra)
        got, alt = self.credits(chosen), self.credits(alternative)
        done = f"本方案已免修 {show(got)} 学分" + ("，达到上限" if at_cap else "")
        done_en = f"this allocation exempts {_credits_en(got)}" + (", the cap" if at_cap else "")
        return LeftOut(
            code,
            f"{reason}；{done}；若改选本课程只能免修 {show(alt)} 学分",
            alt,
            f"{reason_en}; {done_en}; choosing this course instead would exempt only {_credits_en(alt)}",
        )

    def preferred(self, code: str, kept: frozenset[str], kept_set: Sequence[int]) -> LeftOut:
        """Why preferred course `code` cannot join the preferred courses `kept` (best set `kept_set`)."""
        items = self.problem.items
        if not any(code in c.targets for c in self.setup.blocked) and not any(
            code in it.courses for it in items
        ):
            return LeftOut(code, "没有满足条件的转换规则", None, "no conversion rule is met for it")
        alone = self.problem.solve(frozenset({code}))
        if alone is None:
            return self.course(code, ())
        extra = next(i for i in alone if code in items[i].courses)
        order = [c.code for c in self.plan.courses]
        ordered = sorted(kept, key=order.index)
        (reason, reason_en), _ = self.why_not(kept_set, extra)
        return LeftOut(
            code,
            f"与更优先的课程{_names(self.plan, ordered)}不能同时免修：{reason}",
            self.credits(alone),
            f"cannot be exempted together with the courses preferred before it, {_names_en(self.plan, ordered)}: "
            f"{reason_en}",
        )


def allocate(
    claims: Iterable[Claim],
    plan: CurriculumPlan,
    caps: ExemptionCaps,
    on: date,
    prior: Iterable[Exemption] = (),
    preferred: Sequence[str] = (),
    *,
    explain: bool = True,
) -> Allocation:
    """The allocation with the most credits (see the module docstring for the rule and tie-breaks).

    `preferred`: course codes the learner wants exempted first, most wanted first. `explain=False`
    skips the explanations of courses left out (the batch only needs the exemptions)."""
    prior = tuple(prior)
    budget = remaining_budget(plan, caps, on, prior)
    setup = _setup(claims, plan, budget, prior)
    problem = setup.problem
    explainer = _Explainer(setup, plan, budget)
    kept: frozenset[str] = frozenset()
    kept_set: tuple[int, ...] = ()
    not_kept: list[LeftOut] = []
    for code in dict.fromkeys(preferred):
        if code in kept:
            continue
        found = problem.solve(kept | {code})
        if found is not None:
            kept, kept_set = kept | {code}, found
            continue
        not_kept.append(explainer.preferred(code, kept, kept_set))
    chosen = problem.solve(kept)
    assert chosen is not None  # the empty set is valid, and `kept` was proven feasible
    taken = [problem.items[i].claim for i in chosen]
    if not explain:
        return Allocation(_exemptions(taken, plan, on))
    granted = {code for c in taken for code in c.targets}
    candidates = {code for c in [*setup.blocked, *(it.claim for it in problem.items)] for code in c.targets}
    left_out = tuple(explainer.course(c.code, chosen) for c in plan.courses if c.code in candidates - granted)
    return Allocation(_exemptions(taken, plan, on), left_out, tuple(not_kept))


def allocate_greedy(
    claims: Iterable[Claim], plan: CurriculumPlan, caps: ExemptionCaps, on: date
) -> tuple[Exemption, ...]:
    """The former rule (decision 0004 before issue 13), kept only to measure what the exact search
    gains: take each claim in `claim_priority` order when it still fits."""
    budget = remaining_budget(plan, caps, on)
    setup = _setup(claims, plan, budget, ())
    chosen: list[int] = []
    for i in range(len(setup.problem.items)):
        if setup.problem.fits(chosen, i):
            chosen.append(i)
    return _exemptions((setup.problem.items[i].claim for i in chosen), plan, on)


def with_allocation(verdict: CourseVerdict, allocation: Allocation) -> CourseVerdict:
    """The verdict with what the allocation grants, why an eligible course is left out, and why a
    preferred course could not be kept."""
    code = verdict.course_code
    granted = code in allocation.courses
    left = granted or not verdict.eligible
    preference = allocation.preference_for(code)
    return replace(
        verdict,
        granted=granted,
        left_out_reason=None if left else allocation.reason_for(code),
        left_out_reason_en=None if left else allocation.reason_en_for(code),
        preference_reason=None if preference is None else preference.reason,
        preference_reason_en=None if preference is None else preference.reason_en,
    )
