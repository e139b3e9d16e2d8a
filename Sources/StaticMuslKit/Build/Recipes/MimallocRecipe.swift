import Foundation

/// A mimalloc release the `musl+mimalloc` variant can link (`--allocator
/// mimalloc@2`, `mimalloc@3`), each from Debian's source package of one release.
public enum MimallocVersion: String, Codable, Sendable, CaseIterable {
    case v2 = "2.0.9"
    case v3 = "3.0.1"

    /// What `--allocator mimalloc` means: 2.0.9 for now. The README's malloc
    /// and server tables were measured with it; moving the default to 3
    /// means measuring them again (docs/malloc.md).
    public static let `default`: MimallocVersion = .v2

    /// The upstream version, "3.0.1".
    public var version: String { rawValue }
    public var major: Int { Int(rawValue.prefix { $0 != "." }) ?? 0 }
    /// Its `--allocator` value, "mimalloc@3".
    public var allocatorName: String { "mimalloc@\(major)" }
    /// What the manifest's `allocator` says, "mimalloc 3.0.1" (the binary's own
    /// report, cshim_malloc_allocator(), has the same form).
    public var label: String { "mimalloc \(rawValue)" }
    /// `MI_MALLOC_VERSION` of its include/mimalloc.h (major, then two digits of minor and patch): 209, 301.
    public var headerVersion: Int {
        let parts = rawValue.split(separator: ".").compactMap { Int($0) }
        return parts.count == 3 ? parts[0] * 100 + parts[1] * 10 + parts[2] : 0
    }
    /// Debian's source version and the release that lists it.
    public var debianVersion: String {
        switch self {
        case .v2: return "2.0.9+ds-2"
        case .v3: return "3.0.1+ds-2.1"
        }
    }
    public var suite: String {
        switch self {
        case .v2: return "bookworm"
        case .v3: return "trixie"
        }
    }

    /// The compile flags, and why:
    /// - `src/static.c` is the whole allocator in one unit; `MI_MALLOC_OVERRIDE`
    ///   makes it define malloc, free, calloc, realloc, aligned_alloc,
    ///   posix_memalign, malloc_usable_size, … itself. Linked before libc.a,
    ///   it keeps musl's mallocng out of `malloc`.
    /// - `MI_LIBC_MUSL`: 3.x's own musl support (no `__builtin_thread_pointer`
    ///   thread id on musl); 2.0.9 predates it and ignores it.
    /// - `-ftls-model=initial-exec`: the object only ever goes into static
    ///   executables, where the linker turns every TLS access into local-exec
    ///   anyway. (Upstream's CMake uses local-dynamic for 3.x's static library
    ///   with musl, for archives that end up in shared objects: issue #644.)
    /// - `-fno-builtin-malloc`: the compiler must not fold mimalloc's own malloc calls.
    /// - 2.0.9 only: `__USE_ISOC11=1`. It guards its `aligned_alloc` with
    ///   glibc's macro, which musl never defines: without it `aligned_alloc`
    ///   would come from libc.a, and with it mallocng. 3.x checks `!__GLIBC__` first.
    /// - `-Wno-static-in-inline`: what upstream's CMake passes to clang too.
    public var flags: [String] {
        var flags = ["-O3", "-DNDEBUG", "-std=gnu11", "-fPIC", "-ftls-model=initial-exec", "-fno-builtin-malloc",
                     "-DMI_LIBC_MUSL=1", "-DMI_MALLOC_OVERRIDE=1", "-DMI_STATIC_LIB"]
        if self == .v2 { flags.append("-D__USE_ISOC11=1") }
        return flags + ["-Wno-unknown-pragmas", "-Wno-static-in-inline"]
    }
}

/// Where a mimalloc build takes its source from.
public enum MimallocSource: Sendable, Equatable {
    /// Debian's source package of the version's release (`DebianSource`).
    case debian
    /// An unpacked source tree (`MIMALLOC_SRC`), used when its
    /// include/mimalloc.h declares the version asked for.
    case tree(String)
}

/// The mimalloc object of one build (its folder's mimalloc.json).
public struct MimallocObject: Codable, Sendable, Equatable, PrettyJSONEncodable {
    /// The upstream version, "3.0.1".
    public var version: String
    /// Debian's source version ("3.0.1+ds-2.1"), or "tree-<hash>" for a `MIMALLOC_SRC` tree.
    public var sourceVersion: String
    /// "Debian source package mimalloc 3.0.1+ds-2.1 (trixie)", or the tree's path.
    public var source: String
    /// The cache folder, and the object in it.
    public var path: String
    public var object: String
    public var key: String
    public var flags: [String]
    /// The sysroot it was compiled against.
    public var sysrootKey: String
    public var musl: String
    /// The override symbols checked in the object (`nm`: defined in .text).
    public var defines: [String]
    /// How long the cold compile took here, and the fetch before it (a
    /// fraction of a second when the source was unpacked already), in seconds.
    public var buildSeconds: Double?
    public var fetchSeconds: Double?

    /// What the manifest's `allocator` says: "mimalloc 3.0.1".
    public var label: String { "mimalloc \(version)" }
    /// Its entry in the manifest's `libraries`.
    public var libraryUse: Manifest.LibraryUse {
        Manifest.LibraryUse(name: "mimalloc", version: sourceVersion, source: source + "; src/static.c as one object, linked first")
    }

    enum CodingKeys: String, CodingKey {
        case version, sourceVersion = "source_version", source, path, object, key, flags
        case sysrootKey = "sysroot_key", musl, defines, buildSeconds = "build_seconds", fetchSeconds = "fetch_seconds"
    }
}

/// mimalloc for musl static links, as ONE object: Debian's source package
/// of the version's release (bookworm's 2.0.9, trixie's 3.0.1), `src/static.c`
/// compiled by the toolchain's clang for musl against the sysroot (so a
/// `--musl 1.2.5` build gets mimalloc compiled against 1.2.5's headers),
/// checked with `nm`, and cached as
///
///     <projectRoot>/.build-static/libraries/mimalloc-<source version>-<key16>/
///         mimalloc.o  mimalloc.json
///
/// once per key (recipe version, source version, sysroot key, clang, flags),
/// under CacheSlot's lock. The musl+mimalloc link puts the object before
/// everything else (`MuslLinker.link(_:allocator:allocatorObjects:)`).
///
/// `MIMALLOC_SRC=DIR[:DIR…]` builds from unpacked trees instead, each for the
/// version its include/mimalloc.h declares (other versions still come from
/// Debian); the manifest then names the tree.
public enum MimallocBuild {
    /// Raise when the steps below change: it is part of the key.
    public static let recipeVersion = 1

    /// The functions the object must define for musl's to stay out of the link.
    public static let overrides = ["malloc", "free", "calloc", "realloc", "aligned_alloc", "posix_memalign",
                                   "malloc_usable_size", "memalign", "mi_version"]

    /// The object for `version` against `sysroot`, built unless cached.
    /// `source` nil: `MIMALLOC_SRC` when it names a tree of this version, else Debian's.
    public static func prepare(_ version: MimallocVersion, sysroot: Sysroot, toolchain: ToolchainPaths, projectRoot: String,
                               source: MimallocSource? = nil,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> MimallocObject {
        let chosen = try source ?? sourceOverride(for: version, environment: environment) ?? .debian
        let fetchStart = Date()
        let (tree, sourceVersion, sourceText) = try unpack(version, chosen, projectRoot: projectRoot)
        let fetchSeconds = (Date().timeIntervalSince(fetchStart) * 10).rounded() / 10
        let declared = try headerVersion(tree: tree)
        guard declared == version.headerVersion else {
            throw LibraryError.compileFailed(source: tree, error: "include/mimalloc.h declares MI_MALLOC_VERSION \(declared), not \(version.headerVersion) (mimalloc \(version.version))")
        }
        let key = self.key(version, sourceVersion: sourceVersion, sysrootKey: sysroot.key, clang: toolchain.clang)
        let folder = projectRoot + "/.build-static/libraries/mimalloc-\(sourceVersion)-\(key.prefix(16))"
        try CacheSlot(path: folder).fill { temporary in
            LibraryRecipes.removeAbandonedBuilds(of: folder, keeping: temporary)
            try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
            let compiler = MuslCCompiler(clang: toolchain.clang, sysroot: sysroot, resourceDirectory: try toolchain.clangResourceDirectory())
            let start = Date()
            try compiler.compile(tree + "/src/static.c", to: temporary + "/mimalloc.o",
                                 flags: version.flags + ["-I", tree + "/include"])
            let seconds = (Date().timeIntervalSince(start) * 10).rounded() / 10
            let missing = try undefinedOverrides(object: temporary + "/mimalloc.o")
            guard missing.isEmpty else {
                throw LibraryError.compileFailed(source: tree + "/src/static.c",
                                                 error: "the object does not define \(missing.joined(separator: ", ")) (is MI_MALLOC_OVERRIDE in effect?)")
            }
            let record = MimallocObject(version: version.version, sourceVersion: sourceVersion, source: sourceText,
                                        path: folder, object: folder + "/mimalloc.o", key: key, flags: version.flags,
                                        sysrootKey: sysroot.key, musl: sysroot.muslVersion, defines: overrides,
                                        buildSeconds: seconds, fetchSeconds: fetchSeconds)
            try record.jsonData().write(to: URL(fileURLWithPath: temporary + "/mimalloc.json"))
        }
        guard let data = FileManager.default.contents(atPath: folder + "/mimalloc.json") else {
            throw LibraryError.compileFailed(source: folder, error: "mimalloc.json is missing")
        }
        return try JSONCoding.decode(MimallocObject.self, from: data)
    }

    /// The cache key: everything the object depends on.
    public static func key(_ version: MimallocVersion, sourceVersion: String, sysrootKey: String, clang: String) -> String {
        let lines = ["mimalloc", String(recipeVersion), version.version, sourceVersion, version.suite, sysrootKey, clang,
                     version.flags.joined(separator: " ")]
        return SysrootSHA256.hex(lines.joined(separator: "\n"))
    }

    /// `MIMALLOC_SRC`'s tree for `version`, if it names one. A named folder
    /// that is no mimalloc tree is an error; a tree of another version is skipped.
    public static func sourceOverride(for version: MimallocVersion, environment: [String: String]) throws -> MimallocSource? {
        guard let value = environment["MIMALLOC_SRC"], !value.isEmpty else { return nil }
        for tree in value.split(separator: ":").map(String.init) where !tree.isEmpty {
            if try headerVersion(tree: tree) == version.headerVersion { return .tree(tree) }
        }
        return nil
    }

    /// `MI_MALLOC_VERSION` from the tree's include/mimalloc.h.
    static func headerVersion(tree: String) throws -> Int {
        let header = tree + "/include/mimalloc.h"
        guard let text = try? String(contentsOfFile: header, encoding: .utf8) else {
            throw LibraryError.compileFailed(source: tree, error: "\(header) is missing: not a mimalloc source tree")
        }
        for line in text.split(separator: "\n") where line.hasPrefix("#define MI_MALLOC_VERSION") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if words.count >= 3, let v = Int(words[2]) { return v }
        }
        throw LibraryError.compileFailed(source: header, error: "no MI_MALLOC_VERSION line")
    }

    /// The unpacked tree, its source version and the manifest's description of it.
    private static func unpack(_ version: MimallocVersion, _ source: MimallocSource,
                               projectRoot: String) throws -> (tree: String, version: String, text: String) {
        switch source {
        case .tree(let tree):
            guard FileManager.default.fileExists(atPath: tree + "/src/static.c") else {
                throw LibraryError.compileFailed(source: tree, error: "\(tree) has no src/static.c")
            }
            return (tree, "\(version.version)-tree-\(try treeHash(tree).prefix(12))",
                    "mimalloc \(version.version) source tree \(tree) (MIMALLOC_SRC)")
        case .debian:
            let package = "mimalloc=\(version.debianVersion)"
            let tree: String
            do {
                tree = try DebianSource(package, suite: version.suite).fetch(into: projectRoot + "/.build-static/sources")
            } catch {
                throw LibraryError.sourceUnavailable(package: "\(package) (\(version.suite))",
                                                     why: "\(error) (MIMALLOC_SRC=DIR builds from an unpacked mimalloc \(version.version) tree instead)")
            }
            guard FileManager.default.fileExists(atPath: tree + "/src/static.c") else {
                throw LibraryError.compileFailed(source: tree, error: "\(tree) has no src/static.c")
            }
            return (tree, version.debianVersion, "Debian source package mimalloc \(version.debianVersion) (\(version.suite))")
        }
    }

    /// The content of a tree's src/ and include/ (paths and bytes), so an
    /// edited tree gets a new key.
    static func treeHash(_ tree: String) throws -> String {
        var lines: [String] = []
        for folder in ["src", "include"] {
            let base = tree + "/" + folder
            guard let walker = FileManager.default.enumerator(atPath: base) else { continue }
            for case let name as String in walker {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: base + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                lines.append("\(folder)/\(name) \(try SysrootSHA256.hex(fileAt: base + "/" + name))")
            }
        }
        return SysrootSHA256.hex(lines.sorted().joined(separator: "\n"))
    }

    /// The overrides `nm` does not show as defined in the object's text.
    static func undefinedOverrides(object: String) throws -> [String] {
        let r = try ProcessRunner.run("nm", ["--defined-only", object], timeout: 60)
        guard r.succeeded else { throw LibraryError.compileFailed(source: object, error: "nm failed: \(r.stderr)") }
        let text = Set(r.stdout.split(separator: "\n").compactMap { line -> String? in
            let words = line.split(separator: " ")
            return words.count == 3 && (words[1] == "T" || words[1] == "W") ? String(words[2]) : nil
        })
        return overrides.filter { !text.contains($0) }
    }
}
