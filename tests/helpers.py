"""Small utilities shared by the tests: the repository root, and helpers for tests that start real servers."""

from __future__ import annotations

import os
import socket
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]  # the one repository root every test uses
ARTIFACTS = REPO / "test-artifacts"  # reports and screenshots the tests leave for people to read


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def root_flag() -> list[str]:
    """JupyterLab refuses to run as root without --allow-root (as in CI)."""
    return ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


def wait_for_json(url: str, timeout: float = 90.0):
    """Poll a local URL until it answers 200, returning its body."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read()
        except Exception as exc:  # server still starting
            last = exc
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout}s: {last}")
