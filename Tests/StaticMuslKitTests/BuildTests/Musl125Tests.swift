import Foundation
import XCTest
@testable import StaticMuslKit

/// musl 1.2.5, built here from Debian trixie's source package
/// (docs/sysroot.md), next to bookworm's musl-dev 1.2.3. The Sample and the
/// swift-nio echo build against it, say so in the manifest, are static, and
/// print in the scratch root what they print on 1.2.3 and on glibc. Which of
/// the two is the default (`MuslSource.defaultVersion`) decides only which
/// builds are the suites' own and which are made here.
final class Musl125Tests: XCTestCase {
    static let version = "1.2.5"
    static let older = "1.2.3"
    static let source = "Debian source package musl 1.2.5-3.1~deb13u1 (trixie), built here"

    // MARK: the builds (once per test process, Fixtures.store)

    /// This package's Sample on musl `version`: the suites' own build when
    /// that is the default musl (it also holds glibc-dynamic), otherwise
    /// the musl variant alone, in a dist of its own.
    static func sample(musl version: String = version) throws -> ArtifactStore {
        if version == MuslSource.defaultVersion { return try Fixtures.store() }
        var options = BuildStatic.Options(out: Fixtures.projectRoot + "/.build-static/dist-sample-musl-\(version)")
        options.products = ["Sample"]
        options.variants = ["musl"]
        options.muslVersion = version
        return try Fixtures.store(options)
    }

    /// Tests/Fixtures/RealPackages' swift-nio TCP echo on musl `version`:
    /// RealPackageTests' build when that is the default musl, otherwise the
    /// musl variant alone, in a dist of its own.
    static func nio(musl version: String = version) throws -> ArtifactStore {
        if version == MuslSource.defaultVersion { return try RealPackageTests.store() }
        var options = BuildStatic.Options(out: Fixtures.projectRoot + "/.build-static/dist-nio-musl-\(version)")
        options.packagePath = RealPackageTests.packagePath
        options.products = ["nio-echo"]
        options.variants = ["musl"]
        options.muslVersion = version
        return try Fixtures.store(options)
    }

    func run(_ tool: String, _ args: [String] = [], cwd: String? = nil, timeout: Double = 120) throws -> ProcessResult {
        try ProcessRunner.run(tool, args, environment: ["PATH": "/usr/bin:/bin"], currentDirectory: cwd, timeout: timeout)
    }

    // MARK: selection

    func testMuslVersionSelectionAndUsageErrors() throws {
        XCTAssertEqual(MuslSource.versions, ["1.2.3", "1.2.5"])
        XCTAssertEqual(MuslSource.defaultVersion, "1.2.5", "the Static Linux SDK's musl")
        XCTAssertEqual(MuslSource.otherVersions, ["1.2.3"])
        XCTAssertEqual(DNSVariant.cMuslOther.rawValue, "c-musl-1.2.3-static")
        XCTAssertEqual(DNSVariant(rawValue: "swift-musl-1.2.3-static"), .swiftMuslOther)
        XCTAssertEqual(MallocVariant.muslOtherStatic.rawValue, "musl-1.2.3-static")
        XCTAssertEqual(MuslSource.defaultSource, .debianSource(version: "1.2.5"))
        XCTAssertEqual(MuslSource(version: "1.2.3"), .debianPackage)
        XCTAssertEqual(MuslSource(version: "1.2.5"), .debianSource(version: "1.2.5"))
        XCTAssertNil(MuslSource(version: "1.2.4"))
        XCTAssertThrowsError(try MuslSource.named("1.2")) { error in
            XCTAssertEqual("\(error)", "unknown musl version '1.2' (choices: 1.2.3, 1.2.5)")
        }
        XCTAssertEqual(MuslSource.debianSource(version: "1.2.5").kind, "debian-source")

        // The build option: the default is 1.2.5, 1.2.3 is selectable; anything unknown is bad input.
        let root = Fixtures.projectRoot
        XCTAssertEqual(try BuildStatic.engineOptions(BuildStatic.Options(out: "/tmp/x"), projectRoot: root).muslVersion, "1.2.5")
        var options = BuildStatic.Options(out: "/tmp/x")
        options.muslVersion = "1.2.3"
        XCTAssertEqual(try BuildStatic.engineOptions(options, projectRoot: root).muslVersion, "1.2.3")
        options.muslVersion = "1.2.4"
        XCTAssertThrowsError(try BuildStatic.engineOptions(options, projectRoot: root)) { error in
            XCTAssertEqual(error as? BuildOptionError, .unknownMusl("1.2.4"))
            XCTAssertEqual("\(error)", "--musl must be one of 1.2.3, 1.2.5, not '1.2.4'")
        }

        // The CLI: exit 2 and one line naming the choices, before any work.
        let cli = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("static-musl").path
        guard FileManager.default.isExecutableFile(atPath: cli) else { throw XCTSkip("\(cli) is missing: run `swift build` first") }
        var env = ProcessInfo.processInfo.environment
        env["STATIC_MUSL_ROOT"] = root
        let out = try temporaryDirectory("musl125-cli") + "/dist"
        for args in [["sysroot", "--musl", "1.2.4"], ["build", "--musl", "1.2.4", "--variant", "musl", "--out", out]] {
            let r = try ProcessRunner.run(cli, args, environment: env, timeout: 120)
            XCTAssertEqual(r.exitStatus, 2, "\(args): \(r.stderr)")
            let lines = r.stderr.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("1.2.3, 1.2.5"), r.stderr)
            XCTAssertTrue(r.stderr.contains("'1.2.4'"), r.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "a usage error must not start the build")
    }

    // MARK: the musl build and its LFS64 step

    /// musl's own build is cached by its inputs; its libc.a lacks the LFS64
    /// link symbols, and the sysroot's compat archive supplies them.
    func testLFS64SymbolsComeFromTheCompatArchiveOn125() throws {
        let sysroot = try Sysroot.prepare(projectRoot: Fixtures.projectRoot, musl: .debianSource(version: Self.version))
        let buildDirectory = try XCTUnwrap(sysroot.metadata.musl.buildDirectory)
        let record = try JSONDecoder().decode(MuslBuildRecord.self,
                                              from: Data(contentsOf: URL(fileURLWithPath: buildDirectory + "/musl-build.json")))
        XCTAssertEqual(record.version, "1.2.5")
        XCTAssertEqual(record.debianVersion, "1.2.5-3.1~deb13u1")
        XCTAssertEqual(record.suite, "trixie")
        XCTAssertEqual(record.source, Self.source)
        XCTAssertEqual(record.libcSha256, sysroot.metadata.musl.libcSha256, "the sysroot's libc.a is not the one built here")
        XCTAssertTrue(buildDirectory.hasSuffix("/.build-static/musl/musl-1.2.5-\(record.key.prefix(16))"), buildDirectory)
        print("musl 1.2.5: fetch \(record.fetchSeconds) s, build \(record.buildSeconds) s (\(record.createdAt)); sysroot \(sysroot.metadata.buildSeconds) s")
        // A second prepare reuses both folders.
        let again = try Sysroot.prepare(projectRoot: Fixtures.projectRoot, musl: .debianSource(version: Self.version))
        XCTAssertEqual(again.metadata.buildId, sysroot.metadata.buildId)

        let dir = try temporaryDirectory("musl125-lfs64")
        // What glibc-compiled code (libstdc++.a's basic_file.o) asks for: the link symbols themselves.
        try """
        #include <fcntl.h>
        #include <stdio.h>
        #include <sys/stat.h>
        #include <sys/types.h>
        #include <unistd.h>
        int fstat64(int, struct stat *);
        off_t lseek64(int, off_t, int);
        int main(void) {
            int fd = open("/proc/self/exe", O_RDONLY);
            struct stat st;
            if (fd < 0 || fstat64(fd, &st) != 0) return 1;
            off_t end = lseek64(fd, 0, SEEK_END);
            printf("lfs64: %d\\n", end == st.st_size && end > 0);
            return 0;
        }
        """.write(toFile: dir + "/lfs.c", atomically: true, encoding: .utf8)
        let without = try run(sysroot.muslGCC, ["-static", "-o", dir + "/lfs-bare", dir + "/lfs.c"], cwd: dir)
        XCTAssertNotEqual(without.exitStatus, 0, "musl 1.2.5's libc.a alone should not define fstat64")
        XCTAssertTrue(without.stderr.contains("fstat64"), without.stderr)
        let link = try run(sysroot.muslGCC, ["-static", "-O2"] + sysroot.compatLinkFlags
                           + ["-o", dir + "/lfs", dir + "/lfs.c", sysroot.compatArchive], cwd: dir)
        XCTAssertEqual(link.exitStatus, 0, link.stderr)
        let r = try run(dir + "/lfs")
        XCTAssertEqual(r.exitStatus, 0, r.stderr)
        XCTAssertEqual(r.stdout, "lfs64: 1\n")
    }

    // MARK: the Sample

    func testSampleManifestSaysMusl125FromTheDebianSource() throws {
        let store = try Self.sample()
        let toolchain = store.manifest.toolchain
        XCTAssertEqual(toolchain.musl, "1.2.5")
        let sysroot = try XCTUnwrap(toolchain.sysroot, "the manifest names no sysroot")
        XCTAssertEqual(sysroot.musl, "1.2.5")
        XCTAssertEqual(sysroot.source, Self.source)
        XCTAssertTrue((sysroot.path as NSString).lastPathComponent.hasPrefix("musl-1.2.5-"), sysroot.path)
        XCTAssertEqual(try Sysroot(at: sysroot.path).metadata.compat.lfs64Included, true)
        let musl = try store.artifact(product: "Sample", variant: .musl)
        XCTAssertEqual(musl.entry.status, "ok", musl.entry.reason ?? "")
        XCTAssertTrue(musl.entry.compiler?.hasSuffix("musl 1.2.5") ?? false, musl.entry.compiler ?? "nil")
        // The 1.2.3 build beside it says 1.2.3 and musl-dev.
        let older = try Self.sample(musl: Self.older).manifest.toolchain
        XCTAssertEqual(older.musl, "1.2.3")
        XCTAssertEqual(older.sysroot?.musl, "1.2.3")
        XCTAssertTrue(older.sysroot?.source.hasPrefix("Debian package musl-dev 1.2.3") ?? false, older.sysroot?.source ?? "nil")
        XCTAssertEqual(try Sysroot(at: try XCTUnwrap(older.sysroot?.path)).metadata.compat.lfs64Included, false)
    }

    func testSampleOn125IsStaticAndRunsInTheScratchRootLike123AndGlibc() throws {
        let musl = try Self.sample().artifact(product: "Sample", variant: .musl)
        XCTAssertEqual(musl.entry.isStatic, true)
        XCTAssertNil(musl.entry.interpreter)
        XCTAssertEqual(musl.entry.needed ?? ["?"], [])
        XCTAssertFalse(try run("readelf", ["-lW", musl.path]).stdout.contains("INTERP"))
        XCTAssertFalse(try run("readelf", ["-dW", musl.path]).stdout.contains("(NEEDED)"))
        XCTAssertEqual(LibcFingerprint.detect(try ELFFile(path: musl.path)).libc, .musl)

        func lines(_ path: String) throws -> [Substring] {
            let r = try run(path, timeout: 60)
            XCTAssertEqual(r.exitStatus, 0, "\(path): \(r.stderr)")
            return r.stdout.split(separator: "\n")
        }
        let on125 = try lines(musl.path)
        let on123 = try lines(try Self.sample(musl: Self.older).artifact(product: "Sample", variant: .musl).path)
        let glibc = try lines(try Fixtures.store().artifact(product: "Sample", variant: .glibcDynamic).path)
        XCTAssertEqual(on125.first, "libc: musl 1.2.5")
        XCTAssertEqual(on123.first.map(String.init), "libc: musl 1.2.3")
        XCTAssertTrue(glibc.first?.hasPrefix("libc: glibc ") ?? false, "\(glibc)")
        XCTAssertGreaterThanOrEqual(glibc.count, 8)
        XCTAssertEqual(on125.dropFirst(), on123.dropFirst(), "musl 1.2.5 differs from musl 1.2.3")
        XCTAssertEqual(on125.dropFirst(), glibc.dropFirst(), "musl 1.2.5 differs from glibc-dynamic")

        try Fixtures.requireLab()
        var options = ScratchRunner.Options(binary: musl.path)
        options.timeout = 60
        let scratch = try ScratchRunner.run(options)
        XCTAssertEqual(scratch.exitStatus, 0, scratch.stderr)
        XCTAssertEqual(scratch.stdout.split(separator: "\n"), on125, "musl 1.2.5 in the scratch root differs from its run on the host")
        print("Sample on musl 1.2.5: \(musl.entry.size ?? 0) bytes (\(musl.entry.strippedSize ?? 0) stripped), "
              + "musl 1.2.3: \(try Self.sample(musl: Self.older).artifact(product: "Sample", variant: .musl).entry.size ?? 0) bytes")
    }

    // MARK: swift-nio

    func testSwiftNIOEchoOn125IsStaticAndRunsInTheScratchRootLikeGlibc() throws {
        let store = try Self.nio()
        XCTAssertEqual(store.manifest.toolchain.musl, "1.2.5")
        XCTAssertEqual(store.manifest.toolchain.sysroot?.musl, "1.2.5")
        XCTAssertEqual(store.manifest.toolchain.sysroot?.source, Self.source)
        let musl = try store.artifact(product: "nio-echo", variant: .musl)
        XCTAssertEqual(musl.entry.status, "ok", musl.entry.reason ?? "")
        XCTAssertTrue(musl.entry.compiler?.contains("clang \(HostTriple.musl)") ?? false, musl.entry.compiler ?? "nil")
        XCTAssertTrue(musl.entry.compiler?.hasSuffix("musl 1.2.5") ?? false, musl.entry.compiler ?? "nil")
        XCTAssertEqual(musl.entry.isStatic, true)
        XCTAssertEqual(musl.entry.needed ?? ["?"], [])
        XCTAssertFalse(try run("readelf", ["-lW", musl.path]).stdout.contains("INTERP"))

        let glibc = try run(try RealPackageTests.store().artifact(product: "nio-echo", variant: .glibcDynamic).path)
        XCTAssertEqual(glibc.exitStatus, 0, glibc.stderr)
        XCTAssertTrue(glibc.stdout.hasPrefix("nio-echo: 10000 messages echoed over 4 event-loop threads\n"), glibc.stdout)
        XCTAssertTrue(glibc.stdout.hasSuffix("nio-echo: ok\n"), glibc.stdout)
        let on123 = try run(try Self.nio(musl: Self.older).artifact(product: "nio-echo", variant: .musl).path)
        XCTAssertEqual(on123.exitStatus, 0, on123.stderr)
        XCTAssertEqual(on123.stdout, glibc.stdout)

        try Fixtures.requireLab()
        var options = ScratchRunner.Options(binary: musl.path)
        options.timeout = 120
        let scratch = try ScratchRunner.run(options)
        XCTAssertEqual(scratch.exitStatus, 0, scratch.stderr)
        XCTAssertEqual(scratch.stdout, glibc.stdout, "musl 1.2.5 in the scratch root differs from glibc-dynamic")
        XCTAssertEqual(scratch.stdout, on123.stdout, "musl 1.2.5 in the scratch root differs from musl 1.2.3")
        print("nio-echo: musl 1.2.5 in scratch \(Int(scratch.elapsedMs)) ms, musl 1.2.3 \(Int(on123.elapsedMs)) ms, "
              + "glibc-dynamic \(Int(glibc.elapsedMs)) ms; \(musl.entry.size ?? 0) bytes on 1.2.5")
    }
}
