// swift-tools-version:5.9
// Real-world packages in one manifest, so shared dependencies build once:
// - nio-echo: swift-nio (NIOCore + NIOPosix) TCP echo round trip in one process,
//   exercising its C shims (CNIOLinux, CNIOPosix, ...) and threads under a static link.
// - nullability-c: a C target whose public header uses clang-only constructs
//   (_Nonnull/_Nullable, swift_name); GCC rejects it, so package C must go through clang.
// - crypto-kat: swift-crypto known-answer tests (SHA-2, HMAC, HKDF, AES-GCM,
//   ChaCha20-Poly1305, X25519, Ed25519, P-256) on its vendored BoringSSL (C and C++).
// - tls-echo: swift-nio-ssl TLS echo server / client (its own vendored BoringSSL),
//   interoperable with `openssl s_client` / `openssl s_server`.
// - vapor-hello: a Vapor 4 HTTP server with three fixed routes.
// - nio-resolve: a swift-nio client's name lookup (getaddrinfo through
//   GetaddrinfoResolver), printed in the DNS lab's probe protocol.
// All print deterministic stdout; nullability-c's last line names the libc its C file saw.
import PackageDescription

let package = Package(
    name: "RealPackages",
    products: [
        .executable(name: "nio-echo", targets: ["NIOEcho"]),
        .executable(name: "nullability-c", targets: ["NullabilityC"]),
        .executable(name: "crypto-kat", targets: ["CryptoKAT"]),
        .executable(name: "tls-echo", targets: ["TLSEcho"]),
        .executable(name: "vapor-hello", targets: ["VaporHello"]),
        .executable(name: "nio-resolve", targets: ["NIOResolve"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        // Lower bound: what swift-nio-ssl 2.37 (via swift-certificates) needs;
        // upper bound: what Vapor 4.122 accepts ("1.0.0" ..< "6.0.0").
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3" ..< "6.0.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
        .package(url: "https://github.com/vapor/vapor", from: "4.122.0"),
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
        .executableTarget(
            name: "CryptoKAT",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "TLSEcho",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .executableTarget(
            name: "NIOResolve",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "VaporHello",
            dependencies: [
                .product(name: "Vapor", package: "vapor"),
            ]
        ),
    ]
)
