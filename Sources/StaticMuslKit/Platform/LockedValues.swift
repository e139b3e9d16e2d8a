import Foundation

/// Thread-safe pieces for running work side by side (the report's suites).
final class SuiteResults: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [SuiteID: (output: SuiteOutput, reason: String?)] = [:]
    func set(_ id: SuiteID, _ value: (output: SuiteOutput, reason: String?)) { lock.lock(); stored[id] = value; lock.unlock() }
    var all: [SuiteID: (output: SuiteOutput, reason: String?)] { lock.lock(); defer { lock.unlock() }; return stored }
}

final class LockedQueue<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [T]
    init(_ items: [T]) { self.items = items }
    func pop() -> T? { lock.lock(); defer { lock.unlock() }; return items.isEmpty ? nil : items.removeFirst() }
}

final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    /// 1, 2, 3, … (the build was step 1).
    func next() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}
