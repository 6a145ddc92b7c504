import QNetCore
import QNetQuantum


extension NodeMessage.BellState {
    public init(_ state: QNetQuantum.BellState) {
        switch state {
        case .phiPlus: self = .phiPlus
        case .phiMinus: self = .phiMinus
        case .psiPlus: self = .psiPlus
        case .psiMinus: self = .psiMinus
        }
    }

    public var quantum: QNetQuantum.BellState {
        switch self {
        case .phiPlus: .phiPlus
        case .phiMinus: .phiMinus
        case .psiPlus: .psiPlus
        case .psiMinus: .psiMinus
        }
    }
}

extension NodeMessage.GroupState {
    public init(groupID: GroupID, qubits: [QubitID], lastTouched: [VTime], state: DensityMatrix) {
        self.init(groupID: groupID, qubits: qubits, lastTouched: lastTouched, real: state.re, imaginary: state.im)
    }

    /// The density matrix, validated (a peer's bytes never trap: a bad state throws).
    public func densityMatrix() throws(QuantumError) -> DensityMatrix {
        let d = 1 << qubits.count
        var m = ComplexMatrix(rows: d, columns: d)
        m.re = real
        m.im = imaginary
        return try DensityMatrix(matrix: m)
    }
}
