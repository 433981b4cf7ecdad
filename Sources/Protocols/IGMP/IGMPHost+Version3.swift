import Engine
import Fabric
import Wire

/// One group's record still to be retransmitted in State-Change Reports (RFC 3376 §5.1).
struct PendingStateChange: Equatable {
    var recordType: IGMPv3RecordType
    var retransmissionsLeft: Int
}

/// The IGMPv3 host state of one interface (RFC 3376 §5), any-source multicast only: every joined group
/// is in EXCLUDE mode with an empty source list, so the joined groups themselves are the interface state.
struct HostVersion3Interface: Equatable {
    /// Records of the pending State-Change Report, by group (§5.1).
    var stateChanges: [IPv4Address: PendingStateChange] = [:]
    var stateChangeTimerArmed = false
    /// When the pending response to a General Query is due (§5.2, the interface timer).
    var generalResponseAt: SimTime?
    /// Groups with a pending Group-Specific response, and when that response is due.
    var groupResponses: Set<IPv4Address> = []
    var groupResponseAt: SimTime?
}

/// The timers of an interface in IGMPv3 mode, encoded in the token's low bits.
enum HostVersion3Timer: UInt32 { case stateChange = 0, generalResponse = 1, groupResponse = 2 }

extension IGMPHost {
    /// Tokens at and above this are IGMPv3 interface timers (`token = base | interface << 2 | timer`).
    static let version3TokenBase: UInt32 = 0x8000_0000

    /// True when the host interface is configured for IGMPv3 (`igmp-version: 3` in a topology).
    func isVersion3(_ index: Int, _ context: ControlPlaneContext) -> Bool {
        let name = context.interfaces[index].name
        return context.node.settings.interfaces.first { $0.name == name }?.igmpVersion == 3
    }

    /// The Host Compatibility Mode of RFC 3376 §7.2.1: the lowest version of querier heard within the
    /// Older Version Querier Present Timeout, else the configured version.
    func compatibilityMode(on index: Int, _ context: ControlPlaneContext) -> Int {
        if let until = version1RouterPresentUntil[index], context.now < until { return 1 }
        guard isVersion3(index, context) else { return 2 }
        if let until = version2QuerierPresentUntil[index], context.now < until { return 2 }
        return 3
    }

    /// A join or leave, handed to the machine of the interface's compatibility mode.
    func membershipEvent(_ group: IPv4Address, joined: Bool, interface: Int, _ context: ControlPlaneContext) {
        if compatibilityMode(on: interface, context) == 3 {
            stateChange(group, joined: joined, on: interface, context)
        } else {
            handle(joined ? .joinGroup : .leaveGroup, group: group, interface: interface, context)
        }
    }

    /// RFC 3376 §7.2.1: switching to an older version cancels the v3 retransmissions and pending responses;
    /// the joined groups become idle v2 members, which send a leave when they go.
    func enterOlderVersion(on index: Int, _ context: ControlPlaneContext) {
        for timer in [HostVersion3Timer.stateChange, .generalResponse, .groupResponse] {
            context.cancel(token: Self.token(index, timer))
        }
        version3[index] = nil
        for group in context.node.joinedGroups(on: context.interfaces[index].name) {
            let key = Self.key(index, group)
            if let t = tokens[key] { context.cancel(token: t) }
            var entry = HostGroup()
            entry.state = .idleMember
            entry.lastReporter = true
            groups[key] = entry
        }
    }

    /// Back in v3 mode, whatever the v2 machine held for the interface is dropped.
    func dropOlderVersionState(on index: Int, _ context: ControlPlaneContext) {
        for key in groups.keys where key >> 32 == UInt64(index) {
            if let t = tokens[key] { context.cancel(token: t) }
            groups[key] = nil
        }
    }

    static func token(_ index: Int, _ timer: HostVersion3Timer) -> UInt32 {
        version3TokenBase | UInt32(index) << 2 | timer.rawValue
    }

    // MARK: - RFC 3376 §5.1: State-Change Reports

    /// A join (TO_EX {}) or leave (TO_IN {}) sends a State-Change Report at once and retransmits the record
    /// [Robustness Variable] − 1 more times at random intervals up to the Unsolicited Report Interval.
    /// The report sent at once merges the new record with those still pending (§5.1), as retransmissions do.
    func stateChange(_ group: IPv4Address, joined: Bool, on index: Int, _ context: ControlPlaneContext) {
        dropOlderVersionState(on: index, context)
        var state = version3[index] ?? HostVersion3Interface()
        let recordType: IGMPv3RecordType = joined ? .changeToExclude : .changeToInclude
        let left = Self.robustness - 1
        state.stateChanges[group] = left > 0 ? PendingStateChange(recordType: recordType, retransmissionsLeft: left) : nil
        // A group left has nothing to answer for in a pending group-specific response.
        if !joined { state.groupResponses.remove(group) }
        var records = state.stateChanges.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { IGMPv3GroupRecord(recordType: $0.value.recordType, group: $0.key) }
        if state.stateChanges[group] == nil { records.append(IGMPv3GroupRecord(recordType: recordType, group: group)) }
        sendReport(records, on: index, context)
        if !state.stateChanges.isEmpty && !state.stateChangeTimerArmed {
            context.arm(token: Self.token(index, .stateChange), at: context.now + draw(upTo: Self.version3UnsolicitedReportInterval))
            state.stateChangeTimerArmed = true
        }
        version3[index] = state
    }

    // MARK: - RFC 3376 §5.2: answering queries

    /// Schedules the response to a v3 query after a random delay up to its Max Response Time, by the rules of §5.2.
    /// Group-and-source-specific queries are not answered (any-source multicast only).
    func version3Query(_ query: IGMPv3Query, on index: Int, _ context: ControlPlaneContext) {
        dropOlderVersionState(on: index, context)
        guard query.sources.isEmpty else { return }
        var state = version3[index] ?? HostVersion3Interface()
        let at = context.now + draw(upTo: query.maxResponseTime)
        defer { version3[index] = state }
        // §5.2 (1): a General Query response due sooner covers this query too.
        if let general = state.generalResponseAt, general < at { return }
        if query.group == .any {
            // §5.2 (2): the interface timer answers the General Query; an earlier pending one is replaced.
            state.generalResponseAt = at
            context.arm(token: Self.token(index, .generalResponse), at: at)
        } else if context.node.joinedGroups(on: context.interfaces[index].name).contains(query.group) {
            // §5.2 (3) and (4): group-specific responses merge and go at the earliest of their delays.
            state.groupResponses.insert(query.group)
            let due = min(state.groupResponseAt ?? at, at)
            state.groupResponseAt = due
            context.arm(token: Self.token(index, .groupResponse), at: due)
        }
    }

    func version3TimerFired(token: UInt32, _ context: ControlPlaneContext) {
        let index = Int((token & ~Self.version3TokenBase) >> 2)
        guard index < context.interfaces.count, let timer = HostVersion3Timer(rawValue: token & 3),
              var state = version3[index] else { return }
        let joined = context.node.joinedGroups(on: context.interfaces[index].name)
        switch timer {
        case .stateChange:
            state.stateChangeTimerArmed = false
            let pending = state.stateChanges.sorted { $0.key.rawValue < $1.key.rawValue }
            sendReport(pending.map { IGMPv3GroupRecord(recordType: $0.value.recordType, group: $0.key) }, on: index, context)
            for (group, change) in pending {
                state.stateChanges[group] = change.retransmissionsLeft > 1
                    ? PendingStateChange(recordType: change.recordType, retransmissionsLeft: change.retransmissionsLeft - 1) : nil
            }
            if !state.stateChanges.isEmpty {
                context.arm(token: token, at: context.now + draw(upTo: Self.version3UnsolicitedReportInterval))
                state.stateChangeTimerArmed = true
            }
        case .generalResponse:
            // §5.2: one Current-State Report with a MODE_IS_EXCLUDE record per joined group.
            state.generalResponseAt = nil
            sendReport(joined.map { IGMPv3GroupRecord(recordType: .modeIsExclude, group: $0) }, on: index, context)
        case .groupResponse:
            let groups = state.groupResponses.filter { joined.contains($0) }.sorted { $0.rawValue < $1.rawValue }
            state.groupResponses = []
            state.groupResponseAt = nil
            sendReport(groups.map { IGMPv3GroupRecord(recordType: .modeIsExclude, group: $0) }, on: index, context)
        }
        version3[index] = state
    }

    func sendReport(_ records: [IGMPv3GroupRecord], on index: Int, _ context: ControlPlaneContext) {
        guard !records.isEmpty else { return }
        send(.v3MembershipReport(records: records), on: index, context)
    }

    /// A random delay in `0..<upTo`, in milliseconds, from the host's seeded stream (at least one tick's bound).
    func draw(upTo: SimDuration) -> SimDuration {
        let bound = UInt64(max(1, upTo.nanoseconds / 1_000_000))
        return .milliseconds(Int64(random.next(below: bound)))
    }
}
