#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Wire

/// The received LSA instances every router's database shares (RFC 2328 §13: an instance floods
/// unchanged through its area, so N routers would otherwise hold N parsed copies of it).
///
/// Content-addressed: an LSA is looked up by its key and sequence number and taken from the table
/// only if it is equal to what was received, age included; an instance that differs only in age (one
/// InfTransDelay per hop, RFC 2328 §13.3) gets an instance of its own that shares the body's storage
/// and skips the checksum's encoding (the Fletcher checksum leaves the age out, RFC 2328 §12.1.7).
/// What a database holds is therefore equal to what it would hold without the table, so labs running
/// side by side (tests in parallel) may share it: it caches values, it holds no state of a lab. Instances
/// no database holds any more are dropped when the table has doubled since the last sweep.
final class LSAInstanceTable: @unchecked Sendable {
    struct Key: Hashable {
        var key: LSAKey
        var sequenceNumber: Int32
    }

    static let shared = LSAInstanceTable()

    private var instances: [Key: LSAInstance] = [:]
    private var sweepAt = 4096
    private let lock: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        lock = .allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
    }

    deinit {
        pthread_mutex_destroy(lock)
        lock.deallocate()
    }

    /// The shared instance equal to `lsa`, or a new one (sharing the body of a known instance that
    /// differs only in age). - Complexity: O(1) on average, plus a comparison of the bodies.
    func instance(for lsa: LSA) -> LSAInstance {
        let key = Key(key: LSAKey(lsa), sequenceNumber: lsa.sequenceNumber)
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        if let known = instances[key], known.lsa.options == lsa.options, known.lsa.body == lsa.body {
            if known.lsa.age == lsa.age { return known }
            var copy = lsa
            copy.body = known.lsa.body
            return LSAInstance(copy, checksum: known.checksum, length: known.length)
        }
        let instance = LSAInstance(lsa)
        instances[key] = instance
        if instances.count >= sweepAt { sweep() }
        return instance
    }

    /// Drops the instances only the table still holds.
    private func sweep() {
        var unused: [Key] = []
        for i in instances.indices where isKnownUniquelyReferenced(&instances.values[i]) {
            unused.append(instances.keys[i])
        }
        for key in unused { instances[key] = nil }
        sweepAt = max(4096, 2 * instances.count)
    }
}
