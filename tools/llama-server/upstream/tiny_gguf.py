#!/usr/bin/env python3
"""Writes a tiny llama-architecture GGUF that a real llama-server loads in a fraction of a second.

The tokenizer comes from a llama.cpp vocab file (models/ggml-vocab-llama-spm.gguf); the weights are
zero except where they steer sampling: every normal token gets the same logit, byte, control and
unknown tokens a logit far below it, so output is always valid text up to max_tokens. Pure Python
(no numpy), so the harness needs nothing beyond python3.

    tiny_gguf.py VOCAB.gguf OUT.gguf [--embd 64]
"""
import argparse
import struct

# GGUF value types
U8, I8, U16, I16, U32, I32, F32, BOOL, STR, ARR, U64, I64, F64 = range(13)
SCALARS = {U8: "B", I8: "b", U16: "H", I16: "h", U32: "I", I32: "i", F32: "f", BOOL: "?", U64: "Q", I64: "q", F64: "d"}
NORMAL_TOKEN = 1
ALIGN = 32


class Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, fmt):
        value = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return value[0]

    def string(self):
        n = self.take("Q")
        s = self.data[self.pos:self.pos + n].decode("utf-8", "surrogateescape")
        self.pos += n
        return s

    def value(self, t):
        if t == STR:
            return self.string()
        if t == ARR:
            et, n = self.take("I"), self.take("Q")
            return (et, [self.value(et) for _ in range(n)])
        return self.take(SCALARS[t])


def read_metadata(path):
    with open(path, "rb") as f:
        r = Reader(f.read())
    assert r.take("I") == 0x46554747, f"{path} is not a GGUF file"
    r.take("I")
    r.take("Q")
    kv = {}
    for _ in range(r.take("Q")):
        key = r.string()
        t = r.take("I")
        kv[key] = (t, r.value(t))
    return kv


class Writer:
    def __init__(self):
        self.out = bytearray()

    def put(self, fmt, v):
        self.out += struct.pack("<" + fmt, v)

    def string(self, s):
        b = s.encode("utf-8", "surrogateescape")
        self.put("Q", len(b))
        self.out += b

    def value(self, t, v):
        if t == STR:
            self.string(v)
        elif t == ARR:
            et, items = v
            self.put("I", et)
            self.put("Q", len(items))
            for item in items:
                self.value(et, item)
        else:
            self.put(SCALARS[t], v)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("vocab")
    p.add_argument("out")
    p.add_argument("--embd", type=int, default=64)
    p.add_argument("--name", default="tiny")
    a = p.parse_args()
    vocab = read_metadata(a.vocab)
    token_types = vocab["tokenizer.ggml.token_type"][1][1]
    n_vocab, n_embd, n_ff, n_head = len(token_types), a.embd, 2 * a.embd, 2

    kv = {
        "general.architecture": (STR, "llama"),
        "general.name": (STR, a.name),
        "llama.context_length": (U32, 4096),
        "llama.embedding_length": (U32, n_embd),
        "llama.block_count": (U32, 1),
        "llama.feed_forward_length": (U32, n_ff),
        "llama.attention.head_count": (U32, n_head),
        "llama.attention.head_count_kv": (U32, n_head),
        "llama.rope.dimension_count": (U32, n_embd // n_head),
        "llama.attention.layer_norm_rms_epsilon": (F32, 1e-5),
        "general.file_type": (U32, 0),
    }
    kv.update({k: v for k, v in vocab.items() if k.startswith("tokenizer.")})

    # ne innermost first, as ggml writes it; all F32
    tensors = [
        ("token_embd.weight", (n_embd, n_vocab)),
        ("output_norm.weight", (n_embd,)),
        ("output.weight", (n_embd, n_vocab)),
        ("blk.0.attn_norm.weight", (n_embd,)),
        ("blk.0.attn_q.weight", (n_embd, n_embd)),
        ("blk.0.attn_k.weight", (n_embd, n_embd)),
        ("blk.0.attn_v.weight", (n_embd, n_embd)),
        ("blk.0.attn_output.weight", (n_embd, n_embd)),
        ("blk.0.ffn_norm.weight", (n_embd,)),
        ("blk.0.ffn_gate.weight", (n_embd, n_ff)),
        ("blk.0.ffn_up.weight", (n_embd, n_ff)),
        ("blk.0.ffn_down.weight", (n_ff, n_embd)),
    ]

    def size(ne):
        n = 4
        for d in ne:
            n *= d
        return n

    def aligned(n):
        return (n + ALIGN - 1) // ALIGN * ALIGN

    w = Writer()
    w.put("I", 0x46554747)
    w.put("I", 3)
    w.put("Q", len(tensors))
    w.put("Q", len(kv))
    for key, (t, v) in kv.items():
        w.string(key)
        w.put("I", t)
        w.value(t, v)
    offsets, offset = {}, 0
    for name, ne in tensors:
        w.string(name)
        w.put("I", len(ne))
        for d in ne:
            w.put("Q", d)
        w.put("I", 0)  # F32
        w.put("Q", offset)
        offsets[name] = offset
        offset += aligned(size(ne))
    data_start = aligned(len(w.out))
    total = data_start + offset

    # The residual stream is the token embedding (the zero layer adds nothing): dimension 0 is 1 for
    # every token, so after the final norm h[0] > 0 and logit(t) = output[t][0] * h[0].
    one, ban = struct.pack("<f", 1.0), struct.pack("<f", -30.0)
    with open(a.out, "wb") as f:
        f.write(w.out)
        f.truncate(total)
        for t in range(n_vocab):
            f.seek(data_start + offsets["token_embd.weight"] + t * n_embd * 4)
            f.write(one)
            f.seek(data_start + offsets["output.weight"] + t * n_embd * 4)
            f.write(one if token_types[t] == NORMAL_TOKEN else ban)
        f.seek(data_start + offsets["output_norm.weight"])
        f.write(one * n_embd)


if __name__ == "__main__":
    main()
