import XCTest
import Foundation
@testable import StaticMuslKit

/// The report's fixtures are the suites' own JSON: each file is a value of the
/// suite's own type, as `JSONCoding.pretty` writes it. Edit a fixture by
/// editing the JSON, then run with STATIC_MUSL_WRITE_FIXTURES=1 to write it
/// again in that form; a file the suite's type cannot read fails here first.
final class ReportFixtureTests: XCTestCase {
    func testEachFixtureIsItsSuitesOwnType() throws {
        try check(ReportHeader.self, "header.json")
        try check(Manifest.self, SuiteID.build.fileName)
        try check(InspectReport.self, SuiteID.inspect.fileName)
        try check(ScratchReadinessReport.self, SuiteID.scratch.fileName)
        try check(DNSReport.self, SuiteID.dns.fileName)
        try check(MallocReport.self, SuiteID.malloc.fileName)
        try check(ServerBench.Report.self, SuiteID.server.fileName)
        try check(ConformanceReport.self, SuiteID.conformance.fileName)
        try check(ABIReport.self, SuiteID.abi.fileName)
        try check(SizeRuns.self, SuiteID.size.fileName)
    }

    /// Every registered suite has a fixture, and the registry's type reads it.
    func testEverySuiteHasAFixture() throws {
        let (outcome, _) = try renderReport()
        for (name, missing) in outcome.report.sections.statuses {
            XCTAssertNil(missing, "\(name): the fixture folder should give every suite a section")
        }
    }

    private func check<T: Codable>(_ type: T.Type, _ file: String) throws {
        let path = ReportFixtures.directory + "/" + file
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let value: T
        do { value = try JSONDecoder().decode(T.self, from: data) } catch {
            return XCTFail("\(file) is not a \(T.self): \(ReportError.describe(error))")
        }
        let encoded = try JSONCoding.pretty(value) + Data("\n".utf8)
        if ProcessInfo.processInfo.environment["STATIC_MUSL_WRITE_FIXTURES"] == "1" {
            try encoded.write(to: URL(fileURLWithPath: path))
            return
        }
        XCTAssertEqual(String(decoding: data, as: UTF8.self), String(decoding: encoded, as: UTF8.self),
                       "\(file) is not as \(T.self) writes it (STATIC_MUSL_WRITE_FIXTURES=1 writes it so)")
    }
}
