"""train_toy: the loss goes down, runs are reproducible, and the command line behaves."""

from __future__ import annotations

import random

import pytest

from autograd import train_toy
from autograd.datasets import XS, YS
from autograd.losses import squared_error
from autograd.nn import MLP
from autograd.plots import loss_axis_scale

from helpers import run_module, run_without


def test_default_run_reaches_a_small_loss() -> None:
    net = MLP(3, [4, 4, 1], rng=random.Random(0))
    losses = train_toy.train(net, steps=60, learning_rate=0.1)
    assert losses[0] > 1.0
    assert losses[-1] < 0.01
    for x, y in zip(XS, YS, strict=True):
        assert abs(net(x).data - y) < 0.1


def test_same_seed_same_losses_other_seed_other_losses() -> None:
    def losses(seed: int) -> list[float]:
        return train_toy.train(MLP(3, [4, 4, 1], rng=random.Random(seed)), 5, 0.1)

    assert losses(3) == losses(3)
    assert losses(3) != losses(4)


def test_without_zero_grad_each_step_uses_the_sum_of_all_past_gradients() -> None:
    def loss_of(net: MLP):
        return squared_error([net(x) for x in XS], YS)

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


def test_command_line_run_is_deterministic_and_reports() -> None:
    first = run_module(
        "autograd.train_toy",
    )
    second = run_module(
        "autograd.train_toy",
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    lines = first.stdout.splitlines()
    assert lines[0] == "MLP(3, [4, 4, 1]): 41 parameters, seed 0"
    final_loss = float(lines[-1].removeprefix("final loss "))
    assert final_loss < 0.01
    assert sum("target" in line for line in lines) == 4


def test_command_line_options() -> None:
    result = run_module("autograd.train_toy", "--steps", "3", "--seed", "7", "--log-every", "1")
    assert result.returncode == 0, result.stderr
    assert [line.split()[1] for line in result.stdout.splitlines() if line.startswith("step")] == [
        "0",
        "1",
        "2",
    ]
    assert "seed 7" in result.stdout


def one_error_line(capsys, args: list[str]) -> str:
    """Run main(args), expect argparse's exit status 2; return its single error line."""
    with pytest.raises(SystemExit) as exit_info:
        train_toy.main(args)
    assert exit_info.value.code == 2
    out, err = capsys.readouterr()
    assert out == "", "nothing may run (or print) before the options are checked"
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if "error:" in line]
    assert len(errors) == 1, err
    assert err.splitlines()[-1] == errors[0]
    return errors[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--steps", "0"], "argument --steps: must be at least 1, got 0"),
        (["--steps", "-5"], "argument --steps: must be at least 1, got -5"),
        (["--steps", "many"], "argument --steps: expected a whole number, got 'many'"),
        (["--steps", "2.5"], "argument --steps: expected a whole number, got '2.5'"),
        (["--lr", "-1"], "argument --lr: must be greater than 0, got -1.0"),
        (["--lr", "0"], "argument --lr: must be greater than 0, got 0.0"),
        (["--lr", "inf"], "argument --lr: must be a finite number, got 'inf'"),
        (["--lr=-inf"], "argument --lr: must be a finite number, got '-inf'"),
        (["--lr", "nan"], "argument --lr: must be a finite number, got 'nan'"),
        (["--lr", "fast"], "argument --lr: expected a number, got 'fast'"),
        (["--log-every", "-1"], "argument --log-every: must be 0 or more, got -1"),
        (["--seed", "1e3"], "argument --seed: expected a whole number, got '1e3'"),
    ],
)
def test_bad_options_are_one_error_line_before_training(capsys, args, message) -> None:
    line = one_error_line(capsys, args)
    assert line == f"python -m autograd.train_toy: error: {message}"


def test_plot_into_a_missing_folder_fails_before_training(capsys, tmp_path) -> None:
    missing = tmp_path / "no such folder"
    line = one_error_line(capsys, ["--plot", str(missing / "loss.png")])
    assert line.endswith(f"argument --plot: folder '{missing}' does not exist; create it first")
    assert not missing.exists()


@pytest.mark.parametrize("name", ["loss.pgn", "loss", "loss.png.bak"])
def test_plot_with_an_unknown_extension_fails_before_training(capsys, tmp_path, name) -> None:
    path = tmp_path / name
    line = one_error_line(capsys, ["--plot", str(path)])
    assert f"argument --plot: '{path}' has an unknown extension; use .png, .svg, .pdf" in line
    assert not path.exists()


def test_plot_onto_a_folder_fails_before_training(capsys, tmp_path) -> None:
    folder = tmp_path / "curve.png"
    folder.mkdir()
    line = one_error_line(capsys, ["--plot", str(folder)])
    assert line.endswith(f"argument --plot: '{folder}' is a folder; give a file name in it")


def test_bad_option_from_the_shell_exits_2_with_usage_and_one_error_line(tmp_path) -> None:
    result = run_module("autograd.train_toy", "--plot", str(tmp_path / "missing" / "loss.png"))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("usage: python -m autograd.train_toy")
    assert lines[-1].startswith("python -m autograd.train_toy: error: argument --plot: folder")
    assert "Traceback" not in result.stderr


def saved_figures(monkeypatch) -> list:
    """Record every matplotlib figure saved from now on."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figures = []
    real_savefig = Figure.savefig

    def savefig(self, *args, **kwargs):
        figures.append(self)
        return real_savefig(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", savefig)
    return figures


def test_plot_title_names_the_run_and_axis_follows_the_losses(monkeypatch, tmp_path) -> None:
    figures = saved_figures(monkeypatch)
    assert train_toy.main(["--log-every", "0", "--plot", str(tmp_path / "a.png")]) == 0
    assert train_toy.main(
        ["--lr", "0.5", "--seed", "3", "--steps", "7", "--log-every", "0",
         "--plot", str(tmp_path / "b.svg")]
    ) == 0  # fmt: skip
    default, large_lr = (figure.axes[0] for figure in figures)
    assert default.get_title().splitlines()[1] == "seed 0, 60 steps, learning rate 0.1"
    assert large_lr.get_title().splitlines()[1] == "seed 3, 7 steps, learning rate 0.5"
    losses = [line.get_ydata() for line in (default.lines[0], large_lr.lines[0])]
    for axes, ys in zip((default, large_lr), losses, strict=True):
        assert axes.get_yscale() == loss_axis_scale(list(ys))
    assert default.get_yscale() == "log"


def test_plot_writes_an_image(tmp_path) -> None:
    pytest.importorskip("matplotlib")
    path = tmp_path / "loss.png"
    result = run_module("autograd.train_toy", "--steps", "5", "--plot", str(path))
    assert result.returncode == 0, result.stderr
    assert path.read_bytes().startswith(b"\x89PNG")
    assert f"loss curve saved to {path}" in result.stdout


def test_plot_without_matplotlib_is_a_clear_error(tmp_path) -> None:
    result = run_without("matplotlib", "autograd.train_toy", "--plot", str(tmp_path / "x.png"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1].endswith(
        "error: argument --plot: needs matplotlib: pip install matplotlib"
    )
    assert not (tmp_path / "x.png").exists()
