import Foundation

/// Versions of what the builds use, read from the tools themselves.
public struct ToolchainVersions: Codable, Sendable, Equatable {
    public var swift: String
    public var root: String
    public var musl: String
    public var glibc: String

    public static func detect() -> ToolchainVersions {
        let swiftPath = ProcessRunner.which("swift") ?? "/usr/bin/swift"
        let resolved = (try? FileManager.default.destinationOfSymbolicLink(atPath: swiftPath)).map {
            $0.hasPrefix("/") ? $0 : (swiftPath as NSString).deletingLastPathComponent + "/" + $0
        } ?? swiftPath
        let root = URL(fileURLWithPath: resolved).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        var swift = "unknown"
        if let r = try? ProcessRunner.run(swiftPath, ["--version"], timeout: 30),
           let m = r.stdout.range(of: #"Swift version [0-9][^ ]*"#, options: .regularExpression) {
            swift = String(r.stdout[m].dropFirst("Swift version ".count))
        }
        return ToolchainVersions(swift: swift, root: root, musl: muslVersion(), glibc: glibcVersion())
    }

    /// musl's dynamic loader prints its version when run directly (read once).
    public static func muslVersion() -> String { detectedMusl }

    private static let detectedMusl: String = readMuslVersion()

    private static func readMuslVersion() -> String {
        for loader in ["/usr/lib/x86_64-linux-musl/libc.so", "/usr/lib/musl/lib/libc.so", "/lib/ld-musl-x86_64.so.1"]
        where FileManager.default.isExecutableFile(atPath: loader) {
            if let r = try? ProcessRunner.run(loader, [], timeout: 10),
               let line = r.stderr.split(separator: "\n").first(where: { $0.hasPrefix("Version ") }) {
                return String(line.dropFirst("Version ".count))
            }
        }
        return "not installed"
    }

    public static func glibcVersion() -> String {
        HostLibc.name == "glibc" ? HostLibc.version : "unknown"
    }
}
