"""The hub image's layout, reproduced without Docker (issue 16).

`repo2docker --no-build --debug .` prints the Dockerfile a hub image is built from. The steps that
matter for where the collection ends up are:

    ARG REPO_DIR=${HOME}                      # --target-repo-dir sets this build argument
    WORKDIR ${REPO_DIR}
    COPY src/ ${REPO_DIR}/                    # the repository
    RUN ${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "binder/requirements.txt"
    RUN ./binder/postBuild

with the environment at ${NB_PYTHON_PREFIX} = /srv/conda/envs/notebook and HOME = /home/jovyan.
A hub with persistent storage then mounts each student's volume at /home/jovyan, which hides
whatever the image put there, and nbgitpuller clones the lessons into ~/one-voice-1958.

`build()` does the same under a temporary root, with a venv standing for the conda environment:
the repository's tracked files are copied to REPO_DIR, `pip install -r binder/requirements.txt`
runs there, then `binder/postBuild`. `student_home()` then mounts an empty "volume" over HOME
(the image's HOME is moved aside, as a mount hides it) and copies the lessons in as nbgitpuller
would. Two layouts:

- "srv":  REPO_DIR = <root>/srv/one-voice-1958 (the guide's `--target-repo-dir /srv/one-voice-1958`);
- "home": REPO_DIR = HOME (repo2docker's default, which the guide used before issue 16).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import venv
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import REPO

FOLDER = "one-voice-1958"  # the clone folder nbgitpuller makes in the student's home
HARNESS = ["pytest", "nbval"]  # not in the image; installed beside it to run the lessons under nbval
PIP_TIMEOUT = 1200


@dataclass
class Image:
    root: Path
    layout: str
    env: Path  # stands for ${NB_PYTHON_PREFIX}
    repo_dir: Path  # ${REPO_DIR}
    home: Path  # ${HOME} = /home/jovyan

    @property
    def bin(self) -> Path:
        return self.env / "bin"

    def environ(self, home: Path | None = None) -> dict[str, str]:
        """The container's environment: the image's PATH first, HOME, nothing from the test's own venv."""
        env = {
            k: v
            for k, v in os.environ.items()
            if k
            not in (
                "VIRTUAL_ENV",
                "PYTHONPATH",
                "PYTHONHOME",
                "ONE_VOICE_PROGRESS",
                "ONE_VOICE_DATA",
                "ONE_VOICE_NOTEBOOKS",
                "JUPYTER_PATH",
                "JUPYTER_CONFIG_DIR",
                "JUPYTER_DATA_DIR",
            )
        }
        env.update(
            {
                "PATH": f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}",
                "HOME": str(home or self.home),
                "NB_PYTHON_PREFIX": str(self.env),
                "REPO_DIR": str(self.repo_dir),
            }
        )
        return env

    def run(
        self, args: list[str], cwd: Path, timeout: float = PIP_TIMEOUT, home: Path | None = None
    ) -> subprocess.CompletedProcess:
        return subprocess.run(args, cwd=cwd, env=self.environ(home), capture_output=True, text=True, timeout=timeout)


class ImageBuildError(RuntimeError):
    pass


def copy_tracked(dest: Path) -> Path:
    """The repository as `COPY src/` gets it: every tracked file of the working tree (edits included)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, check=True, capture_output=True, timeout=60).stdout
    dest.mkdir(parents=True, exist_ok=True)
    for name in filter(None, listed.decode("utf-8").split("\0")):
        source = REPO / name
        if source.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return dest


def _checked(result: subprocess.CompletedProcess, what: str) -> subprocess.CompletedProcess:
    if result.returncode != 0:
        raise ImageBuildError(f"{what} failed ({result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    return result


def layout_dirs(root: Path, layout: str) -> tuple[Path, Path]:
    """(REPO_DIR, HOME) for a layout."""
    home = root / "home" / "jovyan"
    if layout == "srv":
        return root / "srv" / FOLDER, home
    if layout == "home":
        return home, home
    raise ValueError(f"unknown layout {layout!r}: 'srv' or 'home'")


def build(root: Path, layout: str = "srv", env: Path | None = None) -> Image:
    """Build the image's files under root. With `env`, reuse that environment (only `-e .` is reinstalled)."""
    repo_dir, home = layout_dirs(root, layout)
    home.mkdir(parents=True, exist_ok=True)  # useradd --create-home
    if repo_dir.exists() and any(repo_dir.iterdir()) and repo_dir != home:
        raise ImageBuildError(f"{repo_dir} is not empty")
    copy_tracked(repo_dir)
    fresh = env is None
    env = env or root / "srv" / "conda" / "envs" / "notebook"
    image = Image(root=root, layout=layout, env=env, repo_dir=repo_dir, home=home)
    if fresh:
        venv.EnvBuilder(with_pip=True).create(env)
    _checked(
        image.run(
            [str(image.bin / "python"), "-m", "pip", "install", "-q", "-r", "binder/requirements.txt"], cwd=repo_dir
        ),
        "pip install -r binder/requirements.txt",
    )
    _checked(image.run(["bash", "binder/postBuild"], cwd=repo_dir, timeout=120), "binder/postBuild")
    if fresh:
        _checked(
            image.run([str(image.bin / "python"), "-m", "pip", "install", "-q", *HARNESS], cwd=root),
            "pip install " + " ".join(HARNESS),
        )
    return image


def mount_empty_home(image: Image) -> Path:
    """What a home volume does: HOME becomes an empty folder; what the image had there is hidden (moved aside)."""
    hidden = image.home.with_name(image.home.name + ".hidden-by-volume")
    if hidden.exists():
        shutil.rmtree(hidden)
    if image.home.exists():
        image.home.rename(hidden)
    image.home.mkdir(parents=True)
    return image.home


def student_home(image: Image) -> Path:
    """An empty home volume with the lessons cloned in, as the first nbgitpuller click leaves it; the clone."""
    home = mount_empty_home(image)
    assert not any(home.iterdir())
    return copy_tracked(home / FOLDER)


def run_lessons(
    image: Image, clone: Path, lessons: list[str] | None = None, timeout: float = 1500
) -> subprocess.CompletedProcess:
    """Strict nbval on the student's copy of the lessons, from the image's environment, HOME = the volume."""
    targets = [f"notebooks/{slug}.ipynb" for slug in lessons] if lessons else ["notebooks/"]
    return image.run(
        [
            str(image.bin / "python"),
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            "--nbval",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            "tests/sanitize.cfg",
            "-q",
            *targets,
        ],
        cwd=clone,
        timeout=timeout,
    )


_SHARED: dict[str, Image] = {}


def shared_image(tmp_path_factory) -> Image:
    """One "srv" image per pytest session, shared by tests/test_setup.py and tests/test_hub.py."""
    if "srv" not in _SHARED:
        _SHARED["srv"] = build(tmp_path_factory.mktemp("image"), "srv")
    return _SHARED["srv"]


def reinstall(image: Image) -> None:
    """Point the environment's editable install back at this image's REPO_DIR (after another layout used it)."""
    _checked(
        image.run(
            [str(image.bin / "python"), "-m", "pip", "install", "-q", "--no-deps", "-e", "."], cwd=image.repo_dir
        ),
        "pip install -e .",
    )


def course_location(image: Image, cwd: Path, home: Path | None = None) -> subprocess.CompletedProcess:
    """Where `import course` resolves for a kernel started in cwd (a lesson's folder)."""
    return image.run(
        [
            str(image.bin / "python"),
            "-c",
            "import course, course.settings as p; print(course.__file__); print(p.data_dir())",
        ],
        cwd=cwd,
        timeout=60,
        home=home,
    )
