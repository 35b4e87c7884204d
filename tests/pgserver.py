"""A real PostgreSQL server for the tests and benchmarks, started here and thrown away.

It runs the machine's own binaries (``ESSAY_BOT_PG_BIN``, else the newest
``/usr/lib/postgresql/*/bin``, else ``initdb`` on ``PATH``) in a temporary data
directory, listening on 127.0.0.1 only, on a free port, with trust login for the one
user ``postgres``. PostgreSQL refuses to run as root, so as root the server runs as
``nobody``; the data directory lives under the system's temporary folder, never in the
checkout, so a checkout only its owner can read is no obstacle.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

NOBODY = 65534
START_TIMEOUT = 30.0
#: UTF-8 and the C locale whatever the machine has; no fsync of a throwaway cluster's files
INITDB_OPTIONS = ["-E", "UTF8", "--no-sync", "--locale=C"]


class Unavailable(RuntimeError):
    """No PostgreSQL server can be started here; the message says why."""


def find_binaries() -> Path:
    """The folder holding ``initdb`` and ``postgres``; ``Unavailable`` if there is none."""
    candidates: list[str] = []
    if os.environ.get("ESSAY_BOT_PG_BIN"):
        candidates.append(os.environ["ESSAY_BOT_PG_BIN"])
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name or 0)
    )
    candidates += reversed(found)
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(str(Path(on_path).resolve().parent))
    for folder in candidates:
        path = Path(folder)
        if (path / "initdb").is_file() and (path / "postgres").is_file():
            return path
    raise Unavailable(
        "no PostgreSQL server binaries (initdb, postgres) found; install the 'postgresql' "
        "package or set ESSAY_BOT_PG_BIN"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running server; ``url`` names its ``postgres`` database."""

    url: str
    port: int
    root: Path
    process: subprocess.Popen[bytes]

    def url_for(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def log(self) -> str:
        path = self.root / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        """Immediate shutdown (SIGQUIT: nothing to keep), then the data directory goes."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


def _as_server_user() -> dict[str, object]:
    """Popen arguments that drop root for the server (it refuses to run as root)."""
    if os.geteuid() != 0:
        return {}
    return {"user": NOBODY, "group": NOBODY, "extra_groups": []}


def start(*, settings: dict[str, str] | None = None) -> Server:
    """Init and start a server; ``Unavailable`` (with the server's words) if it cannot."""
    binaries = find_binaries()
    root = Path(tempfile.mkdtemp(prefix="essay-bot-pg-"))
    data = root / "data"
    drop = _as_server_user()
    if drop:
        os.chown(root, NOBODY, NOBODY)
    try:
        init = subprocess.run(
            [
                str(binaries / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                *INITDB_OPTIONS,
            ],
            capture_output=True,
            cwd=root,
            check=False,
            timeout=120,
            **drop,  # type: ignore[call-overload]
        )
        if init.returncode != 0:
            raise Unavailable(f"initdb failed: {init.stderr.decode(errors='replace')[-500:]}")
        options = {
            "listen_addresses": "127.0.0.1",
            "unix_socket_directories": "",
            "max_connections": "200",
            **(settings or {}),
        }
        port = _free_port()
        args = [str(binaries / "postgres"), "-D", str(data), "-p", str(port)]
        for name, value in options.items():
            args += ["-c", f"{name}={value}"]
        log = (root / "server.log").open("wb")
        if drop:
            os.chown(root / "server.log", NOBODY, NOBODY)
        process = subprocess.Popen(
            args,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=root,
            **drop,  # type: ignore[call-overload]
        )
        log.close()
        server = Server(f"postgresql://postgres@127.0.0.1:{port}/postgres", port, root, process)
        _wait_ready(server, binaries)
        return server
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise


def _wait_ready(server: Server, binaries: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise Unavailable(f"postgres exited at start: {server.log()[-800:]}")
        ready = subprocess.run(
            [str(binaries / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(server.port)],
            check=False,
        )
        if ready.returncode == 0:
            return
        time.sleep(0.1)
    server.process.kill()
    server.process.wait()
    raise Unavailable(f"postgres did not become ready: {server.log()[-800:]}")


@contextlib.contextmanager
def running(settings: dict[str, str] | None = None) -> Iterator[Server]:
    server = start(settings=settings)
    try:
        yield server
    finally:
        server.stop()
