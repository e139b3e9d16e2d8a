import Foundation
import XCTest
@testable import StaticMuslKit

/// matrix.json against docs/matrix.schema.json.
final class ReportSchemaTests: XCTestCase {
    override func setUp() { setenv("STATIC_MUSL_QUIET", "1", 1) }

    func testFixtureReportValidates() throws {
        let (outcome, out) = try renderReport()
        XCTAssertEqual(outcome.report.schemaVersion, MatrixReport.currentSchema)
        let errors = try JSONSchemaValidator(schemaAt: ReportFixtures.schema)
            .validate(Data(contentsOf: URL(fileURLWithPath: out + "/matrix.json")))
        XCTAssertEqual(errors, [], "matrix.json violates the schema")
    }

    func testReportWithNoSuitesValidates() throws {
        let empty = try temporaryDirectory("empty")
        let (_, out) = try renderReport(empty)
        let errors = try JSONSchemaValidator(schemaAt: ReportFixtures.schema)
            .validate(Data(contentsOf: URL(fileURLWithPath: out + "/matrix.json")))
        XCTAssertEqual(errors, [])
    }

    /// The validator must be able to fail: plant violations and expect each one named.
    func testValidatorRejectsPlantedViolations() throws {
        let (_, out) = try renderReport()
        var doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/matrix.json"))) as? [String: Any])
        var header = try XCTUnwrap(doc["header"] as? [String: Any])
        var toolchain = try XCTUnwrap(header["toolchain"] as? [String: Any])
        toolchain.removeValue(forKey: "musl")
        header["toolchain"] = toolchain
        doc["header"] = header
        var sections = try XCTUnwrap(doc["sections"] as? [String: Any])
        sections["dns"] = ["status": "not_run", "rows": []]                      // no reason
        var malloc = try XCTUnwrap(sections["malloc"] as? [String: Any])
        var rows = try XCTUnwrap(malloc["rows"] as? [[String: Any]])
        rows[0]["threads"] = 0
        malloc["rows"] = rows
        sections["malloc"] = malloc
        var server = try XCTUnwrap(sections["server"] as? [String: Any])
        var serverRows = try XCTUnwrap(server["rows"] as? [[String: Any]])
        serverRows[1].removeValue(forKey: "p99_ms")
        server["rows"] = serverRows
        sections["server"] = server
        doc["sections"] = sections
        doc["schema_version"] = 2
        let errors = try JSONSchemaValidator(schemaAt: ReportFixtures.schema)
            .validate(JSONSerialization.data(withJSONObject: doc))
        let text = errors.joined(separator: "\n")
        XCTAssertTrue(text.contains("$.header.toolchain: required field musl is missing"), text)
        XCTAssertTrue(text.contains("$.sections.dns: matches none of anyOf"), text)
        XCTAssertTrue(text.contains("$.sections.malloc.rows[0].threads: 0 is below the minimum 1"), text)
        XCTAssertTrue(text.contains("$.sections.server.rows[1]: required field p99_ms is missing"), text)
        XCTAssertTrue(text.contains("$.schema_version: must be 1"), text)
    }

    /// A second opinion from python3-jsonschema (Debian's package, installed
    /// when missing and root), so the small validator is not the only judge.
    func testPythonJSONSchemaAgrees() throws {
        let python = try ReportTools.pythonWithJSONSchema()
        let (_, out) = try renderReport()
        let script = """
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1]))
        jsonschema.Draft202012Validator.check_schema(schema)
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[2]))))
        for e in errors: print(list(e.absolute_path), e.message)
        sys.exit(1 if errors else 0)
        """
        let r = try ProcessRunner.run(python, ["-c", script, ReportFixtures.schema, out + "/matrix.json"], timeout: 60)
        XCTAssertEqual(r.exitStatus, 0, r.stdout + r.stderr)
    }
}

/// External tools the report tests use, installed from Debian's packages when
/// missing and root; otherwise the test is skipped loudly with the reason.
enum ReportTools {
    static func skip(_ why: String) -> XCTSkip {
        print("SKIP: \(why)")
        return XCTSkip(why)
    }

    static func aptInstall(_ package: String) -> String? {
        guard getuid() == 0 else { return "not root, cannot apt-get install \(package)" }
        guard let apt = ProcessRunner.which("apt-get") else { return "no apt-get to install \(package)" }
        print("installing \(package) from Debian's packages (apt-get install -y \(package))")
        let env = ProcessInfo.processInfo.environment.merging(["DEBIAN_FRONTEND": "noninteractive"]) { $1 }
        var r = try? ProcessRunner.run(apt, ["install", "-y", "--no-install-recommends", package], environment: env, timeout: 900)
        if r?.succeeded != true {
            _ = try? ProcessRunner.run(apt, ["update"], environment: env, timeout: 600)
            r = try? ProcessRunner.run(apt, ["install", "-y", "--no-install-recommends", package], environment: env, timeout: 900)
        }
        guard let r, r.succeeded else { return "apt-get install \(package) failed: \(r?.stderr.suffix(400) ?? "did not start")" }
        return nil
    }

    static func pythonWithJSONSchema() throws -> String {
        func works(_ python: String) -> Bool {
            (try? ProcessRunner.run(python, ["-c", "import jsonschema"], timeout: 30))?.succeeded == true
        }
        for p in ["/usr/bin/python3", "python3"] where works(p) { return p }
        if let why = aptInstall("python3-jsonschema") { throw skip("python3 jsonschema is unavailable: \(why)") }
        guard works("/usr/bin/python3") else { throw skip("python3-jsonschema installed but /usr/bin/python3 cannot import it") }
        return "/usr/bin/python3"
    }

    static func chromium() throws -> String {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            if let path = ProcessRunner.which(name) { return path }
        }
        if let why = aptInstall("chromium") { throw skip("headless Chromium is unavailable: \(why)") }
        guard let path = ProcessRunner.which("chromium") else { throw skip("chromium installed but not on PATH") }
        return path
    }
}
