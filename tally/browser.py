"""Headless Debian Chromium and a local static server, shared by the browser tests, the PDF
printer (``scripts/make_pdf.py``) and the throttled benchmark (``scripts/bench_browser.py``).

Playwright drives ``/usr/bin/chromium`` (never a browser it downloads). The flags keep Chromium
from calling any other host on its own (background networking, component updates, sync, QUIC,
translation), so that every request a page makes is one the page itself asked for.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-features=Translate,MediaRouter",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, without a log line per request."""

    def log_message(self, *args):
        pass


def serve(folder: Path, handler: type[http.server.SimpleHTTPRequestHandler] = QuietHandler):
    """Serve ``folder`` on 127.0.0.1 at a free port, in a daemon thread; returns the server
    (its port is ``server.server_address[1]``; call ``server.shutdown()`` when done)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
