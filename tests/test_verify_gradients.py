"""verify_gradients: its references agree with the engine, and it notices when they don't."""

from __future__ import annotations

import pytest

from autograd import verify_gradients
from autograd.engine import Value

from helpers import run_module, run_without


def test_every_check_matches_finite_differences() -> None:
    for check in verify_gradients.make_checks():
        _, grads = verify_gradients.engine_gradients(check)
        fd = verify_gradients.finite_difference_gradients(check)
        assert verify_gradients.close(grads, fd, verify_gradients.FD_TOLERANCE), check.name


def test_every_check_matches_torch() -> None:
    pytest.importorskip("torch")
    for check in verify_gradients.make_checks():
        value, grads = verify_gradients.engine_gradients(check)
        torch_value, torch_grads = verify_gradients.torch_gradients(check)
        assert value == pytest.approx(torch_value, rel=1e-12, abs=1e-12), check.name
        assert grads == pytest.approx(torch_grads, rel=1e-9, abs=1e-12), check.name


def test_hand_written_mlp_loss_equals_the_nn_module() -> None:
    # The torch reference for the MLP check is a hand-written loss; on Values it must
    # compute exactly what autograd.nn computes, or the comparison would be meaningless.
    check = verify_gradients.make_checks()[-1]
    assert len(check.leaves) == 41
    assert verify_gradients.mlp_loss(*check.leaves).data == pytest.approx(
        check.build().data, rel=1e-15
    )


def test_chain_rule_example_gradients_by_hand() -> None:
    # d = a*b + e: dd/da = b, dd/db = a, dd/de = 1
    check = verify_gradients.make_checks()[0]
    value, grads = verify_gradients.engine_gradients(check)
    assert value == 4.0
    assert grads == [-3.0, 2.0, 1.0]


def test_a_wrong_gradient_fails_the_run(monkeypatch, capsys) -> None:
    real = verify_gradients.engine_gradients

    def off_by_a_bit(check):
        value, grads = real(check)
        return value, [g * 1.001 for g in grads]

    monkeypatch.setattr(verify_gradients, "engine_gradients", off_by_a_bit)
    assert verify_gradients.main([]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out
    assert " !" in out


def test_a_wrong_derivative_in_the_engine_fails_the_run(monkeypatch, capsys) -> None:
    # Break tanh's local derivative (1 - t**2 becomes 1 - t) and run the whole check.
    def bad_tanh(self: Value) -> Value:
        import math

        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward(out_grad: float) -> None:
            self.grad += (1.0 - t) * out_grad

        out._backward = _backward
        return out

    monkeypatch.setattr(Value, "tanh", bad_tanh)
    assert verify_gradients.main([]) == 1
    assert "FAIL" in capsys.readouterr().out


def test_runs_as_a_module() -> None:
    result = run_module("autograd.verify_gradients")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("PASS")
    assert sum("vs PyTorch" in line for line in lines) == 1
    for name in ("chain-rule example", "tanh neuron", "every operation", "MLP(3, [4, 4, 1])"):
        assert any(name in line for line in lines), name


def test_without_torch_says_so_and_still_checks() -> None:
    # sys.modules["torch"] = None makes `import torch` raise ImportError, exactly as if
    # torch were not installed.
    result = run_without("torch", "autograd.verify_gradients")
    assert result.returncode == 0, result.stderr
    assert "PyTorch is not installed" in result.stdout
    # The hint must carry the constraints file: a bare `pip install torch` on Linux
    # downloads a multi-gigabyte CUDA build.
    assert "    pip install -c constraints.txt torch\n" in result.stdout
    assert "pip install torch" not in result.stdout
    assert result.stdout.count("skipped") == 4
    assert result.stdout.splitlines()[-1] == (
        "PASS: finite differences only, PyTorch not installed"
    )


def test_help_and_stray_arguments() -> None:
    assert (
        "usage: python -m autograd.verify_gradients"
        in run_module("autograd.verify_gradients", "--help").stdout
    )
    stray = run_module("autograd.verify_gradients", "--bogus")
    assert stray.returncode == 2
    assert "unrecognized arguments: --bogus" in stray.stderr


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "must be between 1e-08 and 0.0001, got 0.0"),
        ("-1e-6", "must be between 1e-08 and 0.0001, got -1e-06"),
        ("10", "must be between 1e-08 and 0.0001, got 10.0"),  # crashed in log() mid-table
        ("1e308", "must be between 1e-08 and 0.0001, got 1e+308"),  # crashed: inf - inf
        ("1e-320", "must be between 1e-08 and 0.0001, got 1e-320"),  # blamed the engine
        ("inf", "must be a finite number, got 'inf'"),
        ("nan", "must be a finite number, got 'nan'"),
        ("small", "expected a number, got 'small'"),
    ],
)
def test_bad_fd_step_is_one_error_line(capsys, value: str, message: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        verify_gradients.main([f"--fd-step={value}"])
    assert exit_info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines()[-1] == (
        f"python -m autograd.verify_gradients: error: argument --fd-step: {message}"
    )


def test_fd_step_range_is_where_a_correct_engine_passes(capsys) -> None:
    # Both ends of the accepted range pass with this (correct) engine and print their h ...
    low, high = verify_gradients.FD_STEP_RANGE
    for h, shown in ((low, "(h = 1e-08)"), (high, "(h = 0.0001)")):
        assert verify_gradients.main(["--fd-step", repr(h)]) == 0
        out = capsys.readouterr().out
        assert shown in out and out.splitlines()[-1].startswith("PASS")
    # ... and at 1e-10 and 1e-3 some check fails although the engine is right: there the
    # rounding / h term (fine) or the h**2 term (coarse) exceeds the tolerance. (At 1e-9 the
    # MLP's difference is already 0.8 of the tolerance: the low end keeps a margin.)
    for h in (1e-10, 1e-3):
        assert not all(
            verify_gradients.close(
                verify_gradients.engine_gradients(check)[1],
                verify_gradients.finite_difference_gradients(check, h),
                verify_gradients.FD_TOLERANCE,
            )
            for check in verify_gradients.make_checks()
        ), h
