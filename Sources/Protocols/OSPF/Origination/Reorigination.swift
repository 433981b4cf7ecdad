import Wire

// MARK: - RFC 2328 §12.1.6 and §12.4, instances of our own LSAs

/// What the owner does to put a freshly built LSA into the routing domain (RFC 2328 §12.4).
public enum LSAReorigination: Hashable, Sendable {
    /// The contents equal the current instance's: nothing to originate (only LSRefreshTime renews it).
    case unchanged
    /// Flood this instance.
    case originate(LSA)
    /// RFC 2328 §12.1.6: the sequence space is exhausted. Flush `maxAged` (the current instance at MaxAge)
    /// and, once every neighbor has acknowledged it, originate `then` at InitialSequenceNumber.
    case flushThenOriginate(maxAged: LSA, then: LSA)
}

extension LSAOrigination {
    /// RFC 2328 §12.4: the next instance of one of our LSAs, given the one currently in the database.
    /// A new LSA starts at InitialSequenceNumber; a changed one takes the previous sequence number plus one;
    /// an unchanged one (same options and body) needs no new instance.
    public static func reoriginate(_ lsa: LSA, previous: LSA?) -> LSAReorigination {
        var next = lsa
        next.age = 0
        guard let previous else {
            next.sequenceNumber = LSAHeader.initialSequenceNumber
            return .originate(next)
        }
        if previous.options == lsa.options && previous.body == lsa.body && previous.age < LSAHeader.maxAge {
            return .unchanged
        }
        if previous.sequenceNumber == LSAHeader.maxSequenceNumber {
            var flushed = previous
            flushed.age = LSAHeader.maxAge
            next.sequenceNumber = LSAHeader.initialSequenceNumber
            return .flushThenOriginate(maxAged: flushed, then: next)
        }
        next.sequenceNumber = previous.sequenceNumber &+ 1
        return .originate(next)
    }

    /// The next instance, or nil when the contents are unchanged (the sequence wrap of §12.1.6 yields the
    /// instance at InitialSequenceNumber; use `reoriginate` to flush first).
    public static func nextInstance(of lsa: LSA, previous: LSA?) -> LSA? {
        switch reoriginate(lsa, previous: previous) {
        case .unchanged: nil
        case let .originate(next): next
        case let .flushThenOriginate(_, then): then
        }
    }

    /// RFC 2328 §14.1: our LSAs that the new set no longer contains, set to MaxAge for premature aging.
    public static func flushed(previous: [LSA], current: [LSA]) -> [LSA] {
        let kept = Set(current.map(LSAKey.init))
        return previous.filter { !kept.contains(LSAKey($0)) }.sorted { LSAKey($0) < LSAKey($1) }.map {
            var lsa = $0
            lsa.age = LSAHeader.maxAge
            return lsa
        }
    }
}
