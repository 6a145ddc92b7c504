import QNetCore
import QNetPhysics
import QNetQuantum

/// What a link's photons travel through (`medium:`): fibre (the default), a horizontal
/// free-space path between two ground sites, or a satellite pass.
public enum LinkMedium: Equatable, Sendable {
    case fibre
    case freeSpace(FreeSpaceParameters)
    case satellite(SatelliteParameters)

    /// The spelling in the file.
    public enum Kind: String, CaseIterable, Sendable {
        case fibre
        case freeSpace = "free-space"
        case satellite
    }

    public var kind: Kind {
        switch self {
        case .fibre: .fibre
        case .freeSpace: .freeSpace
        case .satellite: .satellite
        }
    }
}

/// `links[i].freeSpace`: the optics of a ground-to-ground free-space link. Both arms (node to
/// station) are free-space paths with these optics; the link's `length` and `stationAt` place
/// the station as for fibre.
public struct FreeSpaceParameters: Equatable, Sendable {
    /// Wavelength, divergence, receiver aperture and pointing jitter.
    public var beam: OpticalBeam
    /// Atmospheric extinction, dB/km.
    public var attenuationDecibelsPerKilometre: Double
    /// Receiver optical efficiency, (0, 1].
    public var receiverEfficiency: Double
    /// Day or night: picks the background rate.
    public var sky: Sky
    /// Background counts per second per detector, by day and by night.
    public var backgroundRateHertz: [Sky: Double]

    public init(beam: OpticalBeam, attenuationDecibelsPerKilometre: Double, receiverEfficiency: Double, sky: Sky = .night,
                backgroundRateHertz: [Sky: Double] = [:]) {
        self.beam = beam
        self.attenuationDecibelsPerKilometre = attenuationDecibelsPerKilometre
        self.receiverEfficiency = receiverEfficiency
        self.sky = sky
        self.backgroundRateHertz = backgroundRateHertz
    }

    /// The background count rate under this link's sky.
    public var backgroundHertz: Double { backgroundRateHertz[sky] ?? 0 }

    /// The free-space path of one arm.
    public func channel(lengthMetres: Double) -> FreeSpaceChannel {
        FreeSpaceChannel(lengthMetres: lengthMetres, beam: beam, attenuationDecibelsPerKilometre: attenuationDecibelsPerKilometre,
                         receiverEfficiency: receiverEfficiency)
    }
}

/// `links[i].satellite`: a satellite pass over the link's ground end, `nodes[0]` on board and
/// `nodes[1]` on the ground, checked when read (a pass that never rises is an error there).
public struct SatelliteParameters: Equatable, Sendable {
    /// The pass and its link budget.
    public var link: SatelliteLink
    /// What classical messages over the link do while it is down (only `wait` is modelled).
    public var whenDown: WhenDown = .wait

    public enum WhenDown: String, CaseIterable, Sendable {
        /// Held until the satellite rises, then sent with the slant delay of that time.
        case wait
    }

    public init(link: SatelliteLink, whenDown: WhenDown = .wait) {
        self.link = link
        self.whenDown = whenDown
    }
}

extension LinkSpec {
    /// A satellite link's pass and budget; nil for other media.
    public var satellite: SatelliteLink? {
        if case let .satellite(p) = medium { return p.link }
        return nil
    }
}
