import QNetCore
import QNetProtocols

extension MessageBody.Role {
    init(wire: Qnet_V1_Role, field: String) throws(WireError) {
        switch wire {
        case .coordinator: self = .coordinator
        case .node: self = .node
        case .station: self = .station
        case .controller: self = .controller
        case .unspecified: throw Check.unspecified(field)
        case .UNRECOGNIZED(let value): throw Check.unrecognized(field, value)
        }
    }

    var wire: Qnet_V1_Role {
        switch self {
        case .coordinator: .coordinator
        case .node: .node
        case .station: .station
        case .controller: .controller
        }
    }
}

extension MessageBody.ClockMode {
    init(wire: Qnet_V1_ClockMode, field: String) throws(WireError) {
        switch wire {
        case .lockstep: self = .lockstep
        case .realtime: self = .realtime
        case .unspecified: throw Check.unspecified(field)
        case .UNRECOGNIZED(let value): throw Check.unrecognized(field, value)
        }
    }

    var wire: Qnet_V1_ClockMode {
        switch self {
        case .lockstep: .lockstep
        case .realtime: .realtime
        }
    }
}

extension MessageBody.ShutdownReason {
    init(wire: Qnet_V1_ShutdownReason, field: String) throws(WireError) {
        switch wire {
        case .completed: self = .completed
        case .durationReached: self = .durationReached
        case .interrupted: self = .interrupted
        case .peerLost: self = .peerLost
        case .error: self = .error
        case .unspecified: throw Check.unspecified(field)
        case .UNRECOGNIZED(let value): throw Check.unrecognized(field, value)
        }
    }

    var wire: Qnet_V1_ShutdownReason {
        switch self {
        case .completed: .completed
        case .durationReached: .durationReached
        case .interrupted: .interrupted
        case .peerLost: .peerLost
        case .error: .error
        }
    }
}

extension MessageBody.Hello {
    init(wire: Qnet_V1_Hello) throws(WireError) {
        self.init(
            role: try MessageBody.Role(wire: wire.role, field: "hello.role"),
            name: try Check.processName(wire.name, "hello.name"),
            pid: wire.pid,
            protocolVersion: wire.protocolVersion,
            softwareVersion: wire.softwareVersion,
            backplaneEndpoint: try Check.endpoint(wire.backplaneEndpoint, "hello.backplane_endpoint"))
    }

    var wire: Qnet_V1_Hello {
        var wire = Qnet_V1_Hello()
        wire.role = role.wire
        wire.name = name
        wire.pid = pid
        wire.protocolVersion = protocolVersion
        wire.softwareVersion = softwareVersion
        wire.backplaneEndpoint = backplaneEndpoint
        return wire
    }
}

extension MessageBody.Welcome {
    init(wire: Qnet_V1_Welcome) throws(WireError) {
        let configuration: MessageBody.MemberConfiguration? = switch wire.configuration {
        case let .node(node)?: .node(try NodeConfiguration(wire: node))
        case let .station(station)?: .station(try StationConfiguration(wire: station))
        case nil: nil
        }
        self.init(
            index: wire.index, runID: wire.runID, seed: wire.seed,
            clockMode: try MessageBody.ClockMode(wire: wire.clockMode, field: "welcome.clock_mode"), configuration: configuration)
    }

    var wire: Qnet_V1_Welcome {
        var wire = Qnet_V1_Welcome()
        wire.index = index
        wire.runID = runID
        wire.seed = seed
        wire.clockMode = clockMode.wire
        switch configuration {
        case let .node(node)?: wire.node = node.wire
        case let .station(station)?: wire.station = station.wire
        case nil: break
        }
        return wire
    }
}

extension MessageBody.Ready {
    init(wire: Qnet_V1_Ready) { self.init(index: wire.index) }

    var wire: Qnet_V1_Ready {
        var wire = Qnet_V1_Ready()
        wire.index = index
        return wire
    }
}

extension MessageBody.Start {
    init(wire: Qnet_V1_Start) throws(WireError) {
        var endpoints: [String: String] = [:]
        for (name, endpoint) in wire.backplaneEndpoints {
            endpoints[try Check.processName(name, "start.backplane_endpoints")] = try Check.endpoint(endpoint, "start.backplane_endpoints[\(name)]")
        }
        self.init(duration: wire.durationPs == 0 ? nil : VDuration(picoseconds: wire.durationPs), backplaneEndpoints: endpoints)
    }

    var wire: Qnet_V1_Start {
        var wire = Qnet_V1_Start()
        wire.durationPs = duration?.picoseconds ?? 0
        wire.backplaneEndpoints = backplaneEndpoints
        return wire
    }
}

extension MessageBody.Shutdown {
    init(wire: Qnet_V1_Shutdown) throws(WireError) {
        self.init(
            reason: try MessageBody.ShutdownReason(wire: wire.reason, field: "shutdown.reason"),
            detail: wire.detail)
    }

    var wire: Qnet_V1_Shutdown {
        var wire = Qnet_V1_Shutdown()
        wire.reason = reason.wire
        wire.detail = detail
        return wire
    }
}

extension MessageBody.Heartbeat {
    init(wire: Qnet_V1_Heartbeat) {
        self.init(wallTimeNanoseconds: wire.wallTimeNs, virtualTime: VTime(picoseconds: wire.virtualTimePs))
    }

    var wire: Qnet_V1_Heartbeat {
        var wire = Qnet_V1_Heartbeat()
        wire.wallTimeNs = wallTimeNanoseconds
        wire.virtualTimePs = virtualTime.picoseconds
        return wire
    }
}
