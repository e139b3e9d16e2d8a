import Foundation

/// c-ares (Debian's `c-ares`): the asynchronous DNS library that
/// `--resolver c-ares` puts behind getaddrinfo and gethostbyname
/// (`ResolverShim`, CShim/resolver). It reads resolv.conf as glibc does
/// (ndots, timeout, attempts, rotate, search, LOCALDOMAIN, RES_OPTIONS),
/// reads nsswitch.conf's `hosts:` order, and asks again over TCP when a UDP
/// answer is truncated.
///
/// Which release: trixie's 1.34.9 is the one to have, but its source files
/// answer 404 on this machine's mirror (the Sources index lists them), so the
/// recipe builds bookworm's 1.18.1 with Debian's security patches. What that
/// costs is in docs/dns.md ("c-ares").
///
/// Options: static only, no tests (they need C++ and gmock), no symbol
/// hiding (the shim is linked as a separate archive and calls the public
/// API only). Only `src/lib` is built. Measured here: about 15 s cold.
public struct CAresRecipe: LibraryRecipe {
    public var name: String { "c-ares" }
    public var debianSource: String { "c-ares" }
    public var linkNames: [String] { ["cares"] }
    public var recipeVersion: Int { 1 }

    public init() {}

    public func build(tree: String, prefix: String, compiler: MuslCCompiler, dependencies: [BuiltLibrary]) throws {
        let build = try AutotoolsBuild(compiler: compiler, tree: tree, workDirectory: prefix + "/build", dependencies: dependencies)
        try build.configure(["--prefix=/usr", "--sysconfdir=/etc", "--disable-shared", "--enable-static",
                             "--disable-dependency-tracking", "--disable-tests", "--disable-debug"])
        try build.make([], directory: "src/lib")
        try FileManager.default.createDirectory(atPath: prefix + "/lib", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: build.path("src/lib/.libs/libcares.a"), toPath: prefix + "/lib/libcares.a")
        try compiler.install(headersOf: build.path("include"), into: prefix + "/include")
    }

    /// `ARES_VERSION_STR "1.18.1"` from an installed ares_version.h.
    public static func version(header: String) -> String? {
        guard let text = try? String(contentsOfFile: header, encoding: .utf8),
              let range = text.range(of: #"ARES_VERSION_STR "[0-9.]+""#, options: .regularExpression) else { return nil }
        return text[range].split(separator: "\"").dropFirst().first.map(String.init)
    }
}
