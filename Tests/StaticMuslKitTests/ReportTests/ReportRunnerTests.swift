import Foundation
import XCTest
@testable import StaticMuslKit

/// The orchestrator with stand-in suites over a saved dist: what each suite
/// returns, throws or lacks ends up in the report, explicitly.
final class ReportRunnerTests: XCTestCase {
    override func setUp() { setenv("STATIC_MUSL_QUIET", "1", 1) }

    func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: ReportFixtures.directory + "/" + name))
    }

    struct Planted: Error, CustomStringConvertible { var description: String { "planted failure" } }

    func testSuitesThatAreMissingOrFailAreRecorded() throws {
        let dist = try temporaryDirectory("dist")
        try fixture("manifest.json").write(to: URL(fileURLWithPath: dist + "/manifest.json"))
        let inspect = try fixture("inspect.json")
        let seen = LockedBox<[String]>([])
        let suites: [ReportRunner.ReportSuite] = [
            .init(.inspect) { ctx in
                seen.mutate { $0 = ctx.productArtifacts.map(\.variant.rawValue) }
                return inspect
            },
            .init(.dns) { _ in throw ReportRunner.SuiteUnavailable() },
            .init(.malloc) { _ in throw Planted() },
        ]
        var options = ReportRunner.Options()
        options.out = try temporaryDirectory("run")
        options.distDirectory = dist
        options.buildMissingProbes = false
        // A dns.json from an earlier run in the same folder must not survive into this one.
        try FileManager.default.createDirectory(atPath: options.out + "/suites", withIntermediateDirectories: true)
        try fixture("dns.json").write(to: URL(fileURLWithPath: options.out + "/suites/dns.json"))
        let outcome = try ReportRunner.run(options, projectRoot: Fixtures.projectRoot, suites: suites)
        let s = outcome.report.sections

        XCTAssertEqual(seen.value, ["musl", "glibc-static", "glibc-dynamic", "embedded-musl", "musl+mimalloc"],
                       "the suite gets the product's built variants")
        XCTAssertEqual(s.build.status, .ok)
        XCTAssertEqual(s.inspect.status, .ok)
        XCTAssertEqual(s.inspect.rows.count, 5)
        XCTAssertEqual(s.dns.missingText, "not run: suite not available in this build")
        XCTAssertEqual(s.malloc.missingText, "failed: planted failure")
        XCTAssertEqual(s.conformance.missingText, "not run: not in this report's suite list")
        XCTAssertEqual(s.conformance.status, .notRun)
        XCTAssertFalse(outcome.report.header.toolchain.musl.isEmpty)
        XCTAssertFalse(outcome.report.header.toolchain.glibc.isEmpty)
        XCTAssertEqual(outcome.report.header.mode, "quick")

        // The saved suite JSON renders the same report again.
        let again = try ReportRunner.render(fromJSON: options.out + "/suites", out: options.out + "/again")
        XCTAssertEqual(again.report.sections.dns.missingText, s.dns.missingText)
        XCTAssertEqual(again.report.sections.malloc.missingText, s.malloc.missingText)
        XCTAssertEqual(again.report.header.generated, outcome.report.header.generated)
        XCTAssertEqual(again.report.verdict.map { $0.cells.mapValues(\.text) }, outcome.report.verdict.map { $0.cells.mapValues(\.text) })
    }

    /// The shipped wiring list: every suite that is not wired yet says so.
    func testUnwiredSuitesSayNotAvailable() throws {
        let dist = try temporaryDirectory("dist")
        try fixture("manifest.json").write(to: URL(fileURLWithPath: dist + "/manifest.json"))
        var options = ReportRunner.Options()
        options.out = try temporaryDirectory("run")
        options.distDirectory = dist
        options.buildMissingProbes = false
        let outcome = try ReportRunner.run(options, projectRoot: Fixtures.projectRoot)
        XCTAssertEqual(Set(ReportRunner.suites.map(\.id)), Set(SuiteID.allCases).subtracting([.build]))
        for (name, missing) in outcome.report.sections.statuses where name != "build" {
            // A wired suite either runs or fails with its own reason; an unwired one says it is not available.
            if let missing, missing.hasPrefix("not run") {
                XCTAssertEqual(missing, "not run: suite not available in this build", name)
            }
        }
        XCTAssertEqual(outcome.report.sections.build.status, .ok)
        // The server bench neither builds nor installs wrk when the dist lacks vapor-hello and building is off.
        XCTAssertEqual(outcome.report.sections.server.status, .failed)
        XCTAssertTrue(outcome.report.sections.server.reason?.hasPrefix("no vapor-hello build of every variant in ") == true,
                      outcome.report.sections.server.reason ?? "")
    }

    /// Shared suites run side by side (they meet at a rendezvous that only
    /// concurrency can pass); an exclusive one runs after them, alone.
    func testExclusiveSuiteRunsAloneAfterSharedOnes() throws {
        let dist = try temporaryDirectory("dist")
        try fixture("manifest.json").write(to: URL(fileURLWithPath: dist + "/manifest.json"))
        let a = DispatchSemaphore(value: 0), b = DispatchSemaphore(value: 0)
        let active = LockedBox(0), log = LockedBox<[String]>([])
        func enter(_ name: String) { active.mutate { $0 += 1 }; log.mutate { $0.append("start \(name) active=\(active.value)") } }
        func leave(_ name: String) { active.mutate { $0 -= 1 }; log.mutate { $0.append("end \(name)") } }
        let inspect = try fixture("inspect.json"), dns = try fixture("dns.json"), malloc = try fixture("malloc.json")
        let server = try fixture("server.json")
        let suites: [ReportRunner.ReportSuite] = [
            .init(.inspect) { _ in
                enter("inspect"); defer { leave("inspect") }
                a.signal()
                guard b.wait(timeout: .now() + 20) == .success else { throw Planted() }
                return inspect
            },
            .init(.malloc, exclusive: true) { _ in enter("malloc"); defer { leave("malloc") }; return malloc },
            .init(.server, exclusive: true) { _ in enter("server"); defer { leave("server") }; return server },
            .init(.dns) { _ in
                enter("dns"); defer { leave("dns") }
                b.signal()
                guard a.wait(timeout: .now() + 20) == .success else { throw Planted() }
                return dns
            },
        ]
        var options = ReportRunner.Options()
        options.out = try temporaryDirectory("run")
        options.distDirectory = dist
        options.buildMissingProbes = false
        let s = try ReportRunner.run(options, projectRoot: Fixtures.projectRoot, suites: suites).report.sections
        XCTAssertEqual([s.inspect.status, s.dns.status, s.malloc.status, s.server.status], [.ok, .ok, .ok, .ok],
                       "the rendezvous needs both at once")
        XCTAssertEqual(log.value.suffix(4), ["start malloc active=1", "end malloc", "start server active=1", "end server"],
                       "the benchmarks run last, one at a time, in report order: " + log.value.joined(separator: "\n"))
    }

    /// A size run's row: the total, the explained share and the largest archives with what pulled them in.
    func testSizeRowReadsTheSizeReport() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: ReportFixtures.directory + "/size.json"))
        let runs = try JSONDecoder().decode(SizeRuns.self, from: data)
        var report = runs.runs[0].size
        report.archives = Array(report.archives.prefix(2))
        let row = SizeRuns.row(variant: "musl", product: "Sample", report: report)
        XCTAssertEqual(row.id, "size/Sample/musl")
        XCTAssertEqual(row.totalBytes, report.fileSize)
        XCTAssertEqual(try XCTUnwrap(row.explainedPercent), report.explainedFraction * 100, accuracy: 1e-9)
        XCTAssertEqual(row.top.map(\.name), report.archives.sorted { $0.bytes > $1.bytes }.map(\.archive))
        XCTAssertEqual(row.top.first { $0.name == "libswiftCore.a" }?.chain, [try XCTUnwrap(report.archives[0].why?.text)])
        report.archives = []
        report.modules = [.init(module: "Sample", kind: "swiftpm-target", bytes: 10), .init(module: "libc.a", kind: "system-archive", bytes: 90)]
        XCTAssertEqual(SizeRuns.row(variant: "musl", product: "Sample", report: report).top.map(\.name), ["libc.a", "Sample"],
                       "without archives, the modules, largest first")
    }

    func testMissingDistIsAFailedBuildNotACrash() throws {
        var options = ReportRunner.Options()
        options.out = try temporaryDirectory("run")
        options.distDirectory = options.out + "/no-such-dist"
        options.buildMissingProbes = false
        let outcome = try ReportRunner.run(options, projectRoot: Fixtures.projectRoot, suites: [
            .init(.dns) { _ in XCTFail("a suite ran without a build"); return Data() },
        ])
        XCTAssertEqual(outcome.report.sections.build.status, .failed)
        XCTAssertTrue(outcome.report.sections.build.reason?.contains("no manifest at") == true)
        XCTAssertEqual(outcome.report.sections.dns.missingText, "not run: the build failed, so there was nothing to run it on")
    }
}

final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T { lock.lock(); defer { lock.unlock() }; return stored }
    func mutate(_ f: (inout T) -> Void) { lock.lock(); defer { lock.unlock() }; f(&stored) }
}
