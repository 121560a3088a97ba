#!/usr/bin/env python3
"""Ollama's API at its HTTP boundary, for the tests that run the real binary (the console's browser tests,
deploy/check.py): GET /api/tags, GET /api/version and POST /api/chat answering a canned NDJSON stream from
agent/tests/fixtures/ollama/, cut into small pieces sent FAKE_OLLAMA_DELAY seconds apart (default 0.08) so clients
see tokens streaming.

The question of the last prompt picks the answer (a repair message gets its question's answer again): "par branche"
streams chat_branches.ndjson (a category and a count: a bar chart); "prénoms" streams chat_prenoms.ndjson (clients'
first names, which a steward may mark sensitive); "panne" answers 503 (the model is down); anything else streams
chat_paris.ndjson.
Prints the port it listens on, then serves until killed.
"""

import http.server
import json
import os
import sys
import time
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "agent/tests/fixtures/ollama"
ANSWERS = {
    "par branche": FIXTURES / "chat_branches.ndjson",
    "prénoms": FIXTURES / "chat_prenoms.ndjson",
    "paris": FIXTURES / "chat_paris.ndjson",
}
DEFAULT = FIXTURES / "chat_paris.ndjson"
PIECE = 14  # characters per streamed line
DELAY = float(os.environ.get("FAKE_OLLAMA_DELAY", "0.08"))  # seconds between lines


def pieces(line):
    """Cuts one NDJSON line's content into several lines of a few characters each."""
    message = json.loads(line)
    content = message.get("message", {}).get("content", "")
    if message.get("done") or len(content) <= PIECE:
        return [line]
    out = []
    for start in range(0, len(content), PIECE):
        piece = dict(message, message=dict(message["message"], content=content[start:start + PIECE]))
        out.append(json.dumps(piece, ensure_ascii=False))
    return out


class FakeOllama(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        body = {"/api/tags": {"models": [{"name": "ministral-3:3b", "modified_at": "2026-11-01T00:00:00Z",
                                          "size": 1}]},
                "/api/version": {"version": "0.13.5"}}.get(self.path)
        self.reply(200 if body else 404, body or {"error": "not found"})

    def do_POST(self):
        request = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
        if self.path != "/api/chat":
            self.reply(404, {"error": "not found"})
            return
        users = [m.get("content", "") for m in request.get("messages", []) if m.get("role") == "user"]
        # The agent puts the schema and documents before the question, after "Question :". A repair message (after
        # it, without one) gets the question's answer again: a model that insists on what was refused.
        prompts = [text for text in users if "Question :" in text] or users[-1:]
        question = prompts[-1].rsplit("Question :", 1)[-1].lower() if prompts else ""
        if "panne" in question:
            self.reply(503, {"error": "model is loading"})
            return
        path = next((path for marker, path in ANSWERS.items() if marker in question), DEFAULT)
        self.send_response(200)
        self.send_header("content-type", "application/x-ndjson")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        try:
            for line in path.read_text().splitlines():
                for piece in pieces(line):
                    time.sleep(DELAY)
                    data = (piece + "\n").encode()
                    self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                    self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the agent stopped the answer


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeOllama)
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()
