import Foundation
import XCTest
@testable import StaticMuslKit

/// `static-musl inspect` end to end: the JSON interface and exit status 2
/// with one line for files it cannot parse.
final class InspectCLITests: XCTestCase {
    static var cli: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("static-musl").path
    }

    func requireCLI() throws -> String {
        // `swift test` builds every product next to the test bundle.
        guard FileManager.default.isExecutableFile(atPath: Self.cli) else {
            XCTFail("\(Self.cli) is missing: run `swift build` first"); throw XCTSkip("no CLI")
        }
        return Self.cli
    }

    /// A --root that does not exist is refused (exit 2), not read as a root
    /// without nsswitch.conf, which lowered the NSS risk to low.
    func testMissingRootIsAnInputError() throws {
        let cli = try requireCLI()
        let r = try ProcessRunner.run(cli, ["inspect", "--root", "/nonexistent-root", cli], timeout: 60)
        XCTAssertEqual(r.exitStatus, 2)
        XCTAssertTrue(r.stderr.contains("--root /nonexistent-root: no such folder"), r.stderr)
    }

    /// Operands the CLI sets aside from ArgumentParser (`BulkOperands`) come
    /// back in order, around options and their values.
    func testManyFilesKeepTheirOrderAroundOptions() throws {
        let cli = try requireCLI()
        let tiny = InspectGoldenTests.folder + "/tiny-dynamic-pie", go = InspectGoldenTests.folder + "/go-static"
        let paths = (0..<300).map { $0 % 3 == 0 ? go : tiny }
        let arguments = ["inspect", paths[0], "--json"] + paths[1..<150] + ["--root", "/"] + paths[150...]
        let r = try ProcessRunner.run(cli, arguments, timeout: 120)
        XCTAssertEqual(r.exitStatus, 0, r.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let files = try XCTUnwrap(object["files"] as? [[String: Any]])
        XCTAssertEqual(files.compactMap { $0["path"] as? String }, paths)
        XCTAssertEqual(files.compactMap { $0["libc"] as? String }, paths.map { $0 == go ? "none" : "glibc" })
    }

    func testJSONHasTheInterfaceKeys() throws {
        let cli = try requireCLI()
        let hello = try InspectTestSupport.cBinary(.muslStaticPie, strip: true)
        let r = try ProcessRunner.run(cli, ["inspect", "--json", hello], timeout: 60)
        XCTAssertEqual(r.exitStatus, 0, r.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let files = try XCTUnwrap(object["files"] as? [[String: Any]])
        XCTAssertEqual(files.count, 1)
        for key in ["path", "class", "libc", "libc_evidence", "interpreter", "needed", "stripped", "swift_runtime",
                    "embedded_swift", "nss_risk", "size", "arch", "warnings"] {
            XCTAssertTrue(files[0].keys.contains(key), "missing \(key)")
        }
        XCTAssertEqual(files[0]["class"] as? String, "static-pie")
        XCTAssertEqual(files[0]["libc"] as? String, "musl")
        XCTAssertTrue(files[0]["interpreter"] is NSNull)
        XCTAssertNotNil((object["versions"] as? [String: Any])?["musl"])
    }

    func testUnparseableFilesExitTwoWithOneLineEach() throws {
        let cli = try requireCLI()
        let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: InspectTestSupport.cBinary(.muslStatic, strip: true))))
        let dir = try temporaryDirectory("inspect-cli")
        var b32 = good; b32[4] = 1
        var bigEndian = good; bigEndian[5] = 2
        var arm = good; arm[18] = 40
        var absurd = good; for i in 40..<48 { absurd[i] = 0xff }
        let cases: [(String, [UInt8], String)] = [
            ("text", Array("hello\n".utf8), "not an ELF file"),
            ("empty", [], "not an ELF file"),
            ("truncated", Array(good.prefix(50)), "truncated"),
            ("elf32", b32, "32-bit"),
            ("big-endian", bigEndian, "big-endian"),
            ("arm32", arm, "unsupported architecture"),
            ("absurd-offset", absurd, "bad offset"),
        ]
        for (name, bytes, expected) in cases {
            let path = "\(dir)/\(name)"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            for args in [["inspect", path], ["inspect", "--json", path]] {
                let r = try ProcessRunner.run(cli, args, timeout: 60)
                XCTAssertEqual(r.exitStatus, 2, "\(name): \(r.stderr)")
                XCTAssertNil(r.signal, name)
                let lines = r.stderr.split(separator: "\n")
                XCTAssertEqual(lines.count, 1, "\(name): \(r.stderr)")
                XCTAssertTrue(lines.first?.contains(expected) ?? false, "\(name): \(r.stderr)")
                XCTAssertTrue(lines.first?.contains(path) ?? false, "\(name): \(r.stderr)")
            }
        }
        // A folder and a missing path are bad input too.
        for path in [dir, dir + "/missing"] {
            let r = try ProcessRunner.run(cli, ["inspect", path], timeout: 60)
            XCTAssertEqual(r.exitStatus, 2, r.stderr)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        }
    }
}
