import Foundation
import IOSConfig

extension ComparisonReport {
    /// The human-readable comparison: one row per (variant, flow), then one summary line per variant.
    public func text() -> String {
        var out: [String] = []
        out.append("Comparison \(scenario): \(device) \(interface) at \(Self.rate(Double(lineRate.bitsPerSecond))), "
                   + "seed \(seed), \(endTime) per variant")
        let flowWidth = max(4, variants.flatMap(\.flows).map(\.name.count).max() ?? 0)
        let variantWidth = max(7, variants.map(\.name.count).max() ?? 0)
        let header: [(String, Int)] = [("variant", -variantWidth), ("flow", -flowWidth), ("offered", 12), ("throughput", 12),
                                       ("share", 7), ("p50 ms", 9), ("p99 ms", 9), ("jitter ms", 10), ("drops", 8), ("drop%", 7)]
        if !ranVariants.isEmpty {
            out.append("")
            out.append(Self.row(header.map { ($0.0, $0.1) }))
        }
        for v in variants where v.ran {
            for f in v.flows {
                out.append(Self.row([
                    (v.name, -variantWidth), (f.name, -flowWidth),
                    (Self.rate(f.offeredBitsPerSecond), 12), (Self.rate(f.throughputBitsPerSecond), 12),
                    (String(format: "%.1f%%", f.linkSharePercent), 7),
                    (f.p50DelayMilliseconds.map { String(format: "%.1f", $0) } ?? "-", 9),
                    (f.p99DelayMilliseconds.map { String(format: "%.1f", $0) } ?? "-", 9),
                    (String(format: "%.2f", f.jitterMilliseconds), 10),
                    ("\(f.drops)", 8), (String(format: "%.1f%%", f.dropPercent), 7),
                ]))
            }
        }
        out.append("")
        let queueingWidth = -max(18, (variants.map(\.queueing.count).max() ?? 0) + 1)
        let dropTexts = variants.map { v in v.interfaceDrops.isEmpty ? "none" : v.interfaceDrops.map { "\($0.reason) \($0.count)" }.joined(separator: ", ") }
        let dropsWidth = -max(34, (dropTexts.map(\.count).max() ?? 0) + 4)
        out.append(Self.row([("variant", -variantWidth), ("queueing", queueingWidth), ("Jain", 6), ("  output drops on \(interface)", dropsWidth),
                             ("expectations", 0)]))
        for v in variants {
            guard v.ran else {
                out.append("variant \(v.name): skipped: \(v.skipped!)")
                continue
            }
            let drops = v.interfaceDrops.isEmpty ? "none" : v.interfaceDrops.map { "\($0.reason) \($0.count)" }.joined(separator: ", ")
            out.append(Self.row([(v.name, -variantWidth), (v.queueing, queueingWidth), (v.jainIndex.map { String(format: "%.3f", $0) } ?? "-", 6),
                                 ("  " + drops, dropsWidth),
                                 ("\(v.expectationsPassed) passed, \(v.expectationsFailed) failed", 0)]))
        }
        return out.joined(separator: "\n")
    }

    /// One row per (variant, flow) that ran, with a header; numbers in plain units for spreadsheets.
    public func csv() -> String {
        var lines = ["variant,flow,queueing,offered_bps,throughput_bps,link_share_percent,p50_delay_ms,p99_delay_ms,"
                     + "jitter_ms,sent,delivered,drops,drop_percent,jain_index"]
        for v in variants where v.ran {
            for f in v.flows {
                let fields = [
                    Self.csvField(v.name), Self.csvField(f.name), Self.csvField(v.queueing),
                    String(format: "%.0f", f.offeredBitsPerSecond), String(format: "%.0f", f.throughputBitsPerSecond),
                    String(format: "%.2f", f.linkSharePercent),
                    f.p50DelayMilliseconds.map { String(format: "%.3f", $0) } ?? "",
                    f.p99DelayMilliseconds.map { String(format: "%.3f", $0) } ?? "",
                    String(format: "%.3f", f.jitterMilliseconds), "\(f.sent)", "\(f.delivered)", "\(f.drops)",
                    String(format: "%.2f", f.dropPercent), v.jainIndex.map { String(format: "%.4f", $0) } ?? "",
                ]
                lines.append(fields.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// RFC 4180: quote a field holding a comma, quote or line break, doubling its quotes.
    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `64.0 kbit/s`, `1.54 Mbit/s`.
    static func rate(_ bps: Double) -> String {
        if bps >= 1e6 { return String(format: "%.2f Mbit/s", bps / 1e6) }
        return String(format: "%.1f kbit/s", bps / 1e3)
    }

    /// Columns padded to `width`: positive right-aligns, negative left-aligns, 0 leaves as is.
    static func row(_ cells: [(String, Int)]) -> String {
        var line = ""
        for (i, (text, width)) in cells.enumerated() {
            let n = abs(width)
            let pad = String(repeating: " ", count: max(0, n - text.count))
            if i > 0 { line += "  " }
            line += width < 0 ? text + pad : pad + text
        }
        while line.hasSuffix(" ") { line.removeLast() }
        return line
    }
}
