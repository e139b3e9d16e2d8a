// swift-tools-version:5.9
// Real-world packages in one manifest, so shared dependencies build once:
// - nio-echo: swift-nio (NIOCore + NIOPosix) TCP echo round trip in one process,
//   exercising its C shims (CNIOLinux, CNIOPosix, ...) and threads under a static link.
// - nullability-c: a C target whose public header uses clang-only constructs
//   (_Nonnull/_Nullable, swift_name); GCC rejects it, so package C must go through clang.
// Both print deterministic stdout; nullability-c's last line names the libc its C file saw.
import PackageDescription

let package = Package(
    name: "RealPackages",
    products: [
        .executable(name: "nio-echo", targets: ["NIOEcho"]),
        .executable(name: "nullability-c", targets: ["NullabilityC"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
    ],
    targets: [
        .executableTarget(
            name: "NIOEcho",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(name: "CNullability"),
        .executableTarget(name: "NullabilityC", dependencies: ["CNullability"]),
    ]
)
