import QNetCore
import QNetPhysics
import QNetScenario
import Testing
@testable import QNetCoordinator

/// Classical delays over a satellite link follow the pass: the slant delay of the send time, a
/// wait for the rise before the pass, never after it; the clock's table keeps the shortest.
@Suite("Satellite channel delays")
struct SatelliteDelayTests {
    static let yaml = """
        name: delays
        nodes: [{ name: far }, { name: ground }, { name: sat }]
        links:
          - { nodes: [far, ground], length: 20 km }
          - nodes: [sat, ground]
            medium: satellite
            satellite: { altitude: 500 km, wavelength: 810 nm, divergence: 5 urad, receiverAperture: 1 m,
                         zenithTransmittance: 0.8, receiverEfficiency: 0.5, minElevation: 20 deg, maxElevation: 70 deg, passStart: 30 s }
        requests:
          - { from: far, to: sat, pairs: 1 }
        """

    @Test func delaysFollowThePass() throws {
        let scenario = try Scenario.parse(yaml: Self.yaml, file: "delays.yaml")
        let plan = try ClusterPlan(scenario: scenario, stations: .process)
        let station = scenario.stationName(of: scenario.links[1])
        let pass = try #require(scenario.links[1].satellite).pass
        #expect(plan.hostedStations == [station], "a satellite link's station runs in the coordinator")
        #expect(!plan.members.contains { $0.name == station })
        let shortest = pass.delay(atSeconds: pass.culminationSeconds)
        #expect(plan.delay(from: "sat", to: station) == shortest)
        func at(_ seconds: Double) -> VTime { VTime.zero + VDuration(seconds: seconds) }
        let tc = pass.culminationSeconds, t1 = pass.startSeconds + 20
        #expect(plan.delay(from: "sat", to: station, at: at(tc)) == .after(shortest))
        #expect(plan.delay(from: station, to: "sat", at: at(t1)) == .after(pass.delay(atSeconds: at(t1).seconds)))
        // Downlink: the ground end is at the station.
        #expect(plan.delay(from: station, to: "ground", at: at(t1)) == .after(VDuration(picoseconds: 1)))
        // Before the rise: wait for it, then the slant delay at the rise.
        let rise = VTime.zero + VDuration(seconds: pass.startSeconds)
        #expect(plan.delay(from: "sat", to: station, at: at(5)) == .after((rise - at(5)) + pass.delay(atSeconds: rise.seconds)))
        // After the set: never (the link's index).
        #expect(plan.delay(from: "sat", to: station, at: at(pass.endSeconds + 1)) == .never(LinkID(1)))
        // Node to node across the fibre and the satellite: the fibre's delay plus the slant delay now.
        let fibre = FiberChannel(lengthMetres: 20_000).delay
        #expect(plan.delay(from: "far", to: "sat") == fibre + shortest)
        #expect(plan.delay(from: "far", to: "sat", at: at(t1)) == .after(fibre + shortest + (pass.delay(atSeconds: at(t1).seconds) - shortest)))
        #expect(plan.delay(from: "far", to: "ground", at: at(t1)) == .after(fibre))
    }
}
