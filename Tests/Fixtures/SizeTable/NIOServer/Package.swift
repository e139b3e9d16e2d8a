// swift-tools-version:5.9
import PackageDescription
let package = Package(name: "NIOServer",
  dependencies: [.package(url: "https://github.com/apple/swift-nio", from: "2.101.2")],
  targets: [.executableTarget(name: "NIOServer", dependencies: [
    .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
    .product(name: "NIOHTTP1", package: "swift-nio")])])
