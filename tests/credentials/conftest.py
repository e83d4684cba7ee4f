"""The certificate service tests run on an app with certification rules published."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from credentials_support import cert_app


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Any]:
    """The test app with tests/data/credentials/certifications.yaml published."""
    yield from cert_app(tmp_path)
