#!/usr/bin/env python3
"""A loopback stand-in for the Hugging Face Hub, as llama.cpp (MODEL_ENDPOINT/HF_ENDPOINT) and
Switchboard's HubClient use it: the main branch of a repository, its file tree, and its files.

    fake_hub.py ROOT PORT_FILE

ROOT holds one folder per repository (ROOT/<org>/<name>/<files>). Each repository has one commit,
the SHA-1 of its id; each file is an LFS file whose oid is its SHA-256. The chosen port is written
to PORT_FILE once the server listens.
"""
import hashlib
import json
import os
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.abspath(sys.argv[1])
_digests = {}
_lock = threading.Lock()


def commit_of(repo):
    return hashlib.sha1(repo.encode()).hexdigest()


def sha256_of(path):
    key = (path, os.path.getmtime(path))
    with _lock:
        if key not in _digests:
            h = hashlib.sha256()
            with open(path, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    h.update(block)
            _digests[key] = h.hexdigest()
        return _digests[key]


def repo_dir(repo):
    path = os.path.normpath(os.path.join(ROOT, repo))
    return path if path.startswith(ROOT + os.sep) and os.path.isdir(path) else None


class Hub(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("fake-hub: " + (fmt % args) + "\n")

    def send(self, status, body=b"", content_type="application/json", headers=None, head=False):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def missing(self, head=False):
        body = json.dumps({"error": "Repository not found"}).encode()
        self.send(404, body, headers={"X-Error-Code": "RepoNotFound"}, head=head)

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_GET(self, head=False):
        path = urllib.parse.urlparse(self.path).path
        parts = [urllib.parse.unquote(p) for p in path.strip("/").split("/")]
        if len(parts) >= 5 and parts[0] == "api" and parts[1] == "models":
            repo = parts[2] + "/" + parts[3]
            folder = repo_dir(repo)
            if folder is None:
                return self.missing(head)
            if parts[4] == "refs":
                body = {"branches": [{"name": "main", "ref": "refs/heads/main", "targetCommit": commit_of(repo)}],
                        "tags": [], "converts": []}
                return self.send(200, json.dumps(body).encode(), head=head)
            if parts[4] == "tree":
                entries = []
                for dirpath, _, files in os.walk(folder):
                    for name in sorted(files):
                        full = os.path.join(dirpath, name)
                        rel = os.path.relpath(full, folder)
                        size = os.path.getsize(full)
                        oid = sha256_of(full)
                        entries.append({"type": "file", "path": rel, "size": size, "oid": commit_of(rel),
                                        "lfs": {"oid": oid, "size": size, "pointerSize": 134}})
                return self.send(200, json.dumps(entries).encode(), head=head)
            return self.missing(head)
        if len(parts) >= 5 and parts[2] == "resolve":
            repo = parts[0] + "/" + parts[1]
            folder = repo_dir(repo)
            full = os.path.normpath(os.path.join(folder or "", *parts[4:]))
            if folder is None or not full.startswith(folder + os.sep) or not os.path.isfile(full):
                return self.missing(head)
            size = os.path.getsize(full)
            start = 0
            rng = self.headers.get("Range", "")
            if rng.startswith("bytes=") and rng[6:].split("-")[0].isdigit():
                start = min(int(rng[6:].split("-")[0]), size)
            headers = {"ETag": '"%s"' % sha256_of(full), "Accept-Ranges": "bytes",
                       "X-Repo-Commit": commit_of(repo)}
            status = 206 if start else 200
            if start:
                headers["Content-Range"] = "bytes %d-%d/%d" % (start, size - 1, size)
            self.send_response(status)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(size - start))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            if not head:
                with open(full, "rb") as f:
                    f.seek(start)
                    for block in iter(lambda: f.read(1 << 16), b""):
                        self.wfile.write(block)
            return
        return self.missing(head)


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hub)
    server.daemon_threads = True
    tmp = sys.argv[2] + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(tmp, sys.argv[2])
    server.serve_forever()


if __name__ == "__main__":
    main()
