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
        let dist = try ReportFixtures.temporaryDirectory("dist")
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
        options.out = try ReportFixtures.temporaryDirectory("run")
        options.distDirectory = dist
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
        let dist = try ReportFixtures.temporaryDirectory("dist")
        try fixture("manifest.json").write(to: URL(fileURLWithPath: dist + "/manifest.json"))
        var options = ReportRunner.Options()
        options.out = try ReportFixtures.temporaryDirectory("run")
        options.distDirectory = dist
        let outcome = try ReportRunner.run(options, projectRoot: Fixtures.projectRoot)
        XCTAssertEqual(Set(ReportRunner.suites.map(\.id)), Set(SuiteID.allCases).subtracting([.build]))
        for (name, missing) in outcome.report.sections.statuses where name != "build" {
            // A wired suite either runs or fails with its own reason; an unwired one says it is not available.
            if let missing, missing.hasPrefix("not run") {
                XCTAssertEqual(missing, "not run: suite not available in this build", name)
            }
        }
        XCTAssertEqual(outcome.report.sections.build.status, .ok)
    }

    func testMissingDistIsAFailedBuildNotACrash() throws {
        var options = ReportRunner.Options()
        options.out = try ReportFixtures.temporaryDirectory("run")
        options.distDirectory = options.out + "/no-such-dist"
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
