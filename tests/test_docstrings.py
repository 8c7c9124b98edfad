"""Every docstring example in the library runs and gives what it shows (``python -m doctest`` style)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import mediawork

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(info.name for info in pkgutil.walk_packages(mediawork.__path__, prefix="mediawork."))


def test_the_library_has_modules_to_check():
    assert {"mediawork.store", "mediawork.ingest", "mediawork.analyze", "mediawork.text"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name, monkeypatch):
    monkeypatch.chdir(ROOT)  # examples name data/raw and data/processed relative to the project
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    failed = []
    for test in finder.find(module, name):
        result = runner.run(test, out=lambda text: failed.append(text))
        assert result.failed == 0 or failed, test.name
    assert failed == [], "".join(failed)
