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

    /// Imperfect local operations at the repeater of a 3-node chain (Briegel, Dür, Cirac &
    /// Zoller, PRL 81, 5932, 1998; Dür et al., PRA 59, 169, 1999): the swap's CNOT is followed by
    /// two-qubit depolarising noise of strength 1 − g, and each Bell-measurement outcome is
    /// misread with probability e. Given the outcome, the measured qubits' depolarising leaves
    /// the far pair in g·ρ + (1 − g)·I/4 (the links are Bell-diagonal, so their reduced states are
    /// maximally mixed); a misread left outcome applies the wrong Z, a misread right one the wrong
    /// X. So every pair's fidelity is g·λ_k + (1 − g)/4, with λ the XOR-composed links and k the
    /// Pauli error (none, Z, X, Y) with probabilities (1 − e)², e(1 − e), e(1 − e), e². Checked:
    /// every pair takes one of these values (1e-9); the share of each agrees with its probability
    /// within 4 standard errors; the mean fidelity agrees with the closed form within 4 standard
    /// errors.
    /// Pair identity end to end (in the spirit of the QNP, Kozlowski et al., CoNEXT 2020): every
    /// delivered pair names one link pair per link of its path, in path order, both ends agree on
    /// them (the owner counts disagreements), and no link pair serves two deliveries — also when one
    /// end's channels are 10× slower and when a cutoff discards pairs mid-way.
    @Test(arguments: [(5, UInt64(1), false), (5, UInt64(10), false), (3, UInt64(1), true), (5, UInt64(1), true)])
    func everyPairNamesTheLinkPairsItWasMadeFrom(nodes: Int, delayFactor: UInt64, cutoff: Bool) {
        var fixture = ChainFixture(nodes: nodes, pairs: 150)
        fixture.lastNodeDelayFactor = delayFactor
        if cutoff { fixture.cutoff = .microseconds(60) }
        let net = fixture.run()
        #expect(net.delivered.count == 150)
        var used = Set<NodeMessage.LinkPair>()
        for pair in net.delivered {
            #expect(pair.linkPairs.map(\.hop) == Array(0..<(nodes - 1)), "\(pair.linkPairs)")
            #expect(pair.linkPairs.map(\.link) == (0..<(nodes - 1)).map { LinkID(UInt32($0)) }, "\(pair.linkPairs)")
            for linkPair in pair.linkPairs {
                #expect(linkPair.sequence >= 1)
                #expect(used.insert(linkPair).inserted, "\(linkPair) serves two deliveries")
            }
        }
        #expect(net.nodes.values.allSatisfy { $0.identityMismatches == 0 })
        if cutoff {
            let discards = net.routed.filter { if case let .feedForward(ff) = $0.message { ff.discarded } else { false } }.count
            #expect(discards > 0, "the cutoff must discard pairs for this case to mean anything")
        }
    }

    /// The end-to-end budget (`cutoff: { budget: D }`): on a 5-node chain every delivered pair's
    /// oldest link pair is the earliest herald among the link pairs it names (read back from the
    /// heralds in the routed log), and under the budget no delivered pair is older than D at
    /// delivery. Without a cutoff, and with a per-link cutoff of the same D, some are: a link's
    /// age is bounded by a per-link cutoff only until it is swapped.
    @Test func aBudgetBoundsTheAgeOfEveryDeliveredPair() {
        let budget = VDuration.microseconds(150)
        func ages(_ configure: (inout ChainFixture) -> Void) -> (ages: [Double], net: InMemoryNetwork) {
            var fixture = ChainFixture(nodes: 5, pairs: 150)
            configure(&fixture)
            let net = fixture.run()
            #expect(net.delivered.count == 150)
            var heralded: [NodeMessage.LinkPair: VTime] = [:]
            for entry in net.routed {
                guard case let .herald(h) = entry.message else { continue }
                heralded[.init(link: h.linkID, sequence: h.sequence, hop: Int(h.linkID.rawValue))] = h.successTime
            }
            var ages: [Double] = []
            for pair in net.delivered {
                let times = pair.linkPairs.compactMap { heralded[$0] }
                #expect(times.count == 4, "\(pair.linkPairs)")
                #expect(pair.oldestLink == times.min(), "\(pair.linkPairs): oldest \(pair.oldestLink), heralds \(times)")
                ages.append(pair.delivered.duration(since: pair.oldestLink).seconds)
            }
            return (ages, net)
        }
        let none = ages { _ in }
        let perLink = ages { $0.cutoff = budget }
        let (budgeted, net) = ages { $0.cutoffBudget = budget }
        #expect(none.ages.contains { $0 > budget.seconds }, "without a cutoff some pair must be older than the budget for this to mean anything")
        #expect(perLink.ages.contains { $0 > budget.seconds }, "a per-link cutoff does not bound the age of swapped links")
        #expect(budgeted.allSatisfy { $0 <= budget.seconds }, "oldest age \(budgeted.max() ?? 0) s over the budget \(budget.seconds) s")
        let discards = net.routed.filter { if case let .feedForward(ff) = $0.message { ff.discarded } else { false } }.count
        #expect(discards > 0)
        print("budget \(budget.seconds * 1e6) µs: oldest age at delivery none \(none.ages.max()! * 1e6) µs, per-link cutoff \(perLink.ages.max()! * 1e6) µs, budget \(budgeted.max()! * 1e6) µs")
    }

    @Test func gateAndReadoutNoiseAtTheRepeater() {
        var fixture = ChainFixture(nodes: 3, pairs: 2_000)
        fixture.darkCountProbability = 2e-5
        fixture.gateFidelity = 0.97
        fixture.readoutError = 0.05
        let net = fixture.run(keepingLog: false)
        #expect(net.delivered.count == 2_000)
        let g = fixture.gateFidelity, e = fixture.readoutError
        let lambda = ChainFixture.compose(fixture.linkCoefficients, links: 2)
        // Index 2x + z in the order Φ+, Φ−, Ψ+, Ψ−: a Z error maps Φ+ ↔ Φ−, an X error Φ+ ↔ Ψ+.
        let values = [lambda[0], lambda[1], lambda[2], lambda[3]].map { g * $0 + (1 - g) / 4 }
        let probabilities = [(1 - e) * (1 - e), e * (1 - e), e * (1 - e), e * e]
        var counts = [0, 0, 0, 0]
        for pair in net.delivered {
            guard let k = values.firstIndex(where: { abs($0 - pair.fidelity) < 1e-9 }) else {
                Issue.record("fidelity \(pair.fidelity) is none of \(values)")
                continue
            }
            counts[k] += 1
        }
        let n = Double(net.delivered.count)
        for k in 0..<4 {
            let se = (probabilities[k] * (1 - probabilities[k]) / n).squareRoot()
            #expect(abs(Double(counts[k]) / n - probabilities[k]) <= 4 * se + 1e-12, "error \(k): \(counts[k]) of \(Int(n))")
        }
        let fidelities = net.delivered.map(\.fidelity)
        let mean = fidelities.reduce(0, +) / n
        let sd = (fidelities.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)).squareRoot()
        let expected = zip(values, probabilities).map(*).reduce(0, +)
        #expect(abs(mean - expected) <= 4 * sd / n.squareRoot(), "mean \(mean), closed form \(expected)")
        #expect(expected < values[0] - 0.005, "the noise must visibly cost fidelity")
    }

    /// Waiting time (Coopmans et al., PRA 105, 012608, 2022; Shchukin, Schmidt & van Loock, PRA
    /// 100, 032322, 2019): on a chain of N identical links that all start attempting together,
    /// with ideal memories, deterministic swaps and enough memory, the number of attempt cycles
    /// until every link of the first delivery exists is the largest of N geometric variables,
    /// E[T_N] = Σ_{k=1..N} (−1)^{k+1} C(N,k) / (1 − (1 − p)^k), p the per-cycle success
    /// probability. Each run's count comes from the heralds (attempt index ÷ modes + 1) of the
    /// links the first delivered pair used; the mean over 1,500 seeds agrees within 4 standard
    /// errors.
    @Test(arguments: [3, 5])
    func cyclesUntilEveryLinkExists(nodes: Int) {
        let links = nodes - 1
        let base = ChainFixture(nodes: nodes, pairs: 1)
        let p = base.model.successProbability
        var expected = 0.0
        for k in 1...links {
            let binomial = (1...k).reduce(1.0) { $0 * Double(links - k + $1) / Double($1) }
            expected += (k % 2 == 1 ? 1 : -1) * binomial / (1 - pow(1 - p, Double(k)))
        }
        var samples: [Double] = []
        for seed in 1...1_500 {
            var fixture = base
            fixture.seed = UInt64(seed)
            let net = fixture.run()
            guard let delivered = net.delivered.first else { continue }
            var cycles: [Int] = []
            for i in 0..<links {
                // The first herald on each link, to its first node: every link starts at time zero.
                let herald = net.routed.first { entry in
                    if case let .herald(h) = entry.message, h.linkID.rawValue == UInt32(i), entry.destination == "n\(i)" { return true }
                    return false
                }
                guard case let .herald(h)? = herald?.message, h.successTime <= delivered.delivered else { continue }
                cycles.append(Int(h.attemptIndex) + 1)
            }
            #expect(cycles.count == links)
            samples.append(Double(cycles.max() ?? 0))
        }
        let n = Double(samples.count)
        let mean = samples.reduce(0, +) / n
        let sd = (samples.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)).squareRoot()
        #expect(n == 1_500)
        #expect(abs(mean - expected) <= 4 * sd / n.squareRoot(), "mean \(mean) cycles, E[T_\(links)] = \(expected)")
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
