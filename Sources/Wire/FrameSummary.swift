/// One-line, tcpdump-like descriptions of frames for traces and debug lines. Allocates; callers check that
/// tracing is enabled first.
///
///     0050.7966.6800 > ffff.ffff.ffff vlan 10 ARP who-has 10.1.1.1 tell 10.1.1.10
///     10.1.1.10 > 10.2.0.5 ICMP echo request id 1 seq 3 len 100 ttl 255
///     10.1.1.10.5000 > 10.2.0.5.6000 UDP len 172 tos 0xb8
///
/// ICMP `len` is the ICMP message length, UDP `len` the UDP payload length (as tcpdump prints them).
/// Input that does not parse prints `malformed: <reason>` after whatever parsed before it; nothing traps.
public enum FrameSummary {
    public static func describe(_ bytes: UnsafeRawBufferPointer) -> String {
        let ethernet: EthernetHeader
        do { ethernet = try EthernetHeader(parsing: bytes) } catch { return "malformed: \(error)" }
        let vlan = ethernet.vlanTag.map { " vlan \($0.vlanID)" } ?? ""
        let payload = UnsafeRawBufferPointer(rebasing: bytes[ethernet.encodedLength...])
        let macs = "\(ethernet.source) > \(ethernet.destination)\(vlan)"
        switch ethernet.etherType {
        case .arp:
            return macs + " ARP " + describeARP(payload)
        case .ipv4:
            return describeIPv4(payload, vlan: vlan, macs: macs)
        default:
            return macs + " \(ethernet.etherType) len \(payload.count)"
        }
    }

    public static func describe(_ bytes: [UInt8]) -> String { bytes.withUnsafeBytes { describe($0) } }

    static func describeARP(_ bytes: UnsafeRawBufferPointer) -> String {
        do {
            let arp = try ARPPacket(parsing: bytes)
            switch arp.operation {
            case .request: return "who-has \(arp.targetProtocolAddress) tell \(arp.senderProtocolAddress)"
            case .reply: return "reply \(arp.senderProtocolAddress) is-at \(arp.senderHardwareAddress)"
            default:
                return "op \(arp.operation.rawValue) \(arp.senderProtocolAddress) > \(arp.targetProtocolAddress)"
            }
        } catch {
            return "malformed: \(error)"
        }
    }

    static func describeIPv4(_ bytes: UnsafeRawBufferPointer, vlan: String, macs: String) -> String {
        let ip: IPv4Header
        do { ip = try IPv4Header(parsing: bytes) } catch { return macs + " IPv4 malformed: \(error)" }
        let payload = UnsafeRawBufferPointer(rebasing: bytes[ip.headerLength..<ip.totalLength])
        var tail = ""
        if ip.options.contains(where: { if case .routerAlert = $0 { true } else { false } }) { tail += " [RA]" }
        if ip.tos != 0 { tail += " tos 0x" + hex(UInt64(ip.tos), digits: 2) }
        let addresses = "\(ip.source) > \(ip.destination)\(vlan)"

        if ip.fragmentOffset != 0 {
            return addresses + " \(ip.protocolNumber) frag offset \(Int(ip.fragmentOffset) * 8)"
                + " len \(ip.payloadLength) ttl \(ip.ttl)" + tail
        }
        switch ip.protocolNumber {
        case .icmp:
            do {
                let icmp = try ICMPMessage(parsing: payload)
                return addresses + " ICMP " + describeICMP(icmp) + " len \(icmp.encodedLength) ttl \(ip.ttl)" + tail
            } catch {
                return addresses + " ICMP malformed: \(error)"
            }
        case .udp:
            do {
                let udp = try UDPHeader(parsing: payload, source: ip.source, destination: ip.destination)
                return "\(ip.source).\(udp.sourcePort) > \(ip.destination).\(udp.destinationPort)\(vlan)"
                    + " UDP len \(udp.payloadLength)" + tail
            } catch {
                return addresses + " UDP malformed: \(error)"
            }
        case .igmp:
            do {
                let igmp = try IGMPMessage(parsing: payload)
                return addresses + " IGMP " + describeIGMP(igmp) + " ttl \(ip.ttl)" + tail
            } catch {
                return addresses + " IGMP malformed: \(error)"
            }
        case .pim:
            do {
                let pim = try PIMMessage(parsing: payload)
                return addresses + " PIMv2 " + describePIM(pim) + " ttl \(ip.ttl)" + tail
            } catch {
                return addresses + " PIMv2 malformed: \(error)"
            }
        default:
            return addresses + " \(ip.protocolNumber) len \(ip.payloadLength) ttl \(ip.ttl)" + tail
        }
    }

    /// As tcpdump prints IGMP: `igmp query v2`, `igmp v2 report 239.1.1.1`, `igmp leave 239.1.1.1`.
    static func describeIGMP(_ message: IGMPMessage) -> String {
        switch message {
        case .membershipQuery(let group, let code):
            let what = group == .any ? "query" : "query \(group)"
            return code == 0 ? "v1 " + what : "v2 \(what) max resp \(message.maxResponseTime ?? .zero)"
        case .v3MembershipQuery(let query):
            let what = query.group == .any ? "query" : "query \(query.group)"
            return "v3 \(what) max resp \(query.maxResponseTime)" + (query.sources.isEmpty ? "" : " [\(query.sources.count) source(s)]")
        case .v1MembershipReport(let group): return "v1 report \(group)"
        case .v2MembershipReport(let group): return "v2 report \(group)"
        case .leaveGroup(let group): return "leave \(group)"
        case .v3MembershipReport(let records):
            return "v3 report, \(records.count) group record(s)"
                + records.map { " [\($0.recordType) \($0.group)]" }.joined()
        case .other(let type, let code, _): return "type 0x" + hex(UInt64(type), digits: 2) + " code \(code)"
        }
    }

    /// PIM messages named as tshark's Info column names them (`Hello`, `Join/Prune`, `Register`,
    /// `Register-stop`, `Assert`), then the fields a reader of a trace looks for.
    static func describePIM(_ message: PIMMessage) -> String {
        switch message {
        case .hello(let hello):
            return "Hello holdtime \(hello.holdtime)" + (hello.drPriority.map { " dr-priority \($0)" } ?? "")
                + (hello.generationID.map { " genid 0x" + hex(UInt64($0), digits: 8) } ?? "")
        case .register(let register):
            return "Register" + (register.null ? " null" : "") + (register.border ? " border" : "")
                + " len \(register.packet.count)"
        case .registerStop(let stop):
            return "Register-stop (\(stop.source), \(stop.group))"
        case .joinPrune(let joinPrune):
            return "Join/Prune upstream \(joinPrune.upstreamNeighbor) holdtime \(joinPrune.holdtime)"
                + joinPrune.groups.map {
                    " [\($0.group)/\($0.maskLength) join \($0.joins.count) prune \($0.prunes.count)]"
                }.joined()
        case .assert(let assert):
            return "Assert (\(assert.source), \(assert.group))" + (assert.rptBit ? " rpt" : "")
                + " pref \(assert.metricPreference) metric \(assert.metric)"
        case .other(let type, _):
            return "type \(type)"
        }
    }

    static func describeICMP(_ message: ICMPMessage) -> String {
        switch message {
        case .echoRequest(let identifier, let sequence, _): "echo request id \(identifier) seq \(sequence)"
        case .echoReply(let identifier, let sequence, _): "echo reply id \(identifier) seq \(sequence)"
        case .destinationUnreachable(let code, _): "unreachable \(code)"
        case .timeExceeded(let code, _): code == 0 ? "time exceeded in-transit" : "time exceeded code \(code)"
        case .other(let type, let code, let rest, _):
            type == ICMPMessage.MessageType.destinationUnreachable && code == 4
                ? "unreachable fragmentation-needed mtu \(rest & 0xFFFF)"
                : "type \(type) code \(code)"
        }
    }
}
