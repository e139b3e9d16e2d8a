import Foundation
import XCTest
@testable import StaticMuslKit

/// The musl sysroot: contents, key, cache reuse, the lock, and that both
/// compilers (its musl-gcc and the toolchain's clang) can use it.
final class SysrootTests: XCTestCase {
    /// The project's sysroot on Debian's musl-dev (1.2.3), in the default
    /// cache (built at most once). musl 1.2.5's, the default, has tests of
    /// its own below and in Musl125Tests.
    static func projectSysroot() throws -> Sysroot {
        try Sysroot.prepare(projectRoot: Fixtures.projectRoot, musl: .debianPackage)
    }

    /// The default musl's sysroot (`--musl` not given): the one the build
    /// engine links with, so library recipes built on it are shared.
    static func defaultSysroot() throws -> Sysroot {
        try Sysroot.prepare(projectRoot: Fixtures.projectRoot)
    }


    func run(_ tool: String, _ args: [String], cwd: String? = nil) throws -> ProcessResult {
        try ProcessRunner.run(tool, args, currentDirectory: cwd, timeout: 120)
    }

    // MARK: contents

    func testContentsAreMuslKernelHeadersAndStaticLibrariesOnly() throws {
        let sysroot = try Self.projectSysroot()
        let fm = FileManager.default
        for file in ["crt1.o", "crti.o", "crtn.o", "Scrt1.o", "rcrt1.o", "libc.a", "libm.a", "libpthread.a", "libcshim_compat.a"] {
            XCTAssertTrue(fm.fileExists(atPath: sysroot.libDirectory + "/" + file), "usr/lib/\(file) is missing")
        }
        let libs = try fm.contentsOfDirectory(atPath: sysroot.libDirectory)
        XCTAssertFalse(libs.contains { $0.hasSuffix(".so") || $0.contains(".so.") }, "a shared object in a static-only sysroot: \(libs)")
        for header in ["stdio.h", "sys/socket.h", "linux/vm_sockets.h", "asm/unistd.h", "asm-generic/errno-base.h"] {
            XCTAssertTrue(fm.fileExists(atPath: sysroot.includeDirectory + "/" + header), "usr/include/\(header) is missing")
        }
        XCTAssertTrue(fm.isExecutableFile(atPath: sysroot.muslGCC))
        let specs = try String(contentsOfFile: sysroot.specsFile, encoding: .utf8)
        XCTAssertTrue(specs.contains("-isystem \(sysroot.includeDirectory) "), specs)
        XCTAssertTrue(specs.contains("-L\(sysroot.libDirectory) "), specs)
        XCTAssertFalse(specs.contains(".tmp-"), "the specs still point at the temporary build folder")
        XCTAssertFalse(specs.contains("/usr/lib/x86_64-linux-musl"), "the specs point at the system's musl")

        let m = sysroot.metadata
        XCTAssertEqual(sysroot.muslVersion, ToolchainVersions.installedMuslVersion())
        XCTAssertTrue(m.musl.source.hasPrefix("Debian package musl-dev \(m.musl.version)"), m.musl.source)
        XCTAssertTrue(sysroot.path.hasSuffix("/musl-\(m.musl.version)-\(sysroot.key.prefix(16))"), sysroot.path)
        XCTAssertEqual(sysroot.key.count, 64)
        XCTAssertEqual(m.libraries, [])
        XCTAssertGreaterThan(m.headers.count, 500)
        XCTAssertEqual(m.headers.kernelFolders, ["linux", "asm", "asm-generic"])
        // musl 1.2.3 still has the LFS64 symbols: no shims.
        XCTAssertFalse(m.compat.lfs64Included)
        XCTAssertFalse(m.compat.members.contains { $0.hasPrefix("lfs64-") })
        // One member per CShim/compat/*.c.
        let sources = try fm.contentsOfDirectory(atPath: Fixtures.projectRoot + "/CShim/compat").filter { $0.hasSuffix(".c") }
        XCTAssertEqual(Set(m.compat.members), Set(sources.map { String($0.dropLast(2)) + ".o" }))
        XCTAssertEqual(try archiveMembers(sysroot.compatArchive), m.compat.members)
        // The wrap flags are exactly the `link:` comments.
        for symbol in ["freeaddrinfo", "regcomp", "regexec", "glob", "fts_open", "fts_read", "fts_close"] {
            XCTAssertTrue(sysroot.compatLinkFlags.contains("-Wl,--wrap=\(symbol)"), "\(symbol): \(sysroot.compatLinkFlags)")
        }
        XCTAssertFalse(sysroot.compatLinkFlags.contains { $0.contains("arc4random") })

        // sysroot.json: snake_case keys, and it round-trips.
        let raw = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sysroot.metadataFile))) as? [String: Any])
        for key in ["schema_version", "key", "build_id", "created_at", "musl", "kernel_headers", "gcc", "headers",
                    "start_files", "archives", "compat", "libraries", "inputs"] {
            XCTAssertNotNil(raw[key], "sysroot.json lacks \(key)")
        }
        let compat = try XCTUnwrap(raw["compat"] as? [String: Any])
        XCTAssertNotNil(compat["lfs64_included"]); XCTAssertNotNil(compat["wrap_flags"])
        XCTAssertEqual(try Sysroot(at: sysroot.path), sysroot)
    }

    /// musl 1.2.5, built here from trixie's source package: its libc.a has
    /// no LFS64 link symbols, so the configure step adds CShim/compat/lfs64
    /// and sysroot.json says so.
    func testMusl125SysrootLacksFstat64AndCarriesTheLFS64Members() throws {
        let sysroot = try Sysroot.prepare(projectRoot: Fixtures.projectRoot, musl: .debianSource(version: "1.2.5"))
        let m = sysroot.metadata
        XCTAssertEqual(sysroot.muslVersion, "1.2.5")
        XCTAssertTrue(sysroot.path.hasSuffix("/musl-1.2.5-\(sysroot.key.prefix(16))"), sysroot.path)
        XCTAssertEqual(m.musl.kind, "debian-source")
        XCTAssertEqual(m.musl.source, "Debian source package musl 1.2.5-3.1~deb13u1 (trixie), built here")
        XCTAssertEqual(m.musl.packageVersion, "1.2.5-3.1~deb13u1")
        XCTAssertEqual(m.musl.suite, "trixie")
        XCTAssertNotEqual(sysroot.key, try Self.projectSysroot().key)

        let index = try XCTUnwrap(try ArchiveSymbolIndex.read(sysroot.libcArchive))
        for symbol in ["fstat64", "lseek64", "fopen64", "fseeko64", "ftello64"] {
            XCTAssertFalse(index.contains(symbol), "musl 1.2.5's libc.a still defines \(symbol)")
        }
        // Debian's musl-fts is in it (CShim/compat wraps fts_open), and 1.2.5's own additions.
        for symbol in ["fstat", "fts_open", "renameat2"] { XCTAssertTrue(index.contains(symbol), symbol) }
        XCTAssertFalse(try SysrootRecipe.defines("fstat64", archive: sysroot.libcArchive))

        XCTAssertTrue(m.compat.lfs64Included)
        XCTAssertEqual(m.compat.lfs64CheckedLibc, m.musl.buildDirectory.map { $0 + "/lib/libc.a" })
        let members = try archiveMembers(sysroot.compatArchive)
        let lfs64 = try FileManager.default.contentsOfDirectory(atPath: Fixtures.projectRoot + "/CShim/compat/lfs64")
            .filter { $0.hasSuffix(".c") }.map { "lfs64-" + String($0.dropLast(2)) + ".o" }.sorted()
        XCTAssertEqual(lfs64, ["lfs64-fopen64.o", "lfs64-fseeko64.o", "lfs64-fstat64.o", "lfs64-ftello64.o", "lfs64-lseek64.o"])
        XCTAssertEqual(members.filter { $0.hasPrefix("lfs64-") }, lfs64)
        XCTAssertEqual(members, m.compat.members)
        let nm = try run("nm", ["-g", "--defined-only", sysroot.compatArchive]).stdout
        for symbol in ["fstat64", "lseek64", "fopen64", "fseeko64", "ftello64"] {
            XCTAssertTrue(nm.contains(" T \(symbol)\n"), "libcshim_compat.a does not define \(symbol)")
        }
        let raw = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sysroot.metadataFile))) as? [String: Any])
        let compat = try XCTUnwrap(raw["compat"] as? [String: Any])
        XCTAssertEqual(compat["lfs64_included"] as? Bool, true)
        let musl = try XCTUnwrap(raw["musl"] as? [String: Any])
        XCTAssertEqual(musl["version"] as? String, "1.2.5")
        XCTAssertEqual(musl["kind"] as? String, "debian-source")
        XCTAssertEqual(try Sysroot(at: sysroot.path), sysroot)
    }

    func archiveMembers(_ archive: String) throws -> [String] {
        let r = try run("ar", ["t", archive])
        XCTAssertEqual(r.exitStatus, 0, r.stderr)
        return r.stdout.split(separator: "\n").map(String.init)
    }

    // MARK: the key and the cache

    func testSecondPrepareReusesWithoutRebuilding() throws {
        let first = try Self.projectSysroot()
        let before = try FileManager.default.attributesOfItem(atPath: first.metadataFile)[.modificationDate] as? Date
        let start = Date()
        let second = try Self.projectSysroot()
        let elapsed = Date().timeIntervalSince(start)
        print("reusing the sysroot took \(String(format: "%.2f", elapsed)) s (a build took \(first.metadata.buildSeconds) s)")
        XCTAssertEqual(second.path, first.path)
        XCTAssertEqual(second.metadata.buildId, first.metadata.buildId, "the second prepare rebuilt the sysroot")
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: second.metadataFile)[.modificationDate] as? Date, before)
        XCTAssertLessThan(elapsed, 5, "reuse should only hash the inputs")
    }

    func testChangedCompatSourceGivesANewKeyAndFolder() throws {
        let project = try temporaryDirectory("project"), cache = try temporaryDirectory("cache")
        try FileManager.default.createDirectory(atPath: project + "/CShim", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.projectRoot + "/CShim/compat", toPath: project + "/CShim/compat")
        let before = try Sysroot.prepare(projectRoot: project, cacheDirectory: cache, musl: .debianPackage)
        // The key depends on the files' contents, not on where the project lives.
        XCTAssertEqual(before.key, try SysrootRecipe.resolve(projectRoot: Fixtures.projectRoot, musl: .debianPackage).key)

        let file = project + "/CShim/compat/arc4random.c"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try (text + "\n/* changed by SysrootTests */\n").write(toFile: file, atomically: true, encoding: .utf8)
        let after = try Sysroot.prepare(projectRoot: project, cacheDirectory: cache, musl: .debianPackage)
        XCTAssertNotEqual(after.key, before.key)
        XCTAssertNotEqual(after.path, before.path)
        XCTAssertNotEqual(after.metadata.buildId, before.metadata.buildId)
        XCTAssertTrue(FileManager.default.fileExists(atPath: before.metadataFile), "the old sysroot must stay usable")
        let changed = Set(after.metadata.inputs.keys).union(before.metadata.inputs.keys)
            .filter { after.metadata.inputs[$0] != before.metadata.inputs[$0] }
        XCTAssertEqual(changed, ["compat.file:arc4random.c"])

        // A new file under CShim/compat (even a header) changes it too.
        try "/* a header */\n".write(toFile: project + "/CShim/compat/extra.h", atomically: true, encoding: .utf8)
        XCTAssertNotEqual(try SysrootRecipe.resolve(projectRoot: project, musl: .debianPackage).key, after.key)
    }

    func testFourThreadsBuildOneSysrootOnce() throws {
        let cache = try temporaryDirectory("threads")
        let results = ResultBox(count: 4)
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            results.set(i, Result { try Sysroot.prepare(projectRoot: Fixtures.projectRoot, cacheDirectory: cache) })
        }
        let sysroots = try results.values.map { try XCTUnwrap($0).get() }
        XCTAssertEqual(Set(sysroots.map(\.path)).count, 1, "\(sysroots.map(\.path))")
        XCTAssertEqual(Set(sysroots.map(\.key)).count, 1)
        XCTAssertEqual(Set(sysroots.map(\.metadata.buildId)).count, 1, "built more than once")
        XCTAssertEqual(Set(sysroots.map(\.metadata.createdAt)).count, 1, "built more than once")
        let sysroot = sysroots[0]
        let entries = try FileManager.default.contentsOfDirectory(atPath: cache).sorted()
        XCTAssertEqual(entries, [sysroot.metadata.name, sysroot.metadata.name + ".lock"].sorted(), "leftovers in the cache")
        XCTAssertFalse(entries.contains { $0.hasPrefix(".tmp-") })
        // Complete and valid.
        XCTAssertEqual(try archiveMembers(sysroot.compatArchive), sysroot.metadata.compat.members)
        let nm = try run("nm", [sysroot.compatArchive])
        XCTAssertTrue(nm.stdout.contains(" T arc4random\n"), nm.stdout)
        XCTAssertTrue(nm.stdout.contains(" T __wrap_freeaddrinfo\n"), nm.stdout)
        XCTAssertEqual(try Sysroot(at: sysroot.path), sysroot)
    }

    // MARK: the compilers

    func testMuslGCCLinksAStaticHelloWithTheCompatArchive() throws {
        let sysroot = try Self.projectSysroot()
        let dir = try temporaryDirectory("hello")
        try """
        #include <stdio.h>
        #include <stdint.h>
        #include <linux/vm_sockets.h>
        uint32_t arc4random_uniform(uint32_t);
        int main(void) {
            unsigned r = arc4random_uniform(10);
            printf("hello from musl %d\\n", r < 10 && VMADDR_CID_ANY == -1U);
            return 0;
        }
        """.write(toFile: dir + "/hello.c", atomically: true, encoding: .utf8)
        let link = try run(sysroot.muslGCC, ["-static", "-O2"] + sysroot.compatLinkFlags
                           + ["-o", dir + "/hello", dir + "/hello.c", sysroot.compatArchive], cwd: dir)
        XCTAssertEqual(link.exitStatus, 0, link.stderr)
        let out = try run(dir + "/hello", [])
        XCTAssertEqual(out.exitStatus, 0, out.stderr)
        XCTAssertEqual(out.stdout, "hello from musl 1\n")
        let readelf = try run("readelf", ["-lW", dir + "/hello"])
        XCTAssertEqual(readelf.exitStatus, 0, readelf.stderr)
        XCTAssertFalse(readelf.stdout.contains("INTERP"), "a static binary has no loader:\n\(readelf.stdout)")
        let dynamic = try run("readelf", ["-dW", dir + "/hello"])
        XCTAssertFalse(dynamic.stdout.contains("NEEDED"), dynamic.stdout)
        // It really linked against the sysroot's musl, not glibc.
        let info = try ELFFile(path: dir + "/hello")
        XCTAssertEqual(LibcFingerprint.detect(info).libc, .musl)
    }

    func testToolchainClangCompilesAgainstTheSysroot() throws {
        let sysroot = try Self.projectSysroot()
        let clang = ToolchainVersions.detect().root + "/usr/bin/clang"
        guard FileManager.default.isExecutableFile(atPath: clang) else { throw XCTSkip("no clang at \(clang)") }
        let resource = try run(clang, ["-print-resource-dir"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let dir = try temporaryDirectory("clang")
        try """
        #include <stdio.h>
        #include <sys/socket.h>
        #include <linux/vm_sockets.h>
        int probe(void) { struct sockaddr_vm vm = { .svm_family = AF_VSOCK, .svm_cid = VMADDR_CID_ANY }; return printf("%u\\n", vm.svm_cid); }
        """.write(toFile: dir + "/probe.c", atomically: true, encoding: .utf8)
        let r = try run(clang, ["--target=x86_64-unknown-linux-musl", "-nostdinc", "-isystem", resource + "/include",
                                "-isystem", sysroot.includeDirectory, "-c", dir + "/probe.c", "-o", dir + "/probe.o"])
        XCTAssertEqual(r.exitStatus, 0, r.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/probe.o"))
    }

    // MARK: the CLI

    func testCLIPrintsThePathAndTheMetadata() throws {
        let cli = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("static-musl").path
        guard FileManager.default.isExecutableFile(atPath: cli) else { throw XCTSkip("\(cli) is missing: run `swift build` first") }
        // The default musl's sysroot (`--musl` not given).
        let sysroot = try Sysroot.prepare(projectRoot: Fixtures.projectRoot)
        XCTAssertEqual(sysroot.muslVersion, MuslSource.defaultVersion)
        var env = ProcessInfo.processInfo.environment
        env["STATIC_MUSL_ROOT"] = Fixtures.projectRoot
        env.removeValue(forKey: Sysroot.cacheEnvironmentVariable)
        let path = try ProcessRunner.run(cli, ["sysroot", "--print-path"], environment: env, timeout: 300)
        XCTAssertEqual(path.exitStatus, 0, path.stderr)
        XCTAssertEqual(path.stdout, sysroot.path + "\n")
        let json = try ProcessRunner.run(cli, ["sysroot", "--json"], environment: env, timeout: 300)
        XCTAssertEqual(json.exitStatus, 0, json.stderr)
        XCTAssertEqual(try JSONDecoder().decode(SysrootMetadata.self, from: Data(json.stdout.utf8)), sysroot.metadata)
        let text = try ProcessRunner.run(cli, ["sysroot"], environment: env, timeout: 300)
        XCTAssertEqual(text.exitStatus, 0, text.stderr)
        for word in [sysroot.path, sysroot.key, sysroot.metadata.musl.source, "linux-libc-dev", "lfs64", "--wrap=freeaddrinfo"] {
            XCTAssertTrue(text.stdout.contains(word), "summary lacks \(word):\n\(text.stdout)")
        }
    }

    func testThreeProcessesShareOneBuild() throws {
        let cli = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("static-musl").path
        guard FileManager.default.isExecutableFile(atPath: cli) else { throw XCTSkip("\(cli) is missing: run `swift build` first") }
        let cache = try temporaryDirectory("processes")
        var env = ProcessInfo.processInfo.environment
        env["STATIC_MUSL_ROOT"] = Fixtures.projectRoot
        env[Sysroot.cacheEnvironmentVariable] = cache
        let environment = env
        let outputs = OutputBox(count: 3)
        DispatchQueue.concurrentPerform(iterations: 3) { i in
            outputs.set(i, Result { try ProcessRunner.run(cli, ["sysroot", "--json"], environment: environment, timeout: 300) })
        }
        let results = try outputs.values.map { try XCTUnwrap($0).get() }
        for r in results { XCTAssertEqual(r.exitStatus, 0, r.stderr) }
        let metadata = try results.map { try JSONDecoder().decode(SysrootMetadata.self, from: Data($0.stdout.utf8)) }
        XCTAssertEqual(Set(metadata.map(\.buildId)).count, 1, "three processes built \(Set(metadata.map(\.buildId)).count) times")
        let entries = try FileManager.default.contentsOfDirectory(atPath: cache).sorted()
        XCTAssertEqual(entries, [metadata[0].name, metadata[0].name + ".lock"].sorted())
        // And a sysroot emptied by hand is rebuilt, not trusted.
        let sysroot = try Sysroot(at: cache + "/" + metadata[0].name)
        try FileManager.default.removeItem(atPath: sysroot.compatArchive)
        let rebuilt = try Sysroot.prepare(projectRoot: Fixtures.projectRoot, cacheDirectory: cache)
        XCTAssertEqual(rebuilt.path, sysroot.path)
        XCTAssertNotEqual(rebuilt.metadata.buildId, sysroot.metadata.buildId)
        XCTAssertTrue(FileManager.default.fileExists(atPath: rebuilt.compatArchive))
    }

    // MARK: errors and the hash

    func testErrorsSayWhatToDo() throws {
        let empty = try temporaryDirectory("empty")
        XCTAssertThrowsError(try Sysroot.prepare(projectRoot: empty, cacheDirectory: empty + "/cache", musl: .debianPackage)) { error in
            guard case SysrootError.compatSourcesMissing(let path) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, empty + "/CShim/compat")
        }
        XCTAssertThrowsError(try Sysroot(at: empty)) { error in
            guard case SysrootError.notASysroot = error else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains(empty))
        }
        XCTAssertEqual(Sysroot.defaultCacheDirectory(projectRoot: "/p", cacheDirectory: "/c"), "/c")
        if ProcessInfo.processInfo.environment[Sysroot.cacheEnvironmentVariable] == nil {
            XCTAssertEqual(Sysroot.defaultCacheDirectory(projectRoot: "/p"), "/p/.build-static/sysroots")
        }
        XCTAssertEqual(SysrootPackages.upstreamVersion("1.2.3-1"), "1.2.3")
        XCTAssertEqual(SysrootPackages.upstreamVersion("1:1.2.13.dfsg-1"), "1.2.13.dfsg")
        XCTAssertEqual(CompatSources.wrapFlags(in: "/* link: -Wl,--wrap=fts_open */\nint x;"), ["-Wl,--wrap=fts_open"])
    }

    func testLFS64CheckReadsTheArchiveSymbolIndex() throws {
        let sysroot = try Self.projectSysroot()
        let index = try XCTUnwrap(try ArchiveSymbolIndex.read(sysroot.libcArchive))
        for symbol in ["printf", "fstat64", "lseek64", "getaddrinfo", "__libc_start_main"] {
            XCTAssertTrue(index.contains(symbol), "\(symbol) is not in libc.a's symbol index")
        }
        XCTAssertFalse(index.contains("arc4random"), "musl 1.2.3 has no arc4random")
        XCTAssertTrue(try SysrootRecipe.defines("fstat64", archive: sysroot.libcArchive))
        // Agrees with nm on our own archive.
        let compatIndex = try XCTUnwrap(try ArchiveSymbolIndex.read(sysroot.compatArchive))
        let nm = try run("nm", ["-g", "--defined-only", sysroot.compatArchive]).stdout.split(separator: "\n")
            .compactMap { line -> String? in
                let parts = line.split(separator: " ")
                return parts.count == 3 ? String(parts[2]) : nil
            }
        XCTAssertEqual(compatIndex, Set(nm))
        // An archive without an index (or without members) defines nothing.
        let dir = try temporaryDirectory("armap")
        XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/empty.a", contents: Data("!<arch>\n".utf8)))
        XCTAssertNil(try ArchiveSymbolIndex.read(dir + "/empty.a"))
        XCTAssertFalse(try SysrootRecipe.defines("fstat64", archive: dir + "/empty.a"))
        XCTAssertThrowsError(try SysrootRecipe.defines("fstat64", archive: dir + "/missing.a"))
    }

    func testSHA256MatchesKnownVectorsAndSha256sum() throws {
        XCTAssertEqual(SysrootSHA256.hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SysrootSHA256.hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SysrootSHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // Chunked updates across block boundaries give the same digest.
        let bytes = Data((0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        var h = SysrootSHA256()
        for chunk in stride(from: 0, to: bytes.count, by: 37) { h.update(bytes[chunk..<min(chunk + 37, bytes.count)]) }
        XCTAssertEqual(h.hexDigest(), SysrootSHA256.hex(bytes))
        let libc = "/usr/lib/x86_64-linux-musl/libc.a"
        guard FileManager.default.fileExists(atPath: libc) else { return }
        let start = Date()
        let ours = try SysrootSHA256.hexReading(libc)
        print("SHA-256 of libc.a in Swift took \(String(format: "%.2f", Date().timeIntervalSince(start))) s")
        let theirs = try run("sha256sum", [libc]).stdout.split(separator: " ").first.map(String.init)
        XCTAssertEqual(ours, theirs)
        XCTAssertEqual(try SysrootSHA256.hex(fileAt: libc), theirs)
    }
}

private final class OutputBox: @unchecked Sendable {
    private var slots: [Result<ProcessResult, Error>?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: Result<ProcessResult, Error>) { lock.lock(); slots[i] = value; lock.unlock() }
    var values: [Result<ProcessResult, Error>?] { lock.lock(); defer { lock.unlock() }; return slots }
}

/// Results written by parallel workers.
private final class ResultBox: @unchecked Sendable {
    private var slots: [Result<Sysroot, Error>?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: Result<Sysroot, Error>) { lock.lock(); slots[i] = value; lock.unlock() }
    var values: [Result<Sysroot, Error>?] { lock.lock(); defer { lock.unlock() }; return slots }
}
