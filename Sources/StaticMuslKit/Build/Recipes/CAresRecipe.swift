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
/// Options: static only, no tests (they need C++ and gmock); configure's
/// default symbol hiding stays (it only affects a shared library). Only
/// `src/lib` is built.
///
/// **No configure for 1.18.1.** Its configure takes 87 s here, for two
/// headers whose content never changes for this sysroot and compiler. They
/// are kept in `CShim/resolver/c-ares-VERSION/` (what configure wrote,
/// unedited), and `src/lib`'s sources (`Makefile.inc`'s `CSOURCES`) are
/// compiled directly with the flags its Makefile uses: about 10 s. Any other
/// version runs configure and make.
public struct CAresRecipe: LibraryRecipe {
    public var name: String { "c-ares" }
    public var debianSource: String { "c-ares" }
    public var linkNames: [String] { ["cares"] }
    public var recipeVersion: Int { 2 }
    /// The recorded configure outputs (see above): hashed into the cache key.
    public var dataFiles: [String] { ["ares_config.h", "ares_build.h"].map { "CShim/resolver/c-ares-1.18.1/" + $0 } }

    public init() {}

    public static let configureArguments = ["--prefix=/usr", "--sysconfdir=/etc", "--disable-shared", "--enable-static",
                                            "--disable-dependency-tracking", "--disable-tests", "--disable-debug"]

    /// What `src/lib/Makefile` adds to CFLAGS and CPPFLAGS for a static build with symbol hiding.
    static let makefileFlags = ["-Qunused-arguments", "-g0", "-DHAVE_CONFIG_H", "-DCARES_STATICLIB", "-DCARES_BUILDING_LIBRARY",
                                "-DCARES_SYMBOL_HIDING", "-fvisibility=hidden"]

    public func build(tree: String, prefix: String, compiler: MuslCCompiler, dependencies: [BuiltLibrary]) throws {
        let upstream = Self.upstreamVersion(tree: tree)
        let recorded = ProjectLayout.root().map { $0 + "/CShim/resolver/c-ares-\(upstream ?? "?")" }
        if let recorded, FileManager.default.fileExists(atPath: recorded + "/ares_config.h"),
           FileManager.default.fileExists(atPath: recorded + "/ares_build.h") {
            try buildWithoutConfigure(tree: tree, prefix: prefix, compiler: compiler, configuration: recorded)
            return
        }
        let build = try AutotoolsBuild(compiler: compiler, tree: tree, workDirectory: prefix + "/build", dependencies: dependencies)
        try build.configure(Self.configureArguments)
        try build.make([], directory: "src/lib")
        try FileManager.default.createDirectory(atPath: prefix + "/lib", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: build.path("src/lib/.libs/libcares.a"), toPath: prefix + "/lib/libcares.a")
        try compiler.install(headersOf: build.path("include"), into: prefix + "/include")
    }

    /// The public headers with the recorded ares_build.h (ares.h includes it
    /// by a quoted name, so it must sit beside ares.h, replacing the tree's
    /// generic one), then `CSOURCES` compiled and archived.
    func buildWithoutConfigure(tree: String, prefix: String, compiler: MuslCCompiler, configuration: String) throws {
        let include = prefix + "/include"
        try compiler.install(headersOf: tree + "/include", into: include)
        try compiler.install(headers: [configuration + "/ares_build.h"], into: include)
        let privateHeaders = prefix + "/build/config"
        try compiler.install(headers: [configuration + "/ares_config.h"], into: privateHeaders)
        let sources = try Self.librarySources(makefileInc: tree + "/src/lib/Makefile.inc").map { tree + "/src/lib/" + $0 }
        let flags = AutotoolsBuild.baseCFlags + Self.makefileFlags + ["-I", include, "-I", privateHeaders, "-I", tree + "/src/lib"]
        let objects = try compiler.compile(sources, into: prefix + "/build/obj", flags: flags)
        try compiler.archive(objects, into: prefix + "/lib/libcares.a")
    }

    /// `CSOURCES = a.c b.c \` … from src/lib/Makefile.inc.
    static func librarySources(makefileInc: String) throws -> [String] {
        let text = try String(contentsOfFile: makefileInc, encoding: .utf8)
        guard let start = text.range(of: "CSOURCES =") else {
            throw LibraryError.compileFailed(source: makefileInc, error: "no CSOURCES list")
        }
        var names: [String] = []
        for line in text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\\" }).map(String.init)
            names += words.filter { $0.hasSuffix(".c") }
            if !line.trimmingCharacters(in: .whitespaces).hasSuffix("\\") { break }
        }
        guard !names.isEmpty else { throw LibraryError.compileFailed(source: makefileInc, error: "CSOURCES is empty") }
        return names
    }

    /// "c-ares-1.18.1-3" → "1.18.1".
    static func upstreamVersion(tree: String) -> String? {
        let folder = (tree as NSString).lastPathComponent
        guard folder.hasPrefix("c-ares-") else { return nil }
        return folder.dropFirst("c-ares-".count).split(separator: "-").first.map(String.init)
    }

    /// `ARES_VERSION_STR "1.18.1"` from an installed ares_version.h.
    public static func version(header: String) -> String? {
        guard let text = try? String(contentsOfFile: header, encoding: .utf8),
              let range = text.range(of: #"ARES_VERSION_STR "[0-9.]+""#, options: .regularExpression) else { return nil }
        return text[range].split(separator: "\"").dropFirst().first.map(String.init)
    }
}
