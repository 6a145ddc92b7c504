#!/usr/bin/env python3
"""Baseline for `qnet bench quantum`: the same state-engine operations in NumPy.

Each workload mirrors the Swift one (Sources/qnet/QuantumBenchmark.swift) and is written the
way a careful NumPy user would: density matrices as complex128 arrays, Bell-state measurement
by one einsum over a reshaped tensor, decoherence by vectorised slicing (no Kraus matmuls),
one-qubit gates by einsum on the reshaped 20-index tensor. Rates are medians over rounds.

Prints JSON with the same keys as `qnet bench quantum --json`.
"""
import json
import sys
import time

import numpy as np

ROUND_SECONDS = 0.3
ROUNDS = 5

rng = np.random.default_rng(1)
s2 = 1 / np.sqrt(2)
# Rows: Φ+, Φ−, Ψ+, Ψ− over basis |00>, |01>, |10>, |11>
BELL = np.array([[s2, 0, 0, s2], [s2, 0, 0, -s2], [0, s2, s2, 0], [0, s2, -s2, 0]], dtype=complex)
I2 = np.eye(2, dtype=complex)
X = np.array([[0, 1], [1, 0]], dtype=complex)
Y = np.array([[0, -1j], [1j, 0]], dtype=complex)
Z = np.array([[1, 0], [0, -1]], dtype=complex)
CORRECTION = [np.kron(I2, P) for P in (I2, Z, X, Y)]  # Pauli on the second qubit of the result
H = np.array([[1, 1], [1, -1]], dtype=complex) * s2


def werner(f):
    phi = np.outer(BELL[0], BELL[0].conj())
    return f * phi + (1 - f) / 3 * (np.eye(4) - phi)


def bell_measure(m):
    """Sampled destructive BSM on qubits 1, 2 of a 4-qubit state; returns (outcome, 2-qubit state)."""
    t = m.reshape(2, 4, 2, 2, 4, 2)
    blocks = np.einsum("kx,axdbye,ky->kadbe", BELL.conj(), t, BELL)  # unnormalised, per outcome
    probs = np.einsum("kadad->k", blocks).real
    k = rng.choice(4, p=probs / probs.sum())
    return k, blocks[k].reshape(4, 4) / probs[k]


def swap(a, b):
    k, rho = bell_measure(np.kron(a, b))
    c = CORRECTION[k]
    return c @ rho @ c.conj().T


def decohere(rho, q, gamma, coherence):
    t = rho.reshape(2, 2, 2, 2).copy()

    def sl(i, j):
        s = [slice(None)] * 4
        s[q], s[q + 2] = i, j
        return tuple(s)

    p11 = t[sl(1, 1)].copy()
    t[sl(0, 0)] += gamma * p11
    t[sl(1, 1)] *= 1 - gamma
    t[sl(0, 1)] *= coherence
    t[sl(1, 0)] *= coherence
    return t.reshape(4, 4)


def gate(rho, n, q, u):
    r = rho.reshape(2 ** q, 2, 2 ** (n - q - 1), 2 ** q, 2, 2 ** (n - q - 1))
    r = np.einsum("ab,ibjklm->iajklm", u, r)
    r = np.einsum("iajkbm,cb->iajkcm", r, u.conj())
    return r.reshape(2 ** n, 2 ** n)


def rate(batch, body):
    rates = []
    for _ in range(ROUNDS):
        ops = 0
        start = time.perf_counter()
        while True:
            body(batch)
            ops += batch
            elapsed = time.perf_counter() - start
            if elapsed >= ROUND_SECONDS:
                break
        rates.append(ops / elapsed)
    return sorted(rates)[len(rates) // 2]


def self_check():
    """The baseline must compute the right thing: a swap of Werner pairs has fidelity
    F1·F2 + (1−F1)(1−F2)/3 whatever the outcome."""
    expected = 0.95 * 0.9 + 0.05 * 0.1 / 3
    for _ in range(20):
        out = swap(werner(0.95), werner(0.9))
        fidelity = (BELL[0].conj() @ out @ BELL[0]).real
        assert abs(fidelity - expected) < 1e-12, fidelity


def main():
    self_check()
    a, b = werner(0.95), werner(0.9)
    sink = [0.0]

    def swaps(n):
        for _ in range(n):
            sink[0] += swap(a, b)[0, 0].real

    pair = [np.outer(BELL[0], BELL[0].conj())]

    def decoherence(n):
        for i in range(n):
            dt = (1 + (i & 7)) * 1e-6
            gamma, coherence = -np.expm1(-dt / 10.0), np.exp(-dt / 1.0)
            pair[0] = decohere(decohere(pair[0], 0, gamma, coherence), 1, gamma, coherence)

    four = np.kron(a, b)

    def bsm(n):
        for _ in range(n):
            sink[0] += bell_measure(four.copy())[0]

    ten = [np.zeros((1024, 1024), dtype=complex)]
    ten[0][0, 0] = 1
    qubit = [0]

    def gates(n):
        for _ in range(n):
            ten[0] = gate(ten[0], 10, qubit[0], H)
            qubit[0] = (qubit[0] + 1) % 10

    result = {
        "swapsPerSecond": rate(100, swaps),
        "decoherencePerSecond": rate(1000, decoherence),
        "bsmPerSecond": rate(100, bsm),
        "gates10QubitPerSecond": rate(1, gates),
    }
    json.dump(result, sys.stdout, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
