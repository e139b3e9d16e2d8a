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
        case lock(String, Int32)
        case publish(String, Int32)
        public var description: String {
            switch self {
            case .lock(let path, let e): return "cannot lock \(path): \(String(cString: strerror(e)))"
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
        let lockPath = path + ".lock"
        let fd = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SlotError.lock(lockPath, errno) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw SlotError.lock(lockPath, errno) }
        }
        defer { flock(fd, LOCK_UN) }
        if FileManager.default.fileExists(atPath: path) { return path }
        let temporary = path + ".tmp-\(getpid())-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        try build(temporary)
        guard rename(temporary, path) == 0 else { throw SlotError.publish(path, errno) }
        return path
    }
}
