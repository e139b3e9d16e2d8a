// swift-tools-version:5.9
// A package that swift-static-musl does not otherwise use: it depends on
// swift-argument-parser and has its own C target. build-static.sh must
// build it as a static musl binary that runs and parses its arguments.
import PackageDescription

let package = Package(
    name: "ExternalCLI",
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "CChecksum", cSettings: [.define("CCHECKSUM_MOD", to: "65521")]),
        .executableTarget(name: "checksum-cli", dependencies: [
            "CChecksum",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
    ]
)
