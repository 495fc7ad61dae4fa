"""The exact exemption search for a whole cohort at once, compiled (numba), on flat integer arrays.

The rule is the domain's (`zhijiao.domain.conversion.allocation.Search`, decision 0004): per learner,
the set of claims with the most units within the caps, each course bit and each outcome bit at most
once; ties: fewer outcomes cited, fewer courses, then the set that takes an earlier claim (claims come
in `claim_priority` order). Both are exact, so they choose the same set; the tests compare them on
random instances and cohorts. This one is the batch's: the domain's is pure Python (a learner's
pre-check and approval), this one runs the same depth-first branch and bound in machine code for
hundreds of thousands of learners — a branch-and-bound node costs tens of nanoseconds instead of
microseconds, so it needs neither the domain's dominance pruning nor its memo.

Bounds: the caps left; the units of the compatible claims still to come less what overflows each
category cap; per conflict resource (the course or outcome a claim shares with most others) only the
largest claim. When the bound only equals the best found, a completion must still cite at least
gap ÷ (best units per outcome) more outcomes and need at least gap ÷ (largest claim) more claims.

Masks are int64: at most 63 courses in the plan and 63 distinct outcomes per learner; the caller
sends learners beyond that to the domain's search.
"""

from __future__ import annotations

import numpy as np
from numba import njit  # type: ignore[import-untyped]

MAX_BITS = 63


@njit(cache=True)  # type: ignore[misc]
def _bits(mask: np.int64) -> int:
    count = 0
    while mask:
        mask &= mask - 1
        count += 1
    return count


@njit(cache=True)  # type: ignore[misc]
def _resources(CM, OM, lo, hi, res):  # type: ignore[no-untyped-def]
    """res[j]: the course (0..63) or outcome (64..127) bit item j shares with the most items."""
    count = np.zeros(128, np.int64)
    for j in range(lo, hi):
        for b in range(MAX_BITS):
            if (CM[j] >> b) & 1:
                count[b] += 1
            if (OM[j] >> b) & 1:
                count[64 + b] += 1
    for j in range(lo, hi):
        best, which = -1, 0
        for b in range(MAX_BITS):  # the same order as the domain: most shared, then outcome over course,
            if (CM[j] >> b) & 1 and count[b] >= best:  # then the higher bit — any choice is a valid bound
                best, which = count[b], b
        for b in range(MAX_BITS):
            if (OM[j] >> b) & 1 and count[64 + b] >= best:
                best, which = count[64 + b], 64 + b
        res[j - lo] = which


@njit(cache=True)  # type: ignore[misc]
def _solve(U, CAT, CM, OM, CI, NC, lo, hi, total, caps, chosen_out):  # type: ignore[no-untyped-def]
    """The best set of items lo..hi-1; marks chosen_out[j] = True. Returns the nodes visited."""
    n = hi - lo
    ncat = caps.shape[0]
    res = np.zeros(n, np.int64)
    _resources(CM, OM, lo, hi, res)
    rmax = np.zeros(128, np.int64)
    fmax = np.zeros(128, np.int64)  # per resource: the largest units outside the capped categories
    cmax = np.zeros((128, max(ncat, 1)), np.int64)  # and in each capped category
    touched = np.zeros(128, np.int64)
    vals = np.zeros(128, np.int64)
    FREE = np.zeros(n, np.int64)
    for j in range(lo, hi):
        FREE[j - lo] = U[j]
        for c in range(ncat):
            FREE[j - lo] -= CAT[j, c]
    # the DFS stack: one frame per depth
    f_pos = np.zeros(n + 2, np.int64)
    f_units = np.zeros(n + 2, np.int64)
    f_cats = np.zeros((n + 2, max(ncat, 1)), np.int64)
    f_cm = np.zeros(n + 2, np.int64)
    f_om = np.zeros(n + 2, np.int64)
    f_ci = np.zeros(n + 2, np.int64)
    f_nc = np.zeros(n + 2, np.int64)
    f_stage = np.zeros(n + 2, np.int64)
    f_item = np.zeros(n + 2, np.int64)
    chosen = np.zeros(n + 1, np.int64)
    k = 0  # items in `chosen`
    best_set = np.zeros(n + 1, np.int64)
    best_len = -1
    best_units, best_ci, best_nc = -1, 0, 0
    by_cat = np.zeros(max(ncat, 1), np.int64)
    nodes = 0
    depth = 0
    f_stage[0] = 0
    while depth >= 0:
        stage = f_stage[depth]
        if stage == 0:
            nodes += 1
            pos, units, cm, om = f_pos[depth], f_units[depth], f_cm[depth], f_om[depth]
            room = total - units
            reach = 0
            biggest = 0
            ratio_u, ratio_c = 0, 1
            first = -1
            ntouched = 0
            for c in range(ncat):
                by_cat[c] = 0
            for j in range(lo + pos, hi):
                u = U[j]
                if u > room or CM[j] & cm or OM[j] & om:
                    continue
                fits = True
                for c in range(ncat):
                    if f_cats[depth, c] + CAT[j, c] > caps[c]:
                        fits = False
                        break
                if not fits:
                    continue
                if first < 0:
                    first = j - lo
                reach += u
                for c in range(ncat):
                    by_cat[c] += CAT[j, c]
                if u > biggest:
                    biggest = u
                if u * ratio_c > ratio_u * CI[j]:
                    ratio_u, ratio_c = u, CI[j]
                r = res[j - lo]
                if rmax[r] == 0 and fmax[r] == 0:
                    touched[ntouched] = r
                    ntouched += 1
                    for c in range(ncat):
                        cmax[r, c] = 0
                if u > rmax[r]:
                    rmax[r] = u
                if FREE[j - lo] > fmax[r]:
                    fmax[r] = FREE[j - lo]
                for c in range(ncat):
                    if CAT[j, c] > cmax[r, c]:
                        cmax[r, c] = CAT[j, c]
            # at most one item per resource; each capped category at most its cap left
            per_res = 0
            split = 0
            for t in range(ntouched):
                r = touched[t]
                per_res += rmax[r]
                split += fmax[r]
                vals[t] = rmax[r]
            for c in range(ncat):
                in_cat = 0
                for t in range(ntouched):
                    in_cat += cmax[touched[t], c]
                left = caps[c] - f_cats[depth, c]
                split += in_cat if in_cat < left else left
            for t in range(ntouched):
                rmax[touched[t]] = 0
                fmax[touched[t]] = 0
            if split < per_res:
                per_res = split
            ci, nc = f_ci[depth], f_nc[depth]
            if first < 0:  # a leaf: nothing else fits
                if units > best_units or (
                    units == best_units and (ci < best_ci or (ci == best_ci and nc < best_nc))
                ):
                    best_units, best_ci, best_nc = units, ci, nc
                    for t in range(k):
                        best_set[t] = chosen[t]
                    best_len = k
                depth -= 1
                continue
            over = 0
            for c in range(ncat):
                spill = f_cats[depth, c] + by_cat[c] - caps[c]
                if spill > 0:
                    over += spill
            bound = reach - over
            if per_res < bound:
                bound = per_res
            if room < bound:
                bound = room
            bound += units
            if best_len >= 0:
                if bound < best_units:
                    depth -= 1
                    continue
                if bound == best_units:
                    gap = best_units - units
                    more_ci, more_nc = 0, 0
                    if gap > 0 and (biggest == 0 or ratio_u == 0):
                        depth -= 1  # nothing left adds units
                        continue
                    if gap > 0:
                        # at least as many items as the largest per resource need to cover the gap
                        srt = np.sort(vals[:ntouched])
                        steps, got = 0, 0
                        for t in range(ntouched - 1, -1, -1):
                            steps += 1
                            got += srt[t]
                            if got >= gap:
                                break
                        more_ci = (gap * ratio_c + ratio_u - 1) // ratio_u
                        if steps > more_ci:
                            more_ci = steps
                        more_nc = steps
                    if ci + more_ci > best_ci or (ci + more_ci == best_ci and nc + more_nc >= best_nc):
                        depth -= 1
                        continue
            # include the first compatible item, then exclude it
            j = lo + first
            f_item[depth] = first
            f_stage[depth] = 1
            chosen[k] = first
            k += 1
            d = depth + 1
            f_pos[d] = first + 1
            f_units[d] = units + U[j]
            for c in range(ncat):
                f_cats[d, c] = f_cats[depth, c] + CAT[j, c]
            f_cm[d] = cm | CM[j]
            f_om[d] = om | OM[j]
            f_ci[d] = ci + CI[j]
            f_nc[d] = nc + NC[j]
            f_stage[d] = 0
            depth = d
        elif stage == 1:
            k -= 1
            f_stage[depth] = 2
            d = depth + 1
            f_pos[d] = f_item[depth] + 1
            f_units[d] = f_units[depth]
            for c in range(ncat):
                f_cats[d, c] = f_cats[depth, c]
            f_cm[d] = f_cm[depth]
            f_om[d] = f_om[depth]
            f_ci[d] = f_ci[depth]
            f_nc[d] = f_nc[depth]
            f_stage[d] = 0
            depth = d
        else:
            depth -= 1
    for t in range(best_len):
        chosen_out[lo + best_set[t]] = True
    return nodes


@njit(cache=True)  # type: ignore[misc]
def _greedy(U, CAT, CM, OM, lo, hi, total, caps):  # type: ignore[no-untyped-def]
    """Units the former greedy rule takes: each item in order when it still fits."""
    ncat = caps.shape[0]
    cats = np.zeros(max(ncat, 1), np.int64)
    units, cm, om = 0, 0, 0
    for j in range(lo, hi):
        if CM[j] & cm or OM[j] & om or units + U[j] > total:
            continue
        fits = True
        for c in range(ncat):
            if cats[c] + CAT[j, c] > caps[c]:
                fits = False
        if not fits:
            continue
        units += U[j]
        cm |= CM[j]
        om |= OM[j]
        for c in range(ncat):
            cats[c] += CAT[j, c]
    return units


@njit(cache=True)  # type: ignore[misc]
def solve_all(U, CAT, CM, OM, CI, NC, starts, total, caps):  # type: ignore[no-untyped-def]
    """Every learner's best set: items starts[i]..starts[i+1]-1 are learner i's, in priority order.
    Returns (chosen flags, units gained over greedy in all, nodes visited in all)."""
    chosen = np.zeros(U.shape[0], np.bool_)
    gained = 0
    nodes = 0
    for i in range(starts.shape[0] - 1):
        lo, hi = starts[i], starts[i + 1]
        nodes += _solve(U, CAT, CM, OM, CI, NC, lo, hi, total, caps, chosen)
        best = 0
        for j in range(lo, hi):
            if chosen[j]:
                best += U[j]
        gained += best - _greedy(U, CAT, CM, OM, lo, hi, total, caps)
    return chosen, gained, nodes


def solve_packed(
    units: list[int],
    cats: list[tuple[int, ...]],
    courses: list[int],
    outcomes: list[int],
    cited: list[int],
    ncourses: list[int],
    total: int | None,
    caps: list[int],
) -> tuple[int, ...]:
    """One learner's best set (indices), for tests against the domain's search."""
    n = len(units)
    ncat = len(caps)
    big = int(total) if total is not None else int(sum(units)) + 1
    cat_arr = np.zeros((n, max(ncat, 1)), np.int64)
    for j, row in enumerate(cats):
        for c, v in enumerate(row):
            cat_arr[j, c] = v
    chosen, _, _ = solve_all(
        np.array(units, np.int64), cat_arr, np.array(courses, np.int64), np.array(outcomes, np.int64),
        np.array(cited, np.int64), np.array(ncourses, np.int64), np.array([0, n], np.int64), big,
        np.array(caps, np.int64),
    )  # fmt: skip
    return tuple(int(j) for j in np.flatnonzero(chosen))
