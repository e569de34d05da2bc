# SPDX-License-Identifier: Apache-2.0
"""Nodes, links and vertical placement of a balance's Sankey-style diagram (no painting here).

Columns: external inputs │ unit operations (by how far down the internal
streams they sit) │ outputs. An internal stream (kind ``intermediate``) leaving
one unit operation is linked to the one that takes it in (same stream name,
else the nearest earlier operation with an internal stream out). What a unit
operation takes in but does not put out is drawn as an "unaccounted" stream,
so a balance that does not close can be seen, not just read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

INTERMEDIATE = "intermediate"
UNACCOUNTED = "unaccounted"
NODE_GAP = 8.0


@dataclass
class Node:
    key: str
    label: str
    kind: str  # stream kind, "operation" or "unaccounted"
    column: int
    value: float
    measured: bool = True
    y: float = 0.0  # top of the node
    height: float = 0.0
    slot: float = 0.0  # vertical room taken in its column (labels need a line)
    links_out: list["Link"] = field(default_factory=list)
    links_in: list["Link"] = field(default_factory=list)

    @property
    def centre(self) -> float:
        return self.y + self.height / 2


@dataclass
class Link:
    src: Node
    dst: Node
    value: float
    kind: str
    y_src: float = 0.0  # top of the band where it leaves ``src``
    y_dst: float = 0.0  # top of the band where it enters ``dst``
    thickness: float = 0.0


@dataclass
class SankeyLayout:
    nodes: list[Node]
    links: list[Link]
    columns: int
    height: float  # of the plot area

    def column(self, index: int) -> list[Node]:
        return [n for n in self.nodes if n.column == index]


def _qty(stream: dict[str, Any]) -> float:
    try:
        return max(float(str(stream.get("quantity"))), 0.0)
    except ValueError:
        return 0.0


def build_layout(balance: dict[str, Any], plot_height: float = 260.0, line: float = 16.0) -> SankeyLayout:
    streams = [s for s in balance.get("streams") or [] if _qty(s) > 0]
    ops: list[str] = []
    for s in streams:
        if s.get("unit_operation") not in ops:
            ops.append(s.get("unit_operation") or "")
    op_nodes = {name: Node(f"op:{name}", name, "operation", 1, 0.0) for name in ops}
    nodes: list[Node] = []
    links: list[Link] = []

    def link(src: Node, dst: Node, value: float, kind: str) -> None:
        lk = Link(src, dst, value, kind)
        links.append(lk)
        src.links_out.append(lk)
        dst.links_in.append(lk)

    # internal streams: pair each intermediate input with the operation that produced it
    produced = [(i, s) for i, s in enumerate(streams) if s["direction"] != "in" and s.get("kind") == INTERMEDIATE]
    consumed: dict[int, str] = {}  # index of an intermediate input → producing operation
    used: set[int] = set()
    for i, s in enumerate(streams):
        if s["direction"] != "in" or s.get("kind") != INTERMEDIATE:
            continue
        here = ops.index(s.get("unit_operation") or "")
        match = next((j for j, p in produced if j not in used and p["stream"] == s["stream"]
                      and p.get("unit_operation") != s.get("unit_operation")), None)
        if match is None:
            earlier = [j for j, p in produced if j not in used and ops.index(p.get("unit_operation") or "") < here]
            match = earlier[-1] if earlier else None
        if match is not None:
            used.add(match)
            consumed[i] = streams[match].get("unit_operation") or ""
    depth = {name: 0 for name in ops}
    for _round in range(len(ops)):  # longest path; internal loops are cut by the round limit
        for i, producer in consumed.items():
            consumer = streams[i].get("unit_operation") or ""
            depth[consumer] = max(depth[consumer], depth[producer] + 1) if producer != consumer else depth[consumer]
    last_op_column = 1 + max(depth.values(), default=0)
    for name, node in op_nodes.items():
        node.column = 1 + depth[name]
    out_column = last_op_column + 1

    totals_in = {name: 0.0 for name in ops}
    totals_out = {name: 0.0 for name in ops}
    for i, s in enumerate(streams):
        op, q = s.get("unit_operation") or "", _qty(s)
        if s["direction"] == "in":
            totals_in[op] += q
            if i in consumed:
                link(op_nodes[consumed[i]], op_nodes[op], q, INTERMEDIATE)
            else:
                n = Node(f"in:{i}", s["stream"], s.get("kind") or "input", 0, q, bool(s.get("measured", True)))
                nodes.append(n)
                link(n, op_nodes[op], q, n.kind)
        else:
            totals_out[op] += q
            if i in used:
                continue  # drawn as the link into the consuming operation
            n = Node(f"out:{i}", s["stream"], s.get("kind") or "loss", out_column, q, bool(s.get("measured", True)))
            nodes.append(n)
            link(op_nodes[op], n, q, n.kind)
    scale_ref = max([max(totals_in[o], totals_out[o]) for o in ops] + [1e-12])
    for name in ops:  # what does not close is shown as a stream of its own
        diff = totals_in[name] - totals_out[name]
        if abs(diff) <= scale_ref * 1e-4:
            continue
        if diff > 0:
            n = Node(f"gap-out:{name}", "", UNACCOUNTED, out_column, diff)
            nodes.append(n)
            link(op_nodes[name], n, diff, UNACCOUNTED)
        else:
            n = Node(f"gap-in:{name}", "", UNACCOUNTED, 0, -diff)
            nodes.append(n)
            link(n, op_nodes[name], -diff, UNACCOUNTED)
    for name, node in op_nodes.items():
        node.value = max(sum(lk.value for lk in node.links_in), sum(lk.value for lk in node.links_out))
    nodes = [n for n in nodes if n.column == 0] + list(op_nodes.values()) + [n for n in nodes if n.column != 0]
    _place(nodes, out_column + 1, plot_height, line)
    _attach(links)
    height = max((sum(n.slot for n in nodes if n.column == c) + NODE_GAP * (sum(1 for n in nodes if n.column == c) - 1)
                  for c in range(out_column + 1)), default=0.0)
    return SankeyLayout(nodes, links, out_column + 1, height)


def _place(nodes: list[Node], columns: int, plot_height: float, line: float) -> None:
    biggest = max((sum(n.value for n in nodes if n.column == c) for c in range(columns)), default=0.0)
    scale = plot_height / biggest if biggest > 0 else 0.0
    for n in nodes:
        n.height = max(n.value * scale, 1.5)
        n.slot = n.height if n.kind == "operation" else max(n.height, line)
    op_order = {n.key: i for i, n in enumerate(nodes) if n.kind == "operation"}

    def rank(n: Node) -> tuple[float, int]:  # keep streams next to their operation: fewer crossings
        other = (n.links_out[0].dst if n.links_out else n.links_in[0].src) if (n.links_out or n.links_in) else n
        return (op_order.get(other.key, 0), nodes.index(n))

    heights = []
    for c in range(columns):
        col = [n for n in nodes if n.column == c]
        if c in (0, columns - 1):
            col.sort(key=rank)
        heights.append(sum(n.slot for n in col) + NODE_GAP * max(len(col) - 1, 0))
        y = 0.0
        for n in col:
            n.y = y + (n.slot - n.height) / 2
            y += n.slot + NODE_GAP
    tallest = max(heights, default=0.0)
    for c in range(columns):  # centre each column on the tallest one
        shift = (tallest - heights[c]) / 2
        for n in nodes:
            if n.column == c:
                n.y += shift


def _attach(links: list[Link]) -> None:
    """Where each band leaves and enters its nodes, ordered so bands do not cross needlessly."""
    by_src: dict[int, list[Link]] = {}
    by_dst: dict[int, list[Link]] = {}
    for lk in links:
        by_src.setdefault(id(lk.src), []).append(lk)
        by_dst.setdefault(id(lk.dst), []).append(lk)
    for group in by_src.values():
        node = group[0].src
        total = sum(lk.value for lk in group) or 1.0
        y = node.y
        for lk in sorted(group, key=lambda lk: lk.dst.centre):
            lk.thickness = max(node.height * lk.value / max(node.value, total), 1.0)
            lk.y_src = y
            y += lk.thickness
    for group in by_dst.values():
        node = group[0].dst
        y = node.y
        for lk in sorted(group, key=lambda lk: lk.src.centre):
            lk.y_dst = y
            y += lk.thickness
