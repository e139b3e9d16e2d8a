import Foundation
import XCTest
@testable import StaticMuslKit

final class ConformanceSuiteTests: XCTestCase {
    func testCompareGivesSameDiffersCrashAndShowsUnexplainedDifferences() {
        let outputs = ["a": ["x.same": "1", "x.diff": "1", "x.new": "1", "x.crash": "ok"],
                       "b": ["x.same": "1", "x.diff": "2", "x.new": "2", "x.crash": "crash: signal 11 (SIGSEGV)"]]
        let table = ["x.diff": "because", "x.crash": "known crash"]
        let r = ConformanceSuite.compare(order: ["probe.libc", "x.same", "x.diff", "x.new", "x.crash"], labels: ["a", "b"],
                                         outputs: outputs, explanations: table)
        XCTAssertEqual(r.map(\.id), ["x.same", "x.diff", "x.new", "x.crash"])
        XCTAssertEqual(r.map(\.verdict), [.same, .differs, .differs, .crash])
        XCTAssertEqual(r[1].explanation, "because")
        XCTAssertFalse(r[2].explained)
        XCTAssertTrue(r[2].explanation?.hasPrefix("UNEXPLAINED") == true)
        XCTAssertEqual(r[3].results["b"], "crash: signal 11 (SIGSEGV)")
    }

    func testExplanationLookupUsesTheLongestPrefix() {
        let t = ["crash.": "generic", "crash.uncaught_error": "specific", "nozoneinfo.time.": "a", "nozoneinfo.time.tz.": "b"]
        XCTAssertEqual(ConformanceExplanations.lookup("crash.abort", in: t), "generic")
        XCTAssertEqual(ConformanceExplanations.lookup("crash.uncaught_error", in: t), "specific")
        XCTAssertEqual(ConformanceExplanations.lookup("nozoneinfo.time.tz.berlin", in: t), "b")
        XCTAssertNil(ConformanceExplanations.lookup("libc.other", in: t))
    }

    func testRunnerResumesAfterACrashAndBlamesTheRunningCheck() throws {
        var calls: [[String]] = []
        let run = try ConformanceSuite.runProbe(ids: ["probe.libc", "a", "b", "c"]) { args in
            calls.append(args)
            if args.isEmpty {
                return ProcessResult(exitStatus: nil, signal: 11, stdout: "probe.libc\tmusl\na\t1\n", stderr: "", timedOut: false, elapsedMs: 1)
            }
            return ProcessResult(exitStatus: 0, signal: nil, stdout: "c\t3\n", stderr: "", timedOut: false, elapsedMs: 1)
        }
        XCTAssertEqual(calls, [[], ["--after", "b"]])
        XCTAssertEqual(run.values["b"], "crash: signal 11 (SIGSEGV)")
        XCTAssertEqual(run.values["c"], "3")
        XCTAssertEqual(run.crashes, 1)
    }

    func testUnknownVariantIsAClearError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("conformance-dist-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try #"{"schema_version":1,"generated":"x","toolchain":{"swift":"","root":"","musl":"","glibc":""},"products":[]}"#
            .write(to: dir.appendingPathComponent("manifest.json"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ConformanceSuite.runFromDist(dir.path, variants: ["bogus"])) { error in
            XCTAssertTrue("\(error)".contains("unknown variant 'bogus'"), "\(error)")
        }
        XCTAssertThrowsError(try ConformanceSuite.runFromDist(dir.path, variants: [])) { error in
            XCTAssertTrue("\(error)".contains("no ok build of conformance-probe"), "\(error)")
        }
    }

    /// The whole suite on the fixture's builds: three Swift variants, >= 60
    /// checks each, every difference explained, no unexplained musl crash.
    func testThreeVariantsRunAtLeast60ChecksAndEveryDifferenceIsExplained() throws {
        try Fixtures.requireLab([.mount, .pid])
        let store = try Fixtures.store()
        let artifacts = store.artifacts(product: ConformanceSuite.product)
        let variants = Set(artifacts.map(\.variant))
        for v in [Variant.glibcDynamic, .glibcStatic, .musl] { XCTAssertTrue(variants.contains(v), "no \(v.rawValue) build") }
        let report = try ConformanceSuite.run(.init(artifacts: artifacts.filter { [.glibcDynamic, .glibcStatic, .musl].contains($0.variant) }))
        XCTAssertEqual(report.variants.map(\.label), ["swift-glibc-dynamic", "swift-glibc-static", "swift-musl-static"])
        XCTAssertEqual(report.variants.map(\.probeLibc), ["glibc", "glibc", "musl"])
        XCTAssertGreaterThanOrEqual(report.checks.filter { !$0.id.hasPrefix("nozoneinfo.") }.count, 60)
        XCTAssertEqual(report.scenarios.first?.status, "ran")
        let unexplained = report.checks.filter { !$0.explained }.map { "\($0.id): \($0.results)" }
        XCTAssertEqual(unexplained, [], "unexplained differences")
        XCTAssertEqual(report.summary.muslCrashes, 0)
        // The CShim/compat fixes hold in the real musl build.
        for id in ["foundation.fm.enumerate", "foundation.fm.create_move", "foundation.fm.remove_tree", "libc.glob_fnmatch",
                   "libc.getaddrinfo.host_missing"] {
            XCTAssertEqual(report.checks.first { $0.id == id }?.verdict, .same, id)
        }
        let musl = "swift-musl-static"
        XCTAssertEqual(report.checks.first { $0.id == "libc.getaddrinfo.host_missing" }?.results[musl], "[]")
        XCTAssertTrue(report.checks.first { $0.id == "libc.regex.posix" }?.results[musl]?.contains("re_nsub=2 exec=0 m0=1-4") == true)
        XCTAssertTrue(report.checks.first { $0.id == "crash.fatalError" }?.results[musl]?.hasPrefix("SIGILL message=Fatal error: conformance boom") == true)
    }

    /// The other musl as a column of its own, beside the default and glibc:
    /// its probe says its version, every difference from glibc is explained,
    /// and each check where 1.2.5 and 1.2.3 answer differently is printed
    /// (docs/conformance.md gives the count).
    func testMusl125IsAColumnOfItsOwnAndEveryDifferenceIsExplained() throws {
        try Fixtures.requireLab([.mount, .pid])
        let store = try Fixtures.store()
        let base = store.artifacts(product: ConformanceSuite.product).filter { [.glibcDynamic, .musl].contains($0.variant) }
        let version = MuslSource.otherVersion, label = "swift-musl-\(version)-static"
        let other = try OtherMuslBuild.artifact(product: ConformanceSuite.product, version: version, besides: store.root,
                                                projectRoot: Fixtures.projectRoot)
        XCTAssertEqual(other.muslVersion, version)
        XCTAssertTrue(other.isOtherMuslVersion)
        var options = ConformanceSuite.Options(artifacts: base + [other])
        options.withoutZoneinfo = false
        let report = try ConformanceSuite.run(options)
        XCTAssertEqual(report.variants.map(\.label), ["swift-glibc-dynamic", "swift-musl-static", label])
        XCTAssertEqual(report.variants.map(\.probeLibc), ["glibc", "musl", "musl"])
        let unexplained = report.checks.filter { !$0.explained }.map { "\($0.id): \($0.results)" }
        XCTAssertEqual(unexplained, [], "unexplained differences")
        XCTAssertEqual(report.summary.muslCrashes, 0)
        let changed = report.checks.filter { $0.results["swift-musl-static"] != $0.results[label] }
        print("musl \(version) against \(MuslSource.defaultVersion): \(changed.count) of \(report.checks.count) checks answer differently" +
              changed.map { "\n  \($0.id): \(MuslSource.defaultVersion) \($0.results["swift-musl-static"] ?? "") | \(version) \($0.results[label] ?? "")" }.joined())
    }

    /// Sandbox.hiddenFolders (added for the no-zoneinfo scenario) empties a
    /// folder inside the namespace only.
    func testHiddenFolderIsEmptyInsideAndUntouchedOutside() throws {
        try Fixtures.requireLab([.mount, .pid])
        var sandbox = Sandbox(namespaces: [.mount, .pid])
        sandbox.hiddenFolders = ["/usr/share/zoneinfo"]
        let inside = try Lab.run(["/bin/ls", "-A", "/usr/share/zoneinfo"], in: sandbox, timeout: 30)
        XCTAssertEqual(inside.exitStatus, 0, inside.stderr)
        XCTAssertEqual(inside.stdout, "")
        let outside = try FileManager.default.contentsOfDirectory(atPath: "/usr/share/zoneinfo")
        XCTAssertTrue(outside.contains("Europe"), "the host's zoneinfo must stay intact")
    }

    func testProbeOutputIsDeterministic() throws {
        let store = try Fixtures.store()
        let musl = try store.artifact(product: ConformanceSuite.product, variant: .musl)
        let env = ["PATH": "/usr/bin:/bin", "HOME": "/root"]
        let first = try ProcessRunner.run(musl.path, [], environment: env, timeout: 60)
        let second = try ProcessRunner.run(musl.path, [], environment: env, timeout: 60)
        XCTAssertTrue(first.succeeded, first.stderr)
        XCTAssertEqual(first.stdout, second.stdout)
        XCTAssertGreaterThanOrEqual(first.stdout.split(separator: "\n").count, 61)
    }
}
