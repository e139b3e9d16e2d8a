import Foundation

/// Progress lines on stderr: "[suite] step i/n, 12.3s: what". Quiet when
/// STATIC_MUSL_QUIET is set (tests set it to keep logs readable).
public final class Progress: @unchecked Sendable {
    public let suite: String
    private let start = Date()
    private let quiet = ProcessInfo.processInfo.environment["STATIC_MUSL_QUIET"] != nil

    public init(suite: String) { self.suite = suite }

    public func step(_ index: Int, of total: Int, _ what: String) {
        guard !quiet else { return }
        let elapsed = String(format: "%.1f", Date().timeIntervalSince(start))
        FileHandle.standardError.write("[\(suite)] \(index)/\(total), \(elapsed)s: \(what)\n".data(using: .utf8)!)
    }

    public func note(_ what: String) {
        guard !quiet else { return }
        let elapsed = String(format: "%.1f", Date().timeIntervalSince(start))
        FileHandle.standardError.write("[\(suite)] \(elapsed)s: \(what)\n".data(using: .utf8)!)
    }
}
