import Foundation
import XCTest
@testable import StaticMuslKit

/// The built CLI with bad input, subcommand by subcommand (scratch and run
/// have their own tests): the exit status of docs/exit-codes.md, exactly one
/// stderr line naming the subcommand, and no Foundation error text.
final class CLIExitStatusTests: XCTestCase {
    static let foundationTexts = ["couldn’t", "couldn't", "NSCocoaErrorDomain", "Error Domain=", "The operation could not be completed",
                                  "The file “", "no such file, or not readable"]

    var scratch = ""
    var missing: String { scratch + "/missing" }

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cli-exit-\(UUID())").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: scratch) }

    struct Outcome { var status: Int32; var stdout: String; var stderr: String }

    func run(_ arguments: [String]) throws -> Outcome {
        let r = try ProcessRunner.run(try BuildCLI.path(), arguments, timeout: 120)
        return Outcome(status: r.exitStatus ?? -1, stdout: r.stdout, stderr: r.stderr)
    }

    /// One stderr line, `static-musl NAME: …`, the expected status, no Foundation text.
    func expect(_ arguments: [String], _ status: ExitStatus, name: String, file: StaticString = #filePath, line: UInt = #line) throws -> Outcome {
        let o = try run(arguments)
        let what = arguments.joined(separator: " ")
        XCTAssertEqual(o.status, status.rawValue, "\(what): \(o.stderr)", file: file, line: line)
        let lines = o.stderr.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        XCTAssertEqual(lines.count, 1, "\(what): \(o.stderr)", file: file, line: line)
        XCTAssertTrue(o.stderr.hasPrefix("static-musl \(name): "), "\(what): \(o.stderr)", file: file, line: line)
        for text in Self.foundationTexts {
            XCTAssertFalse(o.stderr.contains(text), "\(what) leaks Foundation's text: \(o.stderr)", file: file, line: line)
        }
        return o
    }

    func testBuild() throws {
        _ = try expect(["build", "--variant", "bogus"], .usage, name: "build")
        _ = try expect(["build", "--package-path", missing, "--product", "X"], .usage, name: "build")
    }

    func testInspect() throws {
        let o = try expect(["inspect", missing], .usage, name: "inspect")
        XCTAssertTrue(o.stderr.contains("\(missing): ") && o.stderr.contains("no such file"), o.stderr)
        _ = try expect(["inspect", "--dist", missing], .usage, name: "inspect")
        // A usage error shows the subcommand's own usage, not the top level's.
        let usage = try expect(["inspect", "--bogus", "x"], .usage, name: "inspect")
        XCTAssertTrue(usage.stdout.hasPrefix("Usage: static-musl inspect "), usage.stdout)
    }

    func testDNS() throws {
        let o = try expect(["dns", "--scenarios", missing, "--no-build"], .usage, name: "dns")
        XCTAssertTrue(o.stderr.contains("\(missing): no such file"), o.stderr)
        _ = try expect(["_dns-serve"], .usage, name: "_dns-serve")
        let notThere = try expect(["dns", "--from-json", missing], .usage, name: "dns")
        XCTAssertTrue(notThere.stderr.contains("--from-json \(missing): no such file"), notThere.stderr)
        try Data("{\"suite\": \"malloc\"}".utf8).write(to: URL(fileURLWithPath: scratch + "/other.json"))
        let other = try expect(["dns", "--from-json", scratch + "/other.json"], .usage, name: "dns")
        XCTAssertTrue(other.stderr.contains("not a dns suite report"), other.stderr)
    }

    /// `versions`: one `NAME VALUE` line each, the default musl and every `--musl` choice.
    func testVersionsNamesTheDefaultMuslAndTheChoices() throws {
        let o = try run(["versions"])
        XCTAssertEqual(o.status, 0, o.stderr)
        let lines = Dictionary(o.stdout.split(separator: "\n").map { line -> (String, String) in
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(lines["musl"], MuslSource.defaultVersion)
        XCTAssertEqual(lines["musl-choices"], MuslSource.versions.joined(separator: ","))
        XCTAssertEqual(lines["musl-dev"], ToolchainVersions.installedMuslVersion())
        XCTAssertEqual(Set(lines.keys), ["swift", "musl", "musl-choices", "musl-dev", "glibc", "toolchain-root"])
    }

    /// `dns --from-json` renders a saved run (the sample report's) without running the lab:
    /// its summary, and the Markdown table of every scenario where a musl differs from glibc.
    func testDNSFromJSONRendersASavedRun() throws {
        let saved = Fixtures.projectRoot + "/docs/sample-report/suites/dns.json"
        let table = scratch + "/dns.md"
        let o = try run(["dns", "--from-json", saved, "--markdown", table])
        XCTAssertEqual(o.status, 0, o.stderr)
        let report = try DNSReport.read(path: saved)
        XCTAssertEqual(o.stdout, report.summary() + "\n")
        XCTAssertEqual(try String(contentsOfFile: table, encoding: .utf8), report.alternativesMarkdown() + "\n")
        XCTAssertTrue(report.alternativesMarkdown().hasPrefix("| scenario | glibc | musl \(report.versions.musl) |"))
        XCTAssertTrue(report.alternativesMarkdown().contains("| `tc-with-tcp` |"), "a scenario where one musl version differs from glibc is a row")
    }

    func testBench() throws {
        _ = try expect(["bench", "inspect", "--path", missing], .usage, name: "bench inspect")
        _ = try expect(["bench", "inspect", "--limit", "0"], .usage, name: "bench inspect")
        _ = try expect(["bench", "malloc", "--from-json", missing], .usage, name: "bench malloc")
        let threads = try expect(["bench", "malloc", "--threads", "x", "--no-build"], .usage, name: "bench malloc")
        XCTAssertTrue(threads.stdout.hasPrefix("Usage: static-musl bench malloc "), threads.stdout)
        _ = try expect(["bench", "server", "--seconds", "0"], .usage, name: "bench server")
    }

    func testConformanceABISizeSysrootVersions() throws {
        _ = try expect(["conformance", "--dist", missing], .usage, name: "conformance")
        _ = try expect(["abi", "--header", missing + ".h"], .usage, name: "abi")
        let size = try expect(["size", missing], .usage, name: "size")
        XCTAssertTrue(size.stderr.contains(missing), size.stderr)
        _ = try expect(["sysroot", "--musl", "9.9"], .usage, name: "sysroot")
        let versions = try expect(["versions", "--bogus"], .usage, name: "versions")
        XCTAssertTrue(versions.stdout.hasPrefix("Usage: static-musl versions"), versions.stdout)
    }

    func testReport() throws {
        var o = try expect(["report", "--compare", missing, missing], .usage, name: "report")
        XCTAssertTrue(o.stderr.contains("\(missing): no such file"), o.stderr)
        o = try expect(["report", "--compare", scratch, scratch], .usage, name: "report")
        XCTAssertTrue(o.stderr.contains("it is a folder"), o.stderr)
        let array = scratch + "/array.json"
        try Data("[]".utf8).write(to: URL(fileURLWithPath: array))
        o = try expect(["report", "--compare", array, array], .usage, name: "report")
        XCTAssertTrue(o.stderr.contains("the top level is an array, expected an object"), o.stderr)
        _ = try expect(["report", "--compare", array], .usage, name: "report")
        // --column: a spec that is not OLD=NEW, a column the report lacks, and no --compare.
        let (_, out) = try renderReport()
        let matrix = out + "/matrix.json"
        o = try expect(["report", "--compare", "--column", "musl", matrix, matrix], .usage, name: "report")
        XCTAssertTrue(o.stderr.contains("is not OLD=NEW"), o.stderr)
        o = try expect(["report", "--compare", "--column", "musl=musl-9", matrix, matrix], .usage, name: "report")
        XCTAssertTrue(o.stderr.contains("has no column \"musl-9\""), o.stderr)
        _ = try expect(["report", "--column", "musl=musl-1.2.5"], .usage, name: "report")
    }

    func testUnknownSubcommandIsAUsageErrorOfTheTopLevel() throws {
        let o = try run(["bogus"])
        XCTAssertEqual(o.status, ExitStatus.usage.rawValue)
        XCTAssertEqual(o.stderr.split(separator: "\n").count, 1, o.stderr)
        XCTAssertTrue(o.stderr.hasPrefix("static-musl: "), o.stderr)
    }

    func testHelpExitsZero() throws {
        let o = try run(["inspect", "--help"])
        XCTAssertEqual(o.status, 0)
        XCTAssertTrue(o.stdout.contains("USAGE: static-musl inspect"), o.stdout)
    }
}

/// The CLI's statuses, as the tests see them (Sources/static-musl/ExitStatus.swift).
enum ExitStatus: Int32 { case ok = 0, checkFailed = 1, usage = 2, environment = 3 }
