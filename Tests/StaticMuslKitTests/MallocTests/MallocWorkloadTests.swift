import Foundation
import XCTest
import CShimProbe
@testable import StaticMuslKit

/// The C workloads, run in-process (glibc): each one runs and counts ops.
/// Correctness only: no assertion on speed.
final class MallocWorkloadTests: XCTestCase {
    func testEveryWorkloadRunsAndCountsOperations() {
        let names = String(cString: cshim_malloc_workloads()).split(separator: ",").map(String.init)
        XCTAssertEqual(names, MallocWorkload.allCases.map(\.rawValue))
        for name in names {
            for (threads, spawn) in [(1, 0), (1, 1), (3, 0)] {
                var ops: UInt64 = 0
                var elapsed = 0.0
                let rc = cshim_malloc_run(name, Int32(threads), Int32(spawn), 0.02, 7, &ops, &elapsed)
                XCTAssertEqual(rc, 0, "\(name) ×\(threads) spawn=\(spawn)")
                XCTAssertGreaterThan(ops, 0, "\(name) ×\(threads) counted no operations")
                XCTAssertGreaterThanOrEqual(elapsed, 0.02, "\(name) stopped before its duration")
                XCTAssertLessThan(elapsed, 5, "\(name) did not stop at its deadline")
            }
        }
    }

    func testBadArgumentsAreRefused() {
        var ops: UInt64 = 0
        var elapsed = 0.0
        XCTAssertEqual(cshim_malloc_run("no-such-workload", 1, 0, 0.01, 1, &ops, &elapsed), -1)
        XCTAssertEqual(cshim_malloc_run("thread-local", 0, 0, 0.01, 1, &ops, &elapsed), -2)
        XCTAssertEqual(cshim_malloc_run("thread-local", 1, 0, 0, 1, &ops, &elapsed), -2)
        XCTAssertEqual(cshim_malloc_run(nil, 1, 0, 0.01, 1, &ops, &elapsed), -1)
    }

    func testRusageAndAllocatorName() {
        var user = 0.0, sys = 0.0
        var rss: Int64 = 0
        XCTAssertEqual(cshim_malloc_rusage(&user, &sys, &rss), 0)
        XCTAssertGreaterThan(rss, 0)
        XCTAssertEqual(String(cString: cshim_malloc_allocator()), "ptmalloc", "the test process runs on glibc")
    }

    func testStatsMedianMinMax() {
        let s = MallocReport.Stats([3, 1, 2])
        XCTAssertEqual([s.median, s.min, s.max], [2, 1, 3])
        XCTAssertEqual(MallocReport.Stats([4, 1, 2, 3]).median, 2.5)
    }

    func testDefaultThreadCounts() {
        XCTAssertEqual(MallocBench.defaultThreads(cores: 2), [1, 2, 4, 8, 16])
        XCTAssertEqual(MallocBench.defaultThreads(cores: 12), [1, 2, 4, 8, 16, 32])
    }
}
