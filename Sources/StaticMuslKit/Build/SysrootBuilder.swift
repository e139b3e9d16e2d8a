import Foundation

/// Builds one sysroot from a resolved recipe into a folder (a fresh
/// temporary folder: `SysrootCache` renames it into place afterwards).
///
///     <root>/usr/include     musl's headers + the kernel's linux/, asm/, asm-generic/
///     <root>/usr/lib         crt1.o crti.o crtn.o Scrt1.o rcrt1.o, libc.a and musl's other .a
///                            files (no libc.so: static only), libcshim_compat.a
///     <root>/lib/musl-gcc.specs, <root>/bin/musl-gcc
///     <root>/sysroot.json    written last
struct SysrootBuilder {
    var recipe: SysrootRecipe

    /// The specs file, as Debian's musl-gcc.specs but pointing at `root`.
    static func specs(root: String, architecture: SysrootArchitecture) -> String {
        let include = root + "/usr/include", lib = root + "/usr/lib"
        return """
        %rename cpp_options old_cpp_options

        *cpp_options:
        -nostdinc -isystem \(include) -isystem include%s %(old_cpp_options)

        *cc1:
        %(cc1_cpu) -nostdinc -isystem \(include) -isystem include%s

        *link_libgcc:
        -L\(lib) -L .%s

        *libgcc:
        libgcc.a%s %:if-exists(libgcc_eh.a%s)

        *startfile:
        %{!shared: \(lib)/Scrt1.o} \(lib)/crti.o crtbeginS.o%s

        *endfile:
        crtendS.o%s \(lib)/crtn.o

        *link:
        -dynamic-linker \(architecture.muslLoader) -nostdlib %{shared:-shared} %{static:-static} %{rdynamic:-export-dynamic}

        *esp_link:


        *esp_options:


        *esp_cpp_options:



        """
    }

    /// The musl-gcc wrapper, as Debian's: gcc (or $REALGCC) with the specs.
    static func wrapper(root: String, gcc: String) -> String {
        """
        #!/bin/sh
        # musl-gcc for the sysroot \(root) (written by static-musl).
        exec "${REALGCC:-\(gcc)}" "$@" -specs "\(root)/lib/musl-gcc.specs"

        """
    }

    /// The start files a sysroot must hold.
    static let startFiles = ["crt1.o", "crti.o", "crtn.o", "Scrt1.o", "rcrt1.o"]

    /// Builds everything in `root` (which must exist and be empty). The
    /// specs and the wrapper finally point at `finalPath`, where the folder
    /// will be renamed to; until then they point at `root`, so the compat
    /// archive is compiled by the sysroot's own musl-gcc.
    func build(into root: String, finalPath: String, name: String, buildId: String) throws -> SysrootMetadata {
        let started = Date()
        let fm = FileManager.default
        let include = root + "/usr/include", lib = root + "/usr/lib"
        for folder in [include, lib, root + "/bin", root + "/lib"] { try makeDirectory(folder) }

        // Headers: musl's, then the kernel's beside them.
        for entry in try contents(of: recipe.musl.includeDirectory) {
            try copy(recipe.musl.includeDirectory + "/" + entry, to: include + "/" + entry)
        }
        for folder in recipe.kernelHeaders.folders {
            let target = include + "/" + folder.destination
            if fm.fileExists(atPath: target) {
                throw SysrootError.unwritable(path: target, reason: "musl's headers already have \(folder.destination)/; the kernel's would overwrite them")
            }
            try copy(resolvingLinks(folder.source), to: target)
        }

        // C++: libstdc++'s headers, configured for musl, before the C headers.
        let cxx = try recipe.cxx.install(into: root, muslTriple: recipe.architecture.muslTriple)

        // Libraries: start files and static archives only.
        let libEntries = try contents(of: recipe.musl.libDirectory)
        for file in Self.startFiles where !libEntries.contains(file) {
            if case .debianSource = recipe.musl.source {
                throw SysrootError.unreadable(path: recipe.musl.libDirectory + "/" + file,
                                              reason: "musl's start files are incomplete (\(recipe.musl.origin))")
            }
            throw SysrootError.missingPackage(package: "musl-dev", needed: recipe.musl.libDirectory + "/" + file,
                                              reason: "musl's start files are incomplete")
        }
        let archives = libEntries.filter { $0.hasSuffix(".a") }.sorted()
        for file in Self.startFiles + archives {
            try copy(recipe.musl.libDirectory + "/" + file, to: lib + "/" + file)
        }

        // The compiler: built for the temporary root first.
        try writeCompiler(root: root, pointingAt: root)
        let compat = try buildCompatArchive(root: root)
        try writeCompiler(root: root, pointingAt: finalPath)

        let metadata = SysrootMetadata(
            schemaVersion: SysrootMetadata.currentSchemaVersion, key: recipe.key, name: name, buildId: buildId,
            createdAt: Self.timestamp(started), buildSeconds: (Date().timeIntervalSince(started) * 100).rounded() / 100,
            architecture: recipe.architecture.name,
            musl: MuslRecord(version: recipe.musl.version, source: recipe.musl.origin, kind: recipe.musl.source.kind,
                             packageVersion: recipe.musl.packageVersion, libcSha256: recipe.libcSha256,
                             suite: recipe.musl.suite, buildDirectory: recipe.musl.buildDirectory),
            kernelHeaders: PackageRecord(package: "linux-libc-dev", version: recipe.kernelHeaders.packageVersion),
            gcc: GCCRecord(path: recipe.gcc.path, version: recipe.gcc.version, target: recipe.gcc.target),
            headers: HeadersRecord(count: try countHeaders(include),
                                   kernelFolders: recipe.kernelHeaders.folders.map(\.destination)),
            startFiles: Self.startFiles, archives: archives, compat: compat, cxx: cxx, libraries: [],
            inputs: recipe.inputs)
        try write(try metadata.jsonData(), to: root + "/sysroot.json")
        return metadata
    }

    private func writeCompiler(root: String, pointingAt target: String) throws {
        try write(Data(Self.specs(root: target, architecture: recipe.architecture).utf8), to: root + "/lib/musl-gcc.specs")
        let wrapper = root + "/bin/musl-gcc"
        try write(Data(Self.wrapper(root: target, gcc: recipe.gcc.path).utf8), to: wrapper)
        do { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper) } catch {
            throw SysrootError.unwritable(path: wrapper, reason: "cannot make it executable: \(error)")
        }
    }

    /// Compiles every member with the sysroot's musl-gcc (in parallel) and
    /// archives them, one member per source file, in recipe order.
    private func buildCompatArchive(root: String) throws -> CompatRecord {
        let objects = root + "/.objects"
        try makeDirectory(objects)
        defer { try? FileManager.default.removeItem(atPath: objects) }
        let members = recipe.archiveMembers
        let cc = root + "/bin/musl-gcc"
        let failures = CompileFailures(count: members.count)
        DispatchQueue.concurrentPerform(iterations: members.count) { i in
            let source = members[i]
            let args = CompatSources.cflags + ["-c", source.path, "-o", objects + "/" + source.member]
            let command = ([cc] + args).joined(separator: " ")
            do {
                let r = try ProcessRunner.run(cc, args, timeout: 300)
                if !r.succeeded {
                    failures.set(i, .compileFailed(source: source.path, command: command,
                                                   output: r.timedOut ? "timed out after 300 s" : r.stderr + r.stdout))
                }
            } catch {
                failures.set(i, .compileFailed(source: source.path, command: command, output: "\(error)"))
            }
        }
        if let failure = failures.first { throw failure }

        let archive = root + "/usr/lib/libcshim_compat.a"
        let names = members.map(\.member)
        // D: deterministic (no timestamps or owners); s: a symbol index.
        try SysrootPackages.run("ar", ["rcsD", archive] + names, currentDirectory: objects)
        let listed = try SysrootPackages.run("ar", ["t", archive]).stdout.split(separator: "\n").map(String.init)
        guard listed == names else { throw SysrootError.archiveMismatch(archive: archive, expected: names, found: listed) }
        return CompatRecord(archive: "usr/lib/libcshim_compat.a", members: names, cflags: CompatSources.cflags,
                            wrapFlags: recipe.compat.wrapFlags, lfs64Included: recipe.needsLFS64,
                            lfs64CheckedLibc: recipe.lfs64CheckLibc)
    }

    // MARK: file helpers (typed errors that name the path)

    private func makeDirectory(_ path: String) throws {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw SysrootError.unwritable(path: path, reason: "\(error)")
        }
    }

    private func contents(of directory: String) throws -> [String] {
        do { return try FileManager.default.contentsOfDirectory(atPath: directory).sorted() } catch {
            throw SysrootError.unreadable(path: directory, reason: "\(error)")
        }
    }

    private func copy(_ source: String, to destination: String) throws {
        do { try FileManager.default.copyItem(atPath: source, toPath: destination) } catch {
            throw SysrootError.unwritable(path: destination, reason: "cannot copy \(source): \(error)")
        }
    }

    private func resolvingLinks(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }

    private func write(_ data: Data, to path: String) throws {
        do { try data.write(to: URL(fileURLWithPath: path)) } catch {
            throw SysrootError.unwritable(path: path, reason: "\(error)")
        }
    }

    private func countHeaders(_ include: String) throws -> Int {
        guard let enumerator = FileManager.default.enumerator(atPath: include) else {
            throw SysrootError.unreadable(path: include, reason: "cannot list the headers")
        }
        var count = 0
        while let entry = enumerator.nextObject() as? String {
            if entry.hasSuffix(".h") { count += 1 }
        }
        return count
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}

/// Compile errors collected from parallel workers, reported in member order.
private final class CompileFailures: @unchecked Sendable {
    private var errors: [SysrootError?]
    private let lock = NSLock()
    init(count: Int) { errors = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ error: SysrootError) { lock.lock(); errors[index] = error; lock.unlock() }
    var first: SysrootError? { lock.lock(); defer { lock.unlock() }; return errors.compactMap { $0 }.first }
}
