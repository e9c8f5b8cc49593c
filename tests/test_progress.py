"""The progress helpers behave like range, show nothing outside a kernel, and fix their stored text."""
from __future__ import annotations

import pytest

from nbhelpers import progress as progress_module
from nbhelpers.progress import progress_bar, progress_range


def test_progress_range_yields_like_range_and_prints_nothing_outside_a_kernel(capsys):
    assert list(progress_range(2500, every=1000)) == list(range(2500))
    bar = progress_bar(10)
    assert bar.bar is None
    bar.update(5)
    bar.close()
    assert capsys.readouterr() == ("", "")


class FakeBar:
    def __init__(self):
        self.values = []
        self.bar_style = ""

    @property
    def value(self):
        return self.values[-1] if self.values else 0

    @value.setter
    def value(self, v):
        self.values.append(v)


def test_bar_is_moved_only_every_so_many_steps_and_filled_at_the_end():
    fake = FakeBar()
    bar = progress_module.Progress(2500, 1000, "training", fake)
    for step in range(1, 2501):
        bar.update(step)
    bar.close()
    assert fake.values == [1000, 2000, 2500, 2500]
    assert fake.bar_style == "success"


def test_in_a_kernel_the_widget_starts_at_zero_so_its_text_never_varies(monkeypatch):
    widgets = pytest.importorskip("ipywidgets")
    shown = []
    monkeypatch.setattr(progress_module, "_widgets_usable", lambda: True)
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(repr(obj)))
    steps = progress_range(3000, every=1000, description="AND")
    assert shown == ["IntProgress(value=0, description='AND', max=3000)"]
    assert sum(1 for _ in steps) == 3000
    assert isinstance(widgets.IntProgress(), widgets.IntProgress)


@pytest.mark.parametrize("kwargs, error", [
    ({"n_steps": 0}, ValueError),
    ({"n_steps": 10.5}, TypeError),
    ({"n_steps": 10, "every": 0}, ValueError),
    ({"n_steps": 10, "description": 3}, TypeError),
])
def test_bad_arguments_are_rejected_at_once(kwargs, error):
    with pytest.raises(error):
        progress_range(**kwargs)      # before any iteration
    with pytest.raises(error):
        progress_bar(**kwargs)
