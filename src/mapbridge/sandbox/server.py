"""Running the sandbox on a real socket: in a background thread for tests, or in the foreground."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from mapbridge.sandbox.app import create_app
from mapbridge.sandbox.config import SandboxConfig
from mapbridge.sandbox.gate import InjectedConnectionDrop
from mapbridge.sandbox.state import SandboxState
from mapbridge.sandbox.store import SandboxStore

logger = logging.getLogger(__name__)

STARTUP_TIMEOUT_SECONDS = 10.0
# Stalled requests (timeout_rate) may still be waiting when the server stops; they are
# cancelled after this grace period.
SHUTDOWN_GRACE_SECONDS = 1


class _DroppedConnectionFilter(logging.Filter):
    """Keeps uvicorn from logging a traceback for each connection the sandbox drops on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], InjectedConnectionDrop):
            logger.debug("Dropped a connection on purpose")
            return False
        return True


_DROP_FILTER = _DroppedConnectionFilter()


@dataclass
class RunningServer:
    """A sandbox listening on a real socket: its address, store and app state."""

    base_url: str
    app: Starlette

    @property
    def state(self) -> SandboxState:
        state: SandboxState = self.app.state.sandbox
        return state

    @property
    def store(self) -> SandboxStore:
        return self.state.store

    @property
    def config(self) -> SandboxConfig:
        """The current config, including changes made through ``PUT /_sandbox/config``."""
        return self.state.config


def _uvicorn_config(app: Starlette, host: str, port: int) -> uvicorn.Config:
    logging.getLogger("uvicorn.error").addFilter(_DROP_FILTER)
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        lifespan="off",
        access_log=False,
        log_config=None,
        timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
    )


@contextmanager
def running_server(
    config: SandboxConfig, host: str = "127.0.0.1", port: int = 0
) -> Iterator[RunningServer]:
    """Serve a sandbox on ``host:port`` (port 0 picks a free one) until the block ends.

    The server runs in a background thread; the block starts once it accepts connections.
    """
    app = create_app(config)
    listener = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    bound_port = listener.getsockname()[1]
    server = uvicorn.Server(_uvicorn_config(app, host, bound_port))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, name="mapbridge-sandbox", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(
                    f"The sandbox server on {host}:{bound_port} did not start within "
                    f"{STARTUP_TIMEOUT_SECONDS:.0f} s; see the log for the cause."
                )
            time.sleep(0.01)
        url_host = f"[{host}]" if ":" in host else host
        base_url = f"http://{url_host}:{bound_port}"
        logger.info("Sandbox server listening on %s", base_url)
        yield RunningServer(base_url, app)
    finally:
        server.should_exit = True
        thread.join(timeout=STARTUP_TIMEOUT_SECONDS + SHUTDOWN_GRACE_SECONDS)
        listener.close()
        app.state.sandbox.store.close()
        logger.info("Sandbox server on %s:%d stopped", host, bound_port)


def serve(config: SandboxConfig, host: str = "127.0.0.1", port: int = 8765) -> None:
    """Serve a sandbox in the foreground until interrupted (Ctrl+C)."""
    app = create_app(config)
    where = config.db_path or "memory"
    logger.info("Sandbox server starting on http://%s:%d (data: %s)", host, port, where)
    try:
        uvicorn.Server(_uvicorn_config(app, host, port)).run()
    finally:
        app.state.sandbox.store.close()
        logger.info("Sandbox server on %s:%d stopped", host, port)


def reset(db_path: Path) -> None:
    """Delete the sandbox database file and its SQLite side files; a missing file is fine."""
    for path in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        if path.exists():
            path.unlink()
            logger.info("Deleted %s", path)
