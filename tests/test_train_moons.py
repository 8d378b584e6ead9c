"""train_moons: the default run generalizes, runs repeat exactly, and the command line behaves."""

from __future__ import annotations

import math
import random
import subprocess
import sys

import pytest

from autograd import train_moons
from autograd.engine import Value
from autograd.nn import MLP
from autograd.optim import SGD

# A short run: enough to exercise every option, fast enough for the suite.
SHORT = ["--samples", "30", "--steps", "3", "--hidden", "3"]


def run_script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "autograd.train_moons", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_default_run_reaches_95_percent_on_the_test_points_and_repeats_exactly() -> None:
    first = run_script()
    second = run_script()
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    last = first.stdout.splitlines()[-1]
    # "final accuracy: train 98.5%, test 96.0%"
    assert last.startswith("final accuracy: train ")
    test_accuracy = float(last.rpartition("test ")[2].removesuffix("%"))
    assert test_accuracy >= 95.0


def test_the_test_points_are_not_trained_on() -> None:
    args = train_moons.parse_args([])
    data, _, _ = train_moons.setup(args)
    train = {tuple(p) for p in data.train_points}
    assert len(data.test_points) == 200 and len(data.train_points) == 400
    assert not any(tuple(p) in train for p in data.test_points)


SCORES = [-800.0, -30.0, -2.5, -1e-9, 0.0, 1e-9, 0.7, 30.0, 800.0]


@pytest.mark.parametrize("score", SCORES)
@pytest.mark.parametrize("label", [0, 1])
def test_logistic_loss_matches_torch_and_never_overflows(score: float, label: int) -> None:
    torch = pytest.importorskip("torch")
    s = Value(score)
    loss = train_moons.logistic_loss(s, label)
    loss.backward()
    ts = torch.tensor(score, dtype=torch.float64, requires_grad=True)
    target = torch.tensor(float(label), dtype=torch.float64)
    tloss = torch.nn.functional.binary_cross_entropy_with_logits(ts, target)
    tloss.backward()
    # In the tails (loss or gradient near 1e-13) torch rounds too: its formula computes
    # log(exp(0) + exp(-30)), 1.2e-15 off the exact value; the closed form test is tighter.
    assert loss.data == pytest.approx(tloss.item(), rel=1e-12, abs=1e-14)
    assert s.grad == pytest.approx(ts.grad.item(), rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("score", SCORES)
@pytest.mark.parametrize("label", [0, 1])
def test_logistic_loss_matches_the_closed_form(score: float, label: int) -> None:
    # -log sigmoid(m) with margin m = +-score is log1p(exp(-|m|)) + max(-m, 0), and its
    # derivative in m is -sigmoid(-m): both exact to the last digits with math.log1p.
    margin = score if label == 1 else -score
    expected_loss = math.log1p(math.exp(-abs(margin))) + max(-margin, 0.0)
    e = math.exp(-abs(margin))
    sigmoid_of_minus_margin = e / (1 + e) if margin >= 0 else 1 / (1 + e)
    expected_grad = -sigmoid_of_minus_margin * (1 if label == 1 else -1)
    s = Value(score)
    loss = train_moons.logistic_loss(s, label)
    loss.backward()
    # Without a log1p op, log(1 + tiny) keeps the tiny part only to about 1e-16 absolute;
    # the gradient has no such rounding.
    assert loss.data == pytest.approx(expected_loss, rel=1e-12, abs=1e-16)
    assert s.grad == pytest.approx(expected_grad, rel=1e-12, abs=1e-300)


def test_softplus_by_hand() -> None:
    # log(1 + e**0) = log 2; far out it is 0 on the left and x itself on the right.
    assert train_moons.softplus(Value(0.0)).data == pytest.approx(0.6931471805599453, rel=1e-15)
    assert train_moons.softplus(Value(-1000.0)).data == 0.0
    assert train_moons.softplus(Value(1000.0)).data == 1000.0


def test_minibatches_visit_every_point_once_per_pass() -> None:
    batches = train_moons.minibatches(10, 4, random.Random(0))
    first_pass = [next(batches) for _ in range(3)]
    second_pass = [next(batches) for _ in range(3)]
    assert [len(b) for b in first_pass] == [4, 4, 2]
    assert sorted(i for b in first_pass for i in b) == list(range(10))
    assert sorted(i for b in second_pass for i in b) == list(range(10))
    assert first_pass != second_pass


def test_training_step_is_the_four_step_loop() -> None:
    # The same step written out by hand, on a twin network, gives the same weights.
    points, labels = [[0.5, -0.2], [1.0, 0.3], [-0.4, 0.9]], [1, 0, 1]
    net = MLP(2, [3, 1], activation="relu", output_activation="linear", rng=random.Random(4))
    twin = MLP(2, [3, 1], activation="relu", output_activation="linear", rng=random.Random(4))
    loss = train_moons.training_step(net, SGD(net.parameters(), lr=0.1), points, labels)
    twin_loss = train_moons.mean_loss(twin, points, labels)
    twin.zero_grad()
    twin_loss.backward()
    for p in twin.parameters():
        p.data -= 0.1 * p.grad
    assert loss == twin_loss.data
    assert [p.data for p in net.parameters()] == [p.data for p in twin.parameters()]
    assert [p.data for p in net.parameters()] != [
        p.data for p in MLP(2, [3, 1], rng=random.Random(4)).parameters()
    ]


def test_train_keeps_the_weights_it_is_asked_for() -> None:
    args = train_moons.parse_args(SHORT)
    data, net, rng = train_moons.setup(args)
    start = [p.data for p in net.parameters()]
    optimizer = SGD(net.parameters(), lr=0.1)
    history = train_moons.train(net, optimizer, data, 3, 4, rng, keep_weights_at=(0, 3, 9))
    assert len(history.losses) == 3
    assert sorted(history.weights) == [0, 3]
    assert history.weights[0] == start
    assert history.weights[3] == [p.data for p in net.parameters()] != start


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--steps", "0"], "--steps: must be at least 1"),
        (["--steps", "ten"], "--steps: expected a whole number"),
        (["--batch-size", "0"], "--batch-size: must be at least 1"),
        (["--samples", "1.5"], "--samples: expected a whole number"),
        (["--hidden", "8", "0"], "--hidden: must be at least 1"),
        (["--lr", "0"], "--lr: must be greater than 0"),
        (["--lr", "-0.1"], "--lr: must be greater than 0"),
        (["--lr", "nan"], "--lr: must be a finite number"),
        (["--noise", "inf"], "--noise: must be a finite number"),
        (["--weight-decay", "x"], "--weight-decay: expected a number"),
        (["--log-every", "-1"], "--log-every: must be 0 or more"),
        (["--optimizer", "rmsprop"], "--optimizer: invalid choice"),
        (["--optimizer", "adam", "--momentum", "0.5"], "--momentum applies to --optimizer sgd"),
        (["--compare-optimizers", "c.png", "--lr", "0.1"], "trains each optimizer with its"),
        (["--compare-optimizers", "c.png", "--optimizer", "adam"], "leave out --optimizer"),
        (["--plot", "boundary"], "has an unknown extension"),
        (["--plot", "boundary.xyz"], "has an unknown extension"),
        (["--plot", "no/such/folder/b.png"], "folder 'no/such/folder' does not exist"),
        (["--snapshots", "no/such/folder/b.png"], "folder 'no/such/folder' does not exist"),
        (["--stray"], "unrecognized arguments: --stray"),
    ],
)
def test_bad_options_are_one_line_errors_before_any_training(args, message, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        train_moons.main(args)
    assert exit_info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""  # nothing printed: the run never started
    errors = [line for line in err.splitlines() if "error:" in line]
    assert len(errors) == 1
    assert errors[0].startswith("python -m autograd.train_moons: error: ")
    assert message in errors[0]
    assert "Traceback" not in err


def test_plot_and_snapshots_write_images(tmp_path, capsys) -> None:
    pytest.importorskip("matplotlib")
    boundary, snapshots = tmp_path / "boundary.png", tmp_path / "snapshots.svg"
    assert train_moons.main([*SHORT, "--plot", str(boundary), "--snapshots", str(snapshots)]) == 0
    assert boundary.read_bytes().startswith(b"\x89PNG")
    assert b"<svg" in snapshots.read_bytes()[:1000]
    lines = capsys.readouterr().out.splitlines()
    assert f"decision boundary saved to {boundary}" in lines
    assert f"boundary at steps [0, 3] saved to {snapshots}" in lines
    assert lines[-1].startswith("final accuracy: train ")


def test_compare_optimizers_trains_three_and_writes_the_plot(tmp_path, capsys) -> None:
    pytest.importorskip("matplotlib")
    path = tmp_path / "losses.png"
    assert train_moons.main([*SHORT, "--compare-optimizers", str(path)]) == 0
    assert path.read_bytes().startswith(b"\x89PNG")
    rows = capsys.readouterr().out.splitlines()
    names = [row.split("  ")[0] for row in rows[2:5]]
    assert names == ["SGD(lr=0.05)", "SGD(lr=0.05, momentum=0.9)", "Adam(lr=0.01)"]


def test_hidden_with_no_sizes_is_a_linear_model(capsys) -> None:
    assert train_moons.main([*SHORT, "--hidden"]) == 0
    assert "MLP(2, [1]): 3 parameters" in capsys.readouterr().out
