import Foundation

/// Which code answers getaddrinfo and gethostbyname in a musl link.
public enum Resolver: String, Codable, Sendable, CaseIterable {
    /// musl's own resolver (libc.a).
    case musl
    /// c-ares behind glibc-compatible getaddrinfo, gethostbyname… (`ResolverShim`).
    case cAres = "c-ares"
}

/// CShim/resolver compiled for one sysroot against the c-ares recipe:
/// `libcshim_resolver.a`, which defines getaddrinfo, freeaddrinfo,
/// gai_strerror, gethostbyname, gethostbyname2, gethostbyname_r,
/// gethostbyname2_r and getnameinfo with glibc's rules over c-ares's DNS.
///
/// **How it replaces musl's.** The archive and libcares.a go first on the
/// musl link, with `-u` for each of its symbols: the linker takes them from
/// this archive before it reaches libc.a, so musl's members for these
/// symbols are never pulled in (no duplicate definitions), and every caller
/// gets them: the Swift objects (compiled against glibc's headers: the
/// `addrinfo` layout and the `AI_*`/`EAI_*` values are the same on both
/// libcs), package C, and libc.a itself. The compat archive's
/// `--wrap=freeaddrinfo` reaches this freeaddrinfo as `__real_freeaddrinfo`.
///
/// Cached by the bytes of CShim/resolver, the c-ares build's key, the
/// sysroot's key and clang.
public struct ResolverShim: Sendable, Equatable {
    /// `libcshim_resolver.a`, then c-ares's archive: link order.
    public var archives: [String]
    public var cAres: BuiltLibrary
    /// "c-ares 1.18.1": what the marker in the binary says.
    public var label: String

    /// The symbols the archive defines, forced with `-u` so that libc.a's never link.
    public static let symbols = ["getaddrinfo", "freeaddrinfo", "gai_strerror", "gethostbyname", "gethostbyname2",
                                 "gethostbyname_r", "gethostbyname2_r", "getnameinfo"]

    /// The section `inspect` reads (see CShim/resolver/__cshim_resolver_lookup.c).
    public static let markerSection = ".static_musl_resolver"

    /// `-u` for each symbol: the archive's members are taken before libc.a's.
    public static var undefinedFlags: [String] { symbols.map { "-Wl,-u," + $0 } }

    /// For a plain compiler driver link (the C probes): the `-u` flags, then the archives.
    public var linkFlags: [String] { Self.undefinedFlags + archives }

    public var libraryUse: Manifest.LibraryUse {
        Manifest.LibraryUse(name: "c-ares", version: cAres.version,
                            source: cAres.source + "; CShim/resolver (getaddrinfo, gethostbyname, getnameinfo) linked first")
    }

    public static func prepare(sysroot: Sysroot, toolchain: ToolchainPaths, projectRoot: String) throws -> ResolverShim {
        let cAres = try LibraryRecipes.prepare(CAresRecipe(), sysroot: sysroot, toolchain: toolchain, projectRoot: projectRoot)
        let version = CAresRecipe.version(header: cAres.includeDirectory + "/ares_version.h") ?? cAres.version
        let folder = projectRoot + "/CShim/resolver"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        let sources = names.filter { $0.hasSuffix(".c") }.map { folder + "/" + $0 }
        guard !sources.isEmpty else { throw LibraryError.compileFailed(source: folder, error: "no C sources") }
        var keyLines = ["cshim-resolver", version, cAres.key, sysroot.key, toolchain.clang]
        for name in names where name.hasSuffix(".c") || name.hasSuffix(".h") {
            keyLines.append(name + " " + (try SysrootSHA256.hex(fileAt: folder + "/" + name)))
        }
        let key = SysrootSHA256.hex(keyLines.joined(separator: "\n"))
        let archive = projectRoot + "/.build-static/libraries/cshim-resolver-\(key.prefix(16))/libcshim_resolver.a"
        let compiler = MuslCCompiler(clang: toolchain.clang, sysroot: sysroot, resourceDirectory: try toolchain.clangResourceDirectory())
        try CacheSlot(path: archive).fill { temporary in
            let flags = AutotoolsBuild.baseCFlags + ["-std=gnu11", "-D_GNU_SOURCE", "-Wall", "-Werror=implicit-function-declaration",
                                                     "-DCSHIM_CARES_VERSION=\"\(version)\"", "-I", cAres.includeDirectory, "-I", folder]
            let objects = try compiler.compile(sources, into: temporary + ".objects", flags: flags)
            defer { try? FileManager.default.removeItem(atPath: temporary + ".objects") }
            try compiler.archive(objects, into: temporary)
        }
        return ResolverShim(archives: [archive] + cAres.archives.map { cAres.libDirectory + "/" + $0 }, cAres: cAres,
                            label: "c-ares \(version)")
    }
}
