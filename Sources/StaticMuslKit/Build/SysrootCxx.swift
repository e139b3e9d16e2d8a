import Foundation

/// C++ for musl: the headers of the libstdc++ that every musl link already
/// uses (`libstdc++.a` of the host's GCC, which the Swift runtime needs),
/// with its target configuration folder adapted to musl's C headers.
///
/// libstdc++'s generic headers (`/usr/include/c++/N`) are libc-neutral. Its
/// configuration folder (`/usr/include/<arch>-linux-gnu/c++/N`) was made for
/// glibc and names glibc-only macros and functions. The sysroot carries a
/// copy of both, and the copy of the configuration folder is patched in four
/// places so it compiles against musl while keeping the ABI of the
/// `libstdc++.a` it is linked with:
///
/// - `bits/os_defines.h`: glibc's version checks (`__GLIBC_PREREQ`) go; musl
///   has every pthreads function in libc.a, so weak references are off and
///   `pthread_self()` is the native thread id.
/// - `bits/c++locale.h`: `__c_locale` is musl's `locale_t` (glibc spells it
///   `__locale_t`); both are pointers to the C library's locale.
/// - `bits/ctype_base.h`: musl's `<ctype.h>` has no `_IS*` masks. The masks
///   are glibc's values, because `libstdc++.a`'s `ctype<char>` reads the
///   classification table from `__ctype_b_loc()`, which musl provides in
///   glibc's layout for glibc-built code.
/// - `bits/c++config.h`: `pthread_cond_clockwait`, `pthread_mutex_clocklock`
///   and `pthread_rwlock_clock*` are glibc 2.30 additions musl lacks; the
///   headers then use the POSIX timed waits instead.
public struct LibstdcxxHeaders: Sendable, Equatable {
    /// Raise when a patch changes: it is part of the sysroot's key.
    public static let overlayVersion = 1

    public var gccMajor: String
    public var package: String              // libstdc++-N-dev
    public var packageVersion: String
    public var genericDirectory: String     // /usr/include/c++/N
    public var configDirectory: String      // /usr/include/<arch>-linux-gnu/c++/N

    public static func resolve(gcc: HostGCC, architecture: SysrootArchitecture = .host) throws -> LibstdcxxHeaders {
        let major = String(gcc.version.split(separator: ".").first ?? Substring(gcc.version))
        let package = "libstdc++-\(major)-dev"
        let generic = "/usr/include/c++/\(major)"
        let config = "/usr/include/\(architecture.gnuTriple)/c++/\(major)"
        try SysrootPackages.ensureFile(generic + "/vector", package: package)
        try SysrootPackages.ensureFile(config + "/bits/c++config.h", package: package)
        return LibstdcxxHeaders(gccMajor: major, package: package,
                                packageVersion: try SysrootPackages.installedVersion(of: package),
                                genericDirectory: generic, configDirectory: config)
    }

    /// Where the copies go, relative to the sysroot.
    public func includeDirectories(musl triple: String) -> [String] {
        ["usr/include/c++/\(gccMajor)", "usr/include/c++/\(gccMajor)/\(triple)", "usr/include/c++/\(gccMajor)/backward"]
    }

    /// Copies both folders into the sysroot and patches the configuration.
    func install(into root: String, muslTriple triple: String) throws -> CxxRecord {
        let generic = root + "/usr/include/c++/\(gccMajor)"
        let config = generic + "/" + triple
        try FileManager.default.createDirectory(atPath: root + "/usr/include/c++", withIntermediateDirectories: true)
        do {
            try FileManager.default.copyItem(atPath: genericDirectory, toPath: generic)
            try FileManager.default.copyItem(atPath: configDirectory, toPath: config)
        } catch {
            throw SysrootError.unwritable(path: generic, reason: "cannot copy libstdc++'s headers: \(error)")
        }
        var patched: [String] = []
        func patch(_ file: String, _ transform: (String) throws -> String) throws {
            let path = config + "/" + file
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw SysrootError.unreadable(path: path, reason: "libstdc++'s configuration header is missing")
            }
            let new = try transform(text)
            guard new != text else {
                throw SysrootError.unreadable(path: path, reason: "the musl patch found nothing to change (a libstdc++ this project does not know)")
            }
            do { try new.write(toFile: path, atomically: true, encoding: .utf8) } catch {
                throw SysrootError.unwritable(path: path, reason: "\(error)")
            }
            patched.append(file)
        }
        try patch("bits/os_defines.h") { _ in Self.osDefines }
        try patch("bits/c++locale.h") { $0.replacingOccurrences(of: "typedef __locale_t\t\t__c_locale;", with: "typedef locale_t\t\t__c_locale;  // musl") }
        try patch("bits/ctype_base.h") { text in
            var t = text.replacingOccurrences(of: "  /// @brief  Base class for ctype.\n", with: """
                  // musl: glibc's mask values, the layout of the table __ctype_b_loc() returns.
                #define _GLIBCXX_MUSL_ISBIT(bit) ((bit) < 8 ? ((1 << (bit)) << 8) : ((1 << (bit)) >> 8))
                  /// @brief  Base class for ctype.

                """)
            for (bit, name) in ["upper", "lower", "alpha", "digit", "xdigit", "space", "print", "graph",
                                "blank", "cntrl", "punct", "alnum"].enumerated() {
                t = t.replacingOccurrences(of: "_IS\(name);", with: "_GLIBCXX_MUSL_ISBIT(\(bit));")
                    .replacingOccurrences(of: "_IS\(name) ", with: "_GLIBCXX_MUSL_ISBIT(\(bit)) ")
            }
            return t
        }
        try patch("bits/c++config.h") { text in
            var t = text
            for macro in ["_GLIBCXX_USE_PTHREAD_COND_CLOCKWAIT", "_GLIBCXX_USE_PTHREAD_MUTEX_CLOCKLOCK",
                          "_GLIBCXX_USE_PTHREAD_RWLOCK_CLOCKLOCK"] {
                t = t.replacingOccurrences(of: "#define \(macro) 1", with: "/* #undef \(macro) (musl has no such function) */")
            }
            return t
        }
        return CxxRecord(library: "libstdc++", gccMajor: gccMajor, package: package, packageVersion: packageVersion,
                         includeDirectories: includeDirectories(musl: triple), patched: patched,
                         overlayVersion: Self.overlayVersion)
    }

    static let osDefines = """
        // Written by swift-static-musl for musl (see Sources/StaticMuslKit/Build/SysrootCxx.swift):
        // libstdc++'s gnu-linux os_defines.h, without glibc's version checks.
        #ifndef _GLIBCXX_OS_DEFINES
        #define _GLIBCXX_OS_DEFINES 1

        // This keeps isalnum, et al from being propagated as macros.
        #define __NO_CTYPE 1

        #include <features.h>

        // gets() is gone from C11 and C++14; musl declares it only for older standards.
        #undef _GLIBCXX_HAVE_GETS

        // musl declares no obsolete isinf/isnan functions, only the macros.
        #define _GLIBCXX_NO_OBSOLETE_ISINF_ISNAN_DYNAMIC 1

        // musl has every pthreads function in libc.a: no weak references,
        // and pthread_self() is always usable.
        #define _GLIBCXX_NATIVE_THREAD_ID pthread_self()
        #define _GLIBCXX_GTHREAD_USE_WEAK 0

        #endif

        """
}

/// What the sysroot holds for C++ (sysroot.json's `cxx`).
public struct CxxRecord: Codable, Sendable, Equatable {
    public var library: String
    public var gccMajor: String
    public var package: String
    public var packageVersion: String
    /// Relative to the sysroot, in search order, before the C headers.
    public var includeDirectories: [String]
    /// The configuration headers patched for musl.
    public var patched: [String]
    public var overlayVersion: Int

    enum CodingKeys: String, CodingKey {
        case library, package, patched
        case gccMajor = "gcc_major", packageVersion = "package_version"
        case includeDirectories = "include_directories", overlayVersion = "overlay_version"
    }
}
