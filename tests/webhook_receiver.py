"""A real webhook receiver on loopback: verifies every signature with the standardwebhooks library.

Its answers are scripted: ``script`` holds the status of each next request (then ``default``);
``hang_for`` makes it wait before answering, as a stuck receiver would.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

HUNG = -1


@dataclass
class Received:
    webhook_id: str
    body: dict[str, Any]
    verified: bool
    answered: int


@dataclass
class Receiver:
    secret: str = ""
    script: list[int] = field(default_factory=list)
    default: int = 200
    hang_for: float = 0.0
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def answer(self, headers: dict[str, str], raw: bytes) -> int:
        try:
            Webhook(self.secret).verify(raw, headers)
            verified = True
        except WebhookVerificationError:
            verified = False
        with self.lock:
            status = self.script.pop(0) if self.script else self.default
            hang, self.hang_for = self.hang_for, 0.0  # one stuck answer, then back to normal
            # a hung answer comes too late for the sender: it is not counted as delivered
            answered = HUNG if hang else status
            self.received.append(Received(headers.get("webhook-id", ""), json.loads(raw), verified, answered))
        time.sleep(hang)
        return status

    def delivered_ids(self) -> set[str]:
        return {r.webhook_id for r in self.received if 200 <= r.answered < 300}


def start(receiver: Receiver) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("content-length", "0")))
            status = receiver.answer({k.lower(): v for k, v in self.headers.items()}, raw)
            try:
                self.send_response(status)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            except OSError:  # the sender gave up waiting and hung up
                pass

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    return server
