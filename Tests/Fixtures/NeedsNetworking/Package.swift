// swift-tools-version:5.9
// Uses FoundationNetworking (URLSession), which needs libcurl: the musl
// variant must fail with the missing curl symbols named, never silently.
import PackageDescription
let package = Package(name: "NeedsNetworking", targets: [.executableTarget(name: "fetch")])
