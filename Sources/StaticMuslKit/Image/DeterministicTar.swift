import Foundation

/// A tar archive whose bytes depend only on its entries' paths, kinds and
/// contents: entries sorted by path (bytewise, as `LC_ALL=C sort`), mtime 0,
/// owner 0:0 with no names, modes fixed by kind. The format is GNU tar's
/// (`tar --format=gnu --mtime=@0 --owner=0 --group=0 --numeric-owner`), byte
/// for byte, so an image layer's size does not depend on which wrote it
/// (`DeterministicTarTests` holds it to GNU tar's output).
public struct DeterministicTar: Sendable {
    public enum Content: Sendable, Equatable {
        case directory
        /// A regular file copied from this path (symbolic links followed).
        case file(source: String)
        case data(Data)
    }

    public struct Entry: Sendable, Equatable {
        /// Relative, without a leading "./" or a trailing "/".
        public var path: String
        public var content: Content
        /// 0o755 for folders and executables, 0o644 for other files.
        public var mode: Int

        public init(path: String, content: Content, executable: Bool = false) {
            self.path = path
            self.content = content
            mode = content == .directory || executable ? 0o755 : 0o644
        }
    }

    public enum TarError: Error, CustomStringConvertible, Equatable {
        case nameTooLong(String)
        case unreadable(String)
        case tooLarge(String)

        public var description: String {
            switch self {
            case .nameTooLong(let path): return "\(path): a tar entry name is at most 99 bytes here"
            case .unreadable(let path): return "\(path): cannot be read"
            case .tooLarge(let path): return "\(path): a tar entry is at most 8 GiB here"
            }
        }
    }

    public private(set) var entries: [Entry] = []
    private var paths: Set<String> = []

    public init(_ entries: [Entry] = []) {
        for entry in entries { add(entry) }
    }

    /// Adds `entry` and the folders above it; a path added twice keeps its first entry.
    public mutating func add(_ entry: Entry) {
        var parent = ""
        for part in entry.path.split(separator: "/").dropLast() {
            parent += (parent.isEmpty ? "" : "/") + part
            if paths.insert(parent).inserted { entries.append(Entry(path: parent, content: .directory)) }
        }
        if paths.insert(entry.path).inserted { entries.append(entry) }
    }

    /// The entries in archive order.
    public var sortedEntries: [Entry] {
        entries.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
    }

    static let blockSize = 512
    /// GNU tar's default record: 20 blocks; the archive is padded to a whole record.
    static let recordSize = 20 * blockSize

    /// Writes the archive to `path` (replaced); returns its size in bytes.
    @discardableResult
    public func write(to path: String) throws -> Int {
        guard FileManager.default.createFile(atPath: path, contents: nil), let out = FileHandle(forWritingAtPath: path) else {
            throw TarError.unreadable(path)
        }
        defer { try? out.close() }
        var written = 0
        func emit(_ data: Data) throws {
            try out.write(contentsOf: data)
            written += data.count
        }
        for entry in sortedEntries {
            let isDirectory = entry.content == .directory
            let name = entry.path + (isDirectory ? "/" : "")
            guard name.utf8.count < 100 else { throw TarError.nameTooLong(entry.path) }
            switch entry.content {
            case .directory:
                try emit(Self.header(name: name, mode: entry.mode, size: 0, type: "5"))
            case .data(let data):
                try emit(Self.header(name: name, mode: entry.mode, size: data.count, type: "0"))
                try emit(data + Self.padding(data.count))
            case .file(let link):
                let source = URL(fileURLWithPath: link).resolvingSymlinksInPath().path
                guard let input = FileHandle(forReadingAtPath: source),
                      let size = (try? FileManager.default.attributesOfItem(atPath: source))?[.size] as? Int else {
                    throw TarError.unreadable(source)
                }
                defer { try? input.close() }
                guard size < 1 << 33 else { throw TarError.tooLarge(source) }
                try emit(Self.header(name: name, mode: entry.mode, size: size, type: "0"))
                var copied = 0
                while copied < size, let chunk = try input.read(upToCount: min(1 << 20, size - copied)), !chunk.isEmpty {
                    try emit(chunk)
                    copied += chunk.count
                }
                guard copied == size else { throw TarError.unreadable(source) }
                try emit(Self.padding(size))
            }
        }
        // The end: two zero blocks, then zeros to the end of the record.
        let end = written + 2 * Self.blockSize
        try emit(Data(count: 2 * Self.blockSize + (Self.recordSize - end % Self.recordSize) % Self.recordSize))
        return written
    }

    static func padding(_ size: Int) -> Data { Data(count: (blockSize - size % blockSize) % blockSize) }

    /// One GNU header block: octal fields zero-padded and NUL-ended, magic
    /// "ustar  \0", no user or group names, the checksum as "%06o\0 ".
    static func header(name: String, mode: Int, size: Int, type: Character) -> Data {
        var block = [UInt8](repeating: 0, count: blockSize)
        func put(_ bytes: [UInt8], at offset: Int) { for (i, b) in bytes.enumerated() { block[offset + i] = b } }
        func octal(_ value: Int, width: Int) -> [UInt8] {
            let digits = String(value, radix: 8)
            return Array((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8) + [0]
        }
        put(Array(name.utf8), at: 0)
        put(octal(mode, width: 8), at: 100)
        put(octal(0, width: 8), at: 108)       // uid
        put(octal(0, width: 8), at: 116)       // gid
        put(octal(size, width: 12), at: 124)
        put(octal(0, width: 12), at: 136)      // mtime
        put(Array(String(type).utf8), at: 156)
        put(Array("ustar  ".utf8) + [0], at: 257)
        // The checksum is the byte sum with its own field read as spaces.
        let sum = block.reduce(0) { $0 + Int($1) } + 8 * Int(UInt8(ascii: " "))
        put(octal(sum, width: 7) + [UInt8(ascii: " ")], at: 148)
        return Data(block)
    }
}
