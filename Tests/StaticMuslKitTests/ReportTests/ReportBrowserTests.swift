import Foundation
import XCTest
@testable import StaticMuslKit

/// index.html in a real headless Chromium (Debian's `chromium`, installed by
/// the test when missing and root): no console messages, tables and SVGs in
/// the DOM, and a screenshot.
final class ReportBrowserTests: XCTestCase {
    override func setUp() { setenv("STATIC_MUSL_QUIET", "1", 1) }

    static func chromiumArgs(_ extra: [String], profile: String) -> [String] {
        ["--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--disable-extensions",
         "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--hide-scrollbars"] + extra
    }

    /// Console lines Chromium logs for the page (console.* calls, uncaught
    /// exceptions, resources that failed to load).
    static func consoleLines(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").map(String.init).filter {
            $0.contains(":CONSOLE") || $0.contains("Uncaught") || $0.contains("Failed to load resource")
        }
    }

    func runChromium(_ chromium: String, _ args: [String], _ page: String, in dir: String) throws -> ProcessResult {
        let r = try ProcessRunner.run(chromium, Self.chromiumArgs(args, profile: dir + "/profile") + ["file://" + page],
                                      environment: ["HOME": dir, "PATH": "/usr/bin:/bin"], timeout: 120)
        XCTAssertFalse(r.timedOut, "chromium timed out")
        return r
    }

    func testReportPageInHeadlessChromium() throws {
        let chromium = try ReportTools.chromium()
        let (_, out) = try renderReport()
        let page = out + "/index.html"

        let dom = try runChromium(chromium, ["--dump-dom"], page, in: out)
        XCTAssertEqual(dom.exitStatus, 0, dom.stderr.suffix(2000).description)
        let count = { (tag: String) in dom.stdout.components(separatedBy: "<\(tag)").count - 1 }
        XCTAssertGreaterThanOrEqual(count("table"), 10, "the browser's DOM lacks the tables")
        XCTAssertEqual(count("svg"), 7, "the size chart and six malloc charts")
        XCTAssertGreaterThan(count("polyline"), 0)
        XCTAssertEqual(count("details"), 9, "8 DNS scenarios and the readiness battery")
        XCTAssertTrue(dom.stdout.contains("Compatibility matrix: Sample"))
        XCTAssertEqual(Self.consoleLines(dom.stderr), [])

        let shot = out + "/screenshot.png"
        let r = try runChromium(chromium, ["--screenshot=" + shot, "--window-size=1400,1800"], page, in: out)
        XCTAssertEqual(r.exitStatus, 0, r.stderr.suffix(2000).description)
        XCTAssertEqual(Self.consoleLines(r.stderr), [], "the page logged to the console")
        let png = try Data(contentsOf: URL(fileURLWithPath: shot))
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "not a PNG")
        XCTAssertGreaterThan(png.count, 20_000, "the screenshot is suspiciously small")
    }

    /// The console check must be able to fail: a page with a planted error is caught.
    func testConsoleCheckCatchesAPlantedError() throws {
        let chromium = try ReportTools.chromium()
        let dir = try temporaryDirectory("bad-page")
        let page = dir + "/bad.html"
        try Data("<!DOCTYPE html><title>bad</title><p>x</p><script>undefinedFunction();</script>".utf8)
            .write(to: URL(fileURLWithPath: page))
        let r = try runChromium(chromium, ["--screenshot=" + dir + "/bad.png", "--window-size=400,300"], page, in: dir)
        XCTAssertTrue(Self.consoleLines(r.stderr).contains { $0.contains("Uncaught ReferenceError") },
                      "a planted error went unnoticed:\n" + r.stderr.suffix(2000))
    }
}
