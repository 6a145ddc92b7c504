import QNetCore

extension MessageBody.Grant {
    init(wire: Qnet_V1_Grant) {
        self.init(round: wire.round, windowEnd: VTime(picoseconds: wire.windowEndPs))
    }

    var wire: Qnet_V1_Grant {
        var wire = Qnet_V1_Grant()
        wire.round = round
        wire.windowEndPs = windowEnd.picoseconds
        return wire
    }
}

extension MessageBody.WindowDone {
    init(wire: Qnet_V1_WindowDone) {
        self.init(
            round: wire.round,
            nextEventTime: wire.hasNextEventTimePs ? VTime(picoseconds: wire.nextEventTimePs) : nil,
            messagesSent: wire.messagesSent,
            directBackplaneSent: wire.directBackplaneSent,
            directBackplaneHandled: wire.directBackplaneHandled,
            answeredOnArrival: wire.answeredOnArrival)
    }

    var wire: Qnet_V1_WindowDone {
        var wire = Qnet_V1_WindowDone()
        wire.round = round
        if let nextEventTime { wire.nextEventTimePs = nextEventTime.picoseconds }
        wire.messagesSent = messagesSent
        wire.directBackplaneSent = directBackplaneSent
        wire.directBackplaneHandled = directBackplaneHandled
        wire.answeredOnArrival = answeredOnArrival
        return wire
    }
}

extension MessageBody.ClockPing {
    init(wire: Qnet_V1_ClockPing) {
        self.init(pingID: wire.pingID, t1Nanoseconds: wire.t1Ns)
    }

    var wire: Qnet_V1_ClockPing {
        var wire = Qnet_V1_ClockPing()
        wire.pingID = pingID
        wire.t1Ns = t1Nanoseconds
        return wire
    }
}

extension MessageBody.ClockPong {
    init(wire: Qnet_V1_ClockPong) {
        self.init(pingID: wire.pingID, t1Nanoseconds: wire.t1Ns, t2Nanoseconds: wire.t2Ns, t3Nanoseconds: wire.t3Ns)
    }

    var wire: Qnet_V1_ClockPong {
        var wire = Qnet_V1_ClockPong()
        wire.pingID = pingID
        wire.t1Ns = t1Nanoseconds
        wire.t2Ns = t2Nanoseconds
        wire.t3Ns = t3Nanoseconds
        return wire
    }
}

extension MessageBody.EpochAnnounce {
    init(wire: Qnet_V1_EpochAnnounce) throws(WireError) {
        try Check.require(
            wire.dilation.isFinite && wire.dilation > 0, "epoch_announce.dilation",
            "\(wire.dilation) is not a positive finite number")
        self.init(epochUnixNanoseconds: wire.epochUnixNs, dilation: wire.dilation)
    }

    var wire: Qnet_V1_EpochAnnounce {
        var wire = Qnet_V1_EpochAnnounce()
        wire.epochUnixNs = epochUnixNanoseconds
        wire.dilation = dilation
        return wire
    }
}
