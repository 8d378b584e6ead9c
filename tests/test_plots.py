"""plots: the loss axis, writing a picture whole or not at all, and one missing-matplotlib check."""

from __future__ import annotations

import os
import random

import pytest

from autograd import plots
from autograd.datasets import Moons
from autograd.nn import MLP
from autograd.plots import loss_axis_scale


@pytest.mark.parametrize(
    ("losses", "scale"),
    [
        ([5.27, 3.59, 0.1, 0.005], "log"),  # the default run: three decades
        ([3.6, 7.9, 7.9, 1.0], "linear"),  # learning rate 0.5: 1 to 8 is under a decade
        ([2.0, 0.21], "linear"),  # just under a decade
        ([2.0, 0.19], "log"),  # just over
        ([1.0, 0.0], "linear"),  # zero has no logarithm
    ],
)
def test_loss_axis_is_logarithmic_only_over_more_than_a_decade(losses, scale) -> None:
    assert loss_axis_scale(losses) == scale


def test_plot_losses_writes_one_curve_per_name_and_a_legend_only_for_several(tmp_path) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    figures = []
    real_savefig = Figure.savefig

    def savefig(self, *args, **kwargs):
        figures.append(self)
        return real_savefig(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Figure, "savefig", savefig)
        plots.plot_losses({"a": [4.0, 2.0, 1.0]}, str(tmp_path / "one.png"), "one")
        curves = {"a": [100.0, 1.0, 0.01], "b": [3.0, 2.0, 1.0]}
        plots.plot_losses(curves, str(tmp_path / "two.svg"), "two", first_step=1, smoothing=0.9)
    one, two = (figure.axes[0] for figure in figures)
    assert len(one.lines) == 1 and one.get_legend() is None
    assert one.get_yscale() == "linear" and list(one.lines[0].get_xdata()) == [0, 1, 2]
    assert len(two.lines) == 2 and two.get_legend() is not None
    assert two.get_yscale() == "log" and list(two.lines[0].get_xdata()) == [1, 2, 3]
    # Smoothed: the moving average starts on the first value and lags behind the fall.
    smoothed = list(two.lines[0].get_ydata())
    assert smoothed[0] == 100.0 and smoothed[2] > 1.0
    assert (tmp_path / "one.png").read_bytes().startswith(b"\x89PNG")
    assert b"<svg" in (tmp_path / "two.svg").read_bytes()[:1000]


def test_boundary_and_snapshots_draw_the_networks_probability(tmp_path) -> None:
    pytest.importorskip("matplotlib")
    data = Moons([[0.0, 0.0], [1.0, 1.0]], [0, 1], [[0.5, 0.2], [0.2, 0.8]], [0, 1])
    net = MLP(2, [3, 1], activation="relu", output_activation="linear", rng=random.Random(0))
    weights = {0: [p.data for p in net.parameters()], 5: [0.1] * len(net.parameters())}
    plots.plot_boundary(net, data, str(tmp_path / "b.png"), "title")
    plots.plot_snapshots(net, data, weights, str(tmp_path / "s.png"))
    assert (tmp_path / "b.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "s.png").read_bytes().startswith(b"\x89PNG")
    assert [p.data for p in net.parameters()] == weights[5]  # left at the last snapshot


def test_an_interrupted_save_leaves_the_old_picture_and_no_temporary_file(tmp_path) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    target = tmp_path / "loss.png"
    target.write_bytes(b"the old picture")

    def interrupted(self, fname, *args, **kwargs):
        with open(fname, "wb") as half:
            half.write(b"\x89PNG half a picture")
        raise KeyboardInterrupt

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Figure, "savefig", interrupted)
        with pytest.raises(KeyboardInterrupt):
            plots.plot_losses({"loss": [1.0, 0.5]}, str(target), "title")
    assert target.read_bytes() == b"the old picture"
    assert os.listdir(tmp_path) == ["loss.png"]


def test_a_saved_picture_gets_the_usual_file_mode_and_goes_through_a_link(tmp_path) -> None:
    pytest.importorskip("matplotlib")
    new = tmp_path / "new.png"
    plots.plot_losses({"loss": [1.0, 0.5]}, str(new), "title")
    umask = os.umask(0)
    os.umask(umask)
    assert new.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's private 0600
    real, link = tmp_path / "real.png", tmp_path / "link.png"
    real.write_bytes(b"old")
    real.chmod(0o640)
    link.symlink_to(real)
    plots.plot_losses({"loss": [1.0, 0.5]}, str(link), "title")
    assert link.is_symlink()
    assert real.read_bytes().startswith(b"\x89PNG")
    assert real.stat().st_mode & 0o777 == 0o640


def test_require_matplotlib_names_the_package_to_install(monkeypatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ModuleNotFoundError) as error:
        plots.require_matplotlib()
    assert str(error.value) == "needs matplotlib: pip install matplotlib"
