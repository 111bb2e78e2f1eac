"""`make run` serves the archive as readers see it: the seed loaded, the site's own error
pages (not Django's debugging ones), its styles served. Through real HTTP, on a fresh
SQLite file."""

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_make_run_serves_the_seed_with_the_sites_own_error_pages(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'run.sqlite3'}"
    # Its output to a file: a pipe nobody reads would stop the server once full.
    log = tmp_path / "run.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            ["make", "-s", "run", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # runserver's reloader is a child: stop the whole group
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, home = _get(f"{base}/")
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "make run did not start serving"
                time.sleep(0.5)
        assert status == 200
        assert "Andrew Lansley" in _get(f"{base}/speakers/")[1]

        status, page = _get(f"{base}/speakers/no-such-speaker/")
        assert status == 404
        assert "Page not found — Health Policy Archive" in page
        assert "Django tried these URL patterns" not in page
        assert "DEBUG = True" not in page

        status, css = _get(f"{base}/static/css/archive.css")
        assert status == 200 and css
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
