import Foundation
import IOSConfig

extension ComparisonReport {
    /// A self-contained SVG chart (no scripts, fonts or links): grouped bars of each flow's throughput per
    /// variant, with the offered rate dashed over each group, and below them each flow's p99 delay per variant
    /// (on a log scale when the delays span more than a factor of 30). Same report, same bytes.
    public func svg() -> String {
        let ran = ranVariants
        let flows = ran.first?.flows.map(\.name) ?? []
        let layout = ChartLayout(variants: ran.count, flows: flows.count)
        var svg = SVGText()
        svg.open(width: layout.width, height: layout.height)
        svg.text(x: layout.width / 2, y: 28, "Queueing comparison: \(scenario)", size: 18, anchor: "middle", weight: "bold")
        svg.text(x: layout.width / 2, y: 48, "\(device) \(interface) at \(Self.rate(Double(lineRate.bitsPerSecond))), seed \(seed), "
                 + "\(endTime) per variant", size: 12, anchor: "middle")

        let throughput = ran.map { v in v.flows.map { Optional($0.throughputBitsPerSecond / 1e3) } }
        let offered = (ran.first?.flows ?? []).map { $0.offeredBitsPerSecond / 1e3 }
        let throughputScale = ChartScale.fitting(maximum: max(throughput.flatMap { $0 }.compactMap { $0 }.max() ?? 0, offered.max() ?? 0))
        drawPanel(&svg, layout: layout, top: layout.firstPanelTop, title: "Throughput per flow", axisLabel: "throughput (kbit/s)",
                  kind: "throughput", values: ran.map(\.name).indices.map { (ran[$0].name, throughput[$0]) }, flows: flows,
                  scale: throughputScale, unit: "kbit/s", offered: offered)

        let delays = ran.map { v in v.flows.map(\.p99DelayMilliseconds) }
        let positive = delays.flatMap { $0 }.compactMap { $0 }.filter { $0 > 0 }
        let delayScale: ChartScale
        if let lo = positive.min(), let hi = positive.max(), hi / lo > 30 {
            delayScale = .decades(minimum: lo, maximum: hi)
        } else {
            delayScale = .fitting(maximum: positive.max() ?? 0)
        }
        let logNote = if case .log = delayScale { ", log scale" } else { "" }
        drawPanel(&svg, layout: layout, top: layout.secondPanelTop, title: "p99 delay per flow" + logNote, axisLabel: "p99 delay (ms)",
                  kind: "delay", values: ran.indices.map { (ran[$0].name, delays[$0]) }, flows: flows, scale: delayScale,
                  unit: "ms", offered: nil)

        // Legend: one swatch per variant, then the offered-rate marker.
        let legendX = layout.plotLeft + layout.plotWidth + 24
        svg.text(x: legendX, y: layout.firstPanelTop + 4, "variant", size: 12, weight: "bold")
        for (i, v) in ran.enumerated() {
            let y = layout.firstPanelTop + 14 + Double(i) * 20
            svg.element("<rect x=\"\(svgNumber(legendX))\" y=\"\(svgNumber(y))\" width=\"14\" height=\"14\" fill=\"\(ChartLayout.color(i))\"/>")
            svg.text(x: legendX + 20, y: y + 11, "\(v.name) (\(v.queueing))", size: 12)
        }
        let markerY = layout.firstPanelTop + 24 + Double(ran.count) * 20
        svg.element("<line x1=\"\(svgNumber(legendX))\" y1=\"\(svgNumber(markerY))\" x2=\"\(svgNumber(legendX + 14))\" y2=\"\(svgNumber(markerY))\" "
                    + "stroke=\"#222\" stroke-width=\"2\" stroke-dasharray=\"4 2\"/>")
        svg.text(x: legendX + 20, y: markerY + 4, "offered rate", size: 12)
        let skipped = variants.filter { !$0.ran }.map(\.name)
        if !skipped.isEmpty {
            svg.text(x: layout.plotLeft, y: layout.height - 12, "Skipped (config rejected): \(skipped.joined(separator: ", "))",
                     size: 12)
        }
        svg.close()
        return svg.output
    }

    func drawPanel(_ svg: inout SVGText, layout: ChartLayout, top: Double, title: String, axisLabel: String, kind: String,
                   values: [(variant: String, values: [Double?])], flows: [String], scale: ChartScale, unit: String,
                   offered: [Double]?) {
        let left = layout.plotLeft, width = layout.plotWidth, height = layout.panelHeight
        let bottom = top + height
        func y(_ v: Double?) -> Double { bottom - scale.fraction(v) * height }
        svg.text(x: left + width / 2, y: top - 12, title, size: 14, anchor: "middle", weight: "bold")
        // Grid lines and tick labels.
        for tick in scale.ticks {
            let ty = y(tick)
            svg.element("<line x1=\"\(svgNumber(left))\" y1=\"\(svgNumber(ty))\" x2=\"\(svgNumber(left + width))\" y2=\"\(svgNumber(ty))\" stroke=\"#ddd\"/>")
            svg.text(x: left - 6, y: ty + 4, ChartScale.label(tick), size: 11, anchor: "end")
        }
        svg.element("<line x1=\"\(svgNumber(left))\" y1=\"\(svgNumber(top))\" x2=\"\(svgNumber(left))\" y2=\"\(svgNumber(bottom))\" stroke=\"#222\"/>")
        svg.element("<line x1=\"\(svgNumber(left))\" y1=\"\(svgNumber(bottom))\" x2=\"\(svgNumber(left + width))\" y2=\"\(svgNumber(bottom))\" stroke=\"#222\"/>")
        let labelX = left - 52, labelY = top + height / 2
        svg.element("<text x=\"\(svgNumber(labelX))\" y=\"\(svgNumber(labelY))\" font-size=\"12\" text-anchor=\"middle\" "
                    + "transform=\"rotate(-90 \(svgNumber(labelX)) \(svgNumber(labelY)))\">\(xmlEscaped(axisLabel))</text>")
        svg.text(x: left + width / 2, y: bottom + 38, "flow", size: 12, anchor: "middle")
        for (j, flow) in flows.enumerated() {
            // Each flow's group is centred in an equal slot of the plot's width.
            let groupLeft = left + (Double(j) + 0.5) * width / Double(flows.count) - layout.groupWidth / 2
            svg.text(x: groupLeft + layout.groupWidth / 2, y: bottom + 18, flow, size: 12, anchor: "middle")
            for (i, v) in values.enumerated() {
                let value = v.values[j]
                let x = groupLeft + Double(i) * (layout.barWidth + layout.barGap)
                let top = y(value)
                let shown = value.map { "\(ChartScale.label($0, digits: 1)) \(unit)" } ?? "n/a (nothing delivered)"
                svg.element("<rect class=\"bar \(kind)\" x=\"\(svgNumber(x))\" y=\"\(svgNumber(top))\" width=\"\(svgNumber(layout.barWidth))\" "
                            + "height=\"\(svgNumber(bottom - top))\" fill=\"\(ChartLayout.color(i))\">"
                            + "<title>\(xmlEscaped("\(v.variant) / \(flow): \(shown)"))</title></rect>")
            }
            if let offered {
                let oy = y(offered[j])
                svg.element("<line class=\"offered\" x1=\"\(svgNumber(groupLeft - 4))\" y1=\"\(svgNumber(oy))\" x2=\"\(svgNumber(groupLeft + layout.groupWidth + 4))\" "
                            + "y2=\"\(svgNumber(oy))\" stroke=\"#222\" stroke-width=\"2\" stroke-dasharray=\"4 2\">"
                            + "<title>\(xmlEscaped("\(flow): offered \(ChartScale.label(offered[j], digits: 1)) \(unit)"))</title></line>")
            }
        }
    }
}

/// Where the chart's pieces go, in SVG user units.
struct ChartLayout {
    let barWidth = 22.0, barGap = 3.0, groupGap = 28.0
    let plotLeft = 90.0, panelHeight = 220.0
    let firstPanelTop = 96.0
    let groupWidth: Double, plotWidth: Double, width: Double, height: Double
    var secondPanelTop: Double { firstPanelTop + panelHeight + 96 }

    init(variants: Int, flows: Int) {
        groupWidth = max(1, Double(variants)) * (barWidth + barGap) - barGap
        plotWidth = max(420, Double(flows) * (groupWidth + groupGap) + groupGap)
        width = plotLeft + plotWidth + 24 + 220
        height = firstPanelTop + 2 * panelHeight + 96 + 60
    }

    static let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]
    static func color(_ i: Int) -> String { palette[i % palette.count] }
}

/// A y axis: linear from zero to a rounded maximum, or logarithmic over whole decades.
enum ChartScale {
    case linear(top: Double, step: Double)
    case log(lowDecade: Int, highDecade: Int)

    static func fitting(maximum: Double) -> ChartScale {
        guard maximum > 0 else { return .linear(top: 1, step: 0.2) }
        let raw = maximum / 5
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        return .linear(top: (maximum / step).rounded(.up) * step, step: step)
    }

    static func decades(minimum: Double, maximum: Double) -> ChartScale {
        let low = Int(log10(minimum).rounded(.down))
        let high = max(low + 1, Int(log10(maximum).rounded(.up)))
        return .log(lowDecade: low, highDecade: high)
    }

    /// Where `value` sits between the axis ends, 0...1 (nil, zero and below-axis values sit at the bottom).
    func fraction(_ value: Double?) -> Double {
        guard let value, value > 0 else { return 0 }
        switch self {
        case let .linear(top, _): return min(1, value / top)
        case let .log(low, high): return min(1, max(0, (log10(value) - Double(low)) / Double(high - low)))
        }
    }

    var ticks: [Double] {
        switch self {
        case let .linear(top, step):
            let n = Int((top / step).rounded())
            return (0...n).map { Double($0) * step }
        case let .log(low, high): return (low...high).map { pow(10, Double($0)) }
        }
    }

    /// A tick or value label without trailing zeros: `0`, `0.2`, `50`, `1000`.
    static func label(_ v: Double, digits: Int = 3) -> String {
        var s = String(format: "%.\(digits)f", v)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s == "-0" ? "0" : s
    }
}

/// Hand-written SVG text, one element a line.
struct SVGText {
    var output = ""

    mutating func open(width: Double, height: Double) {
        output += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(svgNumber(width))\" height=\"\(svgNumber(height))\" "
            + "viewBox=\"0 0 \(svgNumber(width)) \(svgNumber(height))\" font-family=\"sans-serif\">\n"
        element("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>")
    }

    mutating func element(_ text: String) { output += text + "\n" }

    mutating func text(x: Double, y: Double, _ content: String, size: Int, anchor: String = "start", weight: String? = nil) {
        let w = weight.map { " font-weight=\"\($0)\"" } ?? ""
        element("<text x=\"\(svgNumber(x))\" y=\"\(svgNumber(y))\" font-size=\"\(size)\" text-anchor=\"\(anchor)\"\(w)>\(xmlEscaped(content))</text>")
    }

    mutating func close() { output += "</svg>\n" }
}

/// A coordinate with at most one decimal, the same on every platform.
func svgNumber(_ v: Double) -> String { ChartScale.label(v, digits: 1) }

func xmlEscaped(_ s: String) -> String {
    var out = ""
    for c in s {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        default: out.append(c)
        }
    }
    return out
}
