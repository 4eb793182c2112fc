#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Hostile input for `vmcfg lsp` (tests/lsp/run): requests with wrong types,
# missing and absurd params, garbage frames, and every prefix of a file
# with hover and completion everywhere. The server must answer every
# request with an id and end with status 0 after shutdown and exit.
# Usage: hostile.py VMCFG FILE.toml
import json, os, random, subprocess, sys, threading

vmcfg, sample = sys.argv[1], sys.argv[2]
p = subprocess.Popen([vmcfg, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
answers = {}


def reader():
    while True:
        h = b""
        while not h.endswith(b"\r\n\r\n"):
            c = p.stdout.read(1)
            if not c:
                return
            h += c
        n = int(h.split(b":")[1].split(b"\r")[0])
        m = json.loads(p.stdout.read(n))
        if "id" in m:
            answers[json.dumps(m["id"])] = m


t = threading.Thread(target=reader)
t.start()


def raw(b):
    p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(b) + b)


def send(m):
    raw(json.dumps(m).encode())


uri = "file://" + os.path.abspath(sample)
text = open(sample).read()
send({"jsonrpc": "2.0", "id": "init", "method": "initialize", "params": {}})
send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "text": text}}})
random.seed(1)
methods = ["textDocument/hover", "textDocument/completion", "textDocument/definition", "textDocument/formatting",
           "textDocument/codeAction", "textDocument/didChange", "textDocument/didOpen", "textDocument/didClose"]
vals = [None, 1, -1, 2**40, "x", [], {}, True, {"uri": uri}, {"line": -5, "character": 3},
        {"line": 10**12, "character": 10**12}, {"uri": "file:///%00"}]
expected = {json.dumps("init")}
for i in range(400):
    params = {"textDocument": random.choice(vals + [{"uri": uri}] * 4),
              "position": random.choice(vals + [{"line": random.randint(0, 60), "character": random.randint(0, 80)}] * 6),
              "range": random.choice(vals + [{"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}}]),
              "contentChanges": random.choice(vals + [[{"text": text[:random.randint(0, len(text))]}]] * 3)}
    if random.random() < 0.1:
        params = random.choice(vals)
    msg = {"jsonrpc": "2.0", "method": random.choice(methods), "params": params}
    if random.random() < 0.5:
        msg["id"] = i
        expected.add(json.dumps(i))
    send(msg)
    if random.random() < 0.05:
        raw(bytes(random.randrange(256) for _ in range(random.randint(0, 40))))
    if random.random() < 0.02:
        p.stdin.write(b"Content-Length: zz\r\n\r\n")
for cut in range(0, len(text), 97):
    send({"jsonrpc": "2.0", "method": "textDocument/didChange",
          "params": {"textDocument": {"uri": uri}, "contentChanges": [{"text": text[:cut]}]}})
    for line in range(0, 40, 3):
        for ch in (0, 5, 17, 40):
            for m in ("textDocument/completion", "textDocument/hover"):
                send({"jsonrpc": "2.0", "id": "c", "method": m,
                      "params": {"textDocument": {"uri": uri}, "position": {"line": line, "character": ch}}})
send({"jsonrpc": "2.0", "id": "bye", "method": "shutdown"})
send({"jsonrpc": "2.0", "method": "exit"})
expected |= {json.dumps("c"), json.dumps("bye")}
p.stdin.close()
rc = p.wait()
t.join()
err = p.stderr.read().decode()
passed = failed = 0
for cond, what in ((rc == 0, f"exit status 0 after shutdown and exit (got {rc}): {err[-2000:]}"),
                   (expected <= set(answers), f"every request answered; missing {sorted(expected - set(answers))[:5]}"),
                   (answers.get(json.dumps("bye"), {}).get("result", 1) is None, "shutdown answered null")):
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: hostile input:", what)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
