import Foundation
import XCTest
@testable import StaticMuslKit

/// The report's fixtures: each suite's own JSON, as its type writes it
/// (checked by ReportFixtureTests), with invented numbers; rendered into temporary folders.
enum ReportFixtures {
    static let directory = Fixtures.projectRoot + "/Tests/Fixtures/report"
    static let schema = Fixtures.projectRoot + "/docs/matrix.schema.json"

    static func temporaryDirectory(_ name: String) throws -> String {
        let dir = NSTemporaryDirectory() + "static-musl-report-test-\(name)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A copy of the fixture folder, with `edit` applied to the named files' JSON.
    static func copy(editing edits: [String: (inout [String: Any]) -> Void] = [:],
                     removing removed: [String] = []) throws -> String {
        let dir = try temporaryDirectory("in")
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasSuffix(".json") {
            guard !removed.contains(name) else { continue }
            var data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
            if let edit = edits[name] {
                var object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
                edit(&object)
                data = try JSONSerialization.data(withJSONObject: object)
            }
            try data.write(to: URL(fileURLWithPath: dir + "/" + name))
        }
        return dir
    }

    static func render(_ input: String = directory) throws -> (ReportRunner.Outcome, String) {
        let out = try temporaryDirectory("out")
        return (try ReportRunner.render(fromJSON: input, out: out), out)
    }

    static func read(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }
}
