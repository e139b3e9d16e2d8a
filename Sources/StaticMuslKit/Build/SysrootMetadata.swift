import Foundation

/// `<sysroot>/sysroot.json`: what the sysroot holds and what went into its
/// key. Written once, last, before the folder is renamed into place, so a
/// sysroot with a readable sysroot.json is complete. JSON keys are snake_case.
public struct SysrootMetadata: Codable, Sendable, Equatable, PrettyJSONEncodable {
    /// Bumped whenever the recipe (layout, specs, flags, members) changes:
    /// it is part of every key, so old sysroots are never reused by mistake.
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    /// The full SHA-256 key (64 hex digits); the folder name holds its first 16.
    public var key: String
    /// The folder name: `musl-<version>-<first 16 hex of key>`.
    public var name: String
    /// A fresh UUID per build: two preparations that see the same build id reused one build.
    public var buildId: String
    /// ISO 8601, UTC.
    public var createdAt: String
    public var buildSeconds: Double
    /// e.g. "x86_64".
    public var architecture: String
    public var musl: MuslRecord
    public var kernelHeaders: PackageRecord
    public var gcc: GCCRecord
    public var headers: HeadersRecord
    /// The C runtime start files in usr/lib (crt1.o, crti.o, crtn.o, Scrt1.o, rcrt1.o).
    public var startFiles: [String]
    /// musl's static archives in usr/lib (libc.a and its empty companions libm.a, libpthread.a, …).
    public var archives: [String]
    public var compat: CompatRecord
    /// The C++ headers for musl (libstdc++'s, adapted); nil in a sysroot made before C++.
    public var cxx: CxxRecord?
    /// Libraries later recipes install into usr/lib and usr/include (none yet).
    public var libraries: [LibraryRecord]
    /// Every input of the key, by name: a version, or the SHA-256 of a file.
    /// Comparing two sysroots' inputs says why their keys differ.
    public var inputs: [String: String]

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", key, name, buildId = "build_id", createdAt = "created_at"
        case buildSeconds = "build_seconds", architecture, musl, kernelHeaders = "kernel_headers", gcc, headers
        case startFiles = "start_files", archives, compat, cxx, libraries, inputs
    }

    public static func read(from path: String) throws -> SysrootMetadata {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SysrootError.notASysroot(path: (path as NSString).deletingLastPathComponent, reason: "no readable sysroot.json")
        }
        do { return try JSONCoding.decode(SysrootMetadata.self, from: data) } catch {
            throw SysrootError.notASysroot(path: (path as NSString).deletingLastPathComponent,
                                           reason: "sysroot.json does not decode: \(error)")
        }
    }
}

/// Where musl came from, and which version it is.
public struct MuslRecord: Codable, Sendable, Equatable {
    /// The upstream version, e.g. "1.2.3".
    public var version: String
    /// For people: e.g. "Debian package musl-dev 1.2.3-1", or
    /// "Debian source package musl 1.2.5-3.1~deb13u1 (trixie), built here".
    public var source: String
    /// For programs: "debian-package" (musl-dev) or "debian-source" (built here).
    public var kind: String
    /// The Debian package (or source package) version, e.g. "1.2.3-1".
    public var packageVersion: String
    /// The SHA-256 of the libc.a the sysroot holds.
    public var libcSha256: String
    /// "debian-source" only: the Debian release of the source package ("trixie").
    public var suite: String? = nil
    /// "debian-source" only: the folder musl was built in (its musl-build.json says how).
    public var buildDirectory: String? = nil

    enum CodingKeys: String, CodingKey {
        case version, source, kind, packageVersion = "package_version", libcSha256 = "libc_sha256"
        case suite, buildDirectory = "build_directory"
    }
}

/// A Debian package and its installed version.
public struct PackageRecord: Codable, Sendable, Equatable {
    public var package: String
    public var version: String
}

/// The gcc that the sysroot's musl-gcc wraps.
public struct GCCRecord: Codable, Sendable, Equatable {
    public var path: String
    public var version: String
    /// `gcc -dumpmachine`, e.g. "x86_64-linux-gnu".
    public var target: String
}

public struct HeadersRecord: Codable, Sendable, Equatable {
    /// Header files under usr/include (musl's and the kernel's).
    public var count: Int
    /// The kernel header folders copied next to musl's (linux, asm, asm-generic).
    public var kernelFolders: [String]

    enum CodingKeys: String, CodingKey { case count, kernelFolders = "kernel_folders" }
}

/// usr/lib/libcshim_compat.a: CShim/compat, one member per source file.
public struct CompatRecord: Codable, Sendable, Equatable {
    /// Relative to the sysroot: "usr/lib/libcshim_compat.a".
    public var archive: String
    /// The archive's members in order, e.g. "arc4random.o", "lfs64-fstat64.o".
    public var members: [String]
    /// The flags each source was compiled with (by the sysroot's musl-gcc).
    public var cflags: [String]
    /// The `-Wl,--wrap=SYMBOL` flags the sources ask for in `link:` comments.
    public var wrapFlags: [String]
    /// True when libc.a lacked `fstat64`, so CShim/compat/lfs64 was added.
    public var lfs64Included: Bool
    /// The libc.a the LFS64 check read (the sysroot's own, unless overridden).
    public var lfs64CheckedLibc: String

    enum CodingKeys: String, CodingKey {
        case archive, members, cflags, wrapFlags = "wrap_flags", lfs64Included = "lfs64_included"
        case lfs64CheckedLibc = "lfs64_checked_libc"
    }
}

/// A library a later recipe builds into the sysroot (mimalloc, zlib, curl, …).
public struct LibraryRecord: Codable, Sendable, Equatable {
    public var name: String
    public var version: String
    /// e.g. "Debian source package zlib 1:1.2.13.dfsg-1 (bookworm)".
    public var source: String
    /// Relative to the sysroot, e.g. "usr/lib/libz.a".
    public var archives: [String]
    /// Relative to the sysroot, e.g. "usr/include/zlib.h".
    public var headers: [String]

    public init(name: String, version: String, source: String, archives: [String], headers: [String]) {
        self.name = name; self.version = version; self.source = source
        self.archives = archives; self.headers = headers
    }
}
