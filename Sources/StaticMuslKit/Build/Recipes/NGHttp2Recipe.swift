import Foundation

/// nghttp2 (Debian's `nghttp2`): the HTTP/2 framing library, for curl. With
/// it curl negotiates HTTP/2 over TLS (ALPN) by default, as Debian's libcurl
/// does, so URLSession behaves as it does on glibc.
///
/// Debian's tree is an upstream snapshot without a generated `configure`
/// (it runs autoreconf), and neither autoconf/automake nor CMake is needed
/// for the library: `lib/` is 25 C files with no configuration beyond four
/// `HAVE_*` macros, so they are compiled directly, like zlib. The only
/// generated header, `nghttp2ver.h`, is filled in from configure.ac's
/// `AC_INIT` version. Measured here: 3 s cold, a 0.4 MB archive.
public struct NGHttp2Recipe: LibraryRecipe {
    public var name: String { "nghttp2" }
    public var debianSource: String { "nghttp2" }
    public var linkNames: [String] { ["nghttp2"] }
    public var recipeVersion: Int { 1 }

    /// What lib/config.h would say on Linux with musl (the only macros lib/ reads).
    static let defines = ["-DHAVE_ARPA_INET_H=1", "-DHAVE_NETINET_IN_H=1", "-DHAVE_TIME_H=1", "-DHAVE_CLOCK_GETTIME=1",
                          "-DBUILDING_NGHTTP2", "-DNGHTTP2_STATICLIB"]

    public init() {}

    public func build(tree: String, prefix: String, compiler: MuslCCompiler, dependencies: [BuiltLibrary]) throws {
        let version = try Self.version(configureAC: tree + "/configure.ac")
        let include = prefix + "/include/nghttp2"
        try compiler.install(headers: [tree + "/lib/includes/nghttp2/nghttp2.h"], into: include)
        let template = try String(contentsOfFile: tree + "/lib/includes/nghttp2/nghttp2ver.h.in", encoding: .utf8)
        try template.replacingOccurrences(of: "@PACKAGE_VERSION@", with: version.text)
            .replacingOccurrences(of: "@PACKAGE_VERSION_NUM@", with: version.number)
            .write(toFile: include + "/nghttp2ver.h", atomically: true, encoding: .utf8)

        let sources = try FileManager.default.contentsOfDirectory(atPath: tree + "/lib")
            .filter { $0.hasPrefix("nghttp2_") && $0.hasSuffix(".c") }.sorted().map { tree + "/lib/" + $0 }
        guard !sources.isEmpty else { throw LibraryError.compileFailed(source: tree + "/lib", error: "no nghttp2_*.c sources") }
        let flags = AutotoolsBuild.baseCFlags + Self.defines + ["-I", prefix + "/include", "-I", tree + "/lib"]
        let objects = try compiler.compile(sources, into: prefix + "/build/obj", flags: flags)
        try compiler.archive(objects, into: prefix + "/lib/libnghttp2.a")
    }

    /// `AC_INIT([nghttp2], [1.52.0], …)` → ("1.52.0", "0x013400").
    static func version(configureAC: String) throws -> (text: String, number: String) {
        let text = try String(contentsOfFile: configureAC, encoding: .utf8)
        guard let range = text.range(of: #"AC_INIT\(\[nghttp2\], \[([0-9]+)\.([0-9]+)\.([0-9]+)"#, options: .regularExpression) else {
            throw LibraryError.compileFailed(source: configureAC, error: "no AC_INIT([nghttp2], [X.Y.Z]) line")
        }
        let line = String(text[range])
        let digits = line.split(whereSeparator: { !$0.isNumber }).suffix(3).compactMap { Int($0) }
        guard digits.count == 3 else { throw LibraryError.compileFailed(source: configureAC, error: "cannot read the version in \(line)") }
        let number = "0x" + digits.map { String(format: "%02x", $0) }.joined()
        return (digits.map(String.init).joined(separator: "."), number)
    }
}
