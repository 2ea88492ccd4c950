"""``lego graph``: the ``needs`` DAG of base jobs as Mermaid, Graphviz DOT, a text tree, or JSON data.

A matrix job is one node labelled with its instance count (``test ×4``); ``manual`` and
``environment`` jobs say so. Renderers are registered in :data:`RENDERERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lego.model import Job, Pipeline
from lego.spec.dag import base_needs, topo_order


@dataclass(frozen=True)
class Node:
    id: str
    instances: tuple[str, ...]
    needs: tuple[str, ...]
    manual: bool = False
    environment: str | None = None

    @property
    def label(self) -> str:
        text = self.id
        if len(self.instances) > 1 or self.instances != (self.id,):
            text += f" ×{len(self.instances)}"
        if self.manual:
            text += " (manual)"
        if self.environment:
            text += f" [{self.environment}]"
        return text


def nodes(pipeline: Pipeline) -> list[Node]:
    graph = base_needs(pipeline.jobs)
    by_base: dict[str, list[str]] = {}
    first: dict[str, Job] = {}
    for job in pipeline.jobs.values():
        by_base.setdefault(job.base, []).append(job.id)
        first.setdefault(job.base, job)
    return [
        Node(base, tuple(by_base[base]), graph[base], first[base].manual, first[base].environment)
        for base in topo_order(graph)
    ]


def mermaid(pipeline: Pipeline) -> str:
    items = nodes(pipeline)
    ids = {n.id: f"j{i}" for i, n in enumerate(items)}
    lines = ["flowchart LR"]
    lines += [f'  {ids[n.id]}["{_mermaid_text(n.label)}"]' for n in items]
    lines += [f"  {ids[need]} --> {ids[n.id]}" for n in items for need in n.needs if need in ids]
    return "\n".join(lines) + "\n"


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;")


def dot(pipeline: Pipeline) -> str:
    items = nodes(pipeline)
    lines = ["digraph pipeline {", "  rankdir=LR;", "  node [shape=box];"]
    for n in items:
        style = ", style=dashed" if n.manual else ""
        lines.append(f"  {_dot_id(n.id)} [label={_dot_id(n.label)}{style}];")
    known = {n.id for n in items}
    lines += [f"  {_dot_id(need)} -> {_dot_id(n.id)};" for n in items for need in n.needs if need in known]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_id(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def tree(pipeline: Pipeline) -> str:
    """Jobs that need nothing at the top, each job under the jobs it needs; a job with several needs
    is drawn in full under the first and referenced (``↑``) under the others."""
    items = nodes(pipeline)
    by_id = {n.id: n for n in items}
    children: dict[str, list[str]] = {n.id: [] for n in items}
    for n in items:
        for need in n.needs:
            if need in children:
                children[need].append(n.id)
    drawn: set[str] = set()
    lines: list[str] = []
    # (job, prefix of its line, last among its siblings, at the top): an explicit stack, not
    # recursion, so a chain of thousands of jobs draws
    stack = [(n.id, "", True, True) for n in reversed(items) if not [d for d in n.needs if d in by_id]]
    while stack:
        node_id, prefix, last, top = stack.pop()
        node = by_id[node_id]
        branch = "" if top else ("└── " if last else "├── ")
        if node_id in drawn:
            lines.append(f"{prefix}{branch}{node.label} ↑")
            continue
        drawn.add(node_id)
        lines.append(f"{prefix}{branch}{node.label}")
        inner = prefix + ("" if top else ("    " if last else "│   "))
        kids = children[node_id]
        if len(node.instances) > 1:
            bar = "│ " if kids else "  "
            lines.extend(f"{inner}{bar}· {instance}" for instance in node.instances)
        stack.extend((kid, inner, i == len(kids) - 1, False) for i, kid in reversed(list(enumerate(kids))))
    return "\n".join(lines) + "\n"


def as_data(pipeline: Pipeline) -> dict[str, object]:
    items = nodes(pipeline)
    return {
        "nodes": [
            {"id": n.id, "instances": list(n.instances), "manual": n.manual, "environment": n.environment}
            for n in items
        ],
        "edges": [{"from": need, "to": n.id} for n in items for need in n.needs],
    }


RENDERERS: dict[str, Callable[[Pipeline], str]] = {"tree": tree, "mermaid": mermaid, "dot": dot}
