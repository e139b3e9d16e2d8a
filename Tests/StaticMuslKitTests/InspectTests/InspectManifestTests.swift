import Foundation
import XCTest
@testable import StaticMuslKit

/// Inspect and scratch results recorded in a dist folder's manifest.json.
final class InspectManifestTests: XCTestCase {
    func testResultsLandInExtraAndUnknownKeysSurvive() throws {
        let dist = FileManager.default.temporaryDirectory.appendingPathComponent("inspect-dist-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dist + "/musl", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dist) }
        try FileManager.default.copyItem(atPath: try InspectTestSupport.cBinary(.muslStatic, strip: false), toPath: dist + "/musl/hello")
        let manifest = """
        {"schema_version":1,"generated":"now","future_key":{"kept":true},
         "toolchain":{"swift":"6","root":"/opt/swift","musl":"1.2.3","glibc":"2.36","gcc":"12"},
         "products":[{"product":"hello","package_path":".","variants":[
           {"variant":"musl","status":"ok","path":"musl/hello","size":1,"static":true,"needed":[],"extra":{"allocator_note":"x"}},
           {"variant":"sdk","status":"skipped","reason":"no SDK"}]}]}
        """
        try manifest.write(toFile: dist + "/manifest.json", atomically: true, encoding: .utf8)

        let report = try InspectSuite.inspectDist(dist, record: true)
        XCTAssertEqual(report.errors, [])
        XCTAssertEqual(report.files.map { "\($0.product ?? "")/\($0.variant ?? "")" }, ["hello/musl"])
        let run = ScratchReadinessReport.Run(binary: "hello musl", kind: "swift", product: "hello", variant: "musl", libc: "musl",
                                             config: "docker", verdict: .ok, reason: "exited 0", exitStatus: 0, signal: nil,
                                             checks: [:], stderr: "", elapsedMs: 1)
        let readiness = ScratchReadinessReport(versions: report.versions, environment: [:], configs: [], runs: [run], findings: [])
        try ManifestRecording.record(distDirectory: dist, inspect: nil, readiness: readiness)

        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dist + "/manifest.json"))) as? [String: Any])
        XCTAssertEqual((object["future_key"] as? [String: Any])?["kept"] as? Bool, true)
        let variants = try XCTUnwrap(((object["products"] as? [[String: Any]])?.first)?["variants"] as? [[String: Any]])
        let extra = try XCTUnwrap(variants[0]["extra"] as? [String: String])
        XCTAssertEqual(extra["inspect.class"], "static")
        XCTAssertEqual(extra["inspect.libc"], "musl")
        XCTAssertEqual(extra["scratch.docker"], "ok: exited 0")
        XCTAssertEqual(extra["allocator_note"], "x")
        XCTAssertNil((variants[1]["extra"] as? [String: String])?["inspect.class"], "the skipped sdk variant has no binary")
        // The typed model still loads it.
        XCTAssertEqual(try ArtifactStore(distDirectory: dist).artifacts(product: "hello").first?.entry.extra?["inspect.libc"], "musl")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dist + "/inspect.json"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: dist + "/scratch-readiness.json"))
    }
}
