"""Fixtures for tests outside the package (browser tests).

``demo_server`` runs the real app the way ``make run`` does: its own SQLite database in a
temporary directory, migrated, the Oss demo loaded, served by ``wijkwijs runserver`` in a
subprocess. Browser tests that only read the demo use it; it is independent of the test database
(and of DATABASE_URL), so transactional tests elsewhere cannot wipe its data.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    var = tmp_path_factory.mktemp("demo-server")
    env = {**os.environ, "WIJKWIJS_VAR_DIR": str(var), "DATABASE_URL": "", "WIJKWIJS_DEMO": "true",
           "WIJKWIJS_TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    cli = [sys.executable, "-m", "wijkwijs.manage"]
    for args in (["migrate", "--noinput", "-v0"], ["demo_load"]):
        subprocess.run([*cli, *args], env=env, check=True, cwd=var, capture_output=True)
    port = _free_port()
    log = (Path(var) / "server.log").open("w")
    proc = subprocess.Popen([*cli, "runserver", "--noreload", f"127.0.0.1:{port}"], env=env, cwd=var,
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # up to about a minute on a loaded machine
            try:
                urllib.request.urlopen(url + "/", timeout=2)  # noqa: S310 (loopback only)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError((Path(var) / "server.log").read_text()) from None
                time.sleep(0.2)
        else:
            raise RuntimeError("the demo server did not answer within a minute:\n" + (Path(var) / "server.log").read_text())
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
