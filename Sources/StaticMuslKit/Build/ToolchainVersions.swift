import Foundation

/// Versions of what the builds use, read from the tools themselves.
public struct ToolchainVersions: Codable, Sendable, Equatable {
    public var swift: String
    public var root: String
    /// The musl the musl variants link unless `--musl` says otherwise
    /// (`MuslSource.defaultVersion`); a build on another musl records its own.
    public var musl: String
    public var glibc: String

    public static func detect() -> ToolchainVersions {
        let swiftPath = ProcessRunner.which("swift") ?? "/usr/bin/swift"
        let resolved = (try? FileManager.default.destinationOfSymbolicLink(atPath: swiftPath)).map {
            $0.hasPrefix("/") ? $0 : (swiftPath as NSString).deletingLastPathComponent + "/" + $0
        } ?? swiftPath
        let root = URL(fileURLWithPath: resolved).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        var swift = interfaceCompilerVersion(toolchainRoot: root) ?? "unknown"
        if swift == "unknown", let r = try? ProcessRunner.run(swiftPath, ["--version"], timeout: 30) {
            swift = compilerVersion(in: r.stdout) ?? "unknown"
        }
        return ToolchainVersions(swift: swift, root: root, musl: MuslSource.defaultVersion, glibc: glibcVersion())
    }

    /// "6.3.1" from "… Swift version 6.3.1 (swift-6.3.1-RELEASE) …".
    /// (A plain search: a regular expression would start ICU, a few ms per run.)
    static func compilerVersion(in text: String) -> String? {
        guard let marker = text.range(of: "Swift version ") else { return nil }
        let version = text[marker.upperBound...].prefix { !$0.isWhitespace }
        guard version.first?.isNumber == true else { return nil }
        return String(version)
    }

    /// The version the toolchain's own standard library was built with, from
    /// the `// swift-compiler-version:` line that heads its Swift.swiftinterface:
    /// the same text `swift --version` prints, read without starting the
    /// compiler (which costs about 50 ms of CPU, most of a small inspect run).
    static func interfaceCompilerVersion(toolchainRoot root: String) -> String? {
        let folder = root + "/usr/lib/swift/linux/Swift.swiftmodule"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder),
              let name = names.sorted().first(where: { $0.hasSuffix(".swiftinterface") && !$0.hasSuffix(".private.swiftinterface") }),
              let handle = FileHandle(forReadingAtPath: folder + "/" + name) else { return nil }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 512) else { return nil }
        let line = String(decoding: head, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("// swift-compiler-version:") }
        return line.flatMap { compilerVersion(in: String($0)) }
    }

    /// The system's musl-dev (what Debian's musl-gcc compiles against): its
    /// dynamic loader prints its version when run directly (read once, when asked).
    public static func installedMuslVersion() -> String { detectedMusl }

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
