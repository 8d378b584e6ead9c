"""train_toy: the loss goes down, runs are reproducible, and the command line behaves."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest

from autograd import train_toy
from autograd.nn import MLP


def run_script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "autograd.train_toy", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_default_run_reaches_a_small_loss() -> None:
    net = MLP(3, [4, 4, 1], rng=random.Random(0))
    losses = train_toy.train(net, steps=60, learning_rate=0.1)
    assert losses[0] > 1.0
    assert losses[-1] < 0.01
    for x, y in zip(train_toy.XS, train_toy.YS, strict=True):
        assert abs(net(x).data - y) < 0.1


def test_same_seed_same_losses_other_seed_other_losses() -> None:
    def losses(seed: int) -> list[float]:
        return train_toy.train(MLP(3, [4, 4, 1], rng=random.Random(seed)), 5, 0.1)

    assert losses(3) == losses(3)
    assert losses(3) != losses(4)


def test_without_zero_grad_each_step_uses_the_sum_of_all_past_gradients() -> None:
    def loss_of(net: MLP):
        return train_toy.squared_error([net(x) for x in train_toy.XS], train_toy.YS)

    stale, twin = MLP(3, [4, 4, 1]), MLP(3, [4, 4, 1])
    for _ in range(3):
        # The twin gets the true gradient at stale's current weights.
        for p, q in zip(stale.parameters(), twin.parameters(), strict=True):
            q.data = p.data
        twin.zero_grad()
        loss_of(twin).backward()
        before = [p.grad for p in stale.parameters()]
        loss_of(stale).backward()  # no zero_grad()
        expected = [b + q.grad for b, q in zip(before, twin.parameters(), strict=True)]
        assert [p.grad for p in stale.parameters()] == pytest.approx(expected, rel=1e-12)
        for p in stale.parameters():
            p.data -= 0.1 * p.grad
    assert any(p.grad != q.grad for p, q in zip(stale.parameters(), twin.parameters()))


def test_squared_error_by_hand() -> None:
    from autograd.engine import Value

    loss = train_toy.squared_error([Value(0.5), Value(-2.0)], [1.0, -1.0])
    assert loss.data == 0.25 + 1.0


def test_command_line_run_is_deterministic_and_reports() -> None:
    first = run_script()
    second = run_script()
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    lines = first.stdout.splitlines()
    assert lines[0] == "MLP(3, [4, 4, 1]): 41 parameters, seed 0"
    final_loss = float(lines[-1].removeprefix("final loss "))
    assert final_loss < 0.01
    assert sum("target" in line for line in lines) == 4


def test_command_line_options() -> None:
    result = run_script("--steps", "3", "--seed", "7", "--log-every", "1")
    assert result.returncode == 0, result.stderr
    assert [line.split()[1] for line in result.stdout.splitlines() if line.startswith("step")] == [
        "0",
        "1",
        "2",
    ]
    assert "seed 7" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--steps", "0"], "--steps must be at least 1"),
        (["--lr", "-1"], "--lr must be positive"),
        (["--steps", "many"], "invalid int value"),
    ],
)
def test_bad_options_exit_2_with_a_message(args: list[str], message: str) -> None:
    result = run_script(*args)
    assert result.returncode == 2
    assert message in result.stderr


def test_plot_writes_an_image(tmp_path) -> None:
    pytest.importorskip("matplotlib")
    path = tmp_path / "loss.png"
    result = run_script("--steps", "5", "--plot", str(path))
    assert result.returncode == 0, result.stderr
    assert path.read_bytes().startswith(b"\x89PNG")
    assert f"loss curve saved to {path}" in result.stdout


def test_plot_without_matplotlib_is_a_clear_error(tmp_path) -> None:
    code = (
        "import sys; sys.modules['matplotlib'] = None; "
        "from autograd.train_toy import main; sys.exit(main())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "--plot", str(tmp_path / "x.png")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "--plot needs matplotlib" in result.stderr
    assert not (tmp_path / "x.png").exists()
