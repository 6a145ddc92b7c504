import QNetCore

/// Named hardware (`preset:` on a node, a link or `defaults`), each value with its source.
///
/// A node's preset sets `memory` and `photonics` fields, a link's preset sets link and
/// `detectors` fields; a preset in `defaults` sets both for every node and link. Fields the
/// preset does not name keep the lower level's value. Resolution, field by field:
/// built-in ← `defaults.preset` ← `defaults` ← the node's or link's `preset` ← its own keys.
///
/// Conventions: a node has one memory model for all its qubits, so a preset gives the storage
/// qubit's T1/T2; `emissionEfficiency` is the probability that an excitation puts a photon into
/// the fibre in the mode that interferes (zero-phonon line × collection); what the model has no
/// key for (phase noise in the interferometer, double excitation, per-outcome readout errors)
/// is left out and said so below.
public enum HardwarePreset: String, Equatable, Sendable, CaseIterable {
    /// NV centre, the QL2020 configuration of Dahlberg et al., "A link layer protocol for
    /// quantum networks", SIGCOMM 2019 (Appendix; simulation configuration
    /// `qlink/networks_with_cavity_with_conversion.json` of SoftwareQuTech/QLinkLayerSimulations):
    /// Delft–The Hague, 25 km with the station 10 km from the first node, cavity-enhanced
    /// emission (zero-phonon fraction 0.46), collection 0.0148 × conversion to 1588 nm 0.3,
    /// 0.5 dB/km, detectors 0.8 / 20 Hz / 25 ns window, visibility 0.9, 5.5 µs per attempt,
    /// four qubits of which one (the electron) communicates, carbon storage T2 = 3.5 ms (no T1
    /// decay), readout errors 0.05 (|0⟩) and 0.005 (|1⟩) averaged to 0.0275, electron–carbon
    /// gate dephasing 0.05 taken as gate fidelity 0.95.
    case nvQL2020 = "nv-ql2020"
    /// NV centre, the Lab configuration of Dahlberg et al. 2019: the hardware of Humphreys et
    /// al., "Deterministic delivery of remote entanglement on a quantum network", Nature 558,
    /// 268 (2018): nodes 2 m apart, 637 nm photons without conversion or cavity (zero-phonon
    /// fraction 0.03, total detection efficiency 3.5e-4 including the 0.8 detector efficiency,
    /// so 4.375e-4 into the fibre), 5 dB/km, 20 Hz dark counts, 25 ns window, visibility 0.9,
    /// 5.5 µs per attempt (netsquid-nv `NVParameterSet2019`, values from that experiment), the
    /// same memory and gate values as ``nvQL2020``. Not modelled: the interferometer's phase
    /// noise (15° rms) and double excitation (4%), so fidelities here are upper bounds.
    case nvLab = "nv-lab"
    /// Trapped ions: ⁸⁸Sr⁺ nodes of Stephenson et al., "High-rate, high-fidelity entanglement of
    /// qubits across an elementary quantum network", PRL 124, 110501 (2020): two-photon
    /// (double-click) heralding at 422 nm over a few metres of fibre, success probability
    /// 2.18e-4 per attempt at about 1 µs per attempt (182 pairs/s), so η ≈ √(2·2.18e-4) ≈ 0.021
    /// per photon, given here as emission 0.0233 with the default 0.9 detectors. Fibre loss and
    /// memory are left at the defaults (over metres of fibre the loss hardly matters, and the
    /// ion qubit outlives any run here): set them for other settings.
    case trappedIon = "trapped-ion"
    /// SiV centres in nanophotonic diamond cavities, Knaut et al., "Entanglement of nanophotonic
    /// quantum memory nodes in a telecom network", Nature 629, 573 (2024): ²⁹Si nuclear-spin
    /// memories with second-long storage (T2 = 1 s), photons converted to 1350 nm (0.35 dB/km
    /// in standard fibre at 1310–1350 nm, ITU-T G.652). Their serial time-bin protocol (one photon
    /// reflected off both nodes) is not one of this emulator's schemes; the link preset uses
    /// double-click heralding.
    case sivCavity = "siv-cavity"
    /// Rubidium atomic ensembles, Liu et al., "Creation of memory–memory entanglement in a
    /// metropolitan quantum network", Nature 629, 579 (2024): single-photon (single-click)
    /// interference of photons converted to 1342 nm over metropolitan fibre, about 0.35 dB/km
    /// at that wavelength (ITU-T G.652); ensemble memories store many temporal modes, left at
    /// one mode here (set `photonics.multiplexing` to use them).
    case atomicEnsemble = "atomic-ensemble"
}

extension HardwarePreset {
    /// The preset's `memory` and `photonics` fields, placed at the `preset` key that named it.
    func node(at location: SourceLocation?, _ path: DocumentPath) -> HardwareOverrides {
        func here<Value>(_ value: Value) -> Located<Value> { Located(value: value, location: location, path: path) }
        var o = HardwareOverrides()
        switch self {
        case .nvQL2020, .nvLab:
            o.memory.qubits = here(4)
            o.memory.communicationQubits = here(1)
            o.memory.t1 = here(nil)
            o.memory.t2 = here(.milliseconds(3) + .microseconds(500))
            o.memory.readoutError = 0.0275
            o.memory.gateFidelity = 0.95
            o.photonics.visibility = 0.9
            o.photonics.attemptPeriod = .microseconds(5) + .nanoseconds(500)
            if self == .nvQL2020 {
                o.photonics.emissionEfficiency = 0.46 * 0.014_752_200_374_623_521
                o.photonics.conversionEfficiency = 0.3
            } else {
                o.photonics.emissionEfficiency = 0.000_35 / 0.8
                o.photonics.conversionEfficiency = 1
            }
        case .trappedIon:
            o.photonics.emissionEfficiency = (2 * 2.18e-4).squareRoot() / 0.9
            o.photonics.attemptPeriod = .microseconds(1)
        case .sivCavity:
            o.memory.t2 = here(.seconds(1))
        case .atomicEnsemble:
            break
        }
        return o
    }

    /// The preset's link and `detectors` fields.
    var link: (link: LinkOverrides, detectors: DetectorOverrides) {
        var l = LinkOverrides(), d = DetectorOverrides()
        switch self {
        case .nvQL2020, .nvLab:
            l.scheme = .singleClick
            d.efficiency = 0.8
            d.darkCountRate = Frequency(hertz: 20)
            d.window = .nanoseconds(25)
            if self == .nvQL2020 {
                l.attenuation = Attenuation(decibelsPerKilometre: 0.5)
                l.length = .kilometres(25)
                l.stationAt = 0.4
            } else {
                l.attenuation = Attenuation(decibelsPerKilometre: 5)
                l.length = .metres(2)
            }
        case .trappedIon:
            l.scheme = .doubleClick
        case .sivCavity:
            l.scheme = .doubleClick
            l.attenuation = Attenuation(decibelsPerKilometre: 0.35)
        case .atomicEnsemble:
            l.scheme = .singleClick
            l.attenuation = Attenuation(decibelsPerKilometre: 0.35)
        }
        return (l, d)
    }
}
