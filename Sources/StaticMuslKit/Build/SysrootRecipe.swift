import Foundation

/// Where a sysroot's musl (headers, start files, libc.a) comes from.
///
/// - `.debianPackage`: the system's musl-dev (bookworm: 1.2.3).
/// - `.debianSource(version:)`: Debian's source package of another release
///   (1.2.5, the default: trixie's, as the Static Linux SDK ships it), with
///   Debian's patches, built here once into a folder cached by its inputs
///   (`MuslSourceBuild`). Both resolve to the same `ResolvedMusl`; the rest
///   of the recipe is unchanged.
public enum MuslSource: Sendable, Hashable, CustomStringConvertible {
    /// The system's musl-dev package: /usr/include/<arch>-linux-musl and /usr/lib/<arch>-linux-musl.
    case debianPackage
    /// musl VERSION built here from a Debian source package (`MuslSourcePackage.known`).
    case debianSource(version: String)

    /// What `--musl` accepts, oldest first.
    public static let versions = ["1.2.3"] + MuslSourcePackage.known.map(\.version)
    /// The default (`--musl` not given): what the Static Linux SDK, Rust's
    /// musl targets and Alpine ship. Switching it re-measures every suite.
    public static let defaultVersion = "1.2.5"
    /// The musl the suites measure beside the default, as a column of its
    /// own: every version but the default. The suites' names for it
    /// ("c-musl-<version>-static", "musl-<version>-static", the report's
    /// "musl-<version>") come from here, so switching the default swaps the
    /// two without renaming anything.
    public static let otherVersions = versions.filter { $0 != defaultVersion }
    /// The default version's source.
    public static var defaultSource: MuslSource { MuslSource(version: defaultVersion) ?? .debianPackage }
    /// `--musl`'s help: each version with where it comes from, and the default.
    public static var versionsHelp: String {
        versions.map { v in
            let origin = MuslSourcePackage.known.first { $0.version == v }.map { "Debian \($0.suite)'s source package, built here once" }
                ?? "Debian's musl-dev"
            return "\(v) (\(origin)\(v == defaultVersion ? ", the default" : ""))"
        }.joined(separator: " or ")
    }
    /// The one other version while `versions` holds two (the DNS and malloc
    /// suites' variant tables have one slot for it).
    public static var otherVersion: String { otherVersions.first ?? defaultVersion }

    /// "1.2.3": bookworm's musl-dev; a version in `MuslSourcePackage.known`
    /// (1.2.5): that source package, built here. nil for anything else.
    public init?(version: String) {
        if version == "1.2.3" { self = .debianPackage; return }
        guard MuslSourcePackage.known.contains(where: { $0.version == version }) else { return nil }
        self = .debianSource(version: version)
    }

    /// As `init?(version:)`, or `SysrootError.unknownMuslVersion` naming the choices.
    public static func named(_ version: String) throws -> MuslSource {
        guard let source = MuslSource(version: version) else {
            throw SysrootError.unknownMuslVersion(version, choices: versions)
        }
        return source
    }

    /// Stable spelling for metadata and keys.
    public var kind: String {
        switch self {
        case .debianPackage: return "debian-package"
        case .debianSource: return "debian-source"
        }
    }

    public var description: String {
        switch self {
        case .debianPackage: return "the Debian package musl-dev"
        case .debianSource(let version):
            guard let package = MuslSourcePackage.known.first(where: { $0.version == version }) else {
                return "musl \(version) from a Debian source package"
            }
            return "the Debian source package musl \(package.debianVersion) (\(package.suite)), built here"
        }
    }

    /// Finds the files this source provides on this machine (installing
    /// musl-dev as root when it is missing; building musl from Debian's
    /// source package once, under `<projectRoot>/.build-static/musl`) and
    /// names their version.
    public func resolve(architecture: SysrootArchitecture = .host, projectRoot: String,
                        gcc: HostGCC? = nil) throws -> ResolvedMusl {
        switch self {
        case .debianPackage:
            let lib = "/usr/lib/\(architecture.muslTriple)"
            let include = "/usr/include/\(architecture.muslTriple)"
            try SysrootPackages.ensureFile(lib + "/libc.a", package: "musl-dev")
            try SysrootPackages.ensureFile(include + "/stdio.h", package: "musl-dev")
            let packageVersion = try SysrootPackages.installedVersion(of: "musl-dev")
            return ResolvedMusl(source: self, version: SysrootPackages.upstreamVersion(packageVersion),
                                origin: "Debian package musl-dev \(packageVersion)", packageVersion: packageVersion,
                                includeDirectory: include, libDirectory: lib)
        case .debianSource(let version):
            guard let package = MuslSourcePackage.known.first(where: { $0.version == version }) else {
                throw SysrootError.unknownMuslVersion(version, choices: Self.versions)
            }
            let build = MuslSourceBuild(package: package, architecture: architecture, projectRoot: projectRoot,
                                        gcc: try gcc ?? HostGCC.resolve(architecture: architecture))
            let record = try build.prepare()
            return ResolvedMusl(source: self, version: package.version, origin: package.origin,
                                packageVersion: package.debianVersion,
                                includeDirectory: build.directory + "/include", libDirectory: build.directory + "/lib",
                                suite: package.suite, buildDirectory: build.directory, buildSeconds: record.buildSeconds)
        }
    }
}

/// A musl source, resolved to folders on this machine.
public struct ResolvedMusl: Sendable, Equatable {
    public var source: MuslSource
    /// The upstream version, e.g. "1.2.3".
    public var version: String
    /// For people and metadata: e.g. "Debian package musl-dev 1.2.3-1",
    /// "Debian source package musl 1.2.5-3.1~deb13u1 (trixie), built here".
    public var origin: String
    public var packageVersion: String
    /// Holds musl's headers (stdio.h, sys/, bits/, …).
    public var includeDirectory: String
    /// Holds libc.a, the other .a files and the crt*.o start files.
    public var libDirectory: String
    /// The Debian release of a source package ("trixie"); nil for musl-dev.
    public var suite: String? = nil
    /// Where a source package was built (`MuslSourceBuild.directory`); nil for musl-dev.
    public var buildDirectory: String? = nil
    /// How long that build took when it was made (fetch excluded).
    public var buildSeconds: Double? = nil

    public var libcArchive: String { libDirectory + "/libc.a" }
}

/// A Debian source package of musl that `--musl VERSION` builds here. The
/// Debian version is pinned: the same request gives the same source
/// everywhere, and a new Debian revision is a reviewed change of this table.
public struct MuslSourcePackage: Sendable, Hashable {
    /// The upstream version, e.g. "1.2.5".
    public var version: String
    /// The Debian source version, e.g. "1.2.5-3.1~deb13u1".
    public var debianVersion: String
    /// The Debian release that lists it, e.g. "trixie".
    public var suite: String

    public static let known = [
        MuslSourcePackage(version: "1.2.5", debianVersion: "1.2.5-3.1~deb13u1", suite: "trixie"),
    ]

    /// "Debian source package musl 1.2.5-3.1~deb13u1 (trixie), built here".
    public var origin: String { "Debian source package musl \(debianVersion) (\(suite)), built here" }
}

/// `<dir>/musl-build.json`: what a musl build from source holds and how it was made.
public struct MuslBuildRecord: Codable, Sendable, Equatable, PrettyJSONEncodable {
    public var version: String
    public var debianVersion: String
    public var suite: String
    public var source: String
    public var key: String
    /// Every input of the key, by name.
    public var inputs: [String: String]
    /// `./configure` as it ran, relative to the source copy.
    public var configure: [String]
    /// Debian's debian/rules steps repeated here (musl-fts added, crypt removed).
    public var debianSteps: [String]
    /// Seconds to fetch (and unpack) the source package; 0 when it was already unpacked.
    public var fetchSeconds: Double
    /// Seconds for configure, make and make install.
    public var buildSeconds: Double
    public var createdAt: String
    public var libcSha256: String

    enum CodingKeys: String, CodingKey {
        case version, debianVersion = "debian_version", suite, source, key, inputs, configure
        case debianSteps = "debian_steps", fetchSeconds = "fetch_seconds", buildSeconds = "build_seconds"
        case createdAt = "created_at", libcSha256 = "libc_sha256"
    }
}

/// Builds musl from Debian's source package (Debian's patches applied by
/// `dpkg-source -x`, through `DebianSource`) into
///
///     <projectRoot>/.build-static/musl/musl-<version>-<key16>/
///         include/  lib/ (libc.a, crt*.o, the empty libm.a …)  musl-build.json  build.log
///
/// once per key (recipe version, Debian version and release, configure
/// arguments, gcc, architecture), under CacheSlot's lock, in a temporary
/// folder renamed into place.
public struct MuslSourceBuild: Sendable {
    public var package: MuslSourcePackage
    public var architecture: SysrootArchitecture
    public var projectRoot: String
    public var gcc: HostGCC

    /// Bump when the steps below change: it is part of the key.
    public static let recipeVersion = 1

    public init(package: MuslSourcePackage, architecture: SysrootArchitecture, projectRoot: String, gcc: HostGCC) {
        self.package = package; self.architecture = architecture; self.projectRoot = projectRoot; self.gcc = gcc
    }

    /// Upstream's configure, static only; the prefix is added at build time.
    /// No `musl-gcc` wrapper: the sysroot writes its own.
    public var configureArguments: [String] { ["CC=gcc", "--disable-shared", "--disable-wrapper"] }

    /// debian/rules' steps that change what musl-dev holds, repeated here:
    /// Debian adds musl-fts (fts.h, fts_open …, which CShim/compat wraps) and
    /// removes crypt.h and libcrypt.a.
    public static let debianSteps = ["copy_fts: debian/musl-fts/{fts.c,config.h} -> src/fts/, fts.h -> include/",
                                     "rm include/crypt.h lib/libcrypt.a"]

    public var inputs: [String: String] {
        [
            "recipe": String(Self.recipeVersion),
            "package": "musl",
            "debian_version": package.debianVersion,
            "suite": package.suite,
            "configure": configureArguments.joined(separator: " "),
            "debian_steps": Self.debianSteps.joined(separator: "; "),
            "gcc.version": gcc.version,
            "gcc.target": gcc.target,
            "architecture": architecture.name,
        ]
    }

    public var key: String {
        SysrootSHA256.hex(inputs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)\n" }.joined())
    }

    /// `<projectRoot>/.build-static/musl/musl-<version>-<first 16 hex of key>`.
    public var directory: String {
        (projectRoot as NSString).appendingPathComponent(".build-static/musl/musl-\(package.version)-\(key.prefix(16))")
    }

    public var recordFile: String { directory + "/musl-build.json" }

    /// The build's record, building it first when the cache lacks it.
    public func prepare() throws -> MuslBuildRecord {
        if let record = complete() { return record }
        let fm = FileManager.default
        if fm.fileExists(atPath: directory) {
            // Incomplete (emptied by hand): move it aside, never build over it.
            let aside = directory + ".tmp-stale-\(UUID().uuidString)"
            if rename(directory, aside) == 0 { try? fm.removeItem(atPath: aside) }
        }
        do {
            try CacheSlot(path: directory).fill { temporary in try build(into: temporary) }
        } catch let error as SysrootError {
            throw error
        } catch {
            throw SysrootError.unwritable(path: directory, reason: "\(error)")
        }
        guard let record = complete() else {
            throw SysrootError.muslBuildFailed(step: "check", command: directory,
                                               output: "the finished build has no musl-build.json or lib/libc.a: delete \(directory) and try again")
        }
        return record
    }

    private func complete() -> MuslBuildRecord? {
        guard let data = FileManager.default.contents(atPath: recordFile),
              let record = try? JSONCoding.decode(MuslBuildRecord.self, from: data), record.key == key,
              FileManager.default.fileExists(atPath: directory + "/lib/libc.a"),
              FileManager.default.fileExists(atPath: directory + "/include/stdio.h") else { return nil }
        return record
    }

    /// Fetch, copy, Debian's steps, configure, make, make install, under the lock.
    private func build(into root: String) throws {
        let fm = FileManager.default
        removeAbandoned(keeping: root)
        try SysrootPackages.ensureTool("make", package: "make")
        try SysrootPackages.ensureTool("gcc", package: "gcc")
        try makeDirectory(root)
        note("building musl \(package.version) from \(package.origin.replacingOccurrences(of: ", built here", with: "")) into \(directory) (about 40 s on 2 cores)")

        // The source: Debian's musl=VERSION from SUITE, unpacked under .build-static/sources.
        let fetchStart = Date()
        let sources = (projectRoot as NSString).appendingPathComponent(".build-static/sources")
        let tree: String
        do { tree = try DebianSource("musl=\(package.debianVersion)", suite: package.suite).fetch(into: sources) } catch {
            throw SysrootError.muslSourceUnavailable(package: "musl=\(package.debianVersion)", suite: package.suite, reason: "\(error)")
        }
        guard fm.fileExists(atPath: tree + "/configure") else {
            throw SysrootError.muslSourceUnavailable(package: "musl=\(package.debianVersion)", suite: package.suite,
                                                     reason: "\(tree) has no configure script")
        }
        let fetchSeconds = Self.rounded(Date().timeIntervalSince(fetchStart))

        // A private copy: the unpacked tree stays as Debian ships it.
        let buildStart = Date()
        let src = root + "/src"
        do { try fm.copyItem(atPath: tree, toPath: src) } catch {
            throw SysrootError.unwritable(path: src, reason: "cannot copy \(tree): \(error)")
        }
        let upstream = (try? String(contentsOfFile: src + "/VERSION", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
        guard upstream == package.version else {
            throw SysrootError.muslBuildFailed(step: "VERSION", command: tree + "/VERSION",
                                               output: "the source says musl \(upstream), the recipe wants \(package.version)")
        }
        // debian/rules' copy_fts.
        let fts = src + "/debian/musl-fts"
        for file in ["fts.c", "config.h", "fts.h"] where !fm.fileExists(atPath: fts + "/" + file) {
            throw SysrootError.muslBuildFailed(step: "copy_fts", command: fts + "/" + file,
                                               output: "Debian's musl-fts is missing from the source package")
        }
        try makeDirectory(src + "/src/fts")
        try copy(fts + "/fts.c", to: src + "/src/fts/fts.c")
        try copy(fts + "/config.h", to: src + "/src/fts/config.h")
        try copy(fts + "/fts.h", to: src + "/include/fts.h")

        var log = ""
        let env = ["PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C",
                   "HOME": ProcessInfo.processInfo.environment["HOME"] ?? "/root"]
        func step(_ name: String, _ tool: String, _ args: [String], timeout: Double) throws {
            let command = ([tool] + args).joined(separator: " ")
            log += "$ \(command)\n"
            let r: ProcessResult
            do { r = try ProcessRunner.run(tool, args, environment: env, currentDirectory: src, timeout: timeout) } catch {
                throw SysrootError.muslBuildFailed(step: name, command: command, output: "\(error)")
            }
            log += r.stdout + r.stderr
            try? Data(log.utf8).write(to: URL(fileURLWithPath: root + "/build.log"))
            guard r.succeeded else {
                throw SysrootError.muslBuildFailed(step: name, command: command,
                                                   output: r.timedOut ? "timed out after \(Int(timeout)) s" : r.stdout + r.stderr)
            }
        }
        let jobs = max(1, ProcessInfo.processInfo.activeProcessorCount)
        try step("configure", "/bin/sh", ["./configure"] + configureArguments + ["--prefix=\(root)"], timeout: 300)
        try step("make", "make", ["-j\(jobs)"], timeout: 3600)
        try step("make install", "make", ["install"], timeout: 600)
        // debian/rules: execute_after_dh_auto_install.
        for removed in ["/include/crypt.h", "/lib/libcrypt.a"] { try? fm.removeItem(atPath: root + removed) }
        try? fm.removeItem(atPath: src)
        let libc = root + "/lib/libc.a"
        for file in SysrootBuilder.startFiles + ["libc.a"] where !fm.fileExists(atPath: root + "/lib/" + file) {
            throw SysrootError.muslBuildFailed(step: "make install", command: "make install",
                                               output: "\(root)/lib/\(file) was not installed")
        }
        let buildSeconds = Self.rounded(Date().timeIntervalSince(buildStart))
        let record = MuslBuildRecord(version: package.version, debianVersion: package.debianVersion, suite: package.suite,
                                     source: package.origin, key: key, inputs: inputs,
                                     configure: ["./configure"] + configureArguments + ["--prefix=<this folder>"],
                                     debianSteps: Self.debianSteps, fetchSeconds: fetchSeconds, buildSeconds: buildSeconds,
                                     createdAt: SysrootBuilder.timestamp(buildStart), libcSha256: try SysrootSHA256.hex(fileAt: libc))
        do { try record.jsonData().write(to: URL(fileURLWithPath: root + "/musl-build.json")) } catch {
            throw SysrootError.unwritable(path: root + "/musl-build.json", reason: "\(error)")
        }
        note("musl \(package.version) built in \(buildSeconds) s (fetch \(fetchSeconds) s)")
    }

    /// `<directory>.tmp-*` left by a killed build; called under the lock.
    private func removeAbandoned(keeping current: String) {
        let parent = (directory as NSString).deletingLastPathComponent
        let prefix = (directory as NSString).lastPathComponent + ".tmp-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
        where name.hasPrefix(prefix) && parent + "/" + name != current {
            try? FileManager.default.removeItem(atPath: parent + "/" + name)
        }
    }

    private func note(_ text: String) {
        FileHandle.standardError.write(Data("[static-musl] \(text)\n".utf8))
    }

    private func makeDirectory(_ path: String) throws {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw SysrootError.unwritable(path: path, reason: "\(error)")
        }
    }

    private func copy(_ source: String, to destination: String) throws {
        do { try FileManager.default.copyItem(atPath: source, toPath: destination) } catch {
            throw SysrootError.unwritable(path: destination, reason: "cannot copy \(source): \(error)")
        }
    }

    static func rounded(_ seconds: Double) -> Double { (seconds * 10).rounded() / 10 }
}

/// The target the sysroot is for; the host's today.
public struct SysrootArchitecture: Sendable, Hashable {
    public var name: String     // "x86_64"

    public static var host: SysrootArchitecture {
        #if arch(x86_64)
        return SysrootArchitecture(name: "x86_64")
        #elseif arch(arm64)
        return SysrootArchitecture(name: "aarch64")
        #else
        return SysrootArchitecture(name: "unknown")
        #endif
    }

    public var muslTriple: String { "\(name)-linux-musl" }
    public var gnuTriple: String { "\(name)-linux-gnu" }
    public var muslLoader: String { "/lib/ld-musl-\(name).so.1" }
}

/// The kernel's userspace headers (Debian's linux-libc-dev), copied next to
/// musl's: musl-dev does not ship them, and Swift's Glibc module map and
/// programs such as vsock users include <linux/…>.
public struct KernelHeaders: Sendable, Equatable {
    public struct Folder: Sendable, Equatable {
        public var source: String       // "/usr/include/x86_64-linux-gnu/asm"
        public var destination: String  // "asm" (under usr/include)
    }
    public var packageVersion: String
    public var folders: [Folder]

    public static func resolve(architecture: SysrootArchitecture = .host) throws -> KernelHeaders {
        try SysrootPackages.ensureFile("/usr/include/linux/version.h", package: "linux-libc-dev")
        let folders = [
            Folder(source: "/usr/include/linux", destination: "linux"),
            Folder(source: "/usr/include/\(architecture.gnuTriple)/asm", destination: "asm"),
            Folder(source: "/usr/include/asm-generic", destination: "asm-generic"),
        ]
        for folder in folders where !FileManager.default.fileExists(atPath: folder.source) {
            throw SysrootError.missingPackage(package: "linux-libc-dev", needed: folder.source,
                                              reason: "the kernel headers have no \(folder.destination)/ folder")
        }
        return KernelHeaders(packageVersion: try SysrootPackages.installedVersion(of: "linux-libc-dev"), folders: folders)
    }
}

/// The host gcc the sysroot's musl-gcc wraps (as Debian's musl-gcc does).
public struct HostGCC: Sendable, Equatable {
    public var path: String
    public var version: String
    public var target: String

    public static func resolve(architecture: SysrootArchitecture = .host) throws -> HostGCC {
        let path: String
        if let triplet = ProcessRunner.which("\(architecture.gnuTriple)-gcc") { path = triplet } else {
            path = try SysrootPackages.ensureTool("gcc", package: "gcc")
        }
        func ask(_ flag: String) throws -> String {
            let r = try SysrootPackages.run(path, [flag])
            return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return HostGCC(path: path, version: try ask("-dumpfullversion"), target: try ask("-dumpmachine"))
    }
}

/// CShim/compat: glibc-only symbols for musl links, one symbol per file.
public struct CompatSources: Sendable, Equatable {
    public struct Source: Sendable, Equatable {
        public var path: String        // absolute
        public var relativePath: String // "arc4random.c", "lfs64/fstat64.c"
        public var member: String       // "arc4random.o", "lfs64-fstat64.o"
    }
    /// The folder (<projectRoot>/CShim/compat).
    public var directory: String
    /// Top-level *.c: always in the archive.
    public var members: [Source]
    /// lfs64/*.c: in the archive only when libc.a lacks the LFS64 symbols.
    public var lfs64Members: [Source]
    /// Every file under the folder (sources, headers) with its SHA-256: the key's input.
    public var fileHashes: [String: String]
    /// The `-Wl,--wrap=SYMBOL` flags the sources ask for, sorted, unique.
    public var wrapFlags: [String]

    /// The flags every member is compiled with.
    public static let cflags = ["-O2", "-fPIC", "-std=gnu11"]

    public static func scan(projectRoot: String) throws -> CompatSources {
        let directory = (projectRoot as NSString).appendingPathComponent("CShim/compat")
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue,
              let enumerator = fm.enumerator(atPath: directory) else {
            throw SysrootError.compatSourcesMissing(path: directory)
        }
        var hashes: [String: String] = [:]
        var members: [Source] = [], lfs64: [Source] = []
        var wraps = Set<String>()
        while let relative = enumerator.nextObject() as? String {
            let path = directory + "/" + relative
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else { continue }
            guard let bytes = fm.contents(atPath: path) else {
                throw SysrootError.unreadable(path: path, reason: "cannot read a CShim/compat file")
            }
            hashes[relative] = SysrootSHA256.hex(bytes)
            guard relative.hasSuffix(".c") else { continue }
            let components = relative.split(separator: "/")
            let stem = String((String(components.last ?? "") as NSString).deletingPathExtension)
            if components.count == 1 {
                members.append(Source(path: path, relativePath: relative, member: stem + ".o"))
                wraps.formUnion(Self.wrapFlags(in: String(decoding: bytes, as: UTF8.self)))
            } else if components.count == 2, components[0] == "lfs64" {
                lfs64.append(Source(path: path, relativePath: relative, member: "lfs64-" + stem + ".o"))
            }
        }
        guard !members.isEmpty else { throw SysrootError.compatSourcesMissing(path: directory) }
        return CompatSources(directory: directory,
                             members: members.sorted { $0.member < $1.member },
                             lfs64Members: lfs64.sorted { $0.member < $1.member },
                             fileHashes: hashes, wrapFlags: wraps.sorted())
    }

    /// `link: -Wl,--wrap=SYMBOL` comments (replaces the shell compat_link_flags).
    static func wrapFlags(in text: String) -> [String] {
        var flags: [String] = []
        var rest = Substring(text)
        while let range = rest.range(of: "link: -Wl,--wrap=") {
            let symbol = rest[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            if !symbol.isEmpty, symbol.allSatisfy(\.isASCII) { flags.append("-Wl,--wrap=" + symbol) }
            rest = rest[range.upperBound...]
        }
        return flags
    }
}

/// Everything a sysroot is made from, resolved on this machine. Its `key`
/// is the SHA-256 of `inputs`; equal inputs give the same sysroot folder.
public struct SysrootRecipe: Sendable {
    public var architecture: SysrootArchitecture
    public var musl: ResolvedMusl
    public var libcSha256: String
    public var kernelHeaders: KernelHeaders
    public var gcc: HostGCC
    public var compat: CompatSources
    /// libstdc++'s headers, adapted for musl (SysrootCxx.swift).
    public var cxx: LibstdcxxHeaders
    /// The libc.a the LFS64 check reads (the musl source's, unless a test overrides it).
    public var lfs64CheckLibc: String
    /// True when that libc.a lacks `fstat64`: CShim/compat/lfs64 joins the archive.
    public var needsLFS64: Bool

    public static func resolve(projectRoot: String, musl source: MuslSource,
                               libcArchiveOverride: String? = nil) throws -> SysrootRecipe {
        let architecture = SysrootArchitecture.host
        let compat = try CompatSources.scan(projectRoot: projectRoot)
        try SysrootPackages.ensureTool("ar", package: "binutils")
        try SysrootPackages.ensureTool("nm", package: "binutils")
        let gcc = try HostGCC.resolve(architecture: architecture)
        let musl = try source.resolve(architecture: architecture, projectRoot: projectRoot, gcc: gcc)
        let kernel = try KernelHeaders.resolve(architecture: architecture)
        let cxx = try LibstdcxxHeaders.resolve(gcc: gcc, architecture: architecture)
        let checked = libcArchiveOverride ?? musl.libcArchive
        return SysrootRecipe(architecture: architecture, musl: musl,
                             libcSha256: try SysrootSHA256.hex(fileAt: musl.libcArchive),
                             kernelHeaders: kernel, gcc: gcc, compat: compat, cxx: cxx,
                             lfs64CheckLibc: checked, needsLFS64: try !Self.defines("fstat64", archive: checked))
    }

    /// The LFS64 configure step: does this libc.a define SYMBOL (T or W)?
    /// musl >= 1.2.4 dropped the LFS64 link symbols (stat64, lseek64, …).
    /// Reads the archive's symbol index (GNU ar lists every defined global
    /// and weak symbol there); an archive without one goes to `nm`.
    static func defines(_ symbol: String, archive: String) throws -> Bool {
        guard FileManager.default.isReadableFile(atPath: archive) else {
            throw SysrootError.unreadable(path: archive, reason: "the LFS64 check needs a libc.a")
        }
        if let index = try ArchiveSymbolIndex.read(archive) { return index.contains(symbol) }
        let r = try SysrootPackages.run("nm", [archive], allowFailure: true)
        return r.stdout.split(separator: "\n").contains { line in
            line.hasSuffix(" " + symbol) && (line.contains(" T ") || line.contains(" W "))
        }
    }

    /// The key's inputs by name. Changing any of them changes the key.
    public var inputs: [String: String] {
        var inputs: [String: String] = [
            "recipe.schema": String(SysrootMetadata.currentSchemaVersion),
            "architecture": architecture.name,
            "musl.source": musl.source.kind,
            "musl.origin": musl.origin,
            "musl.libc_sha256": libcSha256,
            "kernel_headers.linux-libc-dev": kernelHeaders.packageVersion,
            "kernel_headers.folders": kernelHeaders.folders.map(\.destination).joined(separator: ","),
            "gcc.version": gcc.version,
            "gcc.target": gcc.target,
            "compat.cflags": CompatSources.cflags.joined(separator: " "),
            "compat.lfs64": needsLFS64 ? "yes" : "no",
            "cxx.\(cxx.package)": cxx.packageVersion,
            "cxx.overlay": String(LibstdcxxHeaders.overlayVersion),
        ]
        for (path, hash) in compat.fileHashes { inputs["compat.file:" + path] = hash }
        return inputs
    }

    /// SHA-256 over the sorted `name=value` lines of `inputs`.
    public var key: String {
        SysrootSHA256.hex(inputs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)\n" }.joined())
    }

    /// `musl-<version>-<first 16 hex of key>`.
    public var folderName: String { "musl-\(musl.version)-\(key.prefix(16))" }

    /// The members libcshim_compat.a gets, in archive order.
    public var archiveMembers: [CompatSources.Source] {
        compat.members + (needsLFS64 ? compat.lfs64Members : [])
    }
}

/// Debian packages the recipe needs: present, installed as root, or an
/// error naming the package.
enum SysrootPackages {
    private static let lock = NSLock()

    @discardableResult
    static func ensureTool(_ tool: String, package: String) throws -> String {
        do { return try SystemPackages.ensure(tool, package: package) } catch let missing as SystemPackages.Missing {
            throw SysrootError.missingPackage(package: package, needed: tool, reason: missing.why)
        }
    }

    static func ensureFile(_ path: String, package: String) throws {
        if FileManager.default.fileExists(atPath: path) { return }
        lock.lock(); defer { lock.unlock() }
        if FileManager.default.fileExists(atPath: path) { return }
        guard geteuid() == 0, ProcessRunner.which("apt-get") != nil else {
            throw SysrootError.missingPackage(package: package, needed: path, reason: "not root, or no apt-get: cannot install it here")
        }
        FileHandle.standardError.write(Data("[static-musl] \(path) is missing: installing the Debian package '\(package)'\n".utf8))
        let env = ["DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]
        var r = try ProcessRunner.run("apt-get", ["install", "-y", "-qq", package], environment: env, timeout: 900)
        if !r.succeeded {
            _ = try? ProcessRunner.run("apt-get", ["update", "-qq"], environment: env, timeout: 600)
            r = try ProcessRunner.run("apt-get", ["install", "-y", "-qq", package], environment: env, timeout: 900)
        }
        guard r.succeeded, FileManager.default.fileExists(atPath: path) else {
            throw SysrootError.missingPackage(package: package, needed: path,
                                              reason: "apt-get install failed: \(SysrootError.tail(r.stderr, lines: 1))")
        }
    }

    /// `dpkg-query -W -f '${Version}' PACKAGE`, e.g. "1.2.3-1".
    static func installedVersion(of package: String) throws -> String {
        guard ProcessRunner.which("dpkg-query") != nil else {
            throw SysrootError.packageVersionUnknown(package: package, reason: "dpkg-query is not on PATH (not a Debian system?)")
        }
        let r = try ProcessRunner.run("dpkg-query", ["-W", "-f", "${Version}", package], timeout: 30)
        let version = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard r.succeeded, !version.isEmpty else {
            throw SysrootError.packageVersionUnknown(package: package, reason: SysrootError.tail(r.stderr, lines: 1))
        }
        return version
    }

    /// "1.2.3-1" → "1.2.3"; "1:2.0-3" → "2.0".
    static func upstreamVersion(_ debianVersion: String) -> String {
        var v = Substring(debianVersion)
        if let colon = v.firstIndex(of: ":") { v = v[v.index(after: colon)...] }
        if let dash = v.lastIndex(of: "-") { v = v[..<dash] }
        return String(v)
    }

    /// Runs a tool; a non-zero exit is a `toolFailed` error naming the command.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String], currentDirectory: String? = nil,
                    allowFailure: Bool = false, timeout: Double = 300) throws -> ProcessResult {
        let r: ProcessResult
        do { r = try ProcessRunner.run(tool, arguments, currentDirectory: currentDirectory, timeout: timeout) } catch {
            throw SysrootError.toolFailed(command: ([tool] + arguments).joined(separator: " "), output: "\(error)")
        }
        if !allowFailure, !r.succeeded {
            throw SysrootError.toolFailed(command: ([tool] + arguments).joined(separator: " "),
                                          output: r.timedOut ? "timed out after \(Int(timeout)) s" : r.stdout + r.stderr)
        }
        return r
    }
}

/// The symbol index of a System V / GNU `ar` archive (its first member,
/// "/" or "/SYM64/"): the names of the symbols its members define.
enum ArchiveSymbolIndex {
    /// nil when the file has no symbol index (an empty archive, or one made without `s`).
    static func read(_ path: String) throws -> Set<String>? {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SysrootError.unreadable(path: path, reason: "cannot open it for reading")
        }
        defer { try? handle.close() }
        let header: Data
        do { header = try handle.read(upToCount: 68) ?? Data() } catch {
            throw SysrootError.unreadable(path: path, reason: "\(error)")
        }
        let bytes = [UInt8](header)
        guard bytes.count == 68, bytes.starts(with: Array("!<arch>\n".utf8)) else { return nil }
        let name = String(decoding: bytes[8..<24], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        let wide: Bool
        switch name {
        case "/": wide = false
        case "/SYM64/": wide = true
        default: return nil
        }
        guard let size = Int(String(decoding: bytes[56..<66], as: UTF8.self).trimmingCharacters(in: .whitespaces)),
              size > 0, bytes[66] == 0x60, bytes[67] == 0x0a else { return nil }
        let body: [UInt8]
        do { body = [UInt8](try handle.read(upToCount: size) ?? Data()) } catch {
            throw SysrootError.unreadable(path: path, reason: "\(error)")
        }
        let width = wide ? 8 : 4
        guard body.count == size, size >= width else { return nil }
        var count = 0
        for byte in body[0..<width] { count = count << 8 | Int(byte) }
        let namesStart = width + count * width
        guard count >= 0, namesStart <= body.count else { return nil }
        var symbols = Set<String>()
        var start = namesStart
        for i in namesStart..<body.count where body[i] == 0 {
            if i > start { symbols.insert(String(decoding: body[start..<i], as: UTF8.self)) }
            start = i + 1
            if symbols.count == count { break }
        }
        return symbols
    }
}
