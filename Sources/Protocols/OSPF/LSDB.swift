import Engine
import Wire

/// What names an LSA in a database: LS type, Link State ID and Advertising Router (RFC 2328 §12.1).
/// Ordered by those three fields, so every listing of a database comes out the same way each run.
public struct LSAKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var type: LSAType
    public var linkStateID: IPv4Address
    public var advertisingRouter: IPv4Address

    public init(type: LSAType, linkStateID: IPv4Address, advertisingRouter: IPv4Address) {
        self.type = type
        self.linkStateID = linkStateID
        self.advertisingRouter = advertisingRouter
    }

    public init(_ lsa: LSA) {
        self.init(type: lsa.type, linkStateID: lsa.linkStateID, advertisingRouter: lsa.advertisingRouter)
    }

    // One word into the hasher instead of three fields: every database lookup hashes a key.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(UInt64(linkStateID.rawValue) << 32 | UInt64(advertisingRouter.rawValue))
        hasher.combine(type.rawValue)
    }

    public static func == (a: LSAKey, b: LSAKey) -> Bool {
        a.linkStateID == b.linkStateID && a.advertisingRouter == b.advertisingRouter && a.type == b.type
    }

    public static func < (a: LSAKey, b: LSAKey) -> Bool {
        (a.type, a.linkStateID, a.advertisingRouter) < (b.type, b.linkStateID, b.advertisingRouter)
    }

    public var description: String { "\(type) \(linkStateID) adv \(advertisingRouter)" }
}

/// One LSA instance as databases hold it: the contents and their Fletcher checksum, immutable.
///
/// A final class rather than a struct: an instance floods unchanged through the whole area, so every
/// router's database can point at the one copy (8 bytes a router instead of the LSA's ~100 bytes
/// inline plus its arrays), and the checksum, which costs an encoding, is computed once per instance
/// instead of once per router. The age that differs per router (RFC 2328 §13.3: InfTransDelay per
/// hop, then time in the database) is not here but in `LSDB.Entry`; `lsa.age` is the age the
/// instance had when it was created (0 on origination) and is not used by the database.
public final class LSAInstance: Sendable {
    public let lsa: LSA
    public let checksum: UInt16
    public let length: UInt16

    public init(_ lsa: LSA) {
        let header = lsa.header
        self.lsa = lsa
        self.checksum = header.checksum
        self.length = header.length
    }

    /// An instance whose checksum and length are already known (those of an instance equal but for the age).
    init(_ lsa: LSA, checksum: UInt16, length: UInt16) {
        self.lsa = lsa
        self.checksum = checksum
        self.length = length
    }

    public var key: LSAKey { LSAKey(lsa) }
    public var sequenceNumber: Int32 { lsa.sequenceNumber }
}

/// The order of two instances of one LSA (RFC 2328 §13.1).
public enum LSAInstanceOrder: Hashable, Sendable {
    case newer
    case older
    /// "The two instances are considered to be identical."
    case same
}

/// The link-state database of one OSPF area (RFC 2328 §12, §12.2), or — the same type — the
/// AS-scoped database of AS-external-LSAs, which every non-stub area shares (RFC 2328 §12.4.4).
///
/// LSAs are keyed by `LSAKey`; each entry records the age the LSA had on installation and the time
/// it was installed, so its current age is computed from the `now` the caller passes in
/// (RFC 2328 §12.1.1, §14) and no clock is read. Everything a caller can observe is listed in
/// `LSAKey` order.
public struct LSDB: Sendable {
    /// One installed LSA: a shared instance plus this router's view of its age.
    public struct Entry: Sendable {
        public let instance: LSAInstance
        /// The LS age at installation, in seconds (already increased by InfTransDelay on the way in).
        public let installedAge: UInt16
        public let installedAt: SimTime

        public init(instance: LSAInstance, installedAge: UInt16, installedAt: SimTime) {
            self.instance = instance
            self.installedAge = min(installedAge, LSAHeader.maxAge)
            self.installedAt = installedAt
        }

        public var lsa: LSA { instance.lsa }
        public var key: LSAKey { instance.key }

        /// RFC 2328 §14: the age grows by one each second in the database and stops at MaxAge.
        public func age(at now: SimTime) -> UInt16 {
            let held = max(0, (now - installedAt).nanoseconds / 1_000_000_000)
            return UInt16(min(Int64(installedAge) + held, Int64(LSAHeader.maxAge)))
        }

        public func isMaxAge(at now: SimTime) -> Bool { age(at: now) == LSAHeader.maxAge }

        /// The header as it would be announced at `now` (database description, acknowledgement).
        public func header(at now: SimTime) -> LSAHeader {
            let lsa = instance.lsa
            return LSAHeader(age: age(at: now), options: lsa.options, type: lsa.type, linkStateID: lsa.linkStateID,
                             advertisingRouter: lsa.advertisingRouter, sequenceNumber: lsa.sequenceNumber,
                             checksum: instance.checksum, length: instance.length)
        }
    }

    /// What `install` did.
    public enum InstallResult: Equatable, Sendable {
        /// The LSA was new to the database or newer than the copy it replaced. `contentsChanged`
        /// says whether the routing table must be recalculated (RFC 2328 §13.2).
        case installed(contentsChanged: Bool)
        /// The database copy is the same instance (RFC 2328 §13 (7)) and was kept.
        case duplicate
        /// The database copy is more recent (RFC 2328 §13 (8)) and was kept.
        case older
    }

    private var entries: [LSAKey: Entry] = [:]
    /// Bumped by every change to the database (an installation, a replacement, a removal), so an
    /// observer — the OSPF benchmark's convergence watch — can tell whether it changed in O(1).
    public private(set) var version: UInt64 = 0

    public init() {}

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    /// - Complexity: O(1) on average.
    public subscript(key: LSAKey) -> Entry? { entries[key] }

    /// - Complexity: O(1) on average.
    public func entry(type: LSAType, linkStateID: IPv4Address, advertisingRouter: IPv4Address) -> Entry? {
        entries[LSAKey(type: type, linkStateID: linkStateID, advertisingRouter: advertisingRouter)]
    }

    /// Every entry, in key order. - Complexity: O(n log n).
    public var sortedEntries: [Entry] { entries.keys.sorted().map { entries[$0]! } }

    /// The entries of one LS type, in key order. - Complexity: O(n + m log m) for the m of that type.
    public func sortedEntries(ofType type: LSAType) -> [Entry] {
        entries.values.filter { $0.instance.lsa.type == type }.sorted { $0.key < $1.key }
    }

    /// The entries `isIncluded` keeps, in key order: filtered before sorting, so listing a router's own
    /// few LSAs out of a large database costs a pass, not a sort. - Complexity: O(n + m log m) for m kept.
    public func sortedEntries(where isIncluded: (Entry) -> Bool) -> [Entry] {
        entries.values.filter(isIncluded).sorted { $0.key < $1.key }
    }

    /// Installs `instance` unless the database holds the same or a more recent instance (RFC 2328
    /// §13 (5)–(8), §13.1). MinLSArrival and the acknowledgement and flooding that go with
    /// installation are the flooding procedure's business, not the database's.
    /// - Complexity: O(1) on average, plus a body comparison when an older instance is replaced.
    @discardableResult
    public mutating func install(_ instance: LSAInstance, age: UInt16, now: SimTime) -> InstallResult {
        let key = instance.key
        let incoming = Entry(instance: instance, installedAge: age, installedAt: now)
        guard let current = entries[key] else {
            entries[key] = incoming
            version &+= 1
            return .installed(contentsChanged: true)
        }
        switch Self.order(incoming.header(at: now), current.header(at: now)) {
        case .older: return .older
        case .same: return .duplicate
        case .newer:
            entries[key] = incoming
            version &+= 1
            return .installed(contentsChanged: Self.contentsDiffer(incoming, current, now: now))
        }
    }

    /// Replaces whatever is stored under the instance's key, newer or not: for the router's own
    /// LSAs (RFC 2328 §12.4) and for tests that build a database directly.
    public mutating func replace(_ instance: LSAInstance, age: UInt16 = 0, now: SimTime) {
        entries[instance.key] = Entry(instance: instance, installedAge: age, installedAt: now)
        version &+= 1
    }

    /// Removes an LSA: a MaxAge LSA no longer on any retransmission list (RFC 2328 §14).
    @discardableResult
    public mutating func remove(_ key: LSAKey) -> Entry? {
        guard let removed = entries.removeValue(forKey: key) else { return nil }
        version &+= 1
        return removed
    }

    /// The keys of LSAs that have reached MaxAge at `now`, in key order (RFC 2328 §14).
    public func maxAgeKeys(at now: SimTime) -> [LSAKey] {
        entries.filter { $0.value.isMaxAge(at: now) }.keys.sorted()
    }

    // MARK: - RFC 2328 §13.1, which instance is more recent

    /// RFC 2328 §13.1: is `a` a more recent instance of the LSA than `b`? Ages are the current ones.
    public static func isNewer(_ a: LSAHeader, than b: LSAHeader) -> Bool { order(a, b) == .newer }

    /// RFC 2328 §13.1: how instance `a` compares with instance `b` of the same LSA.
    public static func order(_ a: LSAHeader, _ b: LSAHeader) -> LSAInstanceOrder {
        // "The LSA having the newer LS sequence number is more recent" (signed comparison, §12.1.6).
        if a.sequenceNumber != b.sequenceNumber { return a.sequenceNumber > b.sequenceNumber ? .newer : .older }
        // "the instance having the larger LS checksum (when considered as a 16-bit unsigned integer)".
        if a.checksum != b.checksum { return a.checksum > b.checksum ? .newer : .older }
        // "if only one of the instances has its LS age field set to MaxAge, the instance of age MaxAge".
        let maxAge = LSAHeader.maxAge
        if (a.age == maxAge) != (b.age == maxAge) { return a.age == maxAge ? .newer : .older }
        // "if the LS age fields of the two instances differ by more than MaxAgeDiff, the instance
        // having the smaller (younger) LS age".
        let maxAgeDiff = Int(OSPFConstants.maxAgeDiff.nanoseconds / 1_000_000_000)
        if abs(Int(a.age) - Int(b.age)) > maxAgeDiff { return a.age < b.age ? .newer : .older }
        return .same
    }

    /// RFC 2328 §13.2: options, a change to or from MaxAge, length or body differ (the age alone does not).
    static func contentsDiffer(_ a: Entry, _ b: Entry, now: SimTime) -> Bool {
        if a.instance === b.instance { return a.isMaxAge(at: now) != b.isMaxAge(at: now) }
        return a.lsa.options != b.lsa.options || a.isMaxAge(at: now) != b.isMaxAge(at: now)
            || a.instance.length != b.instance.length || a.lsa.body != b.lsa.body
    }
}
