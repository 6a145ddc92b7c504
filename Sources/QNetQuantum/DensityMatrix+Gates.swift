/// Unitary evolution ρ → U ρ U† on chosen qubits, with fast paths for one-qubit gates and for
/// permutation and phase gates (X, Z, CNOT, CZ, SWAP), which only move or negate entries.
extension DensityMatrix {
    /// Applies `gate` to `qubits` (one qubit, or control and target), then, if
    /// `depolarizing > 0`, a depolarising channel of that strength on the same qubits
    /// (gate noise; see ``depolarize(_:probability:)`` and ``depolarize(_:_:probability:)``).
    /// - Precondition: `qubits.count == gate.arity`, distinct and inside the group.
    public mutating func apply(_ gate: Gate, to qubits: [Int], depolarizing p: Double = 0) {
        precondition(qubits.count == gate.arity, "\(gate) acts on \(gate.arity) qubit(s), got \(qubits.count)")
        switch gate {
        case .x: permuteBasis(flip: mask(qubits[0]), ifSet: 0)
        case .z: negate(where: mask(qubits[0]), equals: mask(qubits[0]))
        case .cnot:
            precondition(qubits[0] != qubits[1], "CNOT on one qubit")
            permuteBasis(flip: mask(qubits[1]), ifSet: mask(qubits[0]))
        case .cz:
            precondition(qubits[0] != qubits[1], "CZ on one qubit")
            let m = mask(qubits[0]) | mask(qubits[1])
            negate(where: m, equals: m)
        case .swap: applySwap(qubits[0], qubits[1])
        default:
            let u = gate.matrix
            if u.rows == 2 { applyOneQubit(u, to: qubits[0]) } else { applyOperator(u, to: qubits) }
        }
        if p > 0 {
            if qubits.count == 1 {
                depolarize(qubits[0], probability: p)
            } else {
                depolarize(qubits[0], qubits[1], probability: p)
            }
        }
        debugCheckInvariants("\(gate)")
    }

    /// Applies the Pauli `pauli` to qubit `q` (a feed-forward correction).
    public mutating func apply(_ pauli: Pauli, to q: Int) {
        switch pauli {
        case .i: return
        case .x: apply(.x, to: [q])
        case .y: apply(.y, to: [q])
        case .z: apply(.z, to: [q])
        }
    }

    /// ρ → U ρ U† for a 2×2 unitary on qubit `q`. Complexity: O(d²).
    mutating func applyOneQubit(_ u: ComplexMatrix, to q: Int) {
        let m = mask(q), d = dimension
        let (u00r, u00i) = (u.re[0], u.im[0]), (u01r, u01i) = (u.re[1], u.im[1])
        let (u10r, u10i) = (u.re[2], u.im[2]), (u11r, u11i) = (u.re[3], u.im[3])
        // Left and right multiplication act on different indices and commute, so each pair
        // of rows is mixed (U·) and then each of its two rows is mixed within itself (·U†)
        // while it is in cache: one pass over the matrix.
        for i0 in 0..<d where i0 & m == 0 {
            let a = i0 * d, b = (i0 | m) * d
            for c in 0..<d {
                let xr = re[a + c], xi = im[a + c], yr = re[b + c], yi = im[b + c]
                re[a + c] = u00r * xr - u00i * xi + u01r * yr - u01i * yi
                im[a + c] = u00r * xi + u00i * xr + u01r * yi + u01i * yr
                re[b + c] = u10r * xr - u10i * xi + u11r * yr - u11i * yi
                im[b + c] = u10r * xi + u10i * xr + u11r * yi + u11i * yr
            }
            // (ρU†)[r, j] = Σ_k ρ[r, k] conj(U[j, k])
            for row in [a, b] {
                for j0 in 0..<d where j0 & m == 0 {
                    let p = row + j0, q = row + (j0 | m)
                    let xr = re[p], xi = im[p], yr = re[q], yi = im[q]
                    re[p] = xr * u00r + xi * u00i + yr * u01r + yi * u01i
                    im[p] = xi * u00r - xr * u00i + yi * u01r - yr * u01i
                    re[q] = xr * u10r + xi * u10i + yr * u11r + yi * u11i
                    im[q] = xi * u10r - xr * u10i + yi * u11r - yr * u11i
                }
            }
        }
    }

    /// ρ → A ρ A† for any 2^k × 2^k operator `a` on `qubits` (first listed most significant).
    /// Not necessarily unitary: Kraus operators go through here too. Complexity: O(d² 2^k).
    mutating func applyOperator(_ a: ComplexMatrix, to qubits: [Int]) {
        let (r, i) = Self.sandwich(re, im, qubitCount: qubitCount, a, qubits)
        re = r
        im = i
    }

    /// `A ρ A†` on raw storage.
    static func sandwich(_ re: [Double], _ im: [Double], qubitCount n: Int, _ a: ComplexMatrix, _ qubits: [Int]) -> ([Double], [Double]) {
        let d = 1 << n, k = qubits.count, s = 1 << k
        precondition(a.rows == s && a.columns == s, "operator size does not match \(k) qubit(s)")
        precondition(Set(qubits).count == k && qubits.allSatisfy { $0 >= 0 && $0 < n }, "bad qubit list \(qubits)")
        var offsets = [Int](repeating: 0, count: s)
        var fullMask = 0
        for sub in 0..<s {
            var o = 0
            for (position, q) in qubits.enumerated() where sub & (1 << (k - 1 - position)) != 0 {
                o |= 1 << (n - 1 - q)
            }
            offsets[sub] = o
        }
        for q in qubits { fullMask |= 1 << (n - 1 - q) }
        var tr = [Double](repeating: 0, count: d * d), ti = tr
        // T = A ρ
        var vr = [Double](repeating: 0, count: s), vi = vr
        for base in 0..<d where base & fullMask == 0 {
            for c in 0..<d {
                for x in 0..<s {
                    vr[x] = re[(base | offsets[x]) * d + c]
                    vi[x] = im[(base | offsets[x]) * d + c]
                }
                for x in 0..<s {
                    var sr = 0.0, si = 0.0
                    for y in 0..<s {
                        let ar = a.re[x * s + y], ai = a.im[x * s + y]
                        sr += ar * vr[y] - ai * vi[y]
                        si += ar * vi[y] + ai * vr[y]
                    }
                    tr[(base | offsets[x]) * d + c] = sr
                    ti[(base | offsets[x]) * d + c] = si
                }
            }
        }
        // R = T A†: R[r, j] = Σ_y T[r, y] conj(A[j, y])
        var rr = [Double](repeating: 0, count: d * d), ri = rr
        for r in 0..<d {
            for base in 0..<d where base & fullMask == 0 {
                for x in 0..<s {
                    vr[x] = tr[r * d + (base | offsets[x])]
                    vi[x] = ti[r * d + (base | offsets[x])]
                }
                for x in 0..<s {
                    var sr = 0.0, si = 0.0
                    for y in 0..<s {
                        let ar = a.re[x * s + y], ai = -a.im[x * s + y]
                        sr += vr[y] * ar - vi[y] * ai
                        si += vr[y] * ai + vi[y] * ar
                    }
                    rr[r * d + (base | offsets[x])] = sr
                    ri[r * d + (base | offsets[x])] = si
                }
            }
        }
        return (rr, ri)
    }

    /// ρ[i, j] → ρ[π(i), π(j)] where π flips bit `flip` of indices having all bits of `ifSet`
    /// (X when `ifSet == 0`, CNOT otherwise). An involution, so applying it is a swap of entries.
    mutating func permuteBasis(flip: Int, ifSet control: Int) {
        let d = dimension
        @inline(__always) func p(_ i: Int) -> Int { i & control == control ? i ^ flip : i }
        for i in 0..<d {
            let pi = p(i)
            for j in 0..<d {
                let a = i * d + j, b = pi * d + p(j)
                if a < b {
                    re.swapAt(a, b)
                    im.swapAt(a, b)
                }
            }
        }
    }

    /// Negates ρ[i, j] where exactly one of i, j has `(index & mask) == value`: a diagonal ±1 unitary.
    mutating func negate(where mask: Int, equals value: Int) {
        let d = dimension
        for i in 0..<d {
            let si = (i & mask) == value
            for j in 0..<d where si != ((j & mask) == value) {
                re[i * d + j] = -re[i * d + j]
                im[i * d + j] = -im[i * d + j]
            }
        }
    }

    mutating func applySwap(_ a: Int, _ b: Int) {
        precondition(a != b, "SWAP on one qubit")
        var order = Array(0..<qubitCount)
        order.swapAt(a, b)
        self = permuted(to: order)
    }
}
