import Foundation

/// The order the report runs its suites in: the ones that can share the
/// machine side by side on `parallel` threads, the DNS lab first (it is the
/// longest, mostly waiting on timeouts), then each exclusive one alone (the
/// benchmarks, whose numbers are the machine's).
struct SuiteSchedule {
    var shared: [ReportRunner.ReportSuite]
    var exclusive: [ReportRunner.ReportSuite]
    var parallel: Int

    init(_ suites: [ReportRunner.ReportSuite], parallel: Int) {
        // A stable partition: a comparator "a is DNS" is not a strict weak ordering.
        let notExclusive = suites.filter { !$0.exclusive }
        shared = notExclusive.filter { $0.id == .dns } + notExclusive.filter { $0.id != .dns }
        exclusive = suites.filter(\.exclusive)
        self.parallel = max(1, min(parallel, shared.count))
    }

    /// Runs `body` once per suite, in this order; returns when all have run.
    func run(_ body: @escaping @Sendable (ReportRunner.ReportSuite) -> Void) {
        let queue = LockedQueue(shared)
        let group = DispatchGroup()
        for _ in 0..<parallel {
            group.enter()
            Thread {
                defer { group.leave() }
                while let suite = queue.pop() { body(suite) }
            }.start()
        }
        group.wait()
        for suite in exclusive { body(suite) }
    }
}
