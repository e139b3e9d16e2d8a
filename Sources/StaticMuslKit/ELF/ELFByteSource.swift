import Foundation

/// Where an `ELFFile` reads its bytes from: a file through pread(2), or an
/// array in memory (tests, the fuzzer). The parser asks only for the ranges
/// it needs (headers, tables, notes, string tables), so what it holds does
/// not grow with the file.
public protocol ELFByteSource: Sendable {
    /// The file's size in bytes.
    var size: Int { get }
    /// Exactly `count` bytes starting at `offset`; the caller has already
    /// checked that the range lies inside `size`.
    func read(at offset: Int, count: Int) throws -> [UInt8]
}

/// An open regular file read with pread(2): never mapped, never executed.
public final class FileByteSource: ELFByteSource, @unchecked Sendable {
    public let path: String
    public let size: Int
    /// Immutable after init; pread does not move a shared file position.
    private let descriptor: Int32

    /// open(2) + fstat(2): never blocks on a FIFO (O_NONBLOCK), and the type
    /// check is on the opened file itself.
    public init(path: String) throws {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            throw ELFError.unreadable(path: path, reason: code == ENOENT ? "no such file" : errnoDescription(code))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = errnoDescription()
            close(fd)
            throw ELFError.unreadable(path: path, reason: reason)
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: close(fd); throw ELFError.unreadable(path: path, reason: "it is a folder")
        default: close(fd); throw ELFError.unreadable(path: path, reason: "not a regular file (a device, FIFO or socket)")
        }
        self.path = path
        self.size = Int(info.st_size)
        self.descriptor = fd
    }

    deinit { close(descriptor) }

    public func read(at offset: Int, count: Int) throws -> [UInt8] {
        guard count > 0 else { return [] }
        // Uninitialised storage: pread fills it, and a short read is refused below.
        var filled = 0
        let bytes = try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress { filled = try fill(base, count: count, at: offset) }
            initialized = filled
        }
        guard filled == count else {
            throw ELFError.unreadable(path: path, reason: "the file shrank while it was read (\(filled) of \(count) bytes at offset \(offset))")
        }
        return bytes
    }

    /// pread(2) until `count` bytes are in, the file ends, or an error.
    func fill(_ base: UnsafeMutableRawPointer, count: Int, at offset: Int) throws -> Int {
        var filled = 0
        while filled < count {
            let n = pread(descriptor, base + filled, count - filled, off_t(offset + filled))
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw ELFError.unreadable(path: path, reason: errnoDescription()) }
            if n == 0 { break }
            filled += n
        }
        return filled
    }
}

/// An ELF image already in memory.
public struct MemoryByteSource: ELFByteSource {
    public let bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public var size: Int { bytes.count }
    public func read(at offset: Int, count: Int) throws -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= bytes.count - count else {
            throw ELFError.badOffset(field: "read", offset: UInt64(max(0, offset)), size: UInt64(max(0, count)), fileSize: bytes.count)
        }
        return Array(bytes[offset..<(offset + count)])
    }
}

/// Reads a large region (a string table, a relocation table, a whole
/// section) in fixed-size chunks, so memory stays bounded whatever the
/// region's size.
struct ChunkedRegion {
    static let chunkSize = 1 << 20

    /// Calls `body` with consecutive chunks of `range`; each chunk after the
    /// first starts `overlap` bytes before the previous one ended, so a
    /// pattern up to `overlap + 1` bytes long is never split. `body` gets the
    /// chunk and the file offset of its first byte; returning false stops.
    static func forEachChunk(of range: Range<Int>, in source: ELFByteSource, overlap: Int = 0,
                             _ body: ([UInt8], Int) throws -> Bool) throws {
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min(range.upperBound, start + max(chunkSize, overlap + 1))
            let chunk = try source.read(at: start, count: end - start)
            guard try body(chunk, start) else { return }
            if end == range.upperBound { return }
            start = end - overlap
        }
    }
}

/// Random access to the NUL-terminated strings of one string table (.strtab,
/// .dynstr, DT_STRTAB) through a few cached pages: a symbol table of any size
/// costs a bounded amount of memory.
final class StringTableReader {
    static let pageSize = 64 << 10
    static let maximumPages = 64
    let source: ELFByteSource
    let region: Range<Int>
    private var pages: [Int: [UInt8]] = [:]
    private var order: [Int] = []
    private var lastPage = -1
    private var lastBytes: [UInt8] = []

    init(source: ELFByteSource, region: Range<Int>) {
        self.source = source; self.region = region
    }

    private func page(_ index: Int) throws -> [UInt8] {
        if index == lastPage { return lastBytes }
        let bytes: [UInt8]
        if let cached = pages[index] {
            bytes = cached
        } else {
            let start = region.lowerBound + index * Self.pageSize
            bytes = try source.read(at: start, count: min(Self.pageSize, region.upperBound - start))
            if order.count >= Self.maximumPages { pages[order.removeFirst()] = nil }
            pages[index] = bytes; order.append(index)
        }
        lastPage = index; lastBytes = bytes
        return bytes
    }

    /// The bytes of the string at `offset` (without its NUL), or nil when
    /// `offset` is outside the table; throws when the string runs off the end.
    /// `limit` stops early once that many bytes are known (enough to compare).
    func bytes(at offset: UInt64, field: @autoclosure () -> String, limit: Int = .max) throws -> [UInt8]? {
        guard offset < UInt64(region.count), var position = Int(exactly: offset) else { return nil }
        var out: [UInt8] = []
        while position < region.count {
            let index = position / Self.pageSize
            let bytes = try page(index)
            let within = position - index * Self.pageSize
            if let nul = bytes[within...].firstIndex(of: 0) {
                out += bytes[within..<nul]
                return out
            }
            out += bytes[within...]
            if out.count >= limit { return out }
            position = (index + 1) * Self.pageSize
        }
        throw ELFError.badTable(field: field(), reason: "string at offset \(offset) is not NUL-terminated inside its table")
    }

    /// Calls `body` with the string at `offset` (without its NUL) without
    /// copying it when it lies inside one page; nil when `offset` is outside
    /// the table.
    func withString<R>(at offset: UInt64, field: @autoclosure () -> String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R? {
        guard offset < UInt64(region.count), let position = Int(exactly: offset) else { return nil }
        let index = position / Self.pageSize
        let bytes = try page(index)
        let within = position - index * Self.pageSize
        let inPage: R?? = try bytes.withUnsafeBytes { page in
            guard let base = page.baseAddress,
                  let nul = memchr(base + within, 0, page.count - within) else { return .none }
            let length = base.distance(to: UnsafeRawPointer(nul)) - within
            return .some(try body(UnsafeRawBufferPointer(start: base + within, count: length)))
        }
        if let inPage { return inPage }
        guard let whole = try self.bytes(at: offset, field: field()) else { return nil }
        return try whole.withUnsafeBytes { try body($0) }
    }

    /// The string at `offset`, with the old parser's rules: offset 0 of an
    /// empty table is "", an offset outside the table is a bad offset.
    func string(at offset: UInt64, field: String) throws -> String {
        guard let bytes = try bytes(at: offset, field: field) else {
            if offset == 0, region.isEmpty { return "" }
            throw ELFError.badOffset(field: field, offset: offset, size: 1, fileSize: source.size)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
