import Foundation
import XCTest
@testable import StaticMuslKit

/// `dns --scenario-table`, on the sample report's checked-in dns.json (no lab, no build):
/// one row per scenario, glibc-dynamic's and the default musl's C probe, the verdict's fields.
final class DNSReportTableTests: XCTestCase {
    func testEveryScenarioIsARowWithWhatEachLibcSaw() throws {
        let report = try DNSReport.read(path: Fixtures.projectRoot + "/docs/sample-report/suites/dns.json")
        let lines = report.scenarioTable().split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "| scenario | glibc (all 4 builds) | musl \(report.versions.musl) (C and Swift) | verdict |")
        XCTAssertEqual(lines.count, 2 + report.verdicts.count)
        XCTAssertTrue(lines.contains("| `ndots-0` | ok [10.0.0.1], 4 q | EAI_NONAME, 2 q | differs: status, addresses, queried names |"),
                      lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("| `ndots-1` | ok [10.0.0.1], 2 q | ok [10.0.0.1], 2 q | same |"))
        // More than two addresses: the first two and the count.
        let hundred = try XCTUnwrap(lines.first { $0.hasPrefix("| `hundred-a-records` |") })
        XCTAssertTrue(hundred.contains("ok [10.1.0.1, 10.1.0.2 … (100)]"), hundred)
        XCTAssertTrue(hundred.hasSuffix("| differs: addresses |"), hundred)
        // Each row's verdict names only fields the full verdict names.
        for v in report.verdicts where v.verdict.hasPrefix("differs: ") {
            let row = try XCTUnwrap(lines.first { $0.hasPrefix("| `\(v.scenario)` |") })
            for field in ["status", "addresses", "queried names"] where row.hasSuffix(field + " |") || row.contains(field + ", ") {
                XCTAssertTrue(v.verdict.contains(field + " "), "\(v.scenario): \(field) is not in \(v.verdict)")
            }
        }
    }
}
