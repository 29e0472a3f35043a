# Switchboard's addition to llama.cpp's router tests (copied to unit/ by run-upstream-tests.sh): a
# Python `requests` client (urllib3 2.x waits for the CRLF that ends an HTTP chunk) must see every
# event of /models/sse and of a streamed chat within 50 ms of its bytes reaching the client's socket.
# A server that leaves a chunk's CRLF for the next write (Jetty's own chunking) fails this: each event
# then waits for the next one.
import socket
import threading
import time

import pytest
from utils import *

MODEL = "ggml-org/tinygemma3-GGUF:Q8_0"
LATENCY = 0.050

server: ServerProcess
_arrivals: dict = {}  # id(socket) -> list of (time, cumulative bytes, bytes)
_lock = threading.Lock()
_recv_into = socket.socket.recv_into


def _timed_recv_into(self, buffer, nbytes=0, flags=0):
    n = _recv_into(self, buffer, nbytes, flags)
    if n:
        now = time.monotonic()
        with _lock:
            log = _arrivals.setdefault(id(self), [])
            total = log[-1][1] if log else 0
            log.append((now, total + n, bytes(memoryview(buffer)[:n])))
    return n


@pytest.fixture(autouse=True)
def create_server():
    global server
    server = ServerPreset.router()
    socket.socket.recv_into = _timed_recv_into
    yield
    socket.socket.recv_into = _recv_into


def _arrival_of(needle: bytes, after: int) -> tuple[float, int]:
    """when the socket received the end of the first occurrence of needle past byte `after`"""
    with _lock:
        logs = [list(log) for log in _arrivals.values()]
    for log in logs:
        raw = b"".join(chunk for _, _, chunk in log)
        at = raw.find(needle, after)
        if at >= 0:
            end = at + len(needle)
            for when, total, _ in log:
                if total >= end:
                    return when, end
    raise AssertionError(f"{needle!r} never reached the socket")


def _events(response, count=None):
    """(event line, time the client got it, latency since its bytes arrived)"""
    seen, offset = [], 0
    for line in response.iter_lines():
        got = time.monotonic()
        if not line.startswith(b"data: "):
            continue
        arrived, offset = _arrival_of(line, offset)
        seen.append((line, got - arrived))
        if (count is not None and len(seen) >= count) or b"[DONE]" in line:
            break
    return seen


def test_streamed_chat_events_reach_a_requests_client_at_once():
    server.start()
    url = f"http://{server.server_host}:{server.server_port}/v1/chat/completions"
    body = {"model": MODEL, "stream": True, "max_tokens": 16, "messages": [{"role": "user", "content": "hello"}]}
    _arrivals.clear()
    with requests.post(url, json=body, stream=True, timeout=60) as response:
        assert response.status_code == 200
        events = _events(response)
    assert len(events) > 2
    late = [(line[:60], round(lag * 1000)) for line, lag in events if lag > LATENCY]
    assert not late, f"events seen more than 50 ms after their bytes arrived: {late}"


def test_model_events_reach_a_requests_client_at_once():
    server.start()
    url = f"http://{server.server_host}:{server.server_port}/models/sse"
    _arrivals.clear()
    with requests.get(url, stream=True, timeout=60) as response:
        assert response.status_code == 200
        load = server.make_request("POST", "/models/load", data={"model": MODEL})
        assert load.status_code == 200
        events = _events(response, count=2)
    assert len(events) == 2
    late = [(line[:80], round(lag * 1000)) for line, lag in events if lag > LATENCY]
    assert not late, f"events seen more than 50 ms after their bytes arrived: {late}"
