"""The .pyi stubs agree with the runtime module (mypy's stubtest)."""

from __future__ import annotations

import subprocess
import sys
import tempfile


def test_stubtest_agrees_with_runtime() -> None:
    # From a neutral directory, so that only the installed package is seen.
    result = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "timadmin"],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_package_is_typed() -> None:
    import importlib.resources

    assert importlib.resources.files("timadmin").joinpath("py.typed").is_file()
