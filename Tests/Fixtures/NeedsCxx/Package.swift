// swift-tools-version:5.9
// A C++ target: the musl variant must refuse it by name (libstdc++ headers are glibc's),
// never link SwiftPM's glibc-built objects silently.
import PackageDescription
let package = Package(name: "NeedsCxx", targets: [.target(name: "CxxLib"), .executableTarget(name: "app", dependencies: ["CxxLib"])])
