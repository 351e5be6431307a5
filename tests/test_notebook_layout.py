"""Every committed notebook is stored exactly as nbformat writes it (issue 8, item 2).

JupyterLab saves through nbformat, so a notebook in any other layout shows a whole-file diff the
first time someone opens and saves it, and nbgitpuller's merges get needlessly hard. The canonical
bytes are what `nbformat.write` produces: `nbformat.writes(nb)` (1-space indent, sorted keys,
non-ASCII kept) plus a final newline when `writes` does not end with one.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import nbformat
import pytest

from tests.helpers import REPO

FOLDERS = ("notebooks", "examples")


def committed_notebooks() -> list[Path]:
    """Notebooks git tracks under notebooks/ (and examples/ if present); all of them outside a git checkout."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--", *(f"{f}/*.ipynb" for f in FOLDERS)],
            cwd=REPO,
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout.split("\0")
        found = [REPO / name for name in listed if name]
    except (OSError, subprocess.CalledProcessError):
        found = [p for f in FOLDERS for p in sorted((REPO / f).rglob("*.ipynb"))]
    return [p for p in found if ".ipynb_checkpoints" not in p.parts and p.exists()]


def canonical(path: Path) -> str:
    text = nbformat.writes(nbformat.read(path, as_version=4))
    return text if text.endswith("\n") else text + "\n"


def test_there_are_notebooks_to_check():
    assert any(p.parent.name == "notebooks" for p in committed_notebooks())


@pytest.mark.parametrize("path", committed_notebooks(), ids=lambda p: str(p.relative_to(REPO)))
def test_notebook_is_byte_identical_to_what_nbformat_writes(path):
    stored = path.read_bytes().decode("utf-8")
    expected = canonical(path)
    if stored != expected:
        stored_lines, expected_lines = stored.splitlines(), expected.splitlines()
        first = next(
            (i for i, (a, b) in enumerate(zip(stored_lines, expected_lines)) if a != b),
            min(len(stored_lines), len(expected_lines)),
        )
        pytest.fail(
            f"{path.relative_to(REPO)} is not in nbformat's layout (first difference at line {first + 1}: "
            f"{stored_lines[first : first + 1]!r} vs {expected_lines[first : first + 1]!r}). "
            f'Fix: python -c "import nbformat,sys; p=sys.argv[1]; '
            f'nbformat.write(nbformat.read(p, as_version=4), p)" {path.relative_to(REPO)}'
        )


def test_canonical_form_is_what_nbformat_write_produces(tmp_path):
    """The rule above really is nbformat.write's output (guards against a change in nbformat)."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("周恩来 · Пузанов")])
    target = tmp_path / "x.ipynb"
    nbformat.write(nb, target)
    assert target.read_text(encoding="utf-8") == canonical(target)
    assert target.read_bytes().endswith(b"}\n") and "周恩来".encode() in target.read_bytes()
