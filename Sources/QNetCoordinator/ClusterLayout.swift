import Foundation
import QNetNode

/// A run laid out as separate hosts: the coordinator and every member of a ``ClusterPlan``,
/// each with a host name, an IPv4 address in one subnet, and the `qnet` command line it runs
/// there (DESIGN §12). `qnet members` prints it for scripts/cluster.sh (network namespaces);
/// `qnet compose` writes it as a compose file and Kubernetes manifests.
///
/// Everything comes from the plan, never from the scenario file's text, so a change in member
/// names or arguments reaches every launcher at once.
public struct ClusterLayout: Sendable {
    /// The coordinator or one member, as one host.
    public struct Host: Sendable, Equatable {
        /// `coordinator`, `node` or `station`.
        public var role: String
        /// The name in the scenario (a member's ZeroMQ identity; `coordinator` for the coordinator).
        public var name: String
        /// A DNS label made from the name: a compose service, a Kubernetes pod and host name.
        public var hostName: String
        /// This host's address in ``ClusterLayout/subnet``.
        public var address: String
        /// The member's own extra arguments from the plan (a station's `--link N`).
        public var memberArguments: [String]
    }

    /// How hosts reach each other: by address (network namespaces) or by host name (compose,
    /// Kubernetes; `nameSuffix` is appended to a member's host name, e.g. `.qnet` for the pods
    /// of a headless Service named `qnet`).
    public enum Addressing: Sendable, Equatable {
        case address
        case hostName(coordinator: String, nameSuffix: String)
    }

    public static let coordinatorPort = 5555
    public static let backplanePort = 6000

    public let plan: ClusterPlan
    public let subnet: IPv4Subnet
    /// The coordinator first, then the plan's members in order.
    public let hosts: [Host]

    /// - Throws: a one-line reason when the subnet has too few addresses for the members.
    public init(plan: ClusterPlan, subnet: IPv4Subnet) throws(ShellError) {
        self.plan = plan
        self.subnet = subnet
        // Offsets: .1 is left for a gateway, the coordinator is .2, members from .10.
        let needed = Self.firstMemberOffset + UInt32(plan.members.count)
        guard needed < subnet.size - 1 else {
            throw ShellError("subnet \(subnet) has \(subnet.size - 2 - Self.firstMemberOffset) addresses for members; the scenario has \(plan.members.count) members: give a larger one (e.g. a /16)")
        }
        var taken: Set<String> = ["coordinator"]
        var hosts = [Host(role: "coordinator", name: "coordinator", hostName: "coordinator", address: subnet.address(at: 2), memberArguments: [])]
        for (index, member) in plan.members.enumerated() {
            let label = Self.uniqueLabel(member.name, taken: &taken)
            hosts.append(Host(role: member.role.rawValue, name: member.name, hostName: label,
                              address: subnet.address(at: Self.firstMemberOffset + UInt32(index)), memberArguments: member.arguments))
        }
        self.hosts = hosts
    }

    static let firstMemberOffset: UInt32 = 10

    public var coordinator: Host { hosts[0] }
    public var members: ArraySlice<Host> { hosts.dropFirst() }

    /// The host a member reaches `host` by.
    public func reach(_ host: Host, _ addressing: Addressing) -> String {
        switch addressing {
        case .address: host.address
        case let .hostName(coordinator, suffix): host.role == "coordinator" ? coordinator : host.hostName + suffix
        }
    }

    /// The `qnet` arguments of the coordinator: it binds every interface, waits for the members
    /// (`--no-spawn`) and writes results to `out` (`--force`: the launch tool owns that folder,
    /// with the members' logs in it, and a run started again replaces its results); `extra` goes
    /// last (more `qnet run` options).
    public func coordinatorArguments(scenarioPath: String?, out: String, addressing: Addressing, extra: [String] = []) -> [String] {
        var arguments = ["run"]
        if let scenarioPath { arguments.append(scenarioPath) }
        arguments += ["--bind", "tcp://0.0.0.0:\(Self.coordinatorPort)",
                      "--advertise", "tcp://\(reach(coordinator, addressing)):\(Self.coordinatorPort)",
                      "--no-spawn", "--registration-timeout", "120", "--out", out, "--force", "--quiet"]
        if plan.stationPlacement != .process { arguments += ["--stations", plan.stationPlacement.rawValue] }
        return arguments + extra
    }

    /// The `qnet` arguments of a member: it connects to the coordinator; a node also binds its
    /// backplane socket on every interface and advertises the name or address peers reach it by.
    public func memberArguments(_ host: Host, addressing: Addressing) -> [String] {
        var arguments = [host.role, "--connect", "tcp://\(reach(coordinator, addressing)):\(Self.coordinatorPort)", "--name", host.name]
        if host.role == "node" {
            arguments += ["--bind", "tcp://0.0.0.0:\(Self.backplanePort)", "--advertise", "tcp://\(reach(host, addressing)):\(Self.backplanePort)"]
        }
        return arguments + host.memberArguments
    }

    /// A DNS-1123 label for `name` (lowercase letters, digits and '-', at most 63 characters),
    /// made unique among `taken`.
    static func uniqueLabel(_ name: String, taken: inout Set<String>) -> String {
        var label = String(name.lowercased().map { ($0.isASCII && ($0.isLetter || $0.isNumber)) ? $0 : "-" })
        while label.hasPrefix("-") { label.removeFirst() }
        while label.hasSuffix("-") { label.removeLast() }
        if label.isEmpty { label = "member" }
        label = String(label.prefix(56))
        var candidate = label, n = 2
        while taken.contains(candidate) {
            candidate = "\(label)-\(n)"
            n += 1
        }
        taken.insert(candidate)
        return candidate
    }
}

/// An IPv4 network written as `a.b.c.d/prefix` (prefix 8 to 28, host bits zero).
public struct IPv4Subnet: Sendable, Equatable, CustomStringConvertible {
    public let network: UInt32
    public let prefixLength: Int

    /// - Throws: a one-line reason naming what is wrong with `text`.
    public init(_ text: String) throws(ShellError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let octets = parts.first.map { $0.split(separator: ".", omittingEmptySubsequences: false).map { UInt8($0) } } ?? []
        guard parts.count == 2, octets.count == 4, octets.allSatisfy({ $0 != nil }), let prefix = Int(parts[1]) else {
            throw ShellError("subnet '\(text)' is not of the form a.b.c.d/prefix (e.g. 10.213.0.0/24)")
        }
        guard (8...28).contains(prefix) else {
            throw ShellError("subnet '\(text)': the prefix length must be in 8...28, got \(prefix)")
        }
        let value = octets.reduce(UInt32(0)) { $0 << 8 | UInt32($1!) }
        let hostMask = UInt32.max >> UInt32(prefix)
        guard value & hostMask == 0 else {
            throw ShellError("subnet '\(text)' has host bits set; did you mean \(Self.dotted(value & ~hostMask))/\(prefix)?")
        }
        network = value
        prefixLength = prefix
    }

    /// Addresses in the subnet, network and broadcast included.
    public var size: UInt32 { 1 << UInt32(32 - prefixLength) }

    /// The address `offset` past the network address, dotted.
    public func address(at offset: UInt32) -> String { Self.dotted(network + offset) }

    public var description: String { "\(Self.dotted(network))/\(prefixLength)" }

    static func dotted(_ value: UInt32) -> String {
        [24, 16, 8, 0].map { String((value >> UInt32($0)) & 0xFF) }.joined(separator: ".")
    }
}
