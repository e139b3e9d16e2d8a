import Foundation

/// The C-only probe variants: libc and linkage (`CProgramBuilder` adds a
/// musl version or the c-ares resolver where a suite asks). Raw values are
/// their `ProbeVariant` names ("c-glibc-dynamic", …).
public enum CVariant: ComputedRawValueCases, Codable, Sendable {
    case glibcDynamic     // gcc
    case glibcStatic      // gcc -static
    case muslStatic       // musl-gcc -static
    case muslStaticPie    // musl-gcc, linked by hand with rcrt1.o
    case glibcStaticPie   // gcc -static-pie

    public var probe: ProbeVariant {
        switch self {
        case .glibcDynamic: return ProbeVariant(.c, .glibcDynamic)
        case .glibcStatic: return ProbeVariant(.c, .glibcStatic)
        case .muslStatic: return ProbeVariant(.c, .musl)
        case .muslStaticPie: return ProbeVariant(.c, .musl, staticPIE: true)
        case .glibcStaticPie: return ProbeVariant(.c, .glibcStatic, staticPIE: true)
        }
    }

    public var rawValue: String { probe.name }
    public var libc: String { probe.libc }

    /// How a C probe is compiled: its libc and linkage. The musl version and
    /// the resolver are the sysroot's and the link's; a build no C probe has
    /// (mimalloc, Embedded Swift, the SDK) has none.
    public init?(_ probe: ProbeVariant) {
        let linkage: ProbeVariant
        switch probe.build {
        case .musl, .muslCAres: linkage = ProbeVariant(.c, .musl, staticPIE: probe.staticPIE)
        case .glibcStatic, .glibcDynamic: linkage = ProbeVariant(.c, probe.build, staticPIE: probe.staticPIE)
        case .muslMimalloc, .embeddedMusl, .sdk: return nil
        }
        guard let found = Self.allCases.first(where: { $0.probe == linkage }) else { return nil }
        self = found
    }
}

public enum CBuildError: Error, CustomStringConvertible {
    case compilerMissing(String, package: String)
    case compileFailed(String, String)
    case unsupportedProbe(String)

    public var description: String {
        switch self {
        case .compilerMissing(let cc, let package):
            return "\(cc) is missing: install the Debian package '\(package)' (toolchain/build-static.sh does this when run as root)"
        case .compileFailed(let what, let log): return "compiling \(what) failed:\n\(log)"
        case .unsupportedProbe(let name): return "no C probe is built as \(name): C probes link musl (with c-ares or not) or glibc"
        }
    }
}

/// Compiles a standalone C program from Probes/programs (plus the CShim
/// members it calls) for one libc. Outputs are cached by content hash under
/// `cacheDirectory`, so suites can ask for them freely.
public struct CProgramBuilder: Sendable {
    public var projectRoot: String
    public var cacheDirectory: String

    public init(projectRoot: String, cacheDirectory: String? = nil) {
        self.projectRoot = projectRoot
        self.cacheDirectory = cacheDirectory ?? projectRoot + "/.build-static/c-programs"
    }

    /// The C program `name` built as `probe` says: its libc and linkage, on
    /// musl `probe.muslVersion`'s sysroot when that is not the default one,
    /// and with CShim/resolver and c-ares linked first for `.muslCAres`.
    /// What the suites' C probes are built with (`SuiteProbes`).
    public func build(name: String, sources: [String], probe: ProbeVariant) throws -> String {
        guard probe.language != .swift, let variant = CVariant(probe) else {
            throw CBuildError.unsupportedProbe(probe.name)
        }
        let sysroot = try probe.muslVersion.map { try Sysroot.prepare(projectRoot: projectRoot, musl: try MuslSource.named($0)) }
        guard probe.build == .muslCAres else { return try build(name: name, sources: sources, variant: variant, muslSysroot: sysroot) }
        let shimSysroot = try sysroot ?? Sysroot.prepare(projectRoot: projectRoot, musl: try MuslSource.named(MuslSource.defaultVersion))
        let shim = try ResolverShim.prepare(sysroot: shimSysroot, toolchain: ToolchainPaths(root: ToolchainVersions.detect().root),
                                            projectRoot: projectRoot)
        return try build(name: name, sources: sources, variant: variant, extraFlags: shim.linkFlags, muslSysroot: sysroot)
    }

    /// - Parameters:
    ///   - sources: paths relative to the project root (e.g. "Probes/programs/dns_probe.c").
    ///   - extraFlags: added to the link line (e.g. ["-lpthread"]).
    ///   - withShim: link CShim's probe-side C (`CShimSources.probeFolders`,
    ///     the cshim_ library the Swift probes' bindings use) as a static archive, so a program gets only the members it calls,
    ///     exactly as in the Swift variants' links.
    ///   - muslSysroot: a musl variant compiled and linked by this sysroot's
    ///     musl-gcc. Without one, a musl variant gets the default musl's
    ///     (`defaultMuslSysroot`).
    /// - Returns: the absolute path of the binary.
    public func build(name: String, sources: [String], variant: CVariant, extraFlags: [String] = [],
                      strip: Bool = false, withShim: Bool = true, muslSysroot given: Sysroot? = nil) throws -> String {
        let muslSysroot = try given ?? defaultMuslSysroot(for: variant)
        let cc = try muslSysroot.map(\.muslGCC) ?? compiler(for: variant)
        let absSources = sources.map { $0.hasPrefix("/") ? $0 : projectRoot + "/" + $0 }
        let archive = withShim ? try shimArchive(variant, muslSysroot: muslSysroot) : nil
        let cflags = compileFlags(variant, muslVersion: muslSysroot?.muslVersion)
        var linkFlags: [String]
        switch variant {
        case .glibcDynamic, .muslStaticPie: linkFlags = []
        case .glibcStatic, .muslStatic: linkFlags = ["-static"]
        case .glibcStaticPie: linkFlags = ["-static-pie"]
        }
        if strip { linkFlags.append("-s") }
        // Cache key: the sources' and headers' bytes, the archive (named by its own hash), the flags.
        var key = Hasher.Stable()
        for path in absSources + headerFiles() {
            key.add(path); key.add(FileManager.default.contents(atPath: path) ?? Data())
        }
        key.add((cflags + linkFlags + extraFlags + [archive ?? "", variant.rawValue, cc]).joined(separator: " "))
        let folder = "\(cacheDirectory)/\(variant.rawValue)"
        let output = "\(folder)/\(name)-\(key.hex)"
        if FileManager.default.isExecutableFile(atPath: output) { return output }
        let libraries = archive.map { [$0] } ?? []
        try CacheSlot(path: output).fill { temp in
            let result: ProcessResult
            if variant == .muslStaticPie {
                // Debian's musl-gcc -static-pie silently makes a dynamic binary;
                // link a real static PIE by hand: rcrt1.o, -static -pie, no loader.
                let lib = muslSysroot?.libDirectory ?? "/usr/lib/x86_64-linux-musl"
                let objects = try compile(absSources, with: cc, flags: cflags, into: temp)
                defer { objects.forEach { try? FileManager.default.removeItem(atPath: $0) } }
                let gccLib = (try? ProcessRunner.run("gcc", ["-print-libgcc-file-name"]).stdout
                    .trimmingCharacters(in: .whitespacesAndNewlines)) ?? "-lgcc"
                result = try ProcessRunner.run("ld", ["-static", "-pie", "--no-dynamic-linker", "-z", "text", "-o", temp,
                                                      "\(lib)/rcrt1.o", "\(lib)/crti.o"] + objects + libraries
                                               + ["-L\(lib)", "-lc", gccLib, "\(lib)/crtn.o"] + (strip ? ["-s"] : []),
                                               timeout: 120)
            } else {
                result = try ProcessRunner.run(cc, cflags + linkFlags + absSources + libraries + ["-o", temp] + extraFlags,
                                               timeout: 300)
            }
            guard result.succeeded else { throw CBuildError.compileFailed("\(name) (\(variant.rawValue))", result.stderr) }
        }
        return output
    }

    /// CShim's probe-side C compiled for one variant into a static archive,
    /// cached by the content hash of its sources, headers and flags.
    func shimArchive(_ variant: CVariant, muslSysroot given: Sysroot? = nil) throws -> String {
        let muslSysroot = try given ?? defaultMuslSysroot(for: variant)
        let cc = try muslSysroot.map(\.muslGCC) ?? compiler(for: variant)
        let shim = CShimSources(projectRoot: projectRoot)
        let sources = shim.files(withSuffix: ".c")
        let flags = compileFlags(variant, muslVersion: muslSysroot?.muslVersion)
        var key = Hasher.Stable()
        for path in sources + headerFiles() + shim.files(withSuffix: ".h") {
            key.add(path); key.add(FileManager.default.contents(atPath: path) ?? Data())
        }
        key.add((flags + [cc]).joined(separator: " "))
        let folder = "\(cacheDirectory)/\(variant.rawValue)"
        let archive = "\(folder)/libcshim-\(key.hex).a"
        // Several suites ask for the same archive at once: one builds it, under unique names.
        return try CacheSlot(path: archive).fill { temp in
            let objects = try compile(sources, with: cc, flags: flags, into: temp)
            defer { objects.forEach { try? FileManager.default.removeItem(atPath: $0) } }
            let r = try ProcessRunner.run("ar", ["rcs", temp] + objects, timeout: 120)
            guard r.succeeded else { throw CBuildError.compileFailed("libcshim.a (\(variant.rawValue))", r.stderr) }
        }
    }

    /// The default musl's sysroot for a musl variant, when that musl is not
    /// the system's musl-dev: Debian's musl-gcc (musl-tools) compiles against
    /// musl-dev, so any other default needs its sysroot's musl-gcc. nil for
    /// glibc and for musl-dev, which `compiler(for:)` covers.
    /// Prepared once per project root and process: every C program and shim
    /// archive asks, and `Sysroot.prepare` hashes the recipe's inputs each time.
    func defaultMuslSysroot(for variant: CVariant) throws -> Sysroot? {
        guard variant.libc == "musl", MuslSource.defaultSource != .debianPackage else { return nil }
        return try DefaultSysroots.shared.sysroot(projectRoot: projectRoot)
    }

    private func compiler(for variant: CVariant) throws -> String {
        let cc = variant.libc == "musl" ? "musl-gcc" : "gcc"
        let package = cc == "musl-gcc" ? "musl-tools" : "gcc"
        // Installed when missing (as root), as the build engine does for its tools.
        guard (try? SystemPackages.ensure(cc, package: package)) != nil else {
            throw CBuildError.compilerMissing(cc, package: package)
        }
        return cc
    }

    private func compileFlags(_ variant: CVariant, muslVersion: String? = nil) -> [String] {
        var flags = ["-O2", "-g", "-std=gnu11"] + CShimSources(projectRoot: projectRoot).includeFolders.flatMap { ["-I", $0] }
            + ["-D_GNU_SOURCE", "-pthread"]
        if variant.libc == "musl" { flags.append("-DCSHIM_MUSL_VERSION=\"\(muslVersion ?? ToolchainVersions.installedMuslVersion())\"") }
        if variant == .glibcStaticPie || variant == .muslStaticPie { flags.append("-fPIE") }
        return flags
    }

    /// Compiles each source to `<prefix>.<i>.o`; returns the object paths.
    private func compile(_ sources: [String], with cc: String, flags: [String], into prefix: String) throws -> [String] {
        try sources.enumerated().map { (i, source) -> String in
            let object = "\(prefix).\(i).o"
            let r = try ProcessRunner.run(cc, flags + ["-c", source, "-o", object], timeout: 120)
            guard r.succeeded else { throw CBuildError.compileFailed(source, r.stderr) }
            return object
        }
    }

    /// The public headers a C probe can include: part of every cache key.
    private func headerFiles() -> [String] {
        CShimSources(projectRoot: projectRoot).includeFolders.flatMap { dir in
            ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted().map { "\(dir)/\($0)" }
        }
    }
}

/// The C of CShim that probes link (Package.swift's CShimPlatform and
/// CShimProbe targets; CShimSockets is the kit's and never in a probe).
/// The C probes get it as one archive, as the Swift probes get it from SwiftPM.
struct CShimSources {
    var projectRoot: String
    /// Relative to the project root, in link order.
    static let probeFolders = ["CShim/platform", "CShim/probe"]

    var folders: [String] { Self.probeFolders.map { projectRoot + "/" + $0 } }
    var includeFolders: [String] { folders.map { $0 + "/include" } }

    /// Every file of the folders (not their include/) ending in `suffix`, sorted per folder.
    func files(withSuffix suffix: String) -> [String] {
        folders.flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
                .filter { $0.hasSuffix(suffix) }.sorted().map { "\(folder)/\($0)" }
        }
    }
}

extension Hasher {
    /// FNV-1a 64: stable across processes (Swift's Hasher is seeded).
    struct Stable {
        private var state: UInt64 = 0xcbf2_9ce4_8422_2325
        mutating func add(_ data: Data) { for b in data { state = (state ^ UInt64(b)) &* 0x100_0000_01b3 } }
        mutating func add(_ s: String) { add(Data(s.utf8)); add(Data([0])) }
        var hex: String { String(state, radix: 16) }
    }
}

/// `CProgramBuilder.defaultMuslSysroot`'s per-process memo, by project root.
private final class DefaultSysroots: @unchecked Sendable {
    static let shared = DefaultSysroots()
    private let lock = NSLock()
    private var prepared: [String: Sysroot] = [:]

    func sysroot(projectRoot: String) throws -> Sysroot {
        lock.lock(); defer { lock.unlock() }
        if let known = prepared[projectRoot], FileManager.default.fileExists(atPath: known.metadataFile) { return known }
        let sysroot = try Sysroot.prepare(projectRoot: projectRoot, musl: MuslSource.defaultSource)
        prepared[projectRoot] = sysroot
        return sysroot
    }
}
