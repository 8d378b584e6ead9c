"""Draw a computational graph: :func:`to_dot` turns it into Graphviz DOT text.

No drawing library is needed to produce the text; render it with Graphviz's ``dot``
(``dot -Tsvg graph.dot -o graph.svg``), paste it into any online DOT viewer, or let
Sphinx's ``graphviz`` extension draw it, as this book does.
"""

from __future__ import annotations

from autograd.engine import Value, topological_order


def to_dot(root: Value, *, rankdir: str = "LR") -> str:
    """DOT text for the graph that ``root`` depends on: one box per value, one oval per op.

    Each box shows the value's ``label`` (if any), ``data`` and ``grad``. Nodes are
    numbered in topological order, so the same expression always gives the same text.
    ``rankdir`` is Graphviz's direction, LR, RL, TB or BT; anything else raises ValueError.

    >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    >>> print(to_dot(a * b))
    digraph {
      rankdir=LR;
      node [shape=record, fontname="Helvetica"];
      v0 [label="{ a | data 2 | grad 0 }"];
      v1 [label="{ b | data -3 | grad 0 }"];
      v2 [label="{ data -6 | grad 0 }"];
      op2 [label="*", shape=ellipse];
      op2 -> v2;
      v0 -> op2;
      v1 -> op2;
    }
    """
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"rankdir must be LR, RL, TB or BT, got {rankdir!r}")
    order = topological_order(root)
    ids = {node: f"v{i}" for i, node in enumerate(order)}
    lines = ["digraph {", f"  rankdir={rankdir};", '  node [shape=record, fontname="Helvetica"];']
    for node in order:
        lines.append(f'  {ids[node]} [label="{_box_text(node)}"];')
        if node._prev:
            # The op gets its own oval so the picture reads "inputs -> op -> result".
            op_id = "op" + ids[node][1:]
            lines.append(f'  {op_id} [label="{_escape(node._op)}", shape=ellipse];')
            lines.append(f"  {op_id} -> {ids[node]};")
            for child in node._prev:
                lines.append(f"  {ids[child]} -> {op_id};")
    lines.append("}")
    return "\n".join(lines)


def _box_text(node: Value) -> str:
    # grad is None after an optimizer's zero_grad() until a backward pass reaches the node.
    grad = "None" if node.grad is None else f"{node.grad:.4g}"
    fields = [f"data {node.data:.4g}", f"grad {grad}"]
    if node.label:
        fields.insert(0, _escape(node.label))
    return "{ " + " | ".join(fields) + " }"


def _escape(text: str) -> str:
    # Characters that mean something inside a DOT record label or a quoted string.
    for special in '\\"{}|<>':
        text = text.replace(special, "\\" + special)
    return text
