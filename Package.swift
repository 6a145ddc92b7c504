// swift-tools-version:6.0
import PackageDescription

// Layers point one way (see README "Architecture"):
// qnet → Coordinator/Node/ZMQ/Scenario → Wire/Transport → Network/Physics → Quantum → Core.
let package = Package(
    name: "QNetLab",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "QNetCore", targets: ["QNetCore"]),
        .library(name: "QNetQuantum", targets: ["QNetQuantum"]),
        .executable(name: "qnet", targets: ["qnet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Kernel: virtual time, IDs, seeded RNG, event queue.
        .target(
            name: "QNetCore",
            dependencies: [.product(name: "HeapModule", package: "swift-collections")]
        ),
        // State engine: density matrices, gates, channels, measurement, fidelity, group store.
        .target(
            name: "QNetQuantum",
            dependencies: ["QNetCore", .product(name: "Numerics", package: "swift-numerics")]
        ),
        // Hardware models: fibre, detectors, memories, heralding (single-click, Barrett–Kok).
        .target(name: "QNetPhysics", dependencies: ["QNetQuantum"]),
        // libzmq's C API; imported only by QNetZMQ.
        // (No pkgConfig: Debian's libzmq.pc adds -isystem flags SwiftPM rejects with a warning;
        // zmq.h is in the default include path and module.modulemap links libzmq.)
        .systemLibrary(
            name: "CZeroMQ",
            providers: [.apt(["libzmq3-dev"])]
        ),
        // The ZeroMQ transport: the only target that touches CZeroMQ or unsafe pointers.
        .target(name: "QNetZMQ", dependencies: ["CZeroMQ", "QNetTransport"]),
        // The transport protocols the shells use (ZeroMQ implements them).
        .target(name: "QNetTransport"),
        // Topology graph, generators and routing (shortest paths, static routes, k shortest paths).
        .target(name: "QNetNetwork", dependencies: ["QNetCore"]),
        // I/O-free protocol state machines: link agent, station agent.
        .target(name: "QNetProtocols", dependencies: ["QNetPhysics", "QNetScheduling"]),
        // Scheduling policies (swap, cutoff): the plug-in points of DESIGN §6.
        .target(name: "QNetScheduling", dependencies: ["QNetCore"]),
        // Node and station shells: decode, feed the state machines, carry out their directives.
        .target(
            name: "QNetNode",
            dependencies: ["QNetProtocols", "QNetScheduling", "QNetPhysics", "QNetWire", "QNetTransport", "QNetScenario"]
        ),
        // Coordinator shell: lockstep clock, router, registry, supervision, metrics sink, results.
        .target(
            name: "QNetCoordinator",
            dependencies: ["QNetNode", "QNetPhysics", "QNetWire", "QNetTransport", "QNetScenario"]
        ),
        // Generated protobuf code (committed; scripts/generate-protos.sh) and conversions.
        .target(
            name: "QNetWire",
            dependencies: ["QNetCore", "QNetPhysics", "QNetProtocols", "QNetScheduling", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        // Scenario files, topology builders, results writers.
        .target(
            name: "QNetScenario",
            dependencies: ["QNetCore", "QNetNetwork", "QNetPhysics", .product(name: "Yams", package: "Yams")]
        ),
        // The one executable: the composition root.
        .executableTarget(
            name: "qnet",
            dependencies: [
                "QNetCore", "QNetQuantum", "QNetPhysics", "QNetZMQ", "QNetWire", "QNetScenario", "QNetNode", "QNetCoordinator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "QNetCoreTests", dependencies: ["QNetCore"]),
        .testTarget(name: "QNetQuantumTests", dependencies: ["QNetQuantum"]),
        .testTarget(name: "QNetPhysicsTests", dependencies: ["QNetPhysics"]),
        .testTarget(name: "QNetZMQTests", dependencies: ["QNetZMQ"]),
        .testTarget(name: "QNetWireTests", dependencies: ["QNetWire"]),
        .testTarget(name: "QNetNetworkTests", dependencies: ["QNetNetwork"]),
        .testTarget(name: "QNetScenarioTests", dependencies: ["QNetScenario", "QNetNetwork"]),
        .testTarget(name: "QNetProtocolsTests", dependencies: ["QNetProtocols"]),
        .testTarget(name: "QNetCoordinatorTests", dependencies: ["QNetCoordinator"]),
        // Spawns real `qnet` processes (build the executable first: scripts/test.sh does).
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["QNetZMQ", "QNetWire", "QNetScenario", "QNetNode", "QNetPhysics"]
        ),
    ]
)
