#!/usr/bin/env python3
"""Lays out the models llama.cpp's router tests name: tiny GGUFs (tiny_gguf.py) in a stand-in Hub
folder (fake_hub.py serves it) and, for those the tests expect to be downloaded already, in an offline
Hugging Face cache in the hub layout llama.cpp reads (models--org--name/{blobs,refs,snapshots}).

    models.py VOCAB.gguf HUB_ROOT CACHE_DIR
"""
import hashlib
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# repository, file, embedding width, whether it starts in the cache
MODELS = [
    ("ggml-org/tinygemma3-GGUF", "tinygemma3-Q8_0.gguf", 64, True),
    ("ggml-org/test-model-stories260K", "stories260K-F32.gguf", 64, True),
    ("ggml-org/test-model-stories260K-infill", "stories260K-infill-F32.gguf", 64, True),
    ("ggml-org/test-model-router-download", "router-download-F16.gguf", 32, False),
]
# test_router_remote_preset: a repository holding only a preset.ini
PRESET_REPO = "ggml-org/test-preset-ci"
PRESET_INI = """[tinygemma3-preset]
hf-repo = ggml-org/tinygemma3-GGUF:Q8_0

[stories260K-test]
hf-repo = ggml-org/test-model-stories260K
"""


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def cache(cache_dir, repo, file, source):
    commit = hashlib.sha1(repo.encode()).hexdigest()  # as fake_hub.py names it
    base = os.path.join(cache_dir, "models--" + repo.replace("/", "--"))
    oid = sha256_of(source)
    for sub in ("blobs", "refs", os.path.join("snapshots", commit)):
        os.makedirs(os.path.join(base, sub), exist_ok=True)
    blob = os.path.join(base, "blobs", oid)
    if not os.path.exists(blob):
        os.link(source, blob)
    link = os.path.join(base, "snapshots", commit, file)
    if not os.path.lexists(link):
        os.symlink(os.path.join("..", "..", "blobs", oid), link)
    with open(os.path.join(base, "refs", "main"), "w") as f:
        f.write(commit)


def main():
    vocab, hub_root, cache_dir = sys.argv[1:4]
    for repo, file, embd, cached in MODELS:
        folder = os.path.join(hub_root, repo)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, file)
        if not os.path.exists(path):
            subprocess.run([sys.executable, os.path.join(HERE, "tiny_gguf.py"), vocab, path,
                            "--embd", str(embd), "--name", repo.split("/")[1]], check=True)
        if cached:
            cache(cache_dir, repo, file, path)
    folder = os.path.join(hub_root, PRESET_REPO)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "preset.ini"), "w") as f:
        f.write(PRESET_INI)


if __name__ == "__main__":
    main()
