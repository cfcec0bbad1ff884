from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pytest

from cleaner import Cleaner, load_config

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@lru_cache(maxsize=None)
def default_cleaner() -> Cleaner:
    """The default cleaner, independent of any pyproject.toml around the test run, built once
    (building one compiles every pack); for helpers that are not tests."""
    return Cleaner(load_config(start=Path("/")))


@pytest.fixture(scope="session")
def cleaner() -> Cleaner:
    """The default cleaner (:func:`default_cleaner`)."""
    return default_cleaner()


def require_data(path: Path, what: str) -> None:
    """Skip the test when its data set ``path`` (beside the repository, in ../shared) is missing;
    under CI (``CI`` set) fail instead, so that a gate never passes by not running."""
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI must run {what}")
        pytest.skip(f"{path} not present: {what} needs the data set checked out beside the repository")
