import Foundation
import QNetPhysics

// Scenario values for the heterogeneous physical layer: coexistence with classical traffic and
// optical power. The formulas are QNetPhysics's (RamanNoise, DetectionTiming, MultiplexingModes).

/// An optical power: `"1 mW"`, `"0 dBm"`, `"-3 dBm"`, `"200 uW"`.
public struct Power: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Power in watts.
    public var watts: Double

    @inlinable public init(watts: Double) { self.watts = watts }

    /// `dBm` decibels above 1 mW.
    public init(dBm: Double) { watts = 1e-3 * pow(10, dBm / 10) }

    @inlinable public static func < (a: Power, b: Power) -> Bool { a.watts < b.watts }

    /// Units with their scale to watts; `dBm` is logarithmic and handled apart.
    static let linearUnits: [(symbol: String, spellings: [String], watts: Double)] = [
        ("W", ["W"], 1), ("mW", ["mW"], 1e-3), ("uW", ["uW", "µW"], 1e-6), ("nW", ["nW"], 1e-9),
    ]
    static let allowedUnits = "allowed units: W, mW, uW, nW, dBm"

    /// Parses `"1 mW"` or `"-3 dBm"`; nil with a reason otherwise.
    static func parse(_ text: String) -> (power: Power?, reason: String?) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let split = trimmed.firstIndex(where: { $0.isLetter || $0 == "µ" }) else {
            return Double(trimmed) == 0 ? (Power(watts: 0), nil) : (nil, "missing unit; " + allowedUnits)
        }
        let numberText = trimmed[..<split].trimmingCharacters(in: .whitespaces)
        let unit = String(trimmed[split...])
        guard let number = Double(numberText), number.isFinite else {
            return (nil, "expected a power such as '1 mW' or '0 dBm'; " + allowedUnits)
        }
        if unit == "dBm" { return (Power(dBm: number), nil) }
        guard let scale = linearUnits.first(where: { $0.spellings.contains(unit) })?.watts else {
            return (nil, "unknown unit '\(unit)'; " + allowedUnits)
        }
        guard number >= 0 else { return (nil, "a power cannot be negative (write dBm for powers below 1 mW)") }
        return (Power(watts: number * scale), nil)
    }

    /// `1 mW`, `250 uW`.
    public var description: String {
        for (symbol, _, scale) in Self.linearUnits where watts >= scale || scale == 1e-9 {
            return Quantity.short(watts / scale) + " " + symbol
        }
        return "0 W"
    }
}

/// `coexistence: { launchPower, channelSeparation, direction, filterBandwidth }` on a link: a
/// classical DWDM channel in each arm's fibre whose spontaneous Raman scattering
/// (``RamanNoise``) adds to the station's noise counts.
public struct CoexistenceParameters: Hashable, Sendable {
    /// Launch power of the classical channel into each arm. Required.
    public var launchPower: Power
    /// Frequency separation between the classical and quantum channels, > 0; the quantum
    /// channel on the Stokes (lower-frequency) side. Required.
    public var channelSeparation: Frequency
    /// Default co-propagating (launched at the node, towards the station).
    public var direction: PropagationDirection
    /// Pass band of the quantum channel's filter at the station, > 0. Default 100 GHz.
    public var filterBandwidth: Frequency

    public init(
        launchPower: Power, channelSeparation: Frequency, direction: PropagationDirection = .co,
        filterBandwidth: Frequency = Frequency(hertz: 100e9)
    ) {
        self.launchPower = launchPower
        self.channelSeparation = channelSeparation
        self.direction = direction
        self.filterBandwidth = filterBandwidth
    }

    /// The Raman model of QNetPhysics with these values.
    public var raman: RamanNoise {
        RamanNoise(
            launchPowerWatts: launchPower.watts, channelSeparationHertz: channelSeparation.hertz, direction: direction,
            filterBandwidthHertz: filterBandwidth.hertz)
    }
}

extension LinkSpec {
    /// Temporal, spectral and spatial modes the link runs per cycle: its own `multiplexing`, or
    /// the fewer of its ends' `photonics.multiplexing` as temporal modes.
    public func modes(in scenario: Scenario) -> MultiplexingModes {
        if let modes = parameters.multiplexing { return modes }
        let capacity = min(scenario.node(a).photonics.multiplexing, scenario.node(b).photonics.multiplexing)
        return MultiplexingModes(temporal: capacity)
    }

    /// Raman photons per second from the classical channel reaching each detector of the
    /// station: both arms' photon rates, split by the 50:50 beam splitter, times the detector
    /// efficiency. 0 without `coexistence`.
    public var ramanNoiseRateHertz: Double {
        guard let coexistence = parameters.coexistence else { return 0 }
        let raman = coexistence.raman
        let arriving = raman.photonRateHertz(over: armA.fibre) + raman.photonRateHertz(over: armB.fibre)
        return arriving / 2 * detectors.efficiency
    }

    /// The station's detectors as the click model sees them: the efficiency times the
    /// probability that a true click falls inside the window (``DetectionTiming``), and the
    /// noise rate of dark counts plus Raman photons.
    public var effectiveDetector: DetectorModel {
        DetectorModel(
            efficiency: detectors.efficiency * detectors.timing.coincidenceProbability,
            darkCountRateHertz: detectors.darkCountRate.hertz + ramanNoiseRateHertz,
            window: detectors.window)
    }
}
