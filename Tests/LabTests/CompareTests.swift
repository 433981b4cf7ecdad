import Foundation
import Testing
@testable import Lab

/// `wirelab qos compare`: Jain's index, FIFO against WFQ on an overloaded serial, CSV, SVG and bad input.
@Suite struct CompareTests {
    //  H1 --- Gi0/0 R1 Se0/0 ==== 128 kbit/s ==== Se0/0 R2 Gi0/0 --- H2
    static let topology = """
        name: small-serial
        nodes:
          R1:
            kind: router
            config: |
              interface Gi0/0
               ip address 10.1.1.1 255.255.255.0
               no shutdown
              interface Serial0/0
               ip address 10.0.12.1 255.255.255.252
               no shutdown
              ip route 10.2.2.0 255.255.255.0 10.0.12.2
          R2:
            kind: router
            config: |
              interface Gi0/0
               ip address 10.2.2.1 255.255.255.0
               no shutdown
              interface Serial0/0
               ip address 10.0.12.2 255.255.255.252
               no shutdown
              ip route 10.1.1.0 255.255.255.0 10.0.12.1
          H1: {kind: host, address: 10.1.1.10/24, gateway: 10.1.1.1}
          H2: {kind: host, address: 10.2.2.10/24, gateway: 10.2.2.1}
        links:
          - endpoints: [H1:Ethernet0, R1:Gi0/0]
          - endpoints: [R1:Serial0/0, R2:Serial0/0]
            bandwidth: 128kbps
          - endpoints: [R2:Gi0/0, H2:Ethernet0]
        """

    /// 224 kbit/s offered to 128 kbit/s: one precedence-5 flow against two best-effort ones.
    static let traffic = """
        topology: topo.yaml
        duration: 12s
        traffic:
          - {name: voice, from: H1, to: H2, rate: 32kbps, size: 200, precedence: 5, destination-port: 5004, start: 1s, stop: 10s}
          - {name: bulk, from: H1, to: H2, rate: 128kbps, size: 1000, destination-port: 5001, start: 1s, stop: 10s}
          - {name: web, from: H1, to: H2, rate: 64kbps, size: 500, destination-port: 5080, start: 1s, stop: 10s}
        expectations:
          - flow: voice
            delivered: "> 1%"

        """

    static let compare = """
        compare:
          device: R1
          interface: Se0/0
          variants:
            fifo: |
              interface Serial0/0
               no fair-queue
            wfq: |
              interface Serial0/0
               fair-queue
            pq: |
              priority-list 1 protocol ip urgent udp 5004
              interface Serial0/0
               priority-group 1
        """

    static func scenario(_ files: LabFiles, _ text: String = traffic + compare) throws -> ScenarioFile {
        files.write("topo.yaml", topology)
        let path = files.write("scenario.yaml", text)
        return try ScenarioFile.parse(path: path, displayName: "scenario.yaml")
    }

    static func fifoAndWFQ() throws -> ComparisonReport {
        var options = CompareOptions()
        options.variants = ["fifo", "wfq"]
        return try QueueingComparison.run(try scenario(LabFiles()), options: options)
    }

    // MARK: - Jain's index

    @Test(arguments: [([5.0, 5, 5, 5], 1.0), ([9.0, 0, 0], 1.0 / 3), ([1.0, 0], 0.5), ([3.0, 1], 16.0 / 20)])
    func jainIndexOfKnownVectors(values: [Double], expected: Double) {
        #expect(abs(jainFairnessIndex(values)! - expected) < 1e-12)
    }

    @Test func jainIndexOfNothingIsUndefined() {
        #expect(jainFairnessIndex([]) == nil)
        #expect(jainFairnessIndex([0, 0]) == nil)
    }

    // MARK: - FIFO against WFQ

    @Test func wfqGivesThePrecedenceFiveFlowALargerShareThanFIFO() throws {
        let report = try Self.fifoAndWFQ()
        #expect(report.variants.map(\.name) == ["fifo", "wfq"])
        let fifo = report.variants[0], wfq = report.variants[1]
        #expect(fifo.queueing == "fifo")
        #expect(wfq.queueing == "weighted fair")
        let fifoVoice = fifo.flows.first { $0.name == "voice" }!, wfqVoice = wfq.flows.first { $0.name == "voice" }!
        #expect(wfqVoice.linkSharePercent > fifoVoice.linkSharePercent, "\(report.text())")
        #expect(wfqVoice.p99DelayMilliseconds! < fifoVoice.p99DelayMilliseconds!)
        #expect(abs(fifo.jainIndex! - wfq.jainIndex!) > 0.01, "\(report.text())")
        // Tail drops under FIFO, congestive discards under WFQ, both counted on the compared interface.
        #expect(fifo.interfaceDrops.contains { $0.reason == .queueFull && $0.count > 0 })
        #expect(wfq.interfaceDrops.contains { $0.reason == .congestiveDiscard && $0.count > 0 })
        #expect(fifo.expectationsPassed == 1 && wfq.expectationsPassed == 1)
    }

    @Test func aVariantTheDeviceRejectsIsSkippedWithItsLine() throws {
        let report = try QueueingComparison.run(try Self.scenario(LabFiles()))
        #expect(report.ranVariants.map(\.name) == ["fifo", "wfq"])
        // scenario.yaml line 21 is the pq variant's priority-list line, with a queue name IOS does not have.
        #expect(report.variants[2].skipped?.hasPrefix("scenario.yaml:21: ") == true, "\(report.variants[2].skipped ?? "")")
        #expect(report.text().contains("variant pq: skipped: scenario.yaml:21: "))
    }

    @Test func underStrictARejectedVariantIsBadInput() throws {
        var options = CompareOptions()
        options.strict = true
        let scenario = try Self.scenario(LabFiles())
        do {
            _ = try QueueingComparison.run(scenario, options: options)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("scenario.yaml:20:1: error: variant pq: scenario.yaml:21: unknown command"), "\(error)")
        }
    }

    // MARK: - CSV and SVG

    @Test func csvHasAHeaderAndOneRowPerVariantAndFlow() throws {
        let lines = try Self.fifoAndWFQ().csv().split(separator: "\n")
        #expect(lines.first?.hasPrefix("variant,flow,queueing,offered_bps,throughput_bps,") == true)
        #expect(lines.count == 1 + 2 * 3)
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 14 })
    }

    @Test func csvQuotesFieldsWithCommasAndQuotes() {
        #expect(ComparisonReport.csvField("a,b") == "\"a,b\"")
        #expect(ComparisonReport.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(ComparisonReport.csvField("plain") == "plain")
    }

    @Test func svgIsOneDocumentWithABarPerVariantAndFlowAndTheSameBytesEveryRun() throws {
        let svg = try Self.fifoAndWFQ().svg()
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("</svg>"))
        #expect(svg.components(separatedBy: "<svg").count == 2)
        #expect(svg.components(separatedBy: "class=\"bar throughput\"").count - 1 == 2 * 3)
        #expect(svg.components(separatedBy: "class=\"bar delay\"").count - 1 == 2 * 3)
        #expect(!svg.contains("href"), "self-contained: no links, scripts or external fonts")
        #expect(try Self.fifoAndWFQ().svg() == svg)
        #expect(try Self.fifoAndWFQ().text() == Self.fifoAndWFQ().text())
    }

    // MARK: - Bad input

    @Test func aScenarioWithoutACompareSectionIsBadInput() throws {
        let scenario = try Self.scenario(LabFiles(), Self.traffic)
        #expect(scenario.compare == nil)
        do {
            _ = try QueueingComparison.run(scenario)
            Issue.record("expected an error")
        } catch {
            #expect(error.errors.count == 1)
            #expect(error.description.hasPrefix("scenario.yaml:1:1: error: the scenario has no 'compare' section"))
        }
    }

    @Test func anUnknownInterfaceIsBadInputAtItsLine() throws {
        let scenario = try Self.scenario(LabFiles(), Self.traffic + Self.compare.replacingOccurrences(of: "Se0/0", with: "Serial0/9"))
        do {
            _ = try QueueingComparison.run(scenario)
            Issue.record("expected an error")
        } catch {
            // Line 12: `interface: Serial0/9`.
            #expect(error.description.hasPrefix("scenario.yaml:12:1: error: R1 has no interface Serial0/9"), "\(error)")
        }
    }

    @Test func anUnknownDeviceOrVariantIsBadInput() throws {
        let unknownDevice = try Self.scenario(LabFiles(), Self.traffic + Self.compare.replacingOccurrences(of: "device: R1", with: "device: R9"))
        #expect(throws: LabErrors.self) { try QueueingComparison.run(unknownDevice) }
        var options = CompareOptions()
        options.variants = ["wfq", "llq"]
        let scenario = try Self.scenario(LabFiles())
        do {
            _ = try QueueingComparison.run(scenario, options: options)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("no variant is named 'llq' (variants: fifo, wfq, pq)"))
        }
    }

    @Test func aMalformedCompareSectionIsReportedAtItsLine() {
        let files = LabFiles()
        files.write("topo.yaml", Self.topology)
        let path = files.write("scenario.yaml", Self.traffic + """
            compare:
              device: R1
              interface: Serial0/0
              queues: {}
            """)
        #expect(throws: LabErrors.self) { try ScenarioFile.parse(path: path, displayName: "scenario.yaml") }
        do { _ = try ScenarioFile.parse(path: path, displayName: "scenario.yaml") } catch {
            #expect(error.description.contains("unknown key 'queues' in compare"))
        }
    }
}
