import Foundation

/// The C-only probe variants. Raw values are the variant names the suites
/// print ("c-glibc-dynamic", …).
public enum CVariant: String, Codable, CaseIterable, Sendable {
    case glibcDynamic = "c-glibc-dynamic"     // gcc
    case glibcStatic = "c-glibc-static"       // gcc -static
    case muslStatic = "c-musl-static"         // musl-gcc -static
    case muslStaticPie = "c-musl-static-pie"  // musl-gcc, linked by hand with rcrt1.o
    case glibcStaticPie = "c-glibc-static-pie" // gcc -static-pie

    public var libc: String { rawValue.contains("musl") ? "musl" : "glibc" }
}

public enum CBuildError: Error, CustomStringConvertible {
    case compilerMissing(String, package: String)
    case compileFailed(String, String)

    public var description: String {
        switch self {
        case .compilerMissing(let cc, let package):
            return "\(cc) is missing: install the Debian package '\(package)' (toolchain/build-static.sh does this when run as root)"
        case .compileFailed(let what, let log): return "compiling \(what) failed:\n\(log)"
        }
    }
}

/// Compiles a standalone C program from Probes/programs (plus CShim/src
/// files it needs) for one libc. Outputs are cached by content hash under
/// `cacheDirectory`, so suites can ask for them freely.
public struct CProgramBuilder: Sendable {
    public var projectRoot: String
    public var cacheDirectory: String

    public init(projectRoot: String, cacheDirectory: String? = nil) {
        self.projectRoot = projectRoot
        self.cacheDirectory = cacheDirectory ?? projectRoot + "/.build-static/c-programs"
    }

    /// - Parameters:
    ///   - sources: paths relative to the project root (e.g. "Probes/programs/dns_probe.c").
    ///   - extraFlags: added to the link line (e.g. ["-lpthread"]).
    ///   - withShim: link CShim/src (the cshim_ library the Swift bindings use)
    ///     as a static archive, so a program gets only the members it calls,
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

    /// CShim/src compiled for one variant into a static archive, cached by
    /// the content hash of its sources, headers and flags.
    func shimArchive(_ variant: CVariant, muslSysroot given: Sysroot? = nil) throws -> String {
        let muslSysroot = try given ?? defaultMuslSysroot(for: variant)
        let cc = try muslSysroot.map(\.muslGCC) ?? compiler(for: variant)
        let src = projectRoot + "/CShim/src"
        let sources = ((try? FileManager.default.contentsOfDirectory(atPath: src)) ?? [])
            .filter { $0.hasSuffix(".c") }.sorted().map { "\(src)/\($0)" }
        let flags = compileFlags(variant, muslVersion: muslSysroot?.muslVersion)
        var key = Hasher.Stable()
        for path in sources + headerFiles() + privateHeaders(src) {
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
        var flags = ["-O2", "-g", "-std=gnu11", "-I", projectRoot + "/CShim/include", "-D_GNU_SOURCE", "-pthread"]
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

    private func privateHeaders(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".h") }.sorted()
            .map { "\(folder)/\($0)" }
    }

    private func headerFiles() -> [String] {
        let dir = projectRoot + "/CShim/include"
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted().map { "\(dir)/\($0)" }
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
