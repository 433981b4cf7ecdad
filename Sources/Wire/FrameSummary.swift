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
        default:
            return addresses + " \(ip.protocolNumber) len \(ip.payloadLength) ttl \(ip.ttl)" + tail
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
