"""The option checks every script shares: what each accepts and how it says no."""

from __future__ import annotations

import argparse
import os

import pytest

from autograd import _cli


@pytest.mark.parametrize(
    ("check", "text", "value"),
    [
        (_cli.integer, "-7", -7),
        (_cli.positive_int, "1", 1),
        (_cli.positive_int, " 60 ", 60),
        (_cli.non_negative_int, "0", 0),
        (_cli.finite_float, "-1e308", -1e308),
        (_cli.positive_float, "5e-324", 5e-324),
        (_cli.positive_float, "0.1", 0.1),
    ],
)
def test_accepts(check, text, value) -> None:
    assert check(text) == value
    assert type(check(text)) is type(value)


@pytest.mark.parametrize(
    ("check", "text", "message"),
    [
        (_cli.integer, "1.0", "expected a whole number, got '1.0'"),
        (_cli.integer, "", "expected a whole number, got ''"),
        (_cli.positive_int, "0", "must be at least 1, got 0"),
        (_cli.non_negative_int, "-1", "must be 0 or more, got -1"),
        (_cli.finite_float, "1e999", "must be a finite number, got '1e999'"),
        (_cli.finite_float, "NaN", "must be a finite number, got 'NaN'"),
        (_cli.finite_float, "Infinity", "must be a finite number, got 'Infinity'"),
        (_cli.finite_float, "0x10", "expected a number, got '0x10'"),
        (_cli.positive_float, "-0.0", "must be greater than 0, got -0.0"),
        (_cli.positive_float, "-inf", "must be a finite number, got '-inf'"),
    ],
)
def test_rejects_with_a_reason(check, text, message) -> None:
    with pytest.raises(argparse.ArgumentTypeError) as error:
        check(text)
    assert str(error.value) == message


def test_plot_path_accepts_every_listed_format_in_an_existing_folder(tmp_path) -> None:
    for extension in (*_cli.PLOT_FORMATS, ".PNG"):
        path = str(tmp_path / f"loss{extension}")
        assert _cli.plot_path(path) == path
    assert _cli.plot_path("relative-name.svg") == "relative-name.svg"  # the current folder


def test_plot_formats_are_all_ones_matplotlib_can_write() -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.backend_bases import FigureCanvasBase

    supported = {f".{name}" for name in FigureCanvasBase.get_supported_filetypes()}
    assert set(_cli.PLOT_FORMATS) <= supported


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("loss.jpg2", "has an unknown extension; use .png, .svg, .pdf (or .eps, "),
        ("loss", "has an unknown extension"),
        ("missing/loss.png", "does not exist; create it first"),
    ],
)
def test_plot_path_rejects(tmp_path, name, message) -> None:
    with pytest.raises(argparse.ArgumentTypeError) as error:
        _cli.plot_path(str(tmp_path / name))
    assert message in str(error.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_plot_path_rejects_a_read_only_folder(tmp_path) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir(mode=0o500)
    with pytest.raises(argparse.ArgumentTypeError) as error:
        _cli.plot_path(str(folder / "loss.png"))
    assert str(error.value) == f"cannot write to folder '{folder}'"


def test_errors_reach_the_user_as_one_argparse_line(capsys) -> None:
    parser = argparse.ArgumentParser(prog="demo")
    parser.add_argument("--lr", type=_cli.positive_float)
    with pytest.raises(SystemExit) as exit_info:
        parser.parse_args(["--lr", "nan"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "demo: error: argument --lr: must be a finite number, got 'nan'"
    )
