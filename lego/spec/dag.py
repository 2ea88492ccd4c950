"""The graph of base jobs: ``needs`` that name no job, cycles (with the path), and a stable order."""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence

from lego.model import Job, SourcePos
from lego.spec.problems import Problem, ProblemKind, did_you_mean


def base_needs(jobs: Mapping[str, Job]) -> dict[str, tuple[str, ...]]:
    """Base job -> the base jobs it needs, in file order."""
    out: dict[str, tuple[str, ...]] = {}
    for job in jobs.values():
        out.setdefault(job.base, job.needs)
    return out


def check_needs(graph: Mapping[str, Sequence[str]], where: Mapping[str, SourcePos]) -> list[Problem]:
    problems = []
    for name, needs in graph.items():
        for need in needs:
            if need == name:
                problems.append(
                    Problem(where[name], ProblemKind.CYCLE, f"jobs.{name}.needs: a job cannot need itself")
                )
            elif need not in graph:
                hint = did_you_mean(need, [j for j in graph if j != name]) or "there is no other job"
                problems.append(
                    Problem(
                        where[name], ProblemKind.NEEDS, f"jobs.{name}.needs: no job named '{need}' ({hint})"
                    )
                )
    return problems


def find_cycle(graph: Mapping[str, Sequence[str]]) -> list[str] | None:
    """One cycle as a path ``[a, b, c, a]`` (a needs b needs c needs a), or None. Iterative, so a
    chain of thousands of jobs does not hit Python's recursion limit."""
    done: set[str] = set()
    for start in graph:
        if start in done:
            continue
        # each frame keeps its node's needs, filtered once: a fan-in of n jobs is O(n), not O(n^2)
        stack: list[tuple[str, list[str], int]] = [(start, _needs_of(graph, start), 0)]
        on_path = {start}
        while stack:
            node, needs, i = stack[-1]
            if i < len(needs):
                stack[-1] = (node, needs, i + 1)
                need = needs[i]
                if need in on_path:
                    path = [n for n, _, _ in stack]
                    return [*path[path.index(need) :], need]
                if need not in done:
                    stack.append((need, _needs_of(graph, need), 0))
                    on_path.add(need)
            else:
                stack.pop()
                on_path.discard(node)
                done.add(node)
    return None


def _needs_of(graph: Mapping[str, Sequence[str]], node: str) -> list[str]:
    return [n for n in graph[node] if n in graph and n != node]


def topo_order(graph: Mapping[str, Sequence[str]]) -> list[str]:
    """Base jobs so that every job comes after what it needs; ties keep file order. Jobs on a cycle
    (which validation reports) come last, as written."""
    index = {name: i for i, name in enumerate(graph)}
    waiting = {name: len({n for n in needs if n in graph and n != name}) for name, needs in graph.items()}
    users: dict[str, list[str]] = {name: [] for name in graph}
    for name, needs in graph.items():
        for need in {n for n in needs if n in graph and n != name}:
            users[need].append(name)
    ready = [index[name] for name, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    names = list(graph)
    order: list[str] = []
    while ready:
        name = names[heapq.heappop(ready)]
        order.append(name)
        for user in users[name]:
            waiting[user] -= 1
            if waiting[user] == 0:
                heapq.heappush(ready, index[user])
    placed = set(order)
    return order + [name for name in graph if name not in placed]


def levels(graph: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Depth of each base job: 0 for jobs that need nothing."""
    depth: dict[str, int] = {}
    for node in topo_order(graph):
        depth[node] = 1 + max((depth.get(n, -1) for n in graph[node] if n in graph), default=-1)
    return depth
