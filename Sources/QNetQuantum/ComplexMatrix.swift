import Numerics

/// A small dense complex matrix (row-major, separate real and imaginary parts), used for gates,
/// Kraus operators and pure states. Density matrices have their own type, ``DensityMatrix``.
public struct ComplexMatrix: Equatable, Sendable {
    public let rows: Int
    public let columns: Int
    public var re: [Double]
    public var im: [Double]

    /// The zero matrix.
    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        re = Array(repeating: 0, count: rows * columns)
        im = Array(repeating: 0, count: rows * columns)
    }

    /// A matrix from rows of complex entries.
    public init(_ entries: [[Complex<Double>]]) {
        rows = entries.count
        columns = entries.first?.count ?? 0
        re = []
        im = []
        re.reserveCapacity(rows * columns)
        im.reserveCapacity(rows * columns)
        for row in entries {
            precondition(row.count == columns, "ragged matrix")
            for z in row {
                re.append(z.real)
                im.append(z.imaginary)
            }
        }
    }

    /// A matrix from rows of real entries.
    public init(real entries: [[Double]]) {
        self.init(entries.map { $0.map { Complex($0, 0) } })
    }

    /// The n×n identity.
    public static func identity(_ n: Int) -> ComplexMatrix {
        var m = ComplexMatrix(rows: n, columns: n)
        for i in 0..<n { m.re[i * n + i] = 1 }
        return m
    }

    public subscript(row: Int, column: Int) -> Complex<Double> {
        get { Complex(re[row * columns + column], im[row * columns + column]) }
        set {
            re[row * columns + column] = newValue.real
            im[row * columns + column] = newValue.imaginary
        }
    }

    /// The conjugate transpose.
    public var adjoint: ComplexMatrix {
        var m = ComplexMatrix(rows: columns, columns: rows)
        for i in 0..<rows {
            for j in 0..<columns {
                m.re[j * rows + i] = re[i * columns + j]
                m.im[j * rows + i] = -im[i * columns + j]
            }
        }
        return m
    }

    /// The matrix product `a · b`.
    public static func * (a: ComplexMatrix, b: ComplexMatrix) -> ComplexMatrix {
        precondition(a.columns == b.rows, "dimension mismatch in product")
        var m = ComplexMatrix(rows: a.rows, columns: b.columns)
        for i in 0..<a.rows {
            for k in 0..<a.columns {
                let ar = a.re[i * a.columns + k], ai = a.im[i * a.columns + k]
                if ar == 0 && ai == 0 { continue }
                for j in 0..<b.columns {
                    let br = b.re[k * b.columns + j], bi = b.im[k * b.columns + j]
                    m.re[i * b.columns + j] += ar * br - ai * bi
                    m.im[i * b.columns + j] += ar * bi + ai * br
                }
            }
        }
        return m
    }

    public static func + (a: ComplexMatrix, b: ComplexMatrix) -> ComplexMatrix {
        precondition(a.rows == b.rows && a.columns == b.columns, "dimension mismatch in sum")
        var m = a
        for i in m.re.indices {
            m.re[i] += b.re[i]
            m.im[i] += b.im[i]
        }
        return m
    }

    /// `s · a` for a complex scalar.
    public static func * (s: Complex<Double>, a: ComplexMatrix) -> ComplexMatrix {
        var m = a
        for i in m.re.indices {
            m.re[i] = s.real * a.re[i] - s.imaginary * a.im[i]
            m.im[i] = s.real * a.im[i] + s.imaginary * a.re[i]
        }
        return m
    }

    /// The Kronecker product `a ⊗ b`.
    public func kronecker(_ b: ComplexMatrix) -> ComplexMatrix {
        var m = ComplexMatrix(rows: rows * b.rows, columns: columns * b.columns)
        for i in 0..<rows {
            for j in 0..<columns {
                let ar = re[i * columns + j], ai = im[i * columns + j]
                for k in 0..<b.rows {
                    for l in 0..<b.columns {
                        let br = b.re[k * b.columns + l], bi = b.im[k * b.columns + l]
                        let index = (i * b.rows + k) * m.columns + j * b.columns + l
                        m.re[index] = ar * br - ai * bi
                        m.im[index] = ar * bi + ai * br
                    }
                }
            }
        }
        return m
    }

    /// The largest entrywise modulus of `a − b`.
    public func maxDistance(to b: ComplexMatrix) -> Double {
        precondition(re.count == b.re.count, "dimension mismatch")
        var d = 0.0
        for i in re.indices { d = max(d, ((re[i] - b.re[i]) * (re[i] - b.re[i]) + (im[i] - b.im[i]) * (im[i] - b.im[i])).squareRoot()) }
        return d
    }

    /// True when `U†U = I` within `tolerance` (entrywise).
    public func isUnitary(tolerance: Double = 1e-10) -> Bool {
        rows == columns && (adjoint * self).maxDistance(to: .identity(rows)) <= tolerance
    }
}
