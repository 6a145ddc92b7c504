import HeapModule

/// A discrete-event queue keyed by virtual time. Events with equal times come out in the order
/// they were scheduled (FIFO), so a run does not depend on heap internals.
///
/// Complexity: O(log n) for ``schedule(_:at:)`` and ``popNext()``; O(1) for ``nextTime``.
public struct EventQueue<Event> {
    @usableFromInline struct Entry: Comparable {
        var time: VTime
        var sequence: UInt64
        var event: Event
        @usableFromInline static func < (a: Entry, b: Entry) -> Bool {
            a.time != b.time ? a.time < b.time : a.sequence < b.sequence
        }
        @usableFromInline static func == (a: Entry, b: Entry) -> Bool {
            a.time == b.time && a.sequence == b.sequence
        }
    }

    @usableFromInline var heap = Heap<Entry>()
    @usableFromInline var nextSequence: UInt64 = 0

    public init() {}

    /// Number of pending events.
    public var count: Int { heap.count }
    public var isEmpty: Bool { heap.isEmpty }

    /// The time of the earliest pending event, or nil.
    public var nextTime: VTime? { heap.min?.time }

    /// Schedules `event` at `time`.
    public mutating func schedule(_ event: Event, at time: VTime) {
        heap.insert(Entry(time: time, sequence: nextSequence, event: event))
        nextSequence &+= 1
    }

    /// Removes and returns the earliest event (ties: first scheduled first).
    public mutating func popNext() -> (time: VTime, event: Event)? {
        guard let e = heap.popMin() else { return nil }
        return (e.time, e.event)
    }

    /// Removes and returns the earliest event if it is strictly before `limit`.
    public mutating func popNext(before limit: VTime) -> (time: VTime, event: Event)? {
        guard let t = heap.min?.time, t < limit else { return nil }
        return popNext()
    }
}

extension EventQueue: Sendable where Event: Sendable {}
extension EventQueue.Entry: Sendable where Event: Sendable {}

/// A discrete-event queue whose equal-time events come out in the order of a key given with
/// each (then first scheduled first): the order no longer depends on when, in wall-clock
/// terms, events were scheduled. The coordinator keys deliveries by (sender, sender's
/// sequence), so a member receives same-time messages in the same order in every run.
public struct KeyedEventQueue<Key: Comparable, Event> {
    @usableFromInline struct Entry: Comparable {
        var time: VTime
        var key: Key
        var sequence: UInt64
        var event: Event
        @usableFromInline static func < (a: Entry, b: Entry) -> Bool {
            (a.time, a.key, a.sequence) < (b.time, b.key, b.sequence)
        }
        @usableFromInline static func == (a: Entry, b: Entry) -> Bool {
            a.time == b.time && a.key == b.key && a.sequence == b.sequence
        }
    }

    @usableFromInline var heap = Heap<Entry>()
    @usableFromInline var nextSequence: UInt64 = 0

    public init() {}

    public var count: Int { heap.count }
    public var isEmpty: Bool { heap.isEmpty }
    /// The time of the earliest pending event, or nil.
    public var nextTime: VTime? { heap.min?.time }

    /// Schedules `event` at `time`, ordered among equal times by `key`.
    public mutating func schedule(_ event: Event, at time: VTime, key: Key) {
        heap.insert(Entry(time: time, key: key, sequence: nextSequence, event: event))
        nextSequence &+= 1
    }

    /// Removes and returns the earliest event if it is strictly before `limit`.
    public mutating func popNext(before limit: VTime) -> (time: VTime, event: Event)? {
        guard let t = heap.min?.time, t < limit, let e = heap.popMin() else { return nil }
        return (e.time, e.event)
    }
}

/// A delivery's tie-break: its sender and the sender's sequence number.
public struct SenderOrder: Comparable, Sendable {
    public var source: String
    public var sequence: UInt64
    public init(source: String, sequence: UInt64) {
        self.source = source
        self.sequence = sequence
    }
    public static func < (a: SenderOrder, b: SenderOrder) -> Bool { (a.source, a.sequence) < (b.source, b.sequence) }
}
