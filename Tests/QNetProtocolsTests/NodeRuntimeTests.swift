import Foundation
import QNetCore
import QNetProtocols
import QNetQuantum
import Testing

/// The node runtime without processes: runtimes and stations in an ``InMemoryNetwork`` with a
/// manual clock, against closed forms.
@Suite("Node runtime (in memory)")
struct NodeRuntimeTests {
    /// Ideal memories, no dark counts: double-click links carry phase errors only
    /// (F = (1 + V)/2), so an N-node chain gives F = (1 + (2F − 1)^(N−1))/2 for every pair,
    /// whatever the Bell-measurement outcomes (Dür et al., PRA 59, 169, 1999). Each pair to 1e-9.
    @Test(arguments: [3, 5])
    func swapAndFeedForwardGiveTheChainFidelity(nodes: Int) {
        let fixture = ChainFixture(nodes: nodes, pairs: 200)
        let net = fixture.run()
        let link = fixture.linkCoefficients
        #expect(abs(link[2]) < 1e-12 && abs(link[3]) < 1e-12, "no bit flips without dark counts")
        let expected = (1 + pow(2 * link[0] - 1, Double(nodes - 1))) / 2
        #expect(abs(expected - ChainFixture.compose(link, links: nodes - 1)[0]) < 1e-12)
        #expect(net.delivered.count == 200)
        for pair in net.delivered { #expect(abs(pair.fidelity - expected) < 1e-9) }
        // Every swap sends two feed-forward messages, routed with their channel's delay.
        let feedForward = net.routed.filter { if case .feedForward = $0.message { true } else { false } }
        #expect(feedForward.count >= 2 * (nodes - 2) * 200)
        #expect(feedForward.allSatisfy { $0.due > $0.sent })
        #expect(net.warnings.isEmpty, "\(net.warnings.prefix(3))")
    }

    /// Dark counts make the link states general Bell-diagonal states: the chain's fidelity is the
    /// XOR convolution's Φ+ coefficient.
    @Test func bellDiagonalLinksCompose() {
        var fixture = ChainFixture(nodes: 5, pairs: 150)
        fixture.darkCountProbability = 2e-5
        let net = fixture.run()
        let link = fixture.linkCoefficients
        #expect(link[2] + link[3] > 1e-6)
        let expected = ChainFixture.compose(link, links: 4)[0]
        #expect(net.delivered.count == 150)
        for pair in net.delivered { #expect(abs(pair.fidelity - expected) < 1e-9) }
    }

    /// The asymmetric-delay race: every channel into the chain's last node is 10× longer than
    /// its fibre. The last node applies the correction of every swap before it takes its qubit,
    /// so each pair is delivered no earlier than the last swap's feed-forward reaches it, and
    /// every pair still has the corrected closed-form fidelity (a pair consumed before its
    /// correction would not: an uncorrected Ψ or Φ− pair has fidelity ≤ 1 − F to Φ+).
    @Test(arguments: [3, 5])
    func noEndConsumesAPairBeforeItsCorrection(nodes: Int) {
        var fixture = ChainFixture(nodes: nodes, pairs: 150)
        fixture.lastNodeDelayFactor = 10
        let net = fixture.run()
        let link = fixture.linkCoefficients
        let expected = (1 + pow(2 * link[0] - 1, Double(nodes - 1))) / 2
        #expect(net.delivered.count == 150)
        for pair in net.delivered { #expect(abs(pair.fidelity - expected) < 1e-9) }
        // Feed-forward to the last node, in arrival order: each pair needs the news of every swap.
        let last = "n\(nodes - 1)"
        let arrivals = net.routed.filter { entry in
            if case .feedForward = entry.message, entry.destination == last { return true }
            return false
        }.map(\.due).sorted()
        #expect(arrivals.count >= net.delivered.count)
        // The k-th pair cannot be delivered before the k-th correction reached the last node.
        let deliveries = net.delivered.map(\.delivered).sorted()
        for (k, delivered) in deliveries.enumerated() {
            #expect(arrivals.filter { $0 <= delivered }.count >= k + 1, "pair \(k) delivered before its correction arrived")
        }
    }

    /// Bounded state (DESIGN §5: tables bounded by the scenario, not the run): over 10^5 pairs
    /// on a 3-node chain, every node's directory, memory, slot table and pending tables stay
    /// below bounds fixed by the scenario, and are no larger after 10^5 pairs than after 10^4.
    @Test func directoryTablesStayBounded() {
        let fixture = ChainFixture(nodes: 3, pairs: 100_000)
        var net = fixture.network()
        net.keepsRoutedLog = false
        net.start()
        var sizesAt: [Int: [String: Int]] = [:]
        for target in [10_000, 100_000] {
            net.run(until: .zero + fixture.duration) { $0.delivered.count >= target }
            sizesAt[target] = net.nodes.mapValues { $0.tableSizes }
        }
        #expect(net.delivered.count == 100_000)
        for (name, size) in sizesAt[100_000]! {
            // Forwarding pointers are kept for at most max(1024, 16 × live qubits) qubits.
            #expect(size <= 4 * 1_024 + 64, "\(name): \(size) entries")
            #expect(size <= sizesAt[10_000]![name]! + 64, "\(name) grew from \(sizesAt[10_000]![name]!) to \(size)")
        }
    }
}
