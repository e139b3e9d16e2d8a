import Foundation

/// A parsed 64-bit little-endian ELF file (x86-64 or AArch64).
///
/// Pure parsing: the file is read into memory with read(2), never executed,
/// never mapped, never handed to a loader. Every offset, size and count is
/// bounds-checked with overflow-checked arithmetic; a malformed file throws
/// an `ELFError` naming the field, it never traps.
///
/// Soft oddities that do not stop parsing (an unterminated interpreter
/// string, an unmappable DT_STRTAB) are listed in `warnings`.
public struct ELFFile: Sendable {
    /// The largest file `init(path:)` reads (a guard against reading a huge
    /// or endless file by mistake).
    public static let maximumFileSize = 4 << 30

    public let path: String?
    /// The whole file.
    public let bytes: [UInt8]
    public let header: ELFHeader
    public let segments: [ELFSegment]
    /// Empty when the file has no section header table (e.g. sstrip'ed).
    public let sections: [ELFSection]
    /// PT_INTERP's path, e.g. "/lib64/ld-linux-x86-64.so.2".
    public let interpreter: String?
    /// The PT_DYNAMIC entries up to DT_NULL (empty when there is none).
    public let dynamic: [ELFDynamicEntry]
    /// DT_NEEDED names, in order.
    public let needed: [String]
    public let soname: String?
    /// DT_RPATH and DT_RUNPATH values.
    public let runpaths: [String]
    /// DT_FLAGS and DT_FLAGS_1, when present.
    public let dynamicFlags: UInt64?
    public let dynamicFlags1: UInt64?
    /// Symbols from .symtab then .dynsym (the null symbol 0 of each is left out).
    public let symbols: [ELFSymbol]
    /// Notes from SHT_NOTE sections, or from PT_NOTE segments when there are no sections.
    public let notes: [ELFNote]
    public let warnings: [String]

    public var fileSize: Int { bytes.count }
    /// "x86_64" or "aarch64".
    public var arch: String { ELFMachine.name(header.machine) }
    public var hasProgramInterpreter: Bool { interpreter != nil }
    public var hasDynamicSegment: Bool { segments.contains { $0.type == ELFConstants.ptDynamic } }
    /// DF_1_PIE is set in DT_FLAGS_1.
    public var isPIEFlagged: Bool { (dynamicFlags1 ?? 0) & ELFConstants.df1Pie != 0 }
    /// No .symtab (the usual meaning of "stripped"; .dynsym may remain).
    public var isStripped: Bool { !sections.contains { $0.type == ELFConstants.shtSymtab } }
    public var hasDebugInfo: Bool { sections.contains { $0.name == ".debug_info" } }

    /// The GNU build-id as lowercase hex, if the file has one.
    public var buildID: String? {
        notes.first { $0.name == "GNU" && $0.type == ELFConstants.ntGnuBuildId }
            .map { $0.descriptor.map { String(format: "%02x", $0) }.joined() }
    }

    /// The GNU ABI tag (.note.ABI-tag), which glibc's crt1.o carries.
    public var abiTag: ELFABITag? {
        guard let note = notes.first(where: { $0.name == "GNU" && $0.type == ELFConstants.ntGnuAbiTag }),
              note.descriptor.count >= 16 else { return nil }
        let d = note.descriptor
        func word(_ i: Int) -> UInt32 { (0..<4).reduce(UInt32(0)) { $0 | UInt32(d[i + $1]) << (8 * UInt32($1)) } }
        return ELFABITag(os: word(0), major: word(4), minor: word(8), patch: word(12))
    }

    // MARK: - Reading

    /// Reads the file (read(2), no mmap) and parses it.
    public init(path: String) throws {
        let data = try ELFFile.readFile(path)
        try self.init(bytes: data, path: path)
    }

    public init(bytes: [UInt8]) throws { try self.init(bytes: bytes, path: nil) }

    /// open(2) + fstat(2) + read(2): never mmap, never blocks on a FIFO
    /// (O_NONBLOCK), and the type check is on the opened file itself.
    static func readFile(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            throw ELFError.unreadable(path: path, reason: code == ENOENT ? "no such file" : errnoDescription(code))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ELFError.unreadable(path: path, reason: errnoDescription()) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw ELFError.unreadable(path: path, reason: "it is a folder")
        default: throw ELFError.unreadable(path: path, reason: "not a regular file (a device, FIFO or socket)")
        }
        guard info.st_size <= maximumFileSize else {
            throw ELFError.unreadable(path: path, reason: "\(info.st_size) bytes is larger than the \(maximumFileSize)-byte limit")
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw ELFError.unreadable(path: path, reason: errnoDescription()) }
            if n == 0 { break }   // the file shrank while we read it
            filled += n
        }
        return filled == bytes.count ? bytes : Array(bytes.prefix(filled))
    }

    init(bytes: [UInt8], path: String?) throws {
        self.path = path
        self.bytes = bytes
        let r = ByteReader(bytes)
        var warnings: [String] = []

        // Identification.
        guard bytes.count >= 4, bytes[0] == 0x7f, bytes[1] == 0x45, bytes[2] == 0x4c, bytes[3] == 0x46 else {
            throw ELFError.notELF(firstBytes: Array(bytes.prefix(4)))
        }
        guard bytes.count >= 16 else { throw ELFError.truncated(at: 4, field: "e_ident") }
        guard bytes[4] == 2 else { throw ELFError.unsupportedClass(bytes[4]) }
        if bytes[5] == 2 { throw ELFError.bigEndian }
        guard bytes[5] == 1 else { throw ELFError.badIdentification(field: "EI_DATA", value: UInt64(bytes[5])) }
        guard bytes[6] == 1 else { throw ELFError.badIdentification(field: "EI_VERSION", value: UInt64(bytes[6])) }
        guard bytes.count >= 64 else { throw ELFError.truncated(at: 16, field: "ELF header (64 bytes)") }

        let machine = try r.u16(18, "e_machine")
        guard machine == ELFMachine.x86_64 || machine == ELFMachine.aarch64 else {
            throw ELFError.unsupportedMachine(machine)
        }
        var header = ELFHeader(
            osabi: bytes[7], abiVersion: bytes[8],
            type: try r.u16(16, "e_type"), machine: machine, version: try r.u32(20, "e_version"),
            entry: try r.u64(24, "e_entry"),
            programHeaderOffset: try r.u64(32, "e_phoff"), sectionHeaderOffset: try r.u64(40, "e_shoff"),
            flags: try r.u32(48, "e_flags"), headerSize: try r.u16(52, "e_ehsize"),
            programHeaderEntrySize: try r.u16(54, "e_phentsize"), programHeaderCount: Int(try r.u16(56, "e_phnum")),
            sectionHeaderEntrySize: try r.u16(58, "e_shentsize"), sectionHeaderCount: Int(try r.u16(60, "e_shnum")),
            sectionNameTableIndex: Int(try r.u16(62, "e_shstrndx")))
        guard header.version == 1 else { throw ELFError.badIdentification(field: "e_version", value: UInt64(header.version)) }

        // Extended numbering: section 0 holds the real counts (PN_XNUM, SHN_XINDEX).
        if header.sectionHeaderOffset != 0 {
            guard header.sectionHeaderEntrySize == 64 else {
                throw ELFError.badTable(field: "section header table", reason: "e_shentsize is \(header.sectionHeaderEntrySize), expected 64")
            }
            let zero = try r.range(header.sectionHeaderOffset, 64, "section header 0")
            if header.sectionHeaderCount == 0 {
                let count = try r.u64(zero.lowerBound + 32, "section 0 sh_size (extended e_shnum)")
                guard let n = Int(exactly: count), n <= bytes.count / 64 else {
                    throw ELFError.badTable(field: "section header table", reason: "extended section count \(count) cannot fit in the file")
                }
                header.sectionHeaderCount = n
            }
            if header.sectionNameTableIndex == 0xffff {
                header.sectionNameTableIndex = Int(try r.u32(zero.lowerBound + 40, "section 0 sh_link (extended e_shstrndx)"))
            }
            if header.programHeaderCount == 0xffff {
                header.programHeaderCount = Int(try r.u32(zero.lowerBound + 44, "section 0 sh_info (extended e_phnum)"))
            }
        } else {
            header.sectionHeaderCount = 0
        }
        self.header = header

        // Program headers.
        var segments: [ELFSegment] = []
        if header.programHeaderCount > 0 {
            guard header.programHeaderEntrySize == 56 else {
                throw ELFError.badTable(field: "program header table", reason: "e_phentsize is \(header.programHeaderEntrySize), expected 56")
            }
            let table = try r.range(header.programHeaderOffset, UInt64(header.programHeaderCount) * 56, "program header table (e_phoff)")
            segments.reserveCapacity(header.programHeaderCount)
            for i in 0..<header.programHeaderCount {
                let o = table.lowerBound + i * 56
                segments.append(ELFSegment(
                    type: try r.u32(o, "program header \(i) p_type"), flags: try r.u32(o + 4, "p_flags"),
                    offset: try r.u64(o + 8, "p_offset"), virtualAddress: try r.u64(o + 16, "p_vaddr"),
                    physicalAddress: try r.u64(o + 24, "p_paddr"), fileSize: try r.u64(o + 32, "p_filesz"),
                    memorySize: try r.u64(o + 40, "p_memsz"), align: try r.u64(o + 48, "p_align")))
            }
        }
        for (i, s) in segments.enumerated() where s.type == ELFConstants.ptLoad || s.type == ELFConstants.ptInterp
            || s.type == ELFConstants.ptDynamic || s.type == ELFConstants.ptNote {
            _ = try r.range(s.offset, s.fileSize, "program header \(i) (\(s.typeName)) p_offset/p_filesz")
        }
        self.segments = segments

        // Section headers and their names.
        var sections: [ELFSection] = []
        if header.sectionHeaderCount > 0 {
            let table = try r.range(header.sectionHeaderOffset, UInt64(header.sectionHeaderCount) * 64, "section header table (e_shoff)")
            sections.reserveCapacity(header.sectionHeaderCount)
            for i in 0..<header.sectionHeaderCount {
                let o = table.lowerBound + i * 64
                let s = ELFSection(
                    index: i, name: "", type: try r.u32(o + 4, "section \(i) sh_type"), flags: try r.u64(o + 8, "sh_flags"),
                    address: try r.u64(o + 16, "sh_addr"), offset: try r.u64(o + 24, "sh_offset"),
                    size: try r.u64(o + 32, "sh_size"), link: try r.u32(o + 40, "sh_link"), info: try r.u32(o + 44, "sh_info"),
                    addressAlign: try r.u64(o + 48, "sh_addralign"), entrySize: try r.u64(o + 56, "sh_entsize"))
                if s.occupiesFile, i != 0 {
                    _ = try r.range(s.offset, s.size, "section \(i) sh_offset/sh_size")
                }
                sections.append(s)
            }
            let nameIndex = header.sectionNameTableIndex
            if nameIndex != 0 {
                guard nameIndex < sections.count else {
                    throw ELFError.badTable(field: "e_shstrndx", reason: "index \(nameIndex) but only \(sections.count) sections")
                }
                let names = sections[nameIndex]
                guard names.occupiesFile else {
                    throw ELFError.badTable(field: "section name table", reason: "section \(nameIndex) holds no file bytes")
                }
                let region = try r.range(names.offset, names.size, "section name table")
                for i in sections.indices {
                    let nameOffset = UInt64(try r.u32(table.lowerBound + i * 64, "section \(i) sh_name"))
                    sections[i].name = try r.cString(in: region, at: nameOffset, "section \(i) sh_name")
                }
            }
        }
        self.sections = sections

        // Interpreter.
        var interpreter: String?
        if let interp = segments.first(where: { $0.type == ELFConstants.ptInterp }) {
            guard interp.fileSize <= 4096 else {
                throw ELFError.badTable(field: "PT_INTERP", reason: "p_filesz \(interp.fileSize) is longer than any path")
            }
            let region = try r.range(interp.offset, interp.fileSize, "PT_INTERP")
            let raw = bytes[region]
            if !raw.contains(0) { warnings.append("PT_INTERP string is not NUL-terminated") }
            interpreter = String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        self.interpreter = interpreter

        // Dynamic section.
        var dynamic: [ELFDynamicEntry] = []
        if let dyn = segments.first(where: { $0.type == ELFConstants.ptDynamic }) {
            let region = try r.range(dyn.offset, dyn.fileSize, "PT_DYNAMIC")
            var o = region.lowerBound
            while o + 16 <= region.upperBound {
                let entry = ELFDynamicEntry(tag: Int64(bitPattern: try r.u64(o, "dynamic entry tag")),
                                            value: try r.u64(o + 8, "dynamic entry value"))
                if entry.tag == ELFConstants.dtNull { break }
                dynamic.append(entry)
                o += 16
            }
        }
        self.dynamic = dynamic
        func dynValue(_ tag: Int64) -> UInt64? { dynamic.first { $0.tag == tag }?.value }
        self.dynamicFlags = dynValue(ELFConstants.dtFlags)
        self.dynamicFlags1 = dynValue(ELFConstants.dtFlags1)

        // Dynamic strings: DT_STRTAB is an address; map it through PT_LOAD,
        // falling back to the .dynstr section.
        var needed: [String] = [], soname: String?, runpaths: [String] = []
        let stringTags = [ELFConstants.dtNeeded, ELFConstants.dtSoname, ELFConstants.dtRpath, ELFConstants.dtRunpath]
        if dynamic.contains(where: { stringTags.contains($0.tag) }) {
            var strtab: Range<Int>?
            if let address = dynValue(ELFConstants.dtStrtab), let size = dynValue(ELFConstants.dtStrsz),
               let offset = ELFFile.fileOffset(forAddress: address, segments: segments) {
                strtab = try? r.range(offset, size, "DT_STRTAB")
            }
            if strtab == nil, let dynstr = sections.first(where: { $0.name == ".dynstr" && $0.occupiesFile }) {
                strtab = try? r.range(dynstr.offset, dynstr.size, ".dynstr")
            }
            if let strtab {
                for entry in dynamic {
                    switch entry.tag {
                    case ELFConstants.dtNeeded: needed.append(try r.cString(in: strtab, at: entry.value, "DT_NEEDED"))
                    case ELFConstants.dtSoname: soname = try r.cString(in: strtab, at: entry.value, "DT_SONAME")
                    case ELFConstants.dtRpath, ELFConstants.dtRunpath:
                        runpaths.append(try r.cString(in: strtab, at: entry.value, "DT_RUNPATH"))
                    default: break
                    }
                }
            } else {
                warnings.append("DT_STRTAB cannot be located in the file: DT_NEEDED names are unknown")
            }
        }
        self.needed = needed; self.soname = soname; self.runpaths = runpaths

        // Symbols.
        var symbols: [ELFSymbol] = []
        for table in [ELFConstants.shtSymtab, ELFConstants.shtDynsym] {
            for s in sections where s.type == table {
                guard s.entrySize == 24 else {
                    throw ELFError.badTable(field: "\(s.name) (section \(s.index))", reason: "sh_entsize is \(s.entrySize), expected 24")
                }
                guard Int(s.link) < sections.count, sections[Int(s.link)].occupiesFile else {
                    throw ELFError.badTable(field: "\(s.name) (section \(s.index))", reason: "sh_link \(s.link) is not a string table")
                }
                let strSection = sections[Int(s.link)]
                let strings = try r.range(strSection.offset, strSection.size, "\(s.name) string table")
                let region = try r.range(s.offset, s.size, s.name)
                let count = region.count / 24
                symbols.reserveCapacity(symbols.count + count)
                let kind: ELFSymbol.Table = table == ELFConstants.shtSymtab ? .symtab : .dynsym
                for i in 1..<max(1, count) {
                    let o = region.lowerBound + i * 24
                    let info = bytes[o + 4]
                    symbols.append(ELFSymbol(
                        name: try r.cString(in: strings, at: UInt64(try r.u32(o, "st_name")), "\(s.name)[\(i)] st_name"),
                        value: try r.u64(o + 8, "st_value"), size: try r.u64(o + 16, "st_size"),
                        type: info & 0xf, binding: info >> 4, other: bytes[o + 5],
                        sectionIndex: try r.u16(o + 6, "st_shndx"), table: kind))
                }
            }
        }
        self.symbols = symbols

        // Notes.
        var notes: [ELFNote] = []
        let noteSections = sections.filter { $0.type == ELFConstants.shtNote }
        if !noteSections.isEmpty {
            for s in noteSections {
                let region = try r.range(s.offset, s.size, "\(s.name) (SHT_NOTE)")
                notes += try ELFFile.parseNotes(r, region, align: s.addressAlign == 8 ? 8 : 4, section: s.name)
            }
        } else {
            for s in segments where s.type == ELFConstants.ptNote {
                let region = try r.range(s.offset, s.fileSize, "PT_NOTE")
                notes += try ELFFile.parseNotes(r, region, align: s.align == 8 ? 8 : 4, section: "")
            }
        }
        self.notes = notes
        self.warnings = warnings
    }

    static func parseNotes(_ r: ByteReader, _ region: Range<Int>, align: Int, section: String) throws -> [ELFNote] {
        var notes: [ELFNote] = []
        var o = region.lowerBound
        func padded(_ n: Int) -> Int { (n + align - 1) / align * align }
        while o + 12 <= region.upperBound {
            let nameSize = Int(try r.u32(o, "note namesz")), descSize = Int(try r.u32(o + 4, "note descsz"))
            let type = try r.u32(o + 8, "note type")
            let nameStart = o + 12
            let descStart = o + padded(12 + nameSize)   // aligned from the note's start
            let end = descStart + padded(descSize)
            guard descStart + descSize <= region.upperBound, nameStart + nameSize <= region.upperBound else {
                throw ELFError.badOffset(field: "note in \(section.isEmpty ? "PT_NOTE" : section)", offset: UInt64(o),
                                         size: UInt64(12 + nameSize + descSize), fileSize: r.bytes.count)
            }
            let name = String(decoding: r.bytes[nameStart..<(nameStart + nameSize)].prefix { $0 != 0 }, as: UTF8.self)
            notes.append(ELFNote(name: name, type: type, descriptor: Array(r.bytes[descStart..<(descStart + descSize)]), section: section))
            o = end
        }
        return notes
    }

    // MARK: - Queries

    public func section(named name: String) -> ELFSection? { sections.first { $0.name == name } }

    /// The file bytes of `section` (empty for SHT_NOBITS).
    public func bytes(of section: ELFSection) throws -> [UInt8] {
        guard section.occupiesFile else { return [] }
        return Array(bytes[try ByteReader(bytes).range(section.offset, section.size, section.name)])
    }

    /// The file offset holding virtual address `address`, through PT_LOAD.
    public func fileOffset(forAddress address: UInt64) -> UInt64? {
        ELFFile.fileOffset(forAddress: address, segments: segments)
    }

    static func fileOffset(forAddress address: UInt64, segments: [ELFSegment]) -> UInt64? {
        for s in segments where s.type == ELFConstants.ptLoad {
            let (end, overflow) = s.virtualAddress.addingReportingOverflow(s.fileSize)
            if !overflow, address >= s.virtualAddress, address < end {
                return s.offset &+ (address - s.virtualAddress)
            }
        }
        return nil
    }

    /// Up to `count` file bytes starting at virtual address `address` (fewer
    /// at the end of its segment; empty when the address is not in the file).
    public func bytes(atAddress address: UInt64, count: Int) -> [UInt8] {
        guard let offset = fileOffset(forAddress: address), let start = Int(exactly: offset), start < bytes.count else { return [] }
        return Array(bytes[start..<min(bytes.count, start + max(0, count))])
    }

    /// Relocations of a SHT_RELA or SHT_REL section.
    public func relocations(in section: ELFSection) throws -> [ELFRelocation] {
        let isRela = section.type == ELFConstants.shtRela
        guard isRela || section.type == ELFConstants.shtRel else { return [] }
        let entry = isRela ? 24 : 16
        guard section.entrySize == UInt64(entry) else {
            throw ELFError.badTable(field: "\(section.name) (section \(section.index))", reason: "sh_entsize is \(section.entrySize), expected \(entry)")
        }
        let r = ByteReader(bytes)
        let region = try r.range(section.offset, section.size, section.name)
        return try stride(from: region.lowerBound, to: region.upperBound - entry + 1, by: entry).map { o in
            let info = try r.u64(o + 8, "r_info")
            return ELFRelocation(offset: try r.u64(o, "r_offset"), type: UInt32(truncatingIfNeeded: info),
                                 symbolIndex: UInt32(truncatingIfNeeded: info >> 32),
                                 addend: isRela ? Int64(bitPattern: try r.u64(o + 16, "r_addend")) : 0)
        }
    }

    /// Whether the raw file bytes contain `needle` anywhere.
    public func contains(_ needle: [UInt8]) -> Bool { ELFFile.find(needle, in: bytes) }
    public func contains(string: String) -> Bool { contains(Array(string.utf8)) }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= haystack.count else { return needle.isEmpty }
        // memchr for the first byte, memcmp for the rest (memmem is a GNU
        // extension Swift's Glibc module does not import).
        return haystack.withUnsafeBytes { h in
            needle.withUnsafeBytes { n in
                guard let hBase = h.baseAddress, let nBase = n.baseAddress else { return false }
                let first = Int32(needle[0]), last = h.count - n.count
                var position = 0
                while position <= last {
                    guard let hit = memchr(hBase + position, first, last - position + 1) else { return false }
                    let at = hBase.distance(to: UnsafeRawPointer(hit))
                    if memcmp(hBase + at, nBase, n.count) == 0 { return true }
                    position = at + 1
                }
                return false
            }
        }
    }
}

/// Little-endian, bounds-checked reads over a byte array. Every read names
/// the field so a failure says what was being read.
struct ByteReader {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func u16(_ o: Int, _ field: String) throws -> UInt16 {
        guard o >= 0, o <= bytes.count - 2 else { throw ELFError.truncated(at: o, field: field) }
        return UInt16(bytes[o]) | UInt16(bytes[o + 1]) << 8
    }

    func u32(_ o: Int, _ field: String) throws -> UInt32 {
        guard o >= 0, o <= bytes.count - 4 else { throw ELFError.truncated(at: o, field: field) }
        return UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
    }

    func u64(_ o: Int, _ field: String) throws -> UInt64 {
        UInt64(try u32(o, field)) | UInt64(try u32(o + 4, field)) << 32
    }

    /// The file range [offset, offset+size), or badOffset if any part lies outside.
    func range(_ offset: UInt64, _ size: UInt64, _ field: String) throws -> Range<Int> {
        let (end, overflow) = offset.addingReportingOverflow(size)
        guard !overflow, end <= UInt64(bytes.count), let start = Int(exactly: offset), let stop = Int(exactly: end) else {
            throw ELFError.badOffset(field: field, offset: offset, size: size, fileSize: bytes.count)
        }
        return start..<stop
    }

    /// The NUL-terminated string at `offset` inside `region`.
    func cString(in region: Range<Int>, at offset: UInt64, _ field: String) throws -> String {
        guard offset < UInt64(region.count), let start = Int(exactly: offset) else {
            if offset == 0, region.isEmpty { return "" }
            throw ELFError.badOffset(field: field, offset: offset, size: 1, fileSize: bytes.count)
        }
        let slice = bytes[(region.lowerBound + start)..<region.upperBound]
        guard let nul = slice.firstIndex(of: 0) else {
            throw ELFError.badTable(field: field, reason: "string at offset \(offset) is not NUL-terminated inside its table")
        }
        return String(decoding: slice[slice.startIndex..<nul], as: UTF8.self)
    }
}
