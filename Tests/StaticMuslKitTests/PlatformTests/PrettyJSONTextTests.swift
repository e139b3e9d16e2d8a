import Foundation
import XCTest
@testable import StaticMuslKit

/// `PrettyJSONText` must write the bytes `JSONEncoder` writes in the
/// project's form (pretty, sorted keys, slashes unescaped): inspect's JSON
/// did not change when it stopped using the encoder.
final class PrettyJSONTextTests: XCTestCase {
    func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return e
    }

    func testStringsEscapeAsTheEncoderDoes() throws {
        var every = ""
        for byte in 0..<0x80 { every.unicodeScalars.append(Unicode.Scalar(UInt8(byte))) }
        let samples = [every, "", "plain", "a/b\\c\"d", "é ü 𝄞 \u{2028}", "tab\there\nnew line"]
        for sample in samples {
            XCTAssertEqual(String(decoding: PrettyJSONText.strings([sample]).data, as: UTF8.self),
                           String(decoding: try encoder().encode([sample]), as: UTF8.self), sample.debugDescription)
        }
    }

    func testNestingEmptyContainersNullsAndKeyOrder() throws {
        struct Sample: Encodable {
            var zeta = [[Int]]()
            var alpha: String? = nil
            var nested = ["b_key": [1, -2], "a": [], "b": [0]]
            var flag = false
            var count = -9_007_199_254_740_993
            enum CodingKeys: String, CodingKey { case zeta, alpha, nested, flag, count }
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(zeta, forKey: .zeta); try c.encode(alpha, forKey: .alpha); try c.encode(nested, forKey: .nested)
                try c.encode(flag, forKey: .flag); try c.encode(count, forKey: .count)
            }
        }
        let text = PrettyJSONText.object([
            ("zeta", .array([])), ("alpha", .null), ("flag", .bool(false)), ("count", .int(-9_007_199_254_740_993)),
            ("nested", .object([("b_key", .array([.int(1), .int(-2)])), ("a", .array([])), ("b", .array([.int(0)]))])),
        ])
        XCTAssertEqual(String(decoding: text.data, as: UTF8.self), String(decoding: try encoder().encode(Sample()), as: UTF8.self))
    }

    /// The whole inspect report, with every optional field both set and unset.
    func testInspectReportMatchesTheEncoder() throws {
        let file = try InspectSuite.inspect(path: InspectGoldenTests.folder + "/tiny-dynamic-pie")
        var odd = file
        odd.path = "/odd\"path\\with\ttab/é"
        odd.product = "Sample"; odd.variant = "musl"; odd.interpreter = nil; odd.buildID = "00ff"; odd.libcReason = "why\nnot"
        odd.warnings = ["w1", ""]; odd.resolver = nil
        let report = InspectReport(versions: ToolchainVersions(swift: "6.3.1", root: "/opt/swift", musl: "1.2.3", glibc: "2.36"),
                                   files: [file, odd], errors: [InspectFailure(path: "/x", reason: "no \"such\" file")])
        XCTAssertEqual(String(decoding: try report.jsonData(), as: UTF8.self),
                       String(decoding: try encoder().encode(report), as: UTF8.self))
        let empty = InspectReport(versions: report.versions, files: [], errors: [])
        XCTAssertEqual(try empty.jsonData(), try encoder().encode(empty))
    }
}
