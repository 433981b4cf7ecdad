import Engine
import Foundation
import IOSConfig
import Wire

/// Parses quantities as users write them in lab files.
public enum Units {
    /// `1544kbps`, `1.544mbps`, `100M`, `10g`, `64000` (bits/s), `2.048 Mbit/s`, `512k`.
    public static func bandwidth(_ text: String) -> Bandwidth? {
        let t = text.lowercased().replacingOccurrences(of: " ", with: "")
        let (number, unit) = split(t)
        guard let value = decimal(number), value > 0 else { return nil }
        let scale: Double
        switch unit {
        case "", "bps", "b", "bit/s", "bits/s": scale = 1
        case "k", "kbps", "kb", "kbit/s", "kbit", "kbits/s": scale = 1e3
        case "m", "mbps", "mb", "mbit/s", "mbit", "mbits/s": scale = 1e6
        case "g", "gbps", "gb", "gbit/s", "gbit", "gbits/s": scale = 1e9
        default: return nil
        }
        let bits = (value * scale).rounded()
        guard bits >= 1, bits < 9e18 else { return nil }
        return Bandwidth(bitsPerSecond: Int64(bits))
    }

    /// `500ms`, `30s`, `2m`, `1h`, `20us`, `100ns`, `1.5s`; a bare number means seconds.
    public static func duration(_ text: String) -> SimDuration? {
        let t = text.lowercased().replacingOccurrences(of: " ", with: "")
        let (number, unit) = split(t)
        guard let value = decimal(number) else { return nil }
        let nanos: Double
        switch unit {
        case "ns": nanos = 1
        case "us", "µs": nanos = 1e3
        case "ms": nanos = 1e6
        case "", "s", "sec": nanos = 1e9
        case "m", "min": nanos = 60e9
        case "h": nanos = 3600e9
        default: return nil
        }
        let total = (value * nanos).rounded()
        guard abs(total) < 9e18 else { return nil }
        return SimDuration(nanoseconds: Int64(total))
    }

    /// `99%`, `99.5 %`, `0.5` (a fraction is not accepted: percent needs the sign or a plain number).
    public static func percent(_ text: String) -> Double? {
        var t = text.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("%") { t.removeLast() }
        return decimal(t.trimmingCharacters(in: .whitespaces))
    }

    static func split(_ t: String) -> (String, String) {
        var number = ""
        var rest = Substring(t)
        while let c = rest.first, c.isNumber || c == "." || (number.isEmpty && (c == "-" || c == "+")) {
            number.append(c)
            rest = rest.dropFirst()
        }
        return (number, String(rest))
    }

    static func decimal(_ s: String) -> Double? {
        guard !s.isEmpty, s.filter({ $0 == "." }).count <= 1, s.contains(where: \.isNumber) else { return nil }
        return Double(s)
    }
}

