// swift-tools-version:5.4
import PackageDescription

// libFuzzer targets for Wirelab, one executable each. They only link with the fuzzer runtime, so this
// package is built on its own, never by the main package's `swift build` / `swift test`:
//
//     swift build -c release --package-path Fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
//
// `Fuzz/run` does that and runs each target; see README "Fuzzing".
let package = Package(
    name: "WirelabFuzz",
    dependencies: [.package(name: "Wirelab", path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "WirelabCore", package: "Wirelab")]),
        .executableTarget(name: "fuzz-topology", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "fuzz-scenario", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "fuzz-config", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "fuzz-wire", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "fuzz-receive", dependencies: ["FuzzSupport"]),
    ]
)
