import Foundation

/// A GNU link map (`-Wl,-Map,FILE`), as written by GNU ld (bfd, what
/// musl-gcc uses) or gold (swiftc's default on Linux). Two parts matter:
///
/// - "Archive member included to satisfy reference by file (symbol)" (gold:
///   "... because of file (symbol)"): for every archive member pulled into
///   the link, the file and symbol whose reference pulled it in.
/// - The memory map: every output section, and under it every input
///   section with its size and the file it came from.
///
/// The parser works on bytes (maps of Foundation programs are 25 MB and
/// 270,000 lines) and keeps only per-file, per-section totals.
public struct LinkMap: Sendable {
    public enum Flavor: String, Codable, Sendable { case bfd = "gnu-ld", gold = "gold" }

    /// One input of the link: a plain object, or a member of an archive.
    public struct Input: Hashable, Sendable {
        public var path: String            // the object, or the archive's path
        public var member: String?         // set for archive members

        public var isArchiveMember: Bool { member != nil }
        public var archiveName: String? { member == nil ? nil : (path as NSString).lastPathComponent }
        /// `libFoundation.a(DateFormatter.swift.o)` or the object path.
        public var display: String {
            if let member { return "\((path as NSString).lastPathComponent)(\(member))" }
            return path
        }

        /// Parses `/x/libA.a(m.o)` or `/x/y.o`.
        public init(mapName: String) {
            if mapName.hasSuffix(")"), let open = mapName.range(of: ".a(", options: .backwards) {
                path = String(mapName[..<mapName.index(open.lowerBound, offsetBy: 2)])
                member = String(mapName[open.upperBound..<mapName.index(before: mapName.endIndex)])
            } else {
                path = mapName
                member = nil
            }
        }
        public init(path: String, member: String?) { self.path = path; self.member = member }
    }

    /// "member was pulled in because `referrer` referenced `symbol`".
    public struct Inclusion: Sendable {
        public var member: Int             // index into `inputs`
        public var referrer: Int?          // nil when the map names none (e.g. --undefined)
        public var symbol: String?
    }

    public struct OutputSection: Sendable {
        public var name: String
        public var address: UInt64
        public var size: Int
    }

    public var flavor: Flavor
    public var inputs: [Input] = []
    public var inclusions: [Inclusion] = []
    public var outputSections: [OutputSection] = []
    /// bytes[input][output section name], summed over input sections.
    public var bytes: [Int: [String: Int]] = [:]
    /// Where each input's bytes sit in memory (loaded sections only), for
    /// attributing symbol-table entries by address.
    public var ranges: [AddressRange] = []
    public struct AddressRange: Sendable {
        public var start: UInt64
        public var size: Int
        public var input: Int
    }
    /// Bytes the linker made itself, per output section and kind
    /// ("fill", "merge strings", "PLT", ...).
    public var generated: [String: [String: Int]] = [:]

    public init(flavor: Flavor) { self.flavor = flavor }

    public static func load(path: String) throws -> LinkMap {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SizeError.unreadable(path: path)
        }
        return try parse(data, origin: path)
    }

    public static func parse(_ text: String, origin: String = "<text>") throws -> LinkMap {
        try parse(Data(text.utf8), origin: origin)
    }

    public static func parse(_ data: Data, origin: String) throws -> LinkMap {
        try data.withUnsafeBytes { raw in
            var parser = Parser(bytes: raw.bindMemory(to: UInt8.self))
            return try parser.run(origin: origin)
        }
    }

    public func index(of input: Input) -> Int? { inputs.firstIndex(of: input) }

    /// The input whose bytes hold `address`, by binary search over `sorted`
    /// (ranges sorted by start).
    public static func input(at address: UInt64, in sorted: [AddressRange]) -> Int? {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid].start <= address { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0 else { return nil }
        let r = sorted[lo - 1]
        return address < r.start + UInt64(r.size) ? r.input : nil
    }
    public func totalBytes(of input: Int) -> Int { bytes[input]?.values.reduce(0, +) ?? 0 }
}

// MARK: - Parser

private struct Parser {
    let bytes: UnsafeBufferPointer<UInt8>
    var pos = 0
    var map = LinkMap(flavor: .bfd)
    var ids: [String: Int] = [:]

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    enum Part { case none, inclusions, memoryMap, other }

    mutating func intern(_ name: String) -> Int {
        if let id = ids[name] { return id }
        let id = map.inputs.count
        map.inputs.append(LinkMap.Input(mapName: name))
        ids[name] = id
        return id
    }

    /// Next line as a byte range, without the newline.
    mutating func nextLine() -> Range<Int>? {
        guard pos < bytes.count else { return nil }
        let start = pos
        while pos < bytes.count && bytes[pos] != 0x0A { pos += 1 }
        var end = pos
        if pos < bytes.count { pos += 1 }
        if end > start && bytes[end - 1] == 0x0D { end -= 1 }
        return start..<end
    }

    func string(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self) }

    func tokens(_ r: Range<Int>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = r.lowerBound
        while i < r.upperBound {
            while i < r.upperBound && (bytes[i] == 0x20 || bytes[i] == 0x09) { i += 1 }
            if i >= r.upperBound { break }
            let s = i
            while i < r.upperBound && bytes[i] != 0x20 && bytes[i] != 0x09 { i += 1 }
            out.append(s..<i)
        }
        return out
    }

    func hex(_ r: Range<Int>) -> UInt64? {
        guard r.count > 2, bytes[r.lowerBound] == 0x30, bytes[r.lowerBound + 1] == 0x78 else { return nil }
        var v: UInt64 = 0
        for i in (r.lowerBound + 2)..<r.upperBound {
            let b = bytes[i]
            let d: UInt64
            switch b {
            case 0x30...0x39: d = UInt64(b - 0x30)
            case 0x61...0x66: d = UInt64(b - 0x61 + 10)
            case 0x41...0x46: d = UInt64(b - 0x41 + 10)
            default: return nil
            }
            v = v &* 16 &+ d
        }
        return v
    }

    func startsWith(_ r: Range<Int>, _ prefix: StaticString) -> Bool {
        let n = prefix.utf8CodeUnitCount
        guard r.count >= n else { return false }
        let p = prefix.utf8Start
        for i in 0..<n where bytes[r.lowerBound + i] != p[i] { return false }
        return true
    }

    func isIndented(_ r: Range<Int>) -> Bool { !r.isEmpty && (bytes[r.lowerBound] == 0x20 || bytes[r.lowerBound] == 0x09) }

    mutating func run(origin: String) throws -> LinkMap {
        var part = Part.none
        var sawHeader = false
        // Inclusion entries: a member line, then (same or next line) "file (symbol)".
        var pendingMember: String?
        // Memory map: names printed alone on a line when too long.
        var pendingOutput: String?
        var pendingInput: String?
        var currentOutput: String?

        while let line = nextLine() {
            if line.isEmpty { continue }
            if !isIndented(line) {
                if startsWith(line, "Archive member included") {
                    part = .inclusions; sawHeader = true
                    map.flavor = startsWith(line, "Archive member included because") ? .gold : .bfd
                    continue
                }
                if startsWith(line, "Linker script and memory map") { part = .memoryMap; sawHeader = true; map.flavor = .bfd; continue }
                if startsWith(line, "Memory map") { part = .memoryMap; sawHeader = true; continue }
                if part == .inclusions, !(startsWith(line, "/") || startsWith(line, ".")) && bytes[line.lowerBound] >= 0x41
                    && bytes[line.lowerBound] <= 0x5A && !looksLikeMember(line) {
                    // Another capitalised header: "Discarded input sections", "Merging program properties", ...
                    part = .other; pendingMember = nil; continue
                }
            }
            switch part {
            case .none, .other: continue
            case .inclusions:
                if !isIndented(line) {
                    let text = string(line)
                    // "member<spaces>file (symbol)" when the member name is short.
                    if let gap = text.range(of: "  ", options: []), text[gap.upperBound...].contains(where: { $0 != " " }) {
                        let member = String(text[..<gap.lowerBound])
                        let rest = text[gap.upperBound...].trimmingCharacters(in: .whitespaces)
                        addInclusion(member: member, reason: rest)
                        pendingMember = nil
                    } else {
                        pendingMember = text.trimmingCharacters(in: .whitespaces)
                    }
                } else if let member = pendingMember {
                    addInclusion(member: member, reason: string(line).trimmingCharacters(in: .whitespaces))
                    pendingMember = nil
                }
            case .memoryMap:
                // Fast path: symbol lines ("   0xADDR   name") are most of a map.
                if pendingInput == nil && pendingOutput == nil && isIndented(line) {
                    var i = line.lowerBound
                    while i < line.upperBound && bytes[i] == 0x20 { i += 1 }
                    if i + 1 < line.upperBound && bytes[i] == 0x30 && bytes[i + 1] == 0x78 { continue }
                }
                let t = tokens(line)
                guard let first = t.first else { continue }
                if !isIndented(line) {
                    pendingInput = nil
                    if t.count >= 3, let addr = hex(t[1]), let size = hex(t[2]) {
                        addOutput(string(first), addr, Int(size)); currentOutput = string(first); pendingOutput = nil
                    } else if t.count == 1 && !startsWith(line, "LOAD") && !startsWith(line, "OUTPUT") {
                        pendingOutput = string(first)
                    } else {
                        pendingOutput = nil
                    }
                    continue
                }
                if let name = pendingOutput {
                    pendingOutput = nil
                    if t.count >= 2, let addr = hex(t[0]), let size = hex(t[1]) {
                        addOutput(name, addr, Int(size)); currentOutput = name
                        continue
                    }
                }
                guard let section = currentOutput else { continue }
                if hex(first) != nil {
                    // A continuation "addr size [file]" of a long input name, or a symbol line "addr name".
                    if let name = pendingInput, t.count >= 2, hex(t[1]) != nil {
                        record(section: section, inputName: name, rest: t, line: line)
                    }
                    pendingInput = nil
                    continue
                }
                if startsWith(first, "*(") || startsWith(first, "KEEP") || startsWith(first, "SORT")
                    || startsWith(first, "[!provide]") || startsWith(first, "PROVIDE") {
                    pendingInput = nil; continue
                }
                // Either "name addr size file", "** words addr size", or a name alone.
                var i = 0
                while i < t.count && hex(t[i]) == nil { i += 1 }
                let name = t[..<i].map(string).joined(separator: " ")
                if i == t.count { pendingInput = name; continue }
                pendingInput = nil
                record(section: section, inputName: name, rest: Array(t[i...]), line: line)
            }
        }
        guard sawHeader else { throw SizeError.notALinkMap(path: origin) }
        return map
    }

    /// Archive member lines contain "(" before any double space: `/p/libX.a(m.o)`.
    func looksLikeMember(_ line: Range<Int>) -> Bool {
        let t = tokens(line)
        guard let f = t.first else { return false }
        return string(f).contains(".a(") || string(f).hasSuffix(".o")
    }

    mutating func addInclusion(member: String, reason: String) {
        let m = intern(member)
        var referrer: Int?
        var symbol: String?
        if reason.hasSuffix(")"), let open = reason.range(of: " (") {
            referrer = intern(String(reason[..<open.lowerBound]))
            symbol = String(reason[open.upperBound..<reason.index(before: reason.endIndex)])
        } else if reason.hasPrefix("(") && reason.hasSuffix(")") {
            symbol = String(reason.dropFirst().dropLast())      // "--undefined" style: no file
        } else if !reason.isEmpty {
            referrer = intern(reason)
        }
        map.inclusions.append(.init(member: m, referrer: referrer, symbol: symbol))
    }

    mutating func addOutput(_ name: String, _ address: UInt64, _ size: Int) {
        map.outputSections.append(.init(name: name, address: address, size: size))
    }

    static let linkerTables: Set<String> = [
        ".eh_frame_hdr", ".got", ".got.plt", ".plt", ".iplt", ".igot.plt", ".rela.iplt", ".rela.plt", ".rela.dyn",
        ".dynamic", ".dynsym", ".dynstr", ".hash", ".gnu.hash", ".interp", ".gnu.version", ".gnu.version_r",
    ]

    /// `rest` starts at the address token: addr size [file...].
    mutating func record(section: String, inputName: String, rest: [Range<Int>], line: Range<Int>) {
        guard rest.count >= 2, let size = hex(rest[1]) else { return }
        let bytesCount = Int(size)
        if inputName.hasPrefix("**") || inputName == "*fill*" {
            let kind = inputName == "*fill*" ? "fill" : String(inputName.dropFirst(2)).trimmingCharacters(in: .whitespaces)
            guard bytesCount > 0 else { return }
            map.generated[section, default: [:]][kind, default: 0] += bytesCount
            return
        }
        // GNU ld files the tables it builds itself under the first input
        // (the "dynobj"): count them as the linker's, not that file's.
        if Parser.linkerTables.contains(inputName) {
            if bytesCount > 0 { map.generated[section, default: [:]][inputName, default: 0] += bytesCount }
            return
        }
        guard rest.count >= 3 else {
            // bfd prints linker-created input sections without a file (e.g. ".plt 0x.. 0x..").
            if bytesCount > 0 { map.generated[section, default: [:]][inputName, default: 0] += bytesCount }
            return
        }
        let file = string(rest[2].lowerBound..<line.upperBound).trimmingCharacters(in: .whitespaces)
        guard bytesCount > 0 else { _ = intern(file); return }
        let id = intern(file)
        map.bytes[id, default: [:]][section, default: 0] += bytesCount
        if let start = hex(rest[0]), start != 0 { map.ranges.append(.init(start: start, size: bytesCount, input: id)) }
    }
}
