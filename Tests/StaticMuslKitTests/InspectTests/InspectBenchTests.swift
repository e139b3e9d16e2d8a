import Foundation
import XCTest
@testable import StaticMuslKit

/// `static-musl bench inspect` on a few files: the shape of its report, never
/// its times (speed lives in the benchmark, not in tests).
final class InspectBenchTests: XCTestCase {
    func testBenchRunsBothToolsOverTheSameFilesAndReportsTheRatio() throws {
        let fixtures = Fixtures.projectRoot + "/Tests/Fixtures/elf"
        var options = InspectBench.Options(inspectExecutable: try BuildCLI.path())
        options.paths = [fixtures + "/tiny-dynamic-pie", "/bin/ls", "/bin/cat"]
        options.limit = 3
        options.batchSize = 2
        let report = try InspectBench.run(options)
        XCTAssertEqual(report.files, 3)
        XCTAssertEqual(report.batches, 2)
        XCTAssertGreaterThan(report.totalBytes, 0)
        for run in [report.inspect, report.readelf] {
            XCTAssertGreaterThan(run.wallSeconds, 0, run.command)
            XCTAssertGreaterThan(run.peakRSSBytes, 0, run.command)
        }
        XCTAssertEqual(report.inspect.failedBatches, 0, "inspect failed on a good ELF file")
        XCTAssertEqual(report.wallRatio, report.inspect.wallSeconds / report.readelf.wallSeconds, accuracy: 1e-9)
        let lines = report.text.split(separator: "\n")
        XCTAssertEqual(lines.count, 4, report.text)
        XCTAssertTrue(lines[0].contains("over 3 ELF files"), report.text)
        XCTAssertTrue(lines[1].contains("static-musl inspect:") && lines[1].contains("peak RSS"), report.text)
        XCTAssertTrue(lines[2].contains("readelf -hlWd:"), report.text)
        XCTAssertTrue(lines[3].contains("ratio inspect / readelf:"), report.text)
        let json = try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any]
        XCTAssertEqual(Set(json?.keys.map { $0 } ?? []), ["files", "total_bytes", "batches", "inspect", "readelf", "wall_ratio", "cpu_ratio"])
    }

    func testOnlyELFFilesAreTakenAndTheLimitIsShared() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bench-files-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir + "/a", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/b", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let elf = Fixtures.projectRoot + "/Tests/Fixtures/elf/tiny-dynamic-pie"
        for name in ["a/1", "a/2", "a/3", "b/1"] { try FileManager.default.copyItem(atPath: elf, toPath: "\(dir)/\(name)") }
        try "#!/bin/sh\n".write(toFile: dir + "/a/0-script", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/b/0-link", withDestinationPath: elf)
        XCTAssertEqual(InspectBench.elfFiles(under: [dir + "/a", dir + "/b"], limit: 4), ["\(dir)/a/1", "\(dir)/a/2", "\(dir)/b/1"])
        XCTAssertThrowsError(try InspectBench.run(.init(inspectExecutable: "/bin/true").with { $0.paths = [dir + "/missing"] })) {
            XCTAssertEqual($0 as? InspectBench.BenchError, .missingPath(dir + "/missing"))
        }
    }
}

extension InspectBench.Options {
    func with(_ change: (inout Self) -> Void) -> Self { var copy = self; change(&copy); return copy }
}
