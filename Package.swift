// swift-tools-version: 6.1
import PackageDescription

// Layers, each a module; imports point downward only (see README "Layout"):
// Engine ◄─ Wire ◄─ QoS ◄─ Fabric ◄─ Protocols ◄─ Lab ◄─ Capture, Bench, wirelab
// The IOS config engine (IOSConfig) sits on Wire, below the fabric and the protocols, so each protocol
// registers its own commands and the fabric shares its interface names.
let collections: [Target.Dependency] = [
    .product(name: "HeapModule", package: "swift-collections"),
    .product(name: "DequeModule", package: "swift-collections"),
    .product(name: "OrderedCollections", package: "swift-collections"),
]

// The event loop, the fabric and the schedulers are checked for exclusive access in debug builds
// (and so in `swift test`); release builds drop the per-access runtime check, which cost a third of
// the forwarding time (swift_beginAccess on every class property access).
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "Wirelab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "wirelab", targets: ["wirelab"]),
        // For the fuzz package in Fuzz/ (its own build, with -sanitize=fuzzer; see README "Fuzzing").
        .library(name: "WirelabCore", targets: ["Engine", "Wire", "QoS", "IOSConfig", "Fabric", "Protocols", "Lab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .target(name: "Engine", swiftSettings: hotPath),
        .target(name: "Wire", dependencies: ["Engine"], swiftSettings: hotPath),
        .target(name: "QoS", dependencies: ["Engine", "Wire"] + collections, swiftSettings: hotPath),
        .target(name: "IOSConfig", dependencies: ["Wire"]),
        .target(name: "Fabric", dependencies: ["Engine", "Wire", "QoS", "IOSConfig"] + collections, swiftSettings: hotPath),
        .target(name: "Protocols", dependencies: ["Engine", "Wire", "Fabric", "IOSConfig"] + collections),
        .target(name: "Lab", dependencies: [
            "Engine", "Wire", "QoS", "Fabric", "IOSConfig", "Protocols",
            .product(name: "Yams", package: "Yams"),
        ] + collections),
        .systemLibrary(name: "CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),
        .target(name: "Capture", dependencies: ["CPcap", "Engine", "Wire", "Fabric"]),
        // Wraps the C allocator to count allocations; linked only into the wirelab executable.
        .target(name: "CAllocCount"),
        .target(name: "Bench", dependencies: ["Engine", "Wire", "QoS", "Fabric", "Protocols", "Lab"] + collections, swiftSettings: hotPath),
        .executableTarget(name: "wirelab", dependencies: [
            "Engine", "Lab", "Capture", "Bench", "CAllocCount",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "EngineTests", dependencies: ["Engine"]),
        .testTarget(name: "WireTests", dependencies: ["Wire"]),
        .testTarget(name: "QoSTests", dependencies: ["QoS", "Wire", "Engine"]),
        .testTarget(name: "IOSConfigTests", dependencies: ["IOSConfig", "Wire"]),
        .testTarget(name: "FabricTests", dependencies: ["Fabric", "Wire", "Engine", "QoS", "IOSConfig"]),
        .testTarget(name: "ProtocolsTests", dependencies: ["Protocols", "Fabric", "Wire", "Engine"]),
        .testTarget(name: "LabTests", dependencies: ["Lab", "Fabric", "Engine", "Capture", "IOSConfig", "Protocols"]),
        // Links the allocation counter into the test process (it only counts).
        .testTarget(name: "BenchTests", dependencies: ["Bench", "Lab", "Fabric", "Engine", "Protocols", "CAllocCount"]),
    ]
)
