"""``digest serve``: build, serve on 127.0.0.1, rebuild on every change until Ctrl-C."""
from __future__ import annotations

import signal
import sys
import threading

from generator.config import Config
from generator.serve import ServeSession

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def public_host_warning(host: str) -> str | None:
    if host in LOCAL_HOSTS or host.startswith("127."):
        return None
    return (f"warning: listening on {host}: anyone who can reach this machine can read the preview "
            "and the files in the output folder")


def _terminate(signum, frame):
    raise KeyboardInterrupt


def run(config: Config, *, host: str = "127.0.0.1", port: int = 8000) -> int:
    warning = public_host_warning(host)
    if warning:
        print(warning, file=sys.stderr)
    session = ServeSession(config, host=host, port=port)      # raises DigestError if the port is taken
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)             # `kill` stops as cleanly as Ctrl-C
    try:
        session.start()
        print(f"Serving {session.url} (Ctrl-C to stop)", file=sys.stderr, flush=True)
        # Short waits: the kernel may hand Ctrl-C to any thread, and Python runs the handler
        # only when the main thread next executes bytecode; a long wait would hide it.
        forever = threading.Event()
        while not forever.wait(0.25):
            pass
    except KeyboardInterrupt:
        print("\nstopping", file=sys.stderr)
    finally:
        session.stop()
    return 0
