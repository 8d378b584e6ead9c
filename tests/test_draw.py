"""to_dot: deterministic DOT text that shows every node and edge of the graph."""

from __future__ import annotations

import re

import pytest

from autograd.draw import to_dot
from autograd.engine import Value


def build():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    d = (c + a).tanh()
    d.label = "d"
    return d


def test_same_graph_gives_the_same_text():
    assert to_dot(build()) == to_dot(build())
    root = build()
    assert to_dot(root) == to_dot(root)


def test_exact_output_for_a_small_graph():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    assert to_dot(a + b, rankdir="TB") == "\n".join(
        [
            "digraph {",
            "  rankdir=TB;",
            '  node [shape=record, fontname="Helvetica"];',
            '  v0 [label="{ a | data 2 | grad 0 }"];',
            '  v1 [label="{ b | data -3 | grad 0 }"];',
            '  v2 [label="{ data -1 | grad 0 }"];',
            '  op2 [label="+", shape=ellipse];',
            "  op2 -> v2;",
            "  v0 -> op2;",
            "  v1 -> op2;",
            "}",
        ]
    )


def test_shows_label_data_and_grad_after_backward():
    root = build()
    before = to_dot(root)
    assert "grad 0 }" in before
    root.backward()
    after = to_dot(root)
    assert after != before
    # d = tanh(ab + a) = tanh(-4); dd/da = (1 - tanh(-4)^2)(b + 1) = -2 * 0.0013410 ...
    assert "{ a | data 2 | grad -0.002682 }" in after
    assert "{ b | data -3 | grad 0.002682 }" in after
    assert "{ c | data -6 |" in after
    assert "{ d | data -0.9993 | grad 1 }" in after


def test_one_op_node_per_non_leaf_and_none_for_leaves():
    root = build()
    text = to_dot(root)
    ops = re.findall(r"^  (op\d+) \[label=\"([^\"]*)\", shape=ellipse\];$", text, re.M)
    # non-leaves: c = a*b, c + a, tanh
    assert [label for _, label in ops] == ["*", "+", "tanh"]
    values = re.findall(r"^  (v\d+) \[label=", text, re.M)
    assert len(values) == 5  # a, b, c, c + a, d
    for op_id, _ in ops:
        assert text.count(f"  {op_id} -> v{op_id[2:]};") == 1


def test_node_used_twice_gives_two_edges():
    a = Value(3.0, label="a")
    text = to_dot(a * a)
    assert text.count("  v0 -> op1;") == 2
    b = Value(1.0, label="b")
    text = to_dot((b + 1) * b)
    # b feeds '+' once and '*' once
    assert len(re.findall(r"^  v0 -> op\d+;$", text, re.M)) == 2


def test_every_edge_refers_to_a_declared_node():
    text = to_dot(build() * 2 + build())
    declared = set(re.findall(r"^  ((?:v|op)\d+) \[", text, re.M))
    for src, dst in re.findall(r"^  (\w+) -> (\w+);$", text, re.M):
        assert src in declared and dst in declared


@pytest.mark.parametrize(
    ("label", "escaped"),
    [
        ('say "hi"', 'say \\"hi\\"'),
        ("a|b", "a\\|b"),
        ("{x}", "\\{x\\}"),
        ("<p>", "\\<p\\>"),
        ("back\\slash", "back\\\\slash"),
    ],
)
def test_special_characters_in_labels_are_escaped(label, escaped):
    text = to_dot(Value(1.0, label=label))
    assert f'  v0 [label="{{ {escaped} | data 1 | grad 0 }}"];' in text


def test_escaped_label_keeps_the_quoted_string_balanced():
    text = to_dot(Value(1.0, label='"}|{<x>\\'))
    line = next(line for line in text.splitlines() if line.startswith("  v0 "))
    # every quote inside the label is escaped, so exactly two unescaped quotes remain
    assert len(re.findall(r'(?<!\\)"', line.replace("\\\\", ""))) == 2


def test_op_names_with_special_characters_are_escaped():
    text = to_dot(Value(2.0) ** -1)
    assert '[label="**-1", shape=ellipse]' in text


@pytest.mark.parametrize("rankdir", ["LR", "RL", "TB", "BT"])
def test_valid_rankdirs(rankdir):
    assert f"rankdir={rankdir};" in to_dot(Value(1.0), rankdir=rankdir)


@pytest.mark.parametrize("rankdir", ["lr", "XY", "", "LR;", None])
def test_bad_rankdir_raises_value_error(rankdir):
    with pytest.raises(ValueError, match="rankdir must be LR, RL, TB or BT"):
        to_dot(Value(1.0), rankdir=rankdir)


def test_rankdir_is_keyword_only():
    with pytest.raises(TypeError):
        to_dot(Value(1.0), "LR")


def test_a_deep_graph_draws_without_recursion():
    x = Value(1.0)
    y = x
    for _ in range(5000):
        y = y + 1
    text = to_dot(y)
    assert text.count("shape=ellipse") == 5000


def test_a_grad_of_none_is_drawn_as_none():
    # An optimizer's zero_grad() leaves None on a parameter no backward pass has reached.
    a = Value(2.0, label="a")
    a.grad = None
    assert "{ a | data 2 | grad None }" in to_dot(a * 3.0)
