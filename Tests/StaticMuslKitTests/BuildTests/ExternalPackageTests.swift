import Foundation
import XCTest
@testable import StaticMuslKit

/// build-static.sh on packages that this project does not otherwise use.
final class BuildExternalPackageTests: XCTestCase {
    func build(_ fixture: String, product: String, variants: [String]) throws -> ArtifactStore {
        var options = BuildStatic.Options(out: Fixtures.projectRoot + "/.build-static/dist-\(fixture)")
        options.packagePath = Fixtures.projectRoot + "/Tests/Fixtures/\(fixture)"
        options.products = [product]
        options.variants = variants
        return try Fixtures.store(options)
    }

    /// swift-argument-parser + its own C target, as a static musl binary.
    func testArgumentParserPackageWithCTargetBuildsAndRuns() throws {
        let store = try build("ExternalCLI", product: "checksum-cli", variants: ["musl"])
        let a = try store.artifact(product: "checksum-cli", variant: .musl)
        XCTAssertEqual(a.entry.isStatic, true)
        let ok = try ProcessRunner.run(a.path, ["--upper", "-c", "2", "abc"], timeout: 30)
        XCTAssertEqual(ok.exitStatus, 0, ok.stderr)
        // Adler-32("ABC") = 0x018d00c7, computed by the C target compiled by musl-gcc.
        XCTAssertEqual(ok.stdout, "ABC 18d00c7\nABC 18d00c7\nc-target-libc: musl\n")
        let bad = try ProcessRunner.run(a.path, ["-c", "0", "x"], timeout: 30)
        XCTAssertNotEqual(bad.exitStatus, 0)
        XCTAssertTrue(bad.stderr.contains("--count must be positive"), bad.stderr)
    }

    /// A C++ target compiles for musl with the sysroot's libstdc++ headers and
    /// links against the same libstdc++.a as glibc: containers, threads,
    /// exceptions across frames, iostreams and std::locale's ctype facet (the
    /// glibc locale object libstdc++.a expects comes from CShim/compat) print
    /// exactly what glibc-dynamic prints.
    func testCxxTargetBuildsForMuslLikeGlibc() throws {
        let store = try build("NeedsCxx", product: "app", variants: ["musl", "glibc-dynamic"])
        let musl = try store.artifact(product: "app", variant: .musl)
        XCTAssertEqual(musl.entry.isStatic, true)
        XCTAssertTrue(musl.entry.compiler?.contains("C++ (libstdc++") ?? false, musl.entry.compiler ?? "nil")
        // The C++ objects' undefined symbols were checked against the link's archives, and all resolve.
        let check = try XCTUnwrap(musl.entry.cxxSymbols, "the manifest has no cxx_symbols for a C++ product")
        XCTAssertGreaterThanOrEqual(check.objects, 1)
        XCTAssertGreaterThan(check.undefined, 0)
        XCTAssertEqual(check.missing, [])
        let m = try ProcessRunner.run(musl.path, timeout: 30)
        let g = try ProcessRunner.run(try store.artifact(product: "app", variant: .glibcDynamic).path, timeout: 30)
        XCTAssertEqual(m.exitStatus, 0, m.stderr)
        XCTAssertEqual(g.exitStatus, 0, g.stderr)
        XCTAssertTrue(g.stdout.contains("exception: thrown 3 frames down\n"), g.stdout)
        XCTAssertTrue(g.stdout.contains("ctype: alpha=10 digit=2 punct=2 upper=2 toupper=HELLO, WORLD 42!\n"), g.stdout)
        XCTAssertEqual(m.stdout, g.stdout)
    }

    /// The musl objects are cached by their exact compile command and reused
    /// until SwiftPM recompiles the source (a newer glibc object).
    func testMuslObjectsAreReusedUntilSwiftPMRecompiles() throws {
        let root = Fixtures.projectRoot
        var options = BuildOptions(packagePath: root + "/Tests/Fixtures/NeedsCxx", products: ["app"], variants: [.musl],
                                   out: root + "/.build-static/dist-object-cache")
        let engine = BuildEngine(projectRoot: root)
        func sources() throws -> Manifest.SourceCounts? {
            let entry = try engine.run(options).store.artifact(product: "app", variant: .musl).entry
            return entry.sources
        }
        _ = try sources()
        XCTAssertEqual(try sources(), Manifest.SourceCounts(compiled: 0, reused: 1))
        let plan = try LinkPlan.load(scratch: options.resolvedScratch(projectRoot: root), product: "app")
        let object = try XCTUnwrap(plan.compileCommands.first { $0.source.hasSuffix("answer.cpp") }?.object)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: object)
        XCTAssertEqual(try sources(), Manifest.SourceCounts(compiled: 1, reused: 0))
        options.out += "-2"
        XCTAssertEqual(try sources(), Manifest.SourceCounts(compiled: 0, reused: 1))
    }

    /// The CLI: bad input is one line and exit status 2; a failed variant
    /// is exit status 1 after the manifest is written, with one summary line
    /// per failure; a compile error is reported as a compile error (file,
    /// target, the compiler's first error, the flag set), and another
    /// product of the same package, with no C++, still builds.
    func testCLIExitStatusesAndCompileErrors() throws {
        let cli = try BuildCLI.path()
        let unknown = try ProcessRunner.run(cli, ["build", "--variant", "bogus"], timeout: 60)
        XCTAssertEqual(unknown.exitStatus, 2)
        XCTAssertEqual(unknown.stderr, "static-musl build: unknown variant 'bogus' (musl, glibc-static, glibc-dynamic, embedded-musl, sdk, all)\n")
        let noPackage = try ProcessRunner.run(cli, ["build", "--package-path", "/tmp", "--no-report"], timeout: 60)
        XCTAssertEqual(noPackage.exitStatus, 2)
        XCTAssertEqual(noPackage.stderr, "static-musl build: /tmp has no Package.swift\n")
        let badOption = try ProcessRunner.run(cli, ["build", "--no-such-option"], timeout: 60)
        XCTAssertEqual(badOption.exitStatus, 2, badOption.stderr)

        let out = Fixtures.projectRoot + "/.build-static/dist-cli-failures"
        try? FileManager.default.removeItem(atPath: out)
        let package = Fixtures.projectRoot + "/Tests/Fixtures/NeedsCxx"
        let r = try ProcessRunner.run(cli, ["build", "--package-path", package, "--product", "glibc-only", "--product", "plain",
                                            "--variant", "musl", "--out", out],
                                      environment: ProcessInfo.processInfo.environment.merging(["STATIC_MUSL_QUIET": "1"]) { $1 },
                                      timeout: 1800)
        XCTAssertEqual(r.exitStatus, 1, r.stderr)
        let failures = r.stderr.split(separator: "\n").filter { $0.hasPrefix("FAILED ") }
        XCTAssertEqual(failures.count, 1, r.stderr)
        let line = String(failures.first ?? "")
        XCTAssertTrue(line.hasPrefix("FAILED glibc-only (musl): compile failed: "), line)
        XCTAssertTrue(line.contains("Sources/CGlibcOnly/version.c (target CGlibcOnly)"), line)
        XCTAssertTrue(line.contains("gnu/libc-version.h"), line)
        XCTAssertTrue(line.contains("clang --target=x86_64-unknown-linux-musl"), line)
        XCTAssertFalse(line.contains("link failed"), line)
        let store = try ArtifactStore(distDirectory: out)
        let plain = try store.artifact(product: "plain", variant: .musl)
        XCTAssertEqual(plain.entry.isStatic, true)
        XCTAssertEqual(try ProcessRunner.run(plain.path, timeout: 30).stdout, "plain: no C, no C++\n")
        let failed = try XCTUnwrap(store.manifest.products.first { $0.product == "glibc-only" }?.variants.first)
        XCTAssertEqual(failed.status, "failed")
        XCTAssertEqual(failed.reason.map { "FAILED glibc-only (musl): " + $0 }, line)
    }
}

/// The static-musl CLI that `swift test` builds next to the test bundle.
enum BuildCLI {
    static func path() throws -> String {
        let cli = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("static-musl").path
        guard FileManager.default.isExecutableFile(atPath: cli) else {
            XCTFail("\(cli) is missing: run `swift build` first"); throw XCTSkip("no CLI")
        }
        return cli
    }
}
