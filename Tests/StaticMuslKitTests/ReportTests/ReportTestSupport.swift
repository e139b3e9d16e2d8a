import Foundation
import XCTest
@testable import StaticMuslKit

/// The report's fixtures: each suite's own JSON, as its type writes it
/// (checked by ReportFixtureTests), with invented numbers; rendered into temporary folders.
enum ReportFixtures {
    static let directory = Fixtures.projectRoot + "/Tests/Fixtures/report"
    static let schema = Fixtures.projectRoot + "/docs/matrix.schema.json"

    static func read(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }
}

extension XCTestCase {
    /// A copy of the fixture folder, with `edit` applied to the named files' JSON.
    func copyReportFixtures(editing edits: [String: (inout [String: Any]) -> Void] = [:],
                            removing removed: [String] = []) throws -> String {
        let dir = try temporaryDirectory("report-in")
        for name in try FileManager.default.contentsOfDirectory(atPath: ReportFixtures.directory) where name.hasSuffix(".json") {
            guard !removed.contains(name) else { continue }
            var data = try Data(contentsOf: URL(fileURLWithPath: ReportFixtures.directory + "/" + name))
            if let edit = edits[name] {
                var object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
                edit(&object)
                data = try JSONSerialization.data(withJSONObject: object)
            }
            try data.write(to: URL(fileURLWithPath: dir + "/" + name))
        }
        return dir
    }

    /// Renders the suites' JSON in `input` into a new temporary folder.
    func renderReport(_ input: String = ReportFixtures.directory) throws -> (ReportRunner.Outcome, String) {
        let out = try temporaryDirectory("report-out")
        return (try ReportRunner.render(fromJSON: input, out: out), out)
    }
}
