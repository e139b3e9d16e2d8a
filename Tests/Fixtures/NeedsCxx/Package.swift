// swift-tools-version:5.9
// What the musl variant must build, and a failure it must report by name,
// one product each:
// - app: a C++ target (libstdc++ headers configured for musl in the sysroot);
// - glibc-only: a C target that includes a glibc-only header (a compile error
//   on musl, reported as one, naming the file, the target and the header);
// - plain: Swift only; only its own targets are compiled for musl.
import PackageDescription
let package = Package(
    name: "NeedsCxx",
    products: [
        .executable(name: "app", targets: ["app"]),
        .executable(name: "glibc-only", targets: ["glibc-only"]),
        .executable(name: "plain", targets: ["plain"]),
    ],
    targets: [
        .target(name: "CxxLib"),
        .executableTarget(name: "app", dependencies: ["CxxLib"]),
        .target(name: "CGlibcOnly"),
        .executableTarget(name: "glibc-only", dependencies: ["CGlibcOnly"]),
        .executableTarget(name: "plain"),
    ]
)
