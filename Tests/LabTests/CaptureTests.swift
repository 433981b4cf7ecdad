import Capture
import Engine
import Fabric
import Foundation
import IOSConfig
import Testing
import Wire

// MARK: - Fixture

//   R1 Gi0/0 ──────── Gi0/0 R2 Gi0/1 ──────── Gi0/0 R3
//   10.0.12.1/24   10.0.12.2/24   10.0.23.2/24   10.0.23.3/24
private struct CaptureLab {
    let network: Network
    let r1: NodeID, r2: NodeID, r3: NodeID

    init(seed: UInt64 = 7) {
        let network = Network(seed: seed)
        func router(_ name: String, _ addresses: [String: String]) -> NodeID {
            var settings = IPNodeSettings(hostname: name)
            for (interface, cidr) in addresses.sorted(by: { $0.key < $1.key }) {
                let parts = cidr.split(separator: "/")
                let address = IPv4Address(String(parts[0]))!
                var s = InterfaceSettings(name: interface)
                s.addresses = [InterfaceAddress(address: address, prefix: IPv4Prefix(address, length: Int(parts[1])!))]
                s.shutdown = false
                settings.interfaces.append(s)
            }
            return network.addIPNode(settings, isRouter: true, physicalPorts: addresses.keys.sorted())
        }
        let r1 = router("R1", ["GigabitEthernet0/0": "10.0.12.1/24"])
        let r2 = router("R2", ["GigabitEthernet0/0": "10.0.12.2/24", "GigabitEthernet0/1": "10.0.23.2/24"])
        let r3 = router("R3", ["GigabitEthernet0/0": "10.0.23.3/24"])
        func port(_ node: NodeID, _ name: String) -> PortID { network.port(of: node, named: name)! }
        network.connect(port(r1, "GigabitEthernet0/0"), port(r2, "GigabitEthernet0/0"),
                        bandwidth: .mbps(100), delay: .microseconds(250), mtu: 1500)
        network.connect(port(r2, "GigabitEthernet0/1"), port(r3, "GigabitEthernet0/0"),
                        bandwidth: .mbps(10), delay: .milliseconds(1), mtu: 1500)
        network.start()
        self.network = network
        self.r1 = r1; self.r2 = r2; self.r3 = r3
    }

    /// Pings R2 from R1 and runs for 15 virtual seconds; returns the ping's success rate.
    func pingR1ToR2() -> Int? {
        let probe = network.ping(from: r1, to: IPv4Address(10, 0, 12, 2))
        network.run(until: .zero + .seconds(15))
        return probe.flatMap { network.pingSuccessPercent($0) }
    }
}

private func temporaryDirectory() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("wirelab-capture-\(UUID().uuidString)").path
}

/// One record of a pcap file.
private struct PcapRecord {
    var nanoseconds: Int64
    var bytes: [UInt8]
    var etherType: UInt16 { bytes.count >= 14 ? UInt16(bytes[12]) << 8 | UInt16(bytes[13]) : 0 }
    var isARP: Bool { etherType == 0x0806 }
    var isICMP: Bool { etherType == 0x0800 && bytes.count >= 34 && bytes[23] == 1 }
}

private enum PcapParseError: Error { case badMagic([UInt8]), truncated(at: Int), lengthsDiffer(at: Int) }

/// Reads a nanosecond pcap file, requiring it to end exactly at a record boundary.
private func readNanosecondPcap(_ path: String) throws -> (linkType: UInt32, records: [PcapRecord]) {
    let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    guard data.count >= 24 else { throw PcapParseError.truncated(at: 0) }
    let littleEndian: Bool
    switch Array(data[0..<4]) {
    case [0x4D, 0x3C, 0xB2, 0xA1]: littleEndian = true
    case [0xA1, 0xB2, 0x3C, 0x4D]: littleEndian = false
    default: throw PcapParseError.badMagic(Array(data[0..<4]))
    }
    func u32(_ i: Int) -> UInt32 {
        let b = data[i..<i + 4].map(UInt32.init)
        return littleEndian ? b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24 : b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]
    }
    var records: [PcapRecord] = []
    var offset = 24
    while offset < data.count {
        guard offset + 16 <= data.count else { throw PcapParseError.truncated(at: offset) }
        let seconds = Int64(u32(offset)), nanoseconds = Int64(u32(offset + 4))
        let captured = Int(u32(offset + 8)), original = Int(u32(offset + 12))
        guard captured == original, nanoseconds < 1_000_000_000 else { throw PcapParseError.lengthsDiffer(at: offset) }
        guard offset + 16 + captured <= data.count else { throw PcapParseError.truncated(at: offset) }
        records.append(PcapRecord(nanoseconds: seconds * 1_000_000_000 + nanoseconds,
                                  bytes: Array(data[offset + 16..<offset + 16 + captured])))
        offset += 16 + captured
    }
    return (u32(20), records)
}

/// `../shared/tools/check-pcap` next to the repository, when it and tshark are both there.
private func checkPcapTool() -> String? {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let tool = root.appendingPathComponent("../shared/tools/check-pcap").standardizedFileURL.path
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    let hasTshark = path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/tshark") }
    guard FileManager.default.isExecutableFile(atPath: tool), hasTshark else { return nil }
    return tool
}

private func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, output)
}

// MARK: - Writing

@Test func pingBetweenRoutersIsCapturedAsValidNanosecondPcap() throws {
    let lab = CaptureLab()
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let capture = try LinkCapture(network: lab.network, directory: directory)
    #expect(capture.files.map { ($0.path as NSString).lastPathComponent }
        == ["R1_Gi0-0--R2_Gi0-0.pcap", "R2_Gi0-1--R3_Gi0-0.pcap"])
    let success = lab.pingR1ToR2()
    #expect((success ?? 0) > 0, "ping R1 → R2 got no replies")
    capture.close()
    capture.close()  // idempotent
    #expect(lab.network.observers.isEmpty)

    let path = directory + "/R1_Gi0-0--R2_Gi0-0.pcap"
    let file = try readNanosecondPcap(path)
    #expect(file.linkType == 1)  // DLT_EN10MB
    #expect(file.records.count == Int(capture.framesWritten(on: LinkID(0))))
    #expect(file.records.contains { $0.isARP })
    #expect(file.records.filter(\.isICMP).count >= 2)
    let times = file.records.map(\.nanoseconds)
    #expect(times == times.sorted(), "timestamps go backwards")
    #expect(times.first.map { $0 >= 0 && $0 < 15_000_000_000 } == true)
    #expect(file.records.allSatisfy { $0.bytes.count >= 60 })

    // A quiet link still gets its file, holding only the two gratuitous ARPs sent when the
    // addresses came up at time 0 (ARP requests whose sender and target address are the same).
    let quiet = try readNanosecondPcap(directory + "/R2_Gi0-1--R3_Gi0-0.pcap")
    #expect(quiet.records.count == 2)
    #expect(quiet.records.allSatisfy { r in
        r.nanoseconds == 0 && r.bytes[12] == 0x08 && r.bytes[13] == 0x06 && r.bytes[20...21] == [0, 1] && r.bytes[28..<32] == r.bytes[38..<42]
    })

    guard let tool = checkPcapTool() else {
        print("note: check-pcap or tshark not found; skipping the tshark decode check")
        return
    }
    let result = try run(tool, [path, "4"])
    #expect(result.status == 0, "check-pcap failed:\n\(result.output)")
}

@Test func sameSeedGivesByteIdenticalCaptures() throws {
    var runs: [[String: Data]] = []
    for _ in 0..<2 {
        let lab = CaptureLab(seed: 42)
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let capture = try LinkCapture(network: lab.network, directory: directory)
        _ = lab.pingR1ToR2()
        capture.close()
        var files: [String: Data] = [:]
        for file in capture.files {
            files[(file.path as NSString).lastPathComponent] = try Data(contentsOf: URL(fileURLWithPath: file.path))
        }
        runs.append(files)
    }
    #expect(runs[0].count == 2)
    #expect(runs[0]["R1_Gi0-0--R2_Gi0-0.pcap"].map { $0.count > 24 } == true)
    #expect(runs[0] == runs[1])
}

@Test func unopenableFileThrowsWithPathAndReason() throws {
    let path = "/nonexistent-wirelab-dir/x.pcap"
    #expect {
        try PcapWriter(path: path)
    } throws: { error in
        guard case let .cannotOpen(p, reason) = error as? CaptureError else { return false }
        return p == path && !reason.isEmpty
    }
}

@Test func directoryUnderAFileCannotBeCreated() throws {
    let lab = CaptureLab()
    let file = temporaryDirectory()
    _ = FileManager.default.createFile(atPath: file, contents: Data())
    defer { try? FileManager.default.removeItem(atPath: file) }
    #expect(throws: CaptureError.self) { try LinkCapture(network: lab.network, directory: file + "/sub") }
}

@Test func writerStampsExactVirtualTime() throws {
    let directory = temporaryDirectory()
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/t.pcap"
    let writer = try PcapWriter(path: path)
    let frame = [UInt8](repeating: 0xAB, count: 60)
    let times: [Int64] = [0, 999_999_999, 1_000_000_000, 3_600_000_000_123]
    for t in times { frame.withUnsafeBytes { writer.write($0, at: SimTime(nanoseconds: t)) } }
    writer.close()
    frame.withUnsafeBytes { writer.write($0, at: .zero) }  // ignored after close
    let records = try readNanosecondPcap(path).records
    #expect(records.map(\.nanoseconds) == times)
    #expect(records.allSatisfy { $0.bytes == frame })
}

// MARK: - Selecting links

@Test func shortAndLongInterfaceNamesSelectTheSameLink() throws {
    let lab = CaptureLab()
    let short = try LinkCapture.links(in: lab.network, matching: ["R1:Gi0/0"])
    let long = try LinkCapture.links(in: lab.network, matching: ["r1:GigabitEthernet0/0"])
    #expect(short == [LinkID(0)])
    #expect(long == short)
    #expect(try LinkCapture.links(in: lab.network, matching: ["R2:g0/1"]) == [LinkID(1)])
    #expect(try LinkCapture.links(in: lab.network, matching: ["r2"]) == [LinkID(0), LinkID(1)])
    #expect(try LinkCapture.links(in: lab.network, matching: ["R1:Gi0/0", "R2:Gi0/0"]) == [LinkID(0)])
}

@Test func selectorMatchingNothingIsAnError() {
    let lab = CaptureLab()
    #expect(throws: CaptureError.noLinkMatches(selector: "R9:Gi0/0")) {
        try LinkCapture.links(in: lab.network, matching: ["R9:Gi0/0"])
    }
    #expect(throws: CaptureError.noLinkMatches(selector: "R1:Gi0/7")) {
        try LinkCapture.links(in: lab.network, matching: ["R1:Gi0/0", "R1:Gi0/7"])
    }
    #expect(throws: CaptureError.malformedSelector("R1:")) { try LinkCapture.links(in: lab.network, matching: ["R1:"]) }
    #expect(throws: CaptureError.malformedSelector(":Gi0/0")) {
        try LinkCapture.links(in: lab.network, matching: [":Gi0/0"])
    }
}

@Test func selectedCaptureCreatesOnlyThatLinksFile() throws {
    let lab = CaptureLab()
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let capture = try LinkCapture(network: lab.network, directory: directory, selection: .endpoints(["R3:Gi0/0"]))
    capture.close()
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["R2_Gi0-1--R3_Gi0-0.pcap"])
}

@Test(arguments: [
    ("GigabitEthernet0/0", "Gi0/0"), ("FastEthernet1/0.10", "Fa1/0.10"), ("Ethernet0/1", "Et0/1"),
    ("Serial0/0/0", "Se0/0/0"), ("TenGigabitEthernet1/1", "Te1/1"), ("Loopback0", "Lo0"), ("Vlan10", "Vlan10"),
])
func canonicalInterfaceNamesShortenAsIOSShowsThem(canonical: String, short: String) {
    #expect(LinkCapture.shortInterfaceName(canonical) == short)
}

// MARK: - Interrupts

@Test func interruptStopsTheRunAndLeavesCompleteFiles() throws {
    let lab = CaptureLab()
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let capture = try LinkCapture(network: lab.network, directory: directory)
    _ = lab.network.ping(from: lab.r1, to: IPv4Address(10, 0, 12, 2), count: 1000)

    LinkCapture.installInterruptHandler()
    defer { LinkCapture.removeInterruptHandler(); LinkCapture.clearStopRequest() }
    #expect(LinkCapture.run(lab.network, until: .zero + .seconds(1), eventsPerCheck: 50) == .reachedTime)
    #expect(!LinkCapture.stopRequested)

    // Process-directed, as Ctrl-C is: test threads (libdispatch workers) block signals, so `raise` from
    // this thread would stay pending; another thread takes it and the handler only sets the flag.
    kill(getpid(), SIGINT)
    for _ in 0..<200 where !LinkCapture.stopRequested { usleep(10_000) }
    #expect(LinkCapture.stopRequested)
    #expect(LinkCapture.stopSignal == SIGINT)
    #expect(LinkCapture.interruptExitStatus == 130)
    let before = lab.network.now
    #expect(LinkCapture.run(lab.network, until: .zero + .seconds(60), eventsPerCheck: 50) == nil)
    #expect(lab.network.now == before)

    capture.close()
    let records = try readNanosecondPcap(capture.files[0].path).records
    #expect(records.count == Int(capture.framesWritten(on: LinkID(0))))
    #expect(records.filter(\.isICMP).count >= 2)
}
