"""The sequential heart of 平行志愿, compiled (numba) over integer arrays: dispatch in score order and the
schools' placement into majors. Exactly the rules of `reference.py` (the documented pure-Python version,
which the tests compare this with), candidate by candidate:

- dispatch: a candidate with a unique score key takes the first chosen group with room; a block of
  candidates tied on every score key is resolved by deferred acceptance over the room left at the
  block's start (a group prefers the lower preference position when `by_pref`), everyone tied at a
  group's last seat is kept (the group goes over by the tie). Blocks larger than `MAX_BLOCK` are left to
  the caller (`dispatch.block`, in Python), which then resumes the kernel.
- placement: dispatched candidates best first, into the first chosen major with room (or tied with the
  one who took its last place), else 调剂 to the first major with room if 服从调剂, else 退档.
"""

from __future__ import annotations

import numpy as np
from numba import njit

MAX_BLOCK = 1 << 20  # (the tests lower it to exercise the hand-over)

# placement outcomes (`kind`)
ADMITTED = 1
ADMITTED_REASSIGNED = 2
REJECTED_OVER_PLAN = 3
REJECTED_NO_REASSIGN = 4
REJECTED_GROUP_FULL = 5
NOT_DISPATCHED = 6


@njit(cache=True)
def dispatch_kernel(
    order: np.ndarray,
    start: int,
    tie: np.ndarray,
    choices: np.ndarray,
    room: np.ndarray,
    by_pref: bool,
    out_group: np.ndarray,
    out_pos: np.ndarray,
    max_block: int,
    held_count: np.ndarray,
) -> int:
    """Dispatch order[start:], writing out_group/out_pos per candidate; returns the index of a tie block
    too large to resolve here (or len(order) when done)."""
    n = order.shape[0]
    k = choices.shape[1]
    i = start
    while i < n:
        c = order[i]
        key = tie[c]
        j = i + 1
        while j < n and tie[order[j]] == key:
            j += 1
        if j == i + 1:
            for p in range(k):
                g = choices[c, p]
                if g < 0:
                    break
                if room[g] > 0:
                    room[g] -= 1
                    out_group[c] = g
                    out_pos[c] = p
                    break
        elif j - i > max_block:
            return i
        else:
            _block(order, i, j, choices, room, by_pref, out_group, out_pos, held_count)
        i = j
    return int(n)


@njit(cache=True)
def _block(
    order: np.ndarray,
    i: int,
    j: int,
    choices: np.ndarray,
    room: np.ndarray,
    by_pref: bool,
    out_group: np.ndarray,
    out_pos: np.ndarray,
    held_count: np.ndarray,
) -> None:
    """`held_count` (zeros, one per group) counts the block's holders per group; zero again after."""
    b = j - i
    k = choices.shape[1]
    held = np.full(b, -1, np.int64)
    hpos = np.zeros(b, np.int64)
    nxt = np.zeros(b, np.int64)
    stack = np.arange(b)
    top = b
    sort_keys = np.empty(b, np.int64)
    members = np.empty(b, np.int64)
    while top > 0:
        top -= 1
        lc = stack[top]
        c = order[i + lc]
        p = nxt[lc]
        while p < k and choices[c, p] >= 0 and room[choices[c, p]] <= 0:
            p += 1
        if p >= k or choices[c, p] < 0:
            continue
        g = choices[c, p]
        nxt[lc] = p + 1
        held[lc] = g
        hpos[lc] = p
        cap = room[g]
        held_count[g] += 1
        if held_count[g] <= cap:
            continue
        m = 0
        for x in range(b):
            if held[x] == g:
                prio = hpos[x] if by_pref else 0
                sort_keys[m] = ((prio * 128 + hpos[x]) << 32) + order[i + x]
                members[m] = x
                m += 1
        if m > cap:
            keys = sort_keys[:m].copy()
            idx = np.argsort(keys)
            cutoff = keys[idx[cap - 1]] >> 39  # the preference position (priority) at the last seat
            for q in range(m):
                x = members[idx[q]]
                if (keys[idx[q]] >> 39) > cutoff:
                    held[x] = -1
                    held_count[g] -= 1
                    stack[top] = x
                    top += 1
    for x in range(b):
        g = held[x]
        if g >= 0:
            held_count[g] = 0
            room[g] -= 1
            c = order[i + x]
            out_group[c] = g
            out_pos[c] = hpos[x]


@njit(cache=True)
def place_kernel(
    order: np.ndarray,
    tie: np.ndarray,
    group: np.ndarray,
    pos: np.ndarray,
    orders: np.ndarray,
    reassign: np.ndarray,
    left: np.ndarray,
    majors_left: np.ndarray,
    major_start: np.ndarray,
    use_majors: bool,
    order_start: np.ndarray,
    order_major: np.ndarray,
    out_kind: np.ndarray,
    out_major: np.ndarray,
    last_member: np.ndarray,
    counts: np.ndarray,
) -> None:
    """Place the dispatched candidates of `order` (group[c] ≥ 0), best first, group by group.

    `orders[c, pos]`: the candidate's major order id under the dispatched choice; its majors are
    order_major[order_start[id]:order_start[id + 1]] (flat major indices, −1: not a major of the group).
    out_major: a flat major index, −1 for none, or −2 − order id for “the first code of that order”
    (a group without a majors file). last_member[g]: the last candidate dispatched to g; counts[g]: how many."""
    n_groups = left.shape[0]
    last_tie = np.full(n_groups, -1, np.int64)
    took_last = np.full(majors_left.shape[0], -1, np.int64)
    for x in range(order.shape[0]):
        c = order[x]
        g = group[c]
        if g < 0:
            continue
        counts[g] += 1
        last_member[g] = c
        p = pos[c]
        oid = orders[c, p]
        lo = order_start[oid]
        hi = order_start[oid + 1]
        m0 = major_start[g]
        m1 = major_start[g + 1]
        key = tie[c]
        if not use_majors or m0 == m1:
            if left[g] > 0 or (last_tie[g] >= 0 and key == last_tie[g]):
                left[g] -= 1
                last_tie[g] = key
                out_kind[c] = ADMITTED
                out_major[c] = (-2 - oid) if hi > lo else (m0 if m1 > m0 else -1)
            else:
                out_kind[c] = REJECTED_OVER_PLAN
                out_major[c] = -1
            continue
        chosen = -1
        for q in range(lo, hi):
            m = order_major[q]
            if m >= 0 and (majors_left[m] > 0 or took_last[m] == key):
                chosen = m
                break
        kind = ADMITTED
        if chosen < 0 and hi > lo and not reassign[c]:
            out_kind[c] = REJECTED_NO_REASSIGN
            out_major[c] = -1
            continue
        if chosen < 0:
            for m in range(m0, m1):
                if majors_left[m] > 0:
                    chosen = m
                    break
            if chosen < 0:
                out_kind[c] = REJECTED_GROUP_FULL
                out_major[c] = -1
                continue
            if hi > lo:
                kind = ADMITTED_REASSIGNED
        majors_left[chosen] -= 1
        if majors_left[chosen] == 0:
            took_last[chosen] = key
        left[g] -= 1
        out_kind[c] = kind
        out_major[c] = chosen
