"""The option checks every script shares: what each accepts and how it says no."""

from __future__ import annotations

import argparse
import os
import shutil
import sys

import pytest

from autograd import _cli

from helpers import run_python


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
        if shutil.which(_cli.PROGRAM_NEEDED.get(extension, "sh")) is None:
            continue  # tested below
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


def plot_path_error(text: str) -> str:
    with pytest.raises(argparse.ArgumentTypeError) as error:
        _cli.plot_path(text)
    return str(error.value)


def test_pgf_is_refused_without_its_latex_program_and_accepted_with_it(
    tmp_path, monkeypatch
) -> None:
    path = str(tmp_path / "loss.pgf")
    monkeypatch.setattr(shutil, "which", lambda program: None)
    assert plot_path_error(path) == (
        "matplotlib needs the program xelatex to write .pgf files, and it is not installed; "
        "use .png, .svg or .pdf"
    )
    monkeypatch.setattr(shutil, "which", lambda program: f"/usr/bin/{program}")
    assert _cli.plot_path(path) == path


def test_matplotlib_really_cannot_write_pgf_without_latex(tmp_path) -> None:
    # The reason for the check above: if matplotlib learns to write .pgf on its own, this
    # fails and PROGRAM_NEEDED can lose its entry.
    pytest.importorskip("matplotlib")
    code = (
        "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt; "
        "fig, ax = plt.subplots(); ax.set_title('x'); fig.savefig(sys.argv[1])"
    )
    no_latex = {**os.environ, "PATH": str(tmp_path)}
    result = run_python("-c", "import sys; " + code, str(tmp_path / "x.pgf"), env=no_latex)
    assert result.returncode != 0
    assert "xelatex" in result.stderr


def test_a_dangling_symbolic_link_is_refused(tmp_path) -> None:
    link = tmp_path / "loss.png"
    link.symlink_to(tmp_path / "gone" / "old.png")
    assert plot_path_error(str(link)) == (
        f"'{link}' is a symbolic link to '{tmp_path / 'gone' / 'old.png'}', which does not exist"
    )


def test_a_link_to_an_existing_file_is_accepted(tmp_path) -> None:
    (tmp_path / "real.png").write_bytes(b"")
    (tmp_path / "link.png").symlink_to(tmp_path / "real.png")
    assert _cli.plot_path(str(tmp_path / "link.png")) == str(tmp_path / "link.png")


def test_a_name_longer_than_the_file_system_allows_is_refused(tmp_path) -> None:
    name_max = os.pathconf(tmp_path, "PC_NAME_MAX")
    fits = "a" * (name_max - 4) + ".png"
    assert _cli.plot_path(str(tmp_path / fits)) == str(tmp_path / fits)
    too_long = "a" * (name_max - 3) + ".png"
    assert plot_path_error(str(tmp_path / too_long)) == (
        f"the file name is too long: {name_max + 1} bytes, where the folder's file system "
        f"allows {name_max}"
    )


def test_an_existing_read_only_target_is_refused(tmp_path, monkeypatch) -> None:
    target = tmp_path / "loss.png"
    target.write_bytes(b"keep me")
    target.chmod(0o444)
    if os.geteuid() == 0:
        # root may write anything, so os.access says yes; answer as for another user.
        real_access = os.access
        monkeypatch.setattr(
            os, "access", lambda p, mode: False if p == target else real_access(p, mode)
        )
    assert plot_path_error(str(target)) == f"'{target}' exists and is read-only"
    assert target.read_bytes() == b"keep me"


def test_a_missing_matplotlib_is_the_plot_options_error(monkeypatch, tmp_path) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert plot_path_error(str(tmp_path / "loss.png")) == "needs matplotlib: pip install matplotlib"


def test_float_between_includes_both_ends_only() -> None:
    check = _cli.float_between(0.5, 2.0)
    assert (check("0.5"), check("2"), check("1")) == (0.5, 2.0, 1.0)
    for text in ("0.49", "2.01", "-1", "nan", "inf"):
        with pytest.raises(argparse.ArgumentTypeError):
            check(text)


def test_int_at_least() -> None:
    assert _cli.int_at_least(2)("2") == 2
    for text in ("1", "-3", "2.0"):
        with pytest.raises(argparse.ArgumentTypeError):
            _cli.int_at_least(2)(text)
