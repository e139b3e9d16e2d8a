// swift-tools-version:6.0
import PackageDescription

// CShim/compat holds glibc-only symbols for musl links: build-static.sh
// compiles it with musl-gcc; SwiftPM (glibc) never sees it. CShim/resolver
// is getaddrinfo & co. over c-ares, compiled by clang for the musl+c-ares
// variant (ResolverShim). The standalone C probes (each has main) and the C
// tests of the compat symbols are not CShim: they live in Probes/programs and
// Probes/c-tests, and the suites compile them per libc.
let cshimExcludes = ["compat", "abi", "resolver"]

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
        .target(name: "CShim", path: "CShim", exclude: cshimExcludes,
                sources: ["src"], publicHeadersPath: "include"),
        .target(name: "StaticMuslKit", dependencies: [
            "CShim",
            .product(name: "Yams", package: "Yams"),
        ]),
        .executableTarget(name: "static-musl", dependencies: [
            "StaticMuslKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Probes built by toolchain/build-static.sh in every variant. They
        // depend on CShim only, so their release builds stay small and fast.
        .executableTarget(name: "Sample", dependencies: ["CShim"]),
        .executableTarget(name: "DNSProbe", dependencies: ["CShim"]),
        .executableTarget(name: "ConformanceProbe", dependencies: ["CShim"]),
        .executableTarget(name: "MallocBench", dependencies: ["CShim"]),
        .testTarget(name: "StaticMuslKitTests", dependencies: ["StaticMuslKit"]),
    ],
    swiftLanguageModes: [.v5]
)
