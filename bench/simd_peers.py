#!/usr/bin/env python3
"""Peers of `./theon bench simd`: numpy and PyTorch (CPU) on the suite's cases, one JSON line per measurement.

usage: simd_peers.py THREADS CASE[,CASE...]
The caller sets OPENBLAS_NUM_THREADS / OMP_NUM_THREADS (and OPENBLAS_CORETYPE, OMP_WAIT_POLICY) before the
interpreter starts, since OpenBLAS reads them when it loads; torch's intra-op threads are set here.
"""
import json
import sys
import time

threads = int(sys.argv[1])
cases = sys.argv[2].split(",")

t0 = time.perf_counter()
import numpy as np
numpy_import = time.perf_counter() - t0
try:
    t0 = time.perf_counter()
    import torch
    torch_import = time.perf_counter() - t0
    torch.set_num_threads(threads)
except ImportError:
    torch = None


def emit(case, peer, times, **extra):
    times = sorted(times)
    print(json.dumps({"case": case, "threads": threads, "peer": peer, "ms": times[len(times) // 2] * 1e3,
                      "reps": len(times), **extra}), flush=True)


def timed(fn, reps, warmup=1):
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def reps_for(n):
    return {256: 40, 512: 20, 1024: 8, 2048: 4, 4096: 3}.get(n, 3)


rng = np.random.default_rng(1)
for case in cases:
    kind, _, arg = case.partition(":")
    if kind in ("sgemm", "dgemm"):
        n = int(arg)
        dt = np.float32 if kind == "sgemm" else np.float64
        a = rng.standard_normal((n, n)).astype(dt)
        b = rng.standard_normal((n, n)).astype(dt)
        emit(case, "numpy", timed(lambda: a @ b, reps_for(n)))
        if torch is not None:
            ta, tb = torch.from_numpy(a), torch.from_numpy(b)
            emit(case, "torch", timed(lambda: ta @ tb, reps_for(n)))
    elif kind == "chain":
        n = int(arg)
        x = rng.standard_normal(n).astype(np.float32)
        a, b, c = np.float32(0.5), np.float32(0.1), np.float32(2.0)
        reps = 10 if n <= (1 << 22) else 3
        emit(case, "numpy", timed(lambda: np.tanh(a * x + b) * c + np.exp(-x * x), reps))
        out, t1, t2 = np.empty_like(x), np.empty_like(x), np.empty_like(x)

        def with_out():
            np.multiply(x, a, out=t1); np.add(t1, b, out=t1); np.tanh(t1, out=t1); np.multiply(t1, c, out=t1)
            np.multiply(x, x, out=t2); np.negative(t2, out=t2); np.exp(t2, out=t2); np.add(t1, t2, out=out)
        emit(case, "numpy out=", timed(with_out, reps))
        if torch is not None:
            tx = torch.from_numpy(x)
            emit(case, "torch", timed(lambda: torch.tanh(a * tx + b) * c + torch.exp(-tx * tx), reps))
    elif kind == "sum":
        n = int(arg)
        x = rng.standard_normal(n).astype(np.float32)
        emit(case, "numpy", timed(lambda: x.sum(), 5))
        if torch is not None:
            tx = torch.from_numpy(x)
            emit(case, "torch", timed(lambda: tx.sum(), 5))
    elif kind == "softmax":
        r, k = (int(v) for v in arg.split("x"))
        x = rng.standard_normal((r, k)).astype(np.float32)

        def np_softmax():
            e = np.exp(x - x.max(axis=1, keepdims=True))
            return e / e.sum(axis=1, keepdims=True)
        emit(case, "numpy", timed(np_softmax, 200, 5))
        if torch is not None:
            tx = torch.from_numpy(x)
            emit(case, "torch", timed(lambda: torch.softmax(tx, dim=1), 200, 5))
    elif kind == "mlp":
        # the same network as dev.theon.bench.Mlp: 784-1024-1024-10 ReLU, softmax crossentropy on one-hot targets,
        # mean over the batch, SGD with learning rate 0.01, float32
        batch = int(arg)
        sizes = [784, 1024, 1024, 10]
        xb = rng.random((batch, 784), dtype=np.float32)
        tb = np.zeros((batch, 10), np.float32)
        tb[np.arange(batch), rng.integers(0, 10, batch)] = 1
        ws = [(rng.standard_normal((sizes[l], sizes[l + 1])) * np.sqrt(2.0 / sizes[l])).astype(np.float32) for l in range(3)]
        bs = [np.zeros(sizes[l + 1], np.float32) for l in range(3)]

        def np_step():
            hs = [xb]
            for l in range(3):
                a = hs[-1] @ ws[l] + bs[l]
                if l < 2:
                    hs.append(np.maximum(a, 0))
                else:
                    e = np.exp(a - a.max(axis=1, keepdims=True))
                    p = e / e.sum(axis=1, keepdims=True)
            cost = -(tb * np.log(p)).sum(axis=1).mean()
            d = (p - tb) / batch
            for l in (2, 1, 0):
                gw, gb = hs[l].T @ d, d.sum(axis=0)
                if l > 0:
                    d = (d @ ws[l].T) * (hs[l] > 0)
                ws[l] -= np.float32(0.01) * gw
                bs[l] -= np.float32(0.01) * gb
            return cost
        emit(case, "numpy", timed(np_step, 15, 20), note="hand-written backward pass")
        if torch is not None:
            tx, tt = torch.from_numpy(xb), torch.from_numpy(tb)
            params = []
            for l in range(3):
                params += [torch.from_numpy(ws[l].copy()).requires_grad_(), torch.from_numpy(bs[l].copy()).requires_grad_()]

            def torch_step():
                h = tx
                for l in range(3):
                    a = h @ params[2 * l] + params[2 * l + 1]
                    h = torch.relu(a) if l < 2 else a
                cost = torch.nn.functional.cross_entropy(h, tt)
                for p in params:
                    p.grad = None
                cost.backward()
                with torch.no_grad():
                    for p in params:
                        p -= 0.01 * p.grad
                return cost
            emit(case, "torch", timed(torch_step, 15, 20), note="autograd, fused log-softmax crossentropy")
    elif kind == "overhead":
        x, y = np.float64(2.0), np.float64(3.0)
        n = 200000
        per = []
        for _ in range(5):
            t = time.perf_counter()
            for _ in range(n):
                x + y
            per.append((time.perf_counter() - t) / n)
        emit(case, "numpy", per, note="np.float64 scalars")
        ax, ay = np.array(2.0), np.array(3.0)
        per = []
        for _ in range(5):
            t = time.perf_counter()
            for _ in range(n):
                np.add(ax, ay)
            per.append((time.perf_counter() - t) / n)
        emit(case, "numpy 0-d", per, note="np.add on 0-d arrays")
        if torch is not None:
            tx, ty = torch.tensor(2.0, dtype=torch.float64), torch.tensor(3.0, dtype=torch.float64)
            per = []
            for _ in range(5):
                t = time.perf_counter()
                for _ in range(n):
                    tx + ty
                per.append((time.perf_counter() - t) / n)
            emit(case, "torch", per, note="0-d tensors")
    elif kind == "first":
        # the first evaluation of the chain on 1000 float32 values after import (the import itself is reported apart)
        x = rng.standard_normal(1000).astype(np.float32)
        t = time.perf_counter()
        np.tanh(np.float32(0.5) * x + np.float32(0.1)) * np.float32(2.0) + np.exp(-x * x)
        emit(case, "numpy", [time.perf_counter() - t], import_ms=numpy_import * 1e3)
        if torch is not None:
            tx = torch.from_numpy(x)
            t = time.perf_counter()
            torch.tanh(0.5 * tx + 0.1) * 2.0 + torch.exp(-tx * tx)
            emit(case, "torch", [time.perf_counter() - t], import_ms=torch_import * 1e3)
    else:
        raise SystemExit("unknown case " + case)
