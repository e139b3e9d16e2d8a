// swift-tools-version:6.0
import PackageDescription

// The project's own C, split by role, all under CShim/ (the musl variant
// recompiles every CShim/ source with the sysroot's musl-gcc):
// - CShimPlatform: which libc this copy was compiled against; kit and probes.
// - CShimSockets: the DNS lab server's sockets; the kit only.
// - CShimProbe: what the probes drive through bindings (resolver calls,
//   malloc workloads, conformance wrappers); the probes and the C probes only.
// SwiftPM never sees CShim/compat (glibc-only symbols, archived into each
// musl sysroot as libcshim_compat.a), CShim/resolver (getaddrinfo & co. over
// c-ares, compiled for the musl+c-ares variant by ResolverShim) or CShim/abi
// (the ABI audit's template). The standalone C probes and the compat
// symbols' C tests live in Probes/programs and Probes/c-tests.

let package = Package(
    name: "swift-static-musl",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "static-musl", targets: ["static-musl"]),
        .library(name: "StaticMuslKit", targets: ["StaticMuslKit"]),
        .executable(name: "Sample", targets: ["Sample"]),
        .executable(name: "dns-probe", targets: ["DNSProbe"]),
        .executable(name: "conformance-probe", targets: ["ConformanceProbe"]),
        .executable(name: "malloc-bench", targets: ["MallocBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // SwiftPM's build description (release.yaml) is YAML: read it with a parser.
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        .target(name: "CShimPlatform", path: "CShim/platform"),
        .target(name: "CShimSockets", path: "CShim/sockets"),
        .target(name: "CShimProbe", dependencies: ["CShimPlatform"], path: "CShim/probe"),
        .target(name: "StaticMuslKit", dependencies: [
            "CShimPlatform", "CShimSockets",
            .product(name: "Yams", package: "Yams"),
        ]),
        .executableTarget(name: "static-musl", dependencies: [
            "StaticMuslKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Probes built by toolchain/build-static.sh in every variant. They
        // depend on CShim's C only, so their release builds stay small and fast.
        .executableTarget(name: "Sample", dependencies: ["CShimPlatform"]),
        .executableTarget(name: "DNSProbe", dependencies: ["CShimPlatform", "CShimProbe"]),
        .executableTarget(name: "ConformanceProbe", dependencies: ["CShimPlatform", "CShimProbe"]),
        .executableTarget(name: "MallocBench", dependencies: ["CShimPlatform", "CShimProbe"]),
        // The malloc tests drive the workloads in-process.
        .testTarget(name: "StaticMuslKitTests", dependencies: ["StaticMuslKit", "CShimProbe"]),
    ],
    swiftLanguageModes: [.v5]
)
