"""Writes torch_ops.json: float32 inputs and torch 1.13's outputs, as uint32 bit patterns, for the
operations mfglib32 re-implements (log, exp, sum, softmax over the last dimension).

Run on x86-64 with glibc 2.36 and Debian's torch (python3-torch 1.13.1, AVX2 capability, reference BLAS):
    /usr/bin/python3 gen_torch_ops.py
"""
import ctypes
import json

import numpy as np
import torch

torch.manual_seed(12345)


def bits(t):
    return [int(v) for v in t.contiguous().view(torch.int32).numpy().astype(np.uint32).ravel()]


out = {"torch_version": torch.__version__, "config": [l.strip() for l in torch.__config__.show().splitlines() if "CPU capability" in l or "BLAS_INFO" in l][:1]}

# log: magnitudes from subnormal to huge, plus densities like the games' (1/400, 1/500, ...).
x = torch.cat([
    torch.exp(torch.empty(3000).uniform_(-100, 88)),
    torch.rand(2000) * 0.01,
    torch.tensor([1e-45, 1e-40, 1.17549435e-38, 1e-20, 1e-10, 1 / 400, 1 / 500, 0.25, 1.0, 2.0, 0.0]),
]).float()
out["log"] = {"x": bits(x), "y": bits(torch.log(x))}

# exp: the whole range where the result is finite and non-zero, and beyond.
x = torch.cat([torch.empty(4000).uniform_(-110, 110), torch.randn(2000) * 3]).float()
out["exp"] = {"x": bits(x), "y": bits(torch.exp(x))}

# glibc's expf, which torch's scalar code paths call through std::exp (softmax's tail columns).
libm = ctypes.CDLL("libm.so.6")
libm.expf.restype = ctypes.c_float
libm.expf.argtypes = [ctypes.c_float]
x = torch.cat([torch.empty(6000).uniform_(-104, 89), torch.randn(1000) * 3]).float()
out["glibc_expf"] = {"x": bits(x), "y": bits(torch.tensor([libm.expf(float(v)) for v in x], dtype=torch.float32))}

# sum of a contiguous tensor, every length from 1 to 70, and some long ones.
sums = []
for n in list(range(1, 71)) + [100, 255, 256, 400, 500, 1000, 5000]:
    for _ in range(3 if n < 1000 else 1):
        v = (torch.rand(n) * torch.exp(torch.randn(n) * 6)).float()
        sums.append({"x": bits(v), "y": bits(v.sum().reshape(1))[0]})
out["sum"] = sums

# sum over the last dimension of a 3-D tensor (as mean fields and policies are reduced).
lastdim = []
for n in [2, 3, 5, 6, 9, 12]:
    v = (torch.rand(4, 7, n) * torch.exp(torch.randn(4, 7, n) * 6)).float()
    lastdim.append({"shape": list(v.shape), "x": bits(v), "y": bits(v.sum(dim=-1))})
out["sum_lastdim"] = lastdim

# softmax over the last dimension.
soft = []
for n in [2, 3, 5, 6, 7, 8, 9, 12, 16, 17, 25]:
    v = (torch.randn(50, n) * 20).float()
    soft.append({"shape": list(v.shape), "x": bits(v), "y": bits(torch.nn.Softmax(dim=-1)(v))})
out["softmax"] = soft

# softmax over the first dimension of a 3-D tensor (random linear's transitions).
soft0 = []
for shape in [(5, 5, 5), (3, 4, 3), (7, 2, 9)]:
    v = (torch.randn(*shape) * 20).float()
    soft0.append({"shape": list(shape), "x": bits(v), "y": bits(torch.nn.Softmax(dim=0)(v))})
out["softmax_dim0"] = soft0

# matrix products: (n, k) @ (k, m) and (b, n, k) @ (k, m), as random linear's reward and transition.
mm = []
for shape in [((5, 5), (5, 5)), ((5, 5, 5), (5, 5)), ((3, 7), (7, 4)), ((2, 3, 9), (9, 2))]:
    a = (torch.randn(*shape[0]) * torch.exp(torch.randn(*shape[0]) * 3)).float()
    b = (torch.randn(*shape[1]) * torch.exp(torch.randn(*shape[1]) * 3)).float()
    mm.append({"a_shape": list(shape[0]), "b_shape": list(shape[1]), "a": bits(a), "b": bits(b), "y": bits(a @ b)})
out["matmul"] = mm

with open("torch_ops.json", "w") as f:
    json.dump(out, f)
