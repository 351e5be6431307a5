"""A real JupyterHub on 127.0.0.1, used the way students use it.

Shared by tests/test_hub.py and benchmarks/hub_memory.py (`make bench`), so both start the same hub:
configurable-http-proxy (npm), SharedPasswordAuthenticator (or ltiauthenticator's LTI 1.1
authenticator with `lti=`), SimpleLocalProcessSpawner with homes under a temporary folder,
single-user servers = JupyterLab with nbgitpuller, from this venv or, with `server_env=`, from the
hub image's environment (tests/imagekit.py: the package at <root>/srv/one-voice-1958, homes apart).

`Student` drives the hub over HTTP as a browser would: the login form with its `_xsrf` field, the
hub's "server starting" progress stream, nbgitpuller's status page and the event stream its script
reads, the contents API (with the `X-XSRFToken` header for writes) and the kernel websocket.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit

import psutil
import requests
import websocket

from tests.helpers import REPO, free_port, root_flag

VENV_BIN = Path(sys.executable).parent
LAB_OVERRIDES = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
REMOTE_NAME = "one-voice-1958.git"  # the clone folder on the hub is "one-voice-1958"
HTTP_TIMEOUT = 30


class HubError(RuntimeError):
    """Something a student would see as a failure (the message carries the evidence)."""


def proxy_command() -> str | None:
    """configurable-http-proxy comes from npm (`npm install -g configurable-http-proxy`)."""
    return shutil.which("configurable-http-proxy")


def bare_remote(folder: Path) -> Path:
    """A bare clone of this repository (its committed history, as CI's clean clone has it): the course's remote."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / REMOTE_NAME
    subprocess.run(
        ["git", "clone", "--bare", "--quiet", str(REPO), str(target)],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return target


def printed_lti_links(hub_url: str, repo_url: str, lesson: str) -> tuple[str, str]:
    """(launch URL, custom parameter) exactly as `one-voice links --hub ... --lti` prints them."""
    out = subprocess.run(
        [str(VENV_BIN / "one-voice"), "links", "--hub", hub_url, "--repo", repo_url, "--lesson", lesson, "--lti"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    launch = [line.strip() for line in out.splitlines() if line.strip().startswith(f"{hub_url}/hub/lti/launch?")]
    custom = [line.strip() for line in out.splitlines() if line.strip().startswith("next=/hub/user-redirect/git-pull?")]
    if len(launch) != 1 or len(custom) != 1:
        raise HubError(f"`one-voice links --lti` printed no single launch URL and custom parameter:\n{out}")
    return launch[0], custom[0]


def printed_hub_link(hub_url: str, repo_url: str, lesson: str) -> str:
    """The nbgitpuller link exactly as `one-voice links --hub ... --repo ... --lesson ...` prints it."""
    out = subprocess.run(
        [str(VENV_BIN / "one-voice"), "links", "--hub", hub_url, "--repo", repo_url, "--lesson", lesson],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    found = [line.strip() for line in out.splitlines() if line.strip().startswith(f"{hub_url}/hub/")]
    if len(found) != 1:
        raise HubError(f"`one-voice links` printed no single hub link:\n{out}")
    return found[0]


@dataclass(frozen=True)
class LTI:
    """An LMS's LTI 1.1 consumer key and shared secret (LTI11Authenticator.consumers)."""

    key: str
    secret: str


def _auth_config(users: list[str], lti: LTI | None) -> list[str]:
    q = json.dumps
    if lti is None:
        return [
            "c.JupyterHub.authenticator_class = 'jupyterhub.authenticators.shared.SharedPasswordAuthenticator'",
            "c.SharedPasswordAuthenticator.user_password = os.environ['ONE_VOICE_HUB_PASSWORD']",
            f"c.Authenticator.allowed_users = set({q(users)})",
        ]
    # As in docs/deploying-on-a-hub.md: the LMS's user_id is the hub username.
    return [
        "c.JupyterHub.authenticator_class = 'ltiauthenticator.lti11.auth.LTI11Authenticator'",
        f"c.LTI11Authenticator.consumers = {{{q(lti.key)}: os.environ['ONE_VOICE_LTI_SECRET']}}",
        "c.LTI11Authenticator.username_key = 'user_id'",
        f"c.Authenticator.allowed_users = set({q(users)})",
    ]


def _config(
    state: Path,
    users: list[str],
    ports: dict[str, int],
    proxy: str,
    server_bin: Path = VENV_BIN,
    lti: LTI | None = None,
) -> str:
    q = json.dumps
    return "\n".join(
        [
            "c = get_config()  # noqa: F821",
            "import os",
            "c.JupyterHub.ip = '127.0.0.1'",
            f"c.JupyterHub.port = {ports['public']}",
            "c.JupyterHub.hub_ip = '127.0.0.1'",
            f"c.JupyterHub.hub_port = {ports['hub']}",
            f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{ports['proxy_api']}'",
            f"c.ConfigurableHTTPProxy.command = [{q(proxy)}]",
            f"c.ConfigurableHTTPProxy.pid_file = {q(str(state / 'proxy.pid'))}",
            # CONFIGPROXY_AUTH_TOKEN and JPY_COOKIE_SECRET come from the environment.
            f"c.JupyterHub.db_url = {q('sqlite:///' + str(state / 'jupyterhub.sqlite'))}",
            f"c.JupyterHub.pid_file = {q(str(state / 'jupyterhub.pid'))}",
            "c.JupyterHub.cleanup_servers = True",
            "c.JupyterHub.cleanup_proxy = True",
            *_auth_config(users, lti),
            "c.JupyterHub.spawner_class = 'jupyterhub.spawner.SimpleLocalProcessSpawner'",
            f"c.SimpleLocalProcessSpawner.home_dir_template = {q(str(state / 'home' / '{username}'))}",
            f"c.Spawner.cmd = [{q(str(server_bin / 'jupyterhub-singleuser'))}]",
            # The server's environment first on PATH (a container's PATH), and none of the test venv's variables.
            f"c.Spawner.environment = {{'PATH': {q(str(server_bin) + os.pathsep)} + os.environ.get('PATH', '')}}",
            "c.Spawner.env_keep = ['PATH', 'LANG', 'LC_ALL']",
            f"c.Spawner.args = {q(root_flag())}",
            "c.Spawner.ip = '127.0.0.1'",
            "c.Spawner.default_url = '/lab'",
            "c.Spawner.disable_user_config = True",
            "c.Spawner.start_timeout = 180",
            "c.Spawner.http_timeout = 180",
            "",
        ]
    )


@dataclass
class Hub:
    url: str  # the public (proxy) address, http://127.0.0.1:PORT
    state: Path
    process: subprocess.Popen
    password: str
    log_path: Path
    lti: LTI | None = None

    def home(self, user: str) -> Path:
        return self.state / "home" / user

    def student(self, name: str) -> Student:
        return Student(self, name)

    def log_tail(self, chars: int = 6000) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]

    def processes(self) -> dict[str, list[psutil.Process]]:
        """The hub's process tree by role: hub, proxy, servers (single-user JupyterLab), kernels."""
        hub = psutil.Process(self.process.pid)
        found: dict[str, list[psutil.Process]] = {"hub": [hub], "proxy": [], "servers": [], "kernels": []}
        for child in hub.children(recursive=True):
            try:
                cmd = " ".join(child.cmdline())
            except psutil.Error:
                continue
            if "configurable-http-proxy" in cmd:
                found["proxy"].append(child)
            elif "jupyterhub-singleuser" in cmd:
                found["servers"].append(child)
            elif "ipykernel_launcher" in cmd:
                found["kernels"].append(child)
        return found

    def stop(self, timeout: float = 30) -> None:
        """Stop the hub (which stops the proxy and the servers), then end anything of ours still running."""
        try:
            leftovers = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.Error:
            leftovers = []
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        alive = [p for p in leftovers if _alive(p)]
        for proc in alive:
            try:
                proc.terminate()
            except psutil.Error:
                pass
        _, still = psutil.wait_procs(alive, timeout=10)
        for proc in still:
            try:
                proc.kill()
            except psutil.Error:
                pass


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


@contextmanager
def running_hub(
    state: Path, users: list[str], timeout: float = 90, server_env: Path | None = None, lti: bool = False
) -> Iterator[Hub]:
    """Start JupyterHub from this venv on free 127.0.0.1 ports; always shut it down.

    server_env: the environment (a prefix with bin/) the single-user servers run from; default this venv.
    lti: log students in through ltiauthenticator's LTI 1.1 launch instead of a shared password.
    """
    proxy = proxy_command()
    if proxy is None:
        raise HubError("configurable-http-proxy is not on PATH: npm install -g configurable-http-proxy")
    (state / "home").mkdir(parents=True, exist_ok=True)
    chosen: set[int] = set()
    while len(chosen) < 3:
        chosen.add(free_port())
    ports = dict(zip(("public", "hub", "proxy_api"), sorted(chosen)))
    config = state / "jupyterhub_config.py"
    consumer = LTI(key="one-voice-lms", secret=secrets.token_hex(16)) if lti else None
    server_bin = Path(server_env) / "bin" if server_env else VENV_BIN
    config.write_text(_config(state, users, ports, proxy, server_bin, consumer), encoding="utf-8")
    password = secrets.token_urlsafe(12)
    env = {
        **os.environ,
        "CONFIGPROXY_AUTH_TOKEN": secrets.token_hex(32),
        "JPY_COOKIE_SECRET": secrets.token_hex(32),
        "ONE_VOICE_HUB_PASSWORD": password,
        "ONE_VOICE_LTI_SECRET": consumer.secret if consumer else "",
    }
    env.pop("ONE_VOICE_PROGRESS", None)
    log_path = state / "jupyterhub.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(VENV_BIN / "jupyterhub"), "-f", str(config)],
            cwd=state,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    hub = Hub(
        url=f"http://127.0.0.1:{ports['public']}",
        state=state,
        process=process,
        password=password,
        log_path=log_path,
        lti=consumer,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise HubError(f"JupyterHub exited with {process.returncode}:\n{hub.log_tail()}")
            try:
                if requests.get(f"{hub.url}/hub/api", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise HubError(f"JupyterHub did not answer within {timeout}s:\n{hub.log_tail()}")
            time.sleep(0.5)
        yield hub
    finally:
        hub.stop()


def _events(response: requests.Response) -> Iterator[dict]:
    """The `data:` events of a text/event-stream response."""
    for line in response.iter_lines(decode_unicode=True):
        if line and line.startswith("data:"):
            yield json.loads(line[5:].strip())


class Student:
    """One student's browser: a cookie jar and the requests their pages' scripts would make."""

    def __init__(self, hub: Hub, name: str):
        self.hub, self.name = hub, name
        self.session = requests.Session()
        self.prefix = f"/user/{name}/"

    # -- hub: login and server start -------------------------------------------------------------
    def login(self, timeout: float = 180) -> requests.Response:
        form = self.session.get(f"{self.hub.url}/hub/login", timeout=HTTP_TIMEOUT)
        match = re.search(r'name="_xsrf" value="([^"]+)"', form.text)
        if not match:
            raise HubError(f"no _xsrf field on the login page ({form.status_code})")
        page = self.session.post(
            f"{self.hub.url}/hub/login",
            timeout=HTTP_TIMEOUT,
            data={"username": self.name, "password": self.hub.password, "_xsrf": html.unescape(match.group(1))},
        )
        if page.status_code != 200 or "/hub/login" in page.url:
            raise HubError(f"{self.name} could not log in ({page.status_code} at {page.url})")
        return self.wait_for_server(page, timeout)

    def lti_launch(self, launch_url: str, custom_next: str | None = None, timeout: float = 180) -> requests.Response:
        """What the LMS makes the student's browser do: POST an OAuth 1.0a-signed LTI 1.1 launch to launch_url.

        The form carries the LTI 1.1 required fields, the LMS's user_id (= this student's name) and, if given,
        `custom_next` (an LMS custom parameter `next=...`). Signed here with oauthlib (HMAC-SHA1, body signature)
        with the hub's consumer secret, as the LMS signs it. Returns the page the student ends on.
        """
        from oauthlib.oauth1 import SIGNATURE_HMAC_SHA1, SIGNATURE_TYPE_BODY, Client

        if self.hub.lti is None:
            raise HubError("this hub was not started with lti=True")
        form = {
            "lti_message_type": "basic-lti-launch-request",
            "lti_version": "LTI-1p0",
            "resource_link_id": "one-voice-1958-lesson",
            "resource_link_title": "One Voice, 1958",
            "context_id": "history-101",
            "roles": "Learner",
            "user_id": self.name,
            "lis_person_name_full": f"Student {self.name}",
        }
        if custom_next is not None:
            form["custom_next"] = custom_next
        client = Client(
            self.hub.lti.key,
            client_secret=self.hub.lti.secret,
            signature_method=SIGNATURE_HMAC_SHA1,
            signature_type=SIGNATURE_TYPE_BODY,
        )
        uri, headers, body = client.sign(
            launch_url, http_method="POST", body=form, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        page = self.session.post(uri, data=body, headers=headers, timeout=HTTP_TIMEOUT)
        if page.status_code >= 400:
            raise HubError(f"LTI launch refused ({page.status_code} at {page.url}): {page.text[:300]}")
        return page

    def wait_for_server(self, page: requests.Response, timeout: float = 180) -> requests.Response:
        """On the hub's "server is starting" page, read its progress stream (as its script does), then reload."""
        deadline = time.monotonic() + timeout
        while "/hub/spawn-pending/" in urlsplit(page.url).path:
            match = re.search(r'new EventSource\("([^"]+)"\)', page.text)
            if not match:
                raise HubError(f"no progress stream on {page.url}")
            url = self.hub.url + html.unescape(match.group(1))
            with self.session.get(url, stream=True, timeout=HTTP_TIMEOUT) as stream:
                for event in _events(stream):
                    if event.get("failed"):
                        raise HubError(f"{self.name}'s server failed to start: {event}\n{self.hub.log_tail()}")
                    if event.get("ready"):
                        break
            if time.monotonic() > deadline:
                raise HubError(f"{self.name}'s server did not start within {timeout}s\n{self.hub.log_tail()}")
            page = self.session.get(page.url, timeout=HTTP_TIMEOUT)
        if page.status_code != 200:
            raise HubError(f"{self.name} landed on {page.url} with {page.status_code}")
        return page

    # -- nbgitpuller -------------------------------------------------------------------------------
    def follow_link(self, link: str, timeout: float = 180, page: requests.Response | None = None) -> dict:
        """Open an nbgitpuller link: its status page, the pull's event stream, then the page it sends you to.

        `page`: the response a link already led to (e.g. an LTI launch's redirect), instead of fetching `link`.
        Returns {"events": [...], "landed": final URL, "status": its HTTP status}.
        """
        page = self.wait_for_server(page if page is not None else self.session.get(link, timeout=HTTP_TIMEOUT), timeout)
        data = {k: unquote(html.unescape(v)) for k, v in re.findall(r'data-([a-z-]+)="([^"]*)"', page.text)}
        if "repo" not in data or "base-url" not in data:
            raise HubError(f"{link} did not show nbgitpuller's status page (landed on {page.url})")
        query = {"_xsrf": data["xsrf"], "repo": data["repo"], "targetpath": data["targetpath"]}
        query.update({k: data[k] for k in ("depth", "branch", "backup") if k in data})
        api = f"{self.hub.url}{data['base-url']}git-pull/api?{urlencode(query)}"
        events: list[dict] = []
        deadline = time.monotonic() + timeout
        with self.session.get(api, stream=True, timeout=timeout) as stream:
            for event in _events(stream):
                events.append(event)
                if event.get("phase") in ("finished", "error") or time.monotonic() > deadline:
                    break
        if not events or events[-1].get("phase") != "finished":
            raise HubError(f"{self.name}: the pull did not finish: {events[-3:]}")
        landed = self.session.get(f"{self.hub.url}{data['base-url']}{data['path']}", timeout=HTTP_TIMEOUT)
        return {"events": events, "landed": landed.url, "status": landed.status_code, "path": data["path"]}

    # -- the single-user server's REST API -------------------------------------------------------
    def _xsrf(self) -> str:
        token = self.session.cookies.get("_xsrf", path=self.prefix.rstrip("/")) or self.session.cookies.get(
            "_xsrf", path=self.prefix
        )
        if not token:
            self.session.get(f"{self.hub.url}{self.prefix}lab", timeout=HTTP_TIMEOUT)
            token = self.session.cookies.get("_xsrf", path=self.prefix.rstrip("/")) or self.session.cookies.get(
                "_xsrf", path=self.prefix
            )
        if not token:
            raise HubError(f"no _xsrf cookie for {self.prefix}: {[(c.name, c.path) for c in self.session.cookies]}")
        return token

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"X-XSRFToken": self._xsrf()} if method.upper() not in ("GET", "HEAD") else {}
        return self.session.request(
            method,
            f"{self.hub.url}{self.prefix}{path}",
            headers=headers,
            timeout=HTTP_TIMEOUT,
            allow_redirects=False,
            **kwargs,
        )

    def contents(self, path: str) -> requests.Response:
        return self.api("GET", f"api/contents/{path}")

    def wait_for_file(self, path: str, timeout: float = 60) -> dict:
        """Poll the contents API until the file is there; its model."""
        deadline = time.monotonic() + timeout
        while True:
            response = self.contents(path)
            if response.status_code == 200:
                return response.json()
            if time.monotonic() > deadline:
                raise HubError(f"{path} not served to {self.name} after {timeout}s ({response.status_code})")
            time.sleep(0.5)

    def save_notebook(self, path: str, notebook: dict) -> dict:
        response = self.api(
            "PUT", f"api/contents/{path}", json={"type": "notebook", "format": "json", "content": notebook}
        )
        if response.status_code not in (200, 201):
            raise HubError(f"saving {path} failed: {response.status_code} {response.text[:500]}")
        return response.json()

    # -- kernels ---------------------------------------------------------------------------------
    def open_notebook(self, path: str) -> dict:
        """What JupyterLab does when a notebook opens: a session with a python3 kernel (cwd = the notebook's folder)."""
        response = self.api(
            "POST",
            "api/sessions",
            json={"path": path, "name": Path(path).name, "type": "notebook", "kernel": {"name": "python3"}},
        )
        if response.status_code not in (200, 201):
            raise HubError(f"opening {path} failed: {response.status_code} {response.text[:500]}")
        return response.json()

    def run_code(self, session: dict, code: str) -> str:
        """Run one piece of code in the session's kernel; what it printed (raises HubError if it failed)."""
        out: list[str] = []
        errors = self.run_all(session, {"cells": [{"cell_type": "code", "source": code}]}, stdout=out)
        if errors:
            raise HubError(f"{code!r} failed in {self.name}'s kernel: {errors}")
        return "".join(out)

    def close_notebook(self, session: dict) -> None:
        self.api("DELETE", f"api/sessions/{session['id']}")

    def run_all(
        self, session: dict, notebook: dict, cell_timeout: float = 180, stdout: list[str] | None = None
    ) -> list[dict]:
        """Run every code cell in the session's kernel over its websocket, as "Run All" does.

        Returns the errors (`error` messages and failed replies), one dict per failing cell; the cells'
        printed text is appended to `stdout` if a list is given.
        """
        cookie = "; ".join(
            f"{c.name}={c.value}"
            for c in self.session.cookies
            if self.prefix.startswith(c.path.rstrip("/") + "/") or c.path == "/"
        )
        host = urlsplit(self.hub.url).netloc
        client_session = uuid.uuid4().hex
        ws = websocket.create_connection(
            f"ws://{host}{self.prefix}api/kernels/{session['kernel']['id']}/channels?session_id={client_session}",
            header=[f"Cookie: {cookie}", f"X-XSRFToken: {self._xsrf()}"],
            timeout=cell_timeout,
        )
        errors = []
        try:
            for index, cell in enumerate(notebook["cells"]):
                if cell["cell_type"] != "code":
                    continue
                source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                msg_id = uuid.uuid4().hex
                ws.send(
                    json.dumps(
                        {
                            "header": {
                                "msg_id": msg_id,
                                "msg_type": "execute_request",
                                "username": self.name,
                                "session": client_session,
                                "version": "5.3",
                                "date": dt.datetime.now(dt.timezone.utc).isoformat(),
                            },
                            "parent_header": {},
                            "metadata": {},
                            "buffers": [],
                            "channel": "shell",
                            "content": {
                                "code": source,
                                "silent": False,
                                "store_history": True,
                                "user_expressions": {},
                                "allow_stdin": False,
                                "stop_on_error": True,
                            },
                        }
                    )
                )
                replied = idle = False
                deadline = time.monotonic() + cell_timeout
                while not (replied and idle):
                    if time.monotonic() > deadline:
                        raise HubError(f"cell {index} did not finish within {cell_timeout}s")
                    msg = json.loads(ws.recv())
                    if msg.get("parent_header", {}).get("msg_id") != msg_id:
                        continue
                    kind = msg["header"]["msg_type"]
                    if kind == "stream" and stdout is not None and msg["content"].get("name") == "stdout":
                        stdout.append(msg["content"]["text"])
                    elif kind == "error":
                        errors.append(
                            {"cell": index, "ename": msg["content"]["ename"], "evalue": msg["content"]["evalue"]}
                        )
                    elif kind == "execute_reply":
                        replied = True
                        if msg["content"]["status"] != "ok" and not any(e["cell"] == index for e in errors):
                            errors.append(
                                {
                                    "cell": index,
                                    "ename": msg["content"].get("ename", "?"),
                                    "evalue": msg["content"].get("evalue", msg["content"]["status"]),
                                }
                            )
                    elif kind == "status" and msg["content"]["execution_state"] == "idle":
                        idle = True
        finally:
            ws.close()
        return errors
