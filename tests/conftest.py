from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Cleaner, load_config

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def cleaner() -> Cleaner:
    """The default cleaner, independent of any pyproject.toml around the test run."""
    return Cleaner(load_config(start=Path("/")))
