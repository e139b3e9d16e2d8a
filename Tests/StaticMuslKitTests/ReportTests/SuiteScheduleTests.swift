import Foundation
import XCTest
@testable import StaticMuslKit

/// The report's order: shared suites side by side (the DNS lab first), then
/// each exclusive one alone, with nothing else running beside it.
final class SuiteScheduleTests: XCTestCase {
    /// What ran, and the most suites that were running at once while each one ran.
    private final class Log: @unchecked Sendable {
        let lock = NSLock()
        var running: Set<String> = []
        var order: [String] = []
        var overlap: [String: Int] = [:]
        func start(_ id: String) {
            lock.lock(); defer { lock.unlock() }
            running.insert(id); order.append(id)
            for r in running { overlap[r] = max(overlap[r] ?? 0, running.count) }
        }
        func end(_ id: String) { lock.lock(); running.remove(id); lock.unlock() }
    }

    func testExclusiveSuitesRunAloneAfterTheSharedOnesWithTheDNSLabFirst() {
        func suite(_ id: SuiteID, exclusive: Bool = false) -> ReportRunner.ReportSuite {
            ReportRunner.ReportSuite(id, exclusive: exclusive) { _ in Data() }
        }
        let suites = [suite(.conformance), suite(.malloc, exclusive: true), suite(.abi), suite(.dns), suite(.server, exclusive: true),
                      suite(.scratch)]
        let schedule = SuiteSchedule(suites, parallel: 2)
        XCTAssertEqual(schedule.shared.map(\.id), [.dns, .conformance, .abi, .scratch], "the DNS lab first, the rest in report order")
        XCTAssertEqual(schedule.exclusive.map(\.id), [.malloc, .server])
        XCTAssertEqual(schedule.parallel, 2)
        XCTAssertEqual(SuiteSchedule(suites, parallel: 0).parallel, 1, "at least one thread")
        XCTAssertEqual(SuiteSchedule([suite(.dns)], parallel: 8).parallel, 1, "no more threads than shared suites")

        let log = Log()
        schedule.run { s in
            log.start(s.id.rawValue)
            // Long enough that the two threads' suites overlap; the order is what is checked.
            Thread.sleep(forTimeInterval: 0.05)
            log.end(s.id.rawValue)
        }
        XCTAssertEqual(log.order.count, suites.count, "each suite runs once: \(log.order)")
        XCTAssertEqual(Set(log.order), Set(suites.map(\.id.rawValue)))
        XCTAssertEqual(log.order.suffix(2), ["malloc", "server"], "the exclusive ones last, in order")
        XCTAssertEqual(log.overlap["malloc"], 1, "nothing runs beside a benchmark")
        XCTAssertEqual(log.overlap["server"], 1)
        XCTAssertLessThanOrEqual(log.overlap.values.max() ?? 0, 2, "never more than `parallel` at once")
    }
}
