"""gc_paused must put the collector back exactly as it found it."""

from __future__ import annotations

import gc

import pytest

from autograd.collector import gc_paused


@pytest.fixture(autouse=True)
def restore_gc_state():
    was_enabled = gc.isenabled()
    yield
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


def test_disables_inside_and_reenables_after():
    gc.enable()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_reenables_when_the_block_raises():
    gc.enable()
    with pytest.raises(RuntimeError, match="boom"), gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_already_disabled_collector_stays_disabled():
    gc.disable()
    with gc_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_already_disabled_collector_stays_disabled_when_the_block_raises():
    gc.disable()
    with pytest.raises(KeyError), gc_paused():
        raise KeyError("x")
    assert not gc.isenabled()


def test_nested_pauses_restore_the_outer_state():
    gc.enable()
    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block found it off, so it leaves it off
    assert gc.isenabled()


def test_exception_propagates_unchanged():
    error = ValueError("original")
    with pytest.raises(ValueError) as info, gc_paused():
        raise error
    assert info.value is error
