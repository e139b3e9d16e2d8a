import Foundation

/// One entry of a content-keyed cache on disk, safe when several threads
/// or processes fill the same key at once: the first takes an exclusive
/// lock (flock on `<path>.lock`) and builds into a unique temporary name,
/// which one atomic rename() publishes; the others wait on the lock and
/// then find the result. A reader never sees a half-written file.
public struct CacheSlot: Sendable {
    public var path: String

    public init(path: String) { self.path = path }

    public enum SlotError: Error, CustomStringConvertible {
        case publish(String, Int32)
        public var description: String {
            switch self {
            case .publish(let path, let e): return "cannot publish \(path): \(String(cString: strerror(e)))"
            }
        }
    }

    /// Returns `path`, calling `build(temporaryPath)` only when no one has
    /// made it yet. `build` writes one file (or folder) at the path it is given.
    @discardableResult
    public func fill(_ build: (String) throws -> Void) throws -> String {
        if FileManager.default.fileExists(atPath: path) { return path }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let lock = try FileLock(path: path + ".lock")
        defer { lock.unlock() }
        if FileManager.default.fileExists(atPath: path) { return path }
        let temporary = path + ".tmp-\(getpid())-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        try build(temporary)
        guard rename(temporary, path) == 0 else { throw SlotError.publish(path, errno) }
        return path
    }
}

/// An exclusive flock(2) on a lock file, held until `unlock()` (or deinit).
/// Each instance opens its own descriptor, so it excludes other threads of
/// this process as well as other processes.
public final class FileLock {
    public struct LockError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot lock \(path): \(reason)" }
    }

    private var fd: Int32

    public init(path: String) throws {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw LockError(path: path, reason: String(cString: strerror(errno))) }
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let reason = String(cString: strerror(errno))
            close(fd)
            fd = -1
            throw LockError(path: path, reason: reason)
        }
    }

    public func unlock() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { unlock() }
}
