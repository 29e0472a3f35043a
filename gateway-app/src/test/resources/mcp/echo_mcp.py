#!/usr/bin/env python3
"""A tiny stdio MCP server for Switchboard's tests: echo, crash (exits after answering), sleep.
It sends a progress notification before each echo answer, as servers may."""
import json
import os
import sys
import time

TOOLS = [
    {"name": "echo", "description": "Echo back the message",
     "inputSchema": {"type": "object", "properties": {"message": {"type": "string"}}, "required": ["message"]}},
    {"name": "crash", "description": "Answer, then exit", "inputSchema": {"type": "object", "properties": {}}},
    {"name": "sleep", "description": "Sleep a while",
     "inputSchema": {"type": "object", "properties": {"seconds": {"type": "number"}}}},
    {"name": "pid", "description": "The server's process id", "inputSchema": {"type": "object", "properties": {}}},
]


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def text(req_id, value):
    send({"jsonrpc": "2.0", "id": req_id, "result": {"content": [{"type": "text", "text": value}]}})


for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    request = json.loads(line)
    req_id = request.get("id")
    if req_id is None:
        continue
    method = request.get("method")
    if method == "initialize":
        send({"jsonrpc": "2.0", "id": req_id, "result": {
            "protocolVersion": "2024-11-05", "capabilities": {"tools": {}},
            "serverInfo": {"name": "echo-test", "version": "1.0"}}})
    elif method == "tools/list":
        send({"jsonrpc": "2.0", "id": req_id, "result": {"tools": TOOLS}})
    elif method == "tools/call":
        name = request["params"]["name"]
        args = request["params"].get("arguments", {})
        if name == "echo":
            send({"jsonrpc": "2.0", "method": "notifications/progress", "params": {"progress": 1, "total": 2}})
            text(req_id, "echo: " + args.get("message", ""))
        elif name == "crash":
            text(req_id, "crashing")
            os._exit(1)
        elif name == "sleep":
            time.sleep(args.get("seconds", 5))
            text(req_id, "slept")
        elif name == "pid":
            text(req_id, str(os.getpid()))
        else:
            send({"jsonrpc": "2.0", "id": req_id, "error": {"code": -32602, "message": "unknown tool " + name}})
    else:
        send({"jsonrpc": "2.0", "id": req_id, "error": {"code": -32601, "message": "method not found"}})
