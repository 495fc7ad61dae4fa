"""平行志愿投档 (parallel-preference dispatch): “分数优先，遵循志愿，一轮投档”.

Candidates are taken in score order (total, then the policy's tie-break chain); each one's choices are
searched in order and the candidate is dispatched to the first group that still has room under
quota × ratio. One dispatch per candidate per round.

Candidates equal on every score key form a block. Inside a block the last tie-break is the preference
position: at a group, the candidate who put it earlier goes first. The block is resolved by deferred
acceptance with the groups' remaining room (a group prefers lower preference positions); when candidates
are still tied at the last seat, all of them are dispatched (the group goes over by the tie).
With a common priority order this is exactly student-proposing deferred acceptance.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Choices(Protocol):
    """Candidate index → the group indices chosen, in order."""

    def __getitem__(self, candidate: int, /) -> Sequence[int]: ...


def dispatch(
    order: Sequence[int],
    keys: Sequence[int],
    choices: Choices,
    room: list[int],
    *,
    preference_tie_break: bool = True,
) -> tuple[dict[int, int], dict[int, int]]:
    """Dispatch the candidates in `order` (best first; `keys[c]` equal means tied on scores).

    `choices[c]`: the group indices candidate c chose, in order. `room[g]`: places left at group g under
    quota × ratio (decremented in place). Returns (group, position) per dispatched candidate: the group
    index and the 0-based preference position it was dispatched on.
    """
    group: dict[int, int] = {}
    position: dict[int, int] = {}
    n = len(order)
    i = 0
    while i < n:
        c = order[i]
        k = keys[c]
        j = i + 1
        while j < n and keys[order[j]] == k:
            j += 1
        if j == i + 1:
            for pos, g in enumerate(choices[c]):
                if room[g] > 0:
                    room[g] -= 1
                    group[c] = g
                    position[c] = pos
                    break
        else:
            _block(order[i:j], choices, room, group, position, preference_tie_break)
        i = j
    return group, position


def _block(
    block: Sequence[int],
    choices: Choices,
    room: list[int],
    group: dict[int, int],
    position: dict[int, int],
    by_preference: bool,
) -> None:
    """Candidates tied on every score key: deferred acceptance over the room left at the start of the
    block; a group keeps the lowest preference positions and every candidate tied at its last seat."""
    start = {g: room[g] for c in block for g in choices[c]}
    held: dict[int, list[tuple[int, int, int]]] = {}  # group → [(priority, position, candidate)]
    nxt = dict.fromkeys(block, 0)
    free = list(block)
    while free:
        c = free.pop()
        cs = choices[c]
        p = nxt[c]
        while p < len(cs) and start[cs[p]] <= 0:
            p += 1
        if p >= len(cs):
            continue
        g = cs[p]
        nxt[c] = p + 1
        holders = held.setdefault(g, [])
        holders.append((p if by_preference else 0, p, c))
        cap = start[g]
        if len(holders) > cap:
            holders.sort()
            cutoff = holders[cap - 1][0]  # the preference position at the last seat
            keep = [h for h in holders if h[0] <= cutoff]
            free.extend(h[2] for h in holders if h[0] > cutoff)
            held[g] = keep
    for g, holders in held.items():
        room[g] -= len(holders)  # may go below zero: everyone tied at the last seat is dispatched
        for _, p, c in holders:
            group[c] = g
            position[c] = p


block = _block  # the compiled dispatch (kernels.py) hands very large tie blocks to this one
