import Foundation
import XCTest
@testable import StaticMuslKit

/// `bench server`'s reading of wrk, on a checked-in capture (no server, no
/// build). The benchmark itself runs only as `static-musl bench server`.
final class ServerBenchTests: XCTestCase {
    func testParsesEveryRunOfARealWrkCapture() throws {
        let text = try String(contentsOfFile: Fixtures.projectRoot + "/Tests/Fixtures/bench/wrk-two-runs.txt", encoding: .utf8)
        let runs = ServerBench.parseRuns(text)
        XCTAssertEqual(runs, [
            ServerBench.Run(requestsPerSecond: 13.76, p50Ms: 246.01, p99Ms: 360.75),
            ServerBench.Run(requestsPerSecond: 10.77, p50Ms: 318.84, p99Ms: 479.16),
        ])
    }

    func testLatencyUnitsAndBrokenRuns() {
        XCTAssertEqual(ServerBench.milliseconds("155.00us") ?? 0, 0.155, accuracy: 1e-9)
        XCTAssertEqual(ServerBench.milliseconds("1.23ms"), 1.23)
        XCTAssertEqual(ServerBench.milliseconds("2.00s"), 2000)
        XCTAssertNil(ServerBench.milliseconds("fast"))
        // A run that wrk could not finish (no latency distribution) is not a run.
        XCTAssertEqual(ServerBench.parseRuns("=== run 1\nunable to connect to 127.0.0.1:1 Connection refused\n"), [])
    }

    func testTableShowsRatiosToGlibcStatic() {
        let rows = [
            ServerBench.Row(variant: "glibc-static", runs: [], requestsPerSecond: 1000, p50Ms: 1, p99Ms: 4, peakRSSKiB: 10240,
                            requestsRatio: 1, p99Ratio: 1),
            ServerBench.Row(variant: "musl", runs: [], requestsPerSecond: 500, p50Ms: 2, p99Ms: 10, peakRSSKiB: nil,
                            requestsRatio: 0.5, p99Ratio: 2.5),
        ]
        let report = ServerBench.Report(product: "p", path: "/", seconds: 5, runs: 3, connections: 16, cores: 2,
                                        pinning: "x", versions: ToolchainVersions(swift: "s", root: "r", musl: "m", glibc: "g"), rows: rows)
        let table = ServerBench.markdown(report)
        XCTAssertTrue(table.contains("| glibc-static | 1000 | 1.00 | 1.00 ms | 4.00 ms | 1.00 | 10.0 MB |"), table)
        XCTAssertTrue(table.contains("| musl | 500 | 0.50 | 2.00 ms | 10.00 ms | 2.50 | - |"), table)
    }

    /// The bench runs what it is handed: a variant without a build is refused
    /// by name before anything is installed or started.
    func testAVariantWithoutABuildIsRefusedByName() throws {
        var o = ServerBench.Options()
        o.variants = [.glibcStatic, .musl]
        o.artifacts = [Artifact(product: o.product, variant: .glibcStatic, path: "/bin/true", entry: .init(variant: "glibc-static", status: "ok"),
                                linkMap: nil)]
        XCTAssertThrowsError(try ServerBench.run(o)) { e in
            XCTAssertEqual("\(e)", "no vapor-hello build for musl among the given artifacts")
        }
    }
}
