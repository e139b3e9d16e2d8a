import Foundation

/// A musl sysroot made and cached by the project: musl's headers and static
/// libraries, the kernel headers, a `musl-gcc` that uses them, and CShim's
/// compat archive. Its folder name carries the key (the SHA-256 of the
/// recipe's inputs), so equal inputs reuse one folder and any change gives
/// a new one. See docs/sysroot.md.
public struct Sysroot: Sendable, Equatable {
    /// The root folder, e.g. `<project>/.build-static/sysroots/musl-1.2.3-0123456789abcdef`.
    public var path: String
    public var metadata: SysrootMetadata

    /// The full key: 64 hex digits of SHA-256.
    public var key: String { metadata.key }
    /// The upstream musl version, e.g. "1.2.3".
    public var muslVersion: String { metadata.musl.version }
    /// `<path>/usr/include`: musl's headers and the kernel's (linux/, asm/, asm-generic/).
    public var includeDirectory: String { path + "/usr/include" }
    /// `<path>/usr/lib`: start files, libc.a and friends, libcshim_compat.a.
    public var libDirectory: String { path + "/usr/lib" }
    /// `<path>/bin/musl-gcc`: gcc with the sysroot's specs.
    public var muslGCC: String { path + "/bin/musl-gcc" }
    /// `<path>/lib/musl-gcc.specs`.
    public var specsFile: String { path + "/lib/musl-gcc.specs" }
    /// `<path>/usr/lib/libcshim_compat.a`: link it inside the group with
    /// libstdc++.a and libgcc_eh.a, so members are pulled in on demand.
    public var compatArchive: String { path + "/" + metadata.compat.archive }
    /// `<path>/usr/lib/libc.a`.
    public var libcArchive: String { libDirectory + "/libc.a" }
    /// `-Wl,--wrap=SYMBOL` for every wrapper in the compat archive: pass
    /// them to every link that uses `compatArchive`.
    public var compatLinkFlags: [String] { metadata.compat.wrapFlags }
    /// libstdc++'s headers for musl, in search order (empty before C++ support).
    public var cxxIncludeDirectories: [String] { (metadata.cxx?.includeDirectories ?? []).map { path + "/" + $0 } }
    /// `<path>/sysroot.json`.
    public var metadataFile: String { path + "/sysroot.json" }

    public static let metadataFileName = "sysroot.json"
    /// The environment variable that overrides the default cache folder.
    public static let cacheEnvironmentVariable = "STATIC_MUSL_SYSROOT_CACHE"

    /// Opens an existing sysroot folder (reads its sysroot.json).
    public init(at path: String) throws {
        let metadata = try SysrootMetadata.read(from: path + "/" + Self.metadataFileName)
        guard metadata.schemaVersion == SysrootMetadata.currentSchemaVersion else {
            throw SysrootError.schemaMismatch(path: path, found: metadata.schemaVersion,
                                              expected: SysrootMetadata.currentSchemaVersion)
        }
        self.init(path: path, metadata: metadata)
    }

    public init(path: String, metadata: SysrootMetadata) {
        self.path = path
        self.metadata = metadata
    }

    /// `cacheDirectory`, else $STATIC_MUSL_SYSROOT_CACHE, else `<projectRoot>/.build-static/sysroots`.
    public static func defaultCacheDirectory(projectRoot: String, cacheDirectory: String? = nil) -> String {
        if let cacheDirectory, !cacheDirectory.isEmpty { return cacheDirectory }
        if let env = ProcessInfo.processInfo.environment[cacheEnvironmentVariable], !env.isEmpty { return env }
        return (projectRoot as NSString).appendingPathComponent(".build-static/sysroots")
    }

    /// Returns the sysroot for these inputs, building it when the cache
    /// lacks it. Safe to call from many threads and processes at once: the
    /// build runs under an exclusive lock on `<cache>/<name>.lock`, in a
    /// unique `.tmp-<name>-<uuid>` folder renamed into place when complete;
    /// everyone else waits and reuses it.
    ///
    /// - Parameters:
    ///   - projectRoot: the checkout that holds CShim/compat.
    ///   - cacheDirectory: where sysroots live (see `defaultCacheDirectory`).
    ///   - musl: where musl comes from.
    ///   - libcArchiveOverride: a test seam: the libc.a the LFS64 configure
    ///     step checks for `fstat64` instead of musl's own (the sysroot still
    ///     holds musl's libc.a). It is part of the key through the check's result.
    public static func prepare(projectRoot: String, cacheDirectory: String? = nil, musl: MuslSource = .defaultSource,
                               libcArchiveOverride: String? = nil) throws -> Sysroot {
        let recipe = try SysrootRecipe.resolve(projectRoot: projectRoot, musl: musl, libcArchiveOverride: libcArchiveOverride)
        let cache = SysrootCache(directory: defaultCacheDirectory(projectRoot: projectRoot, cacheDirectory: cacheDirectory))
        return try cache.sysroot(for: recipe)
    }
}

/// The cache folder: `<dir>/<name>/` per sysroot, `<dir>/<name>.lock`
/// beside it, `<dir>/.tmp-<name>-<uuid>/` while one builds.
struct SysrootCache {
    var directory: String

    func sysroot(for recipe: SysrootRecipe) throws -> Sysroot {
        let name = recipe.folderName, key = recipe.key
        let final = directory + "/" + name
        // Fast path, no lock: a folder with a matching sysroot.json is
        // complete, because it only ever appears by an atomic rename.
        if let existing = reusable(at: final, key: key) { return existing }

        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw SysrootError.unwritable(path: directory, reason: "\(error)")
        }
        let lock: FileLock
        do { lock = try FileLock(path: directory + "/" + name + ".lock") } catch let e as FileLock.LockError {
            throw SysrootError.lockFailed(path: e.path, reason: e.reason)
        }
        defer { lock.unlock() }
        // Someone may have finished it while we waited for the lock.
        if let existing = reusable(at: final, key: key) { return existing }
        removeLeftovers(name: name)
        if FileManager.default.fileExists(atPath: final) {
            // A folder without a valid sysroot.json (deleted by hand, or a
            // different schema): move it aside, never build over it.
            try discard(final)
        }

        let temp = directory + "/.tmp-\(name)-\(UUID().uuidString)"
        do { try FileManager.default.createDirectory(atPath: temp, withIntermediateDirectories: false) } catch {
            throw SysrootError.unwritable(path: temp, reason: "\(error)")
        }
        let metadata: SysrootMetadata
        do {
            metadata = try SysrootBuilder(recipe: recipe).build(into: temp, finalPath: final, name: name,
                                                                buildId: UUID().uuidString.lowercased())
        } catch {
            try? FileManager.default.removeItem(atPath: temp)
            throw error
        }
        if rename(temp, final) != 0 {
            let code = errno
            try? FileManager.default.removeItem(atPath: temp)
            // Someone else (without our lock: another cache user) won the race.
            if let existing = reusable(at: final, key: key) { return existing }
            throw SysrootError.renameFailed(from: temp, to: final, reason: errnoDescription(code))
        }
        return Sysroot(path: final, metadata: metadata)
    }

    private func reusable(at path: String, key: String) -> Sysroot? {
        guard let sysroot = try? Sysroot(at: path), sysroot.key == key else { return nil }
        // A few stat calls: catch a sysroot someone has emptied by hand.
        let essential = [sysroot.muslGCC, sysroot.specsFile, sysroot.libcArchive, sysroot.compatArchive,
                         sysroot.includeDirectory + "/stdio.h"]
        guard essential.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) else { return nil }
        return sysroot
    }

    /// Temporary folders of this name are abandoned: only the lock holder builds it.
    private func removeLeftovers(name: String) {
        let prefix = ".tmp-\(name)-"
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where entry.hasPrefix(prefix) {
            try? FileManager.default.removeItem(atPath: directory + "/" + entry)
        }
    }

    private func discard(_ path: String) throws {
        let aside = directory + "/.tmp-stale-\(UUID().uuidString)"
        guard rename(path, aside) == 0 else {
            throw SysrootError.renameFailed(from: path, to: aside, reason: errnoDescription())
        }
        try? FileManager.default.removeItem(atPath: aside)
    }
}


extension Sysroot {
    /// A short human summary (what `static-musl sysroot` prints).
    public var summary: String {
        let m = metadata
        let libraries = m.libraries.isEmpty ? "none" : m.libraries.map { "\($0.name) \($0.version)" }.joined(separator: ", ")
        let wraps = compatLinkFlags.isEmpty ? "none" : compatLinkFlags.joined(separator: " ")
        let cxx = m.cxx.map { "\($0.library) \($0.gccMajor) headers (\($0.package) \($0.packageVersion)), patched for musl: \($0.patched.joined(separator: ", "))" } ?? "none"
        return """
        sysroot         \(path)
        key             \(key)
        musl            \(m.musl.version) (\(m.musl.source))
        kernel headers  \(m.kernelHeaders.package) \(m.kernelHeaders.version) (\(m.headers.kernelFolders.joined(separator: ", ")))
        gcc             \(m.gcc.version) (\(m.gcc.target), \(m.gcc.path))
        headers         \(m.headers.count)
        c++             \(cxx)
        libraries       \(m.archives.joined(separator: " ")); recipes: \(libraries)
        compat          \(m.compat.members.count) members in \(m.compat.archive)
        wrap flags      \(wraps)
        lfs64           \(m.compat.lfs64Included ? "yes" : "no")
        built           \(m.createdAt) in \(m.buildSeconds) s (build \(m.buildId))

        """
    }
}
