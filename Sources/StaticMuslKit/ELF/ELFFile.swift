import Foundation

/// A parsed 64-bit little-endian ELF file (x86-64 or AArch64).
///
/// Pure parsing: only the ranges the analysis needs are read, with pread(2)
/// (`ELFByteSource`); the file is never executed, never mapped, never handed
/// to a loader, and memory does not grow with its size. Every offset, size and count is
/// bounds-checked with overflow-checked arithmetic; a malformed file throws
/// an `ELFError` naming the field, it never traps.
///
/// Soft oddities that do not stop parsing (an unterminated interpreter
/// string, an unmappable DT_STRTAB) are listed in `warnings`.
public struct ELFFile: Sendable {
    /// The largest note table read (real ones are a few hundred bytes).
    static let maximumNoteBytes = 64 << 20

    public let path: String?
    /// Where the bytes come from: pread(2) on the file, or memory.
    public let source: ELFByteSource
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
    /// .symtab then .dynsym, checked (entry size, string table, bounds) but
    /// not read: `readSymbols()` and `forEachSymbol` read them on demand.
    let symbolTables: [SymbolTable]
    /// Notes from SHT_NOTE sections, or from PT_NOTE segments when there are no sections.
    public let notes: [ELFNote]
    public let warnings: [String]

    public var fileSize: Int { source.size }
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
            .map { HexText.lowercase($0.descriptor) }
    }

    /// The GNU ABI tag (.note.ABI-tag), which glibc's crt1.o carries.
    public var abiTag: ELFABITag? {
        guard let note = notes.first(where: { $0.name == "GNU" && $0.type == ELFConstants.ntGnuAbiTag }),
              note.descriptor.count >= 16 else { return nil }
        let d = note.descriptor
        func word(_ i: Int) -> UInt32 { (0..<4).reduce(UInt32(0)) { $0 | UInt32(d[i + $1]) << (8 * UInt32($1)) } }
        return ELFABITag(os: word(0), major: word(4), minor: word(8), patch: word(12))
    }

    /// One symbol table, checked at parse time.
    struct SymbolTable: Sendable {
        var section: ELFSection
        var kind: ELFSymbol.Table
        var entries: Range<Int>
        var strings: Range<Int>
    }

    // MARK: - Reading

    /// Opens the file and reads only what the analysis needs with pread(2):
    /// the ELF header, the program and section header tables, PT_INTERP,
    /// PT_DYNAMIC and its strings, and the notes. Memory does not grow with
    /// the file (files over 4 GiB are fine).
    public init(path: String) throws {
        try self.init(source: try FileByteSource(path: path), path: path)
    }

    public init(bytes: [UInt8]) throws { try self.init(source: MemoryByteSource(bytes), path: nil) }

    public init(source: ELFByteSource, path: String?) throws {
        self.path = path
        self.source = source
        let extent = FileExtent(size: source.size)
        var warnings: [String] = []

        // Identification.
        let head = try source.read(at: 0, count: min(64, source.size))
        guard head.count >= 4, head[0] == 0x7f, head[1] == 0x45, head[2] == 0x4c, head[3] == 0x46 else {
            throw ELFError.notELF(firstBytes: Array(head.prefix(4)))
        }
        guard head.count >= 16 else { throw ELFError.truncated(at: 4, field: "e_ident") }
        guard head[4] == 2 else { throw ELFError.unsupportedClass(head[4]) }
        if head[5] == 2 { throw ELFError.bigEndian }
        guard head[5] == 1 else { throw ELFError.badIdentification(field: "EI_DATA", value: UInt64(head[5])) }
        guard head[6] == 1 else { throw ELFError.badIdentification(field: "EI_VERSION", value: UInt64(head[6])) }
        guard head.count >= 64 else { throw ELFError.truncated(at: 16, field: "ELF header (64 bytes)") }
        let r = ByteReader(head)

        let machine = try r.u16(18, "e_machine")
        guard machine == ELFMachine.x86_64 || machine == ELFMachine.aarch64 else {
            throw ELFError.unsupportedMachine(machine)
        }
        var header = ELFHeader(
            osabi: head[7], abiVersion: head[8],
            type: try r.u16(16, "e_type"), machine: machine, version: try r.u32(20, "e_version"),
            entry: try r.u64(24, "e_entry"),
            programHeaderOffset: try r.u64(32, "e_phoff"), sectionHeaderOffset: try r.u64(40, "e_shoff"),
            flags: try r.u32(48, "e_flags"), headerSize: try r.u16(52, "e_ehsize"),
            programHeaderEntrySize: try r.u16(54, "e_phentsize"), programHeaderCount: Int(try r.u16(56, "e_phnum")),
            sectionHeaderEntrySize: try r.u16(58, "e_shentsize"), sectionHeaderCount: Int(try r.u16(60, "e_shnum")),
            sectionNameTableIndex: Int(try r.u16(62, "e_shstrndx")))
        guard header.version == 1 else { throw ELFError.badIdentification(field: "e_version", value: UInt64(header.version)) }

        // Extended numbering: section 0 holds the real counts (SHN_XINDEX,
        // PN_XNUM). e_phnum 0xffff means "the count is in section 0's sh_info"
        // only when there is a section 0 and its sh_info is not 0, as readelf
        // reads it. Otherwise the file is broken, and it is refused (readelf:
        // "Too many program headers"; the kernel: ENOEXEC) rather than read as
        // a file without program headers. The kernel never follows PN_XNUM
        // when it execs a file, so a file that uses it gets a warning.
        if header.sectionHeaderOffset != 0 {
            guard header.sectionHeaderEntrySize == 64 else {
                throw ELFError.badTable(field: "section header table", reason: "e_shentsize is \(header.sectionHeaderEntrySize), expected 64")
            }
            let zeroRange = try extent.range(header.sectionHeaderOffset, 64, "section header 0")
            let zero = ByteReader(try source.read(at: zeroRange.lowerBound, count: 64))
            if header.sectionHeaderCount == 0 {
                let count = try zero.u64(32, "section 0 sh_size (extended e_shnum)")
                guard let n = Int(exactly: count), n <= source.size / 64 else {
                    throw ELFError.badTable(field: "section header table", reason: "extended section count \(count) cannot fit in the file")
                }
                header.sectionHeaderCount = n
            }
            if header.sectionNameTableIndex == 0xffff {
                header.sectionNameTableIndex = Int(try zero.u32(40, "section 0 sh_link (extended e_shstrndx)"))
            }
            if header.programHeaderCount == ELFConstants.pnXnum {
                let count = try zero.u32(44, "section 0 sh_info (extended e_phnum)")
                guard count != 0 else {
                    throw ELFError.badTable(field: "e_phnum", reason: "it is 0xffff (PN_XNUM, extended numbering) but section 0's sh_info, "
                        + "which must then hold the real count, is 0: readelf and the kernel refuse this file")
                }
                header.programHeaderCount = Int(count)
                warnings.append("e_phnum is 0xffff (PN_XNUM): the \(count) program headers are counted in section 0's sh_info, "
                    + "which the kernel does not read; it refuses to exec this file (ENOEXEC)")
            }
        } else {
            header.sectionHeaderCount = 0
            if header.programHeaderCount == ELFConstants.pnXnum {
                throw ELFError.badTable(field: "e_phnum", reason: "it is 0xffff (PN_XNUM, extended numbering) but there is no section header 0 "
                    + "to hold the real count: readelf and the kernel refuse this file")
            }
        }
        self.header = header

        // Program headers.
        var segments: [ELFSegment] = []
        if header.programHeaderCount > 0 {
            guard header.programHeaderEntrySize == 56 else {
                throw ELFError.badTable(field: "program header table", reason: "e_phentsize is \(header.programHeaderEntrySize), expected 56")
            }
            let table = try extent.range(header.programHeaderOffset, UInt64(header.programHeaderCount) * 56, "program header table (e_phoff)")
            let t = ByteReader(try source.read(at: table.lowerBound, count: table.count))
            segments.reserveCapacity(header.programHeaderCount)
            for i in 0..<header.programHeaderCount {
                let o = i * 56
                segments.append(ELFSegment(
                    type: try t.u32(o, "program header \(i) p_type"), flags: try t.u32(o + 4, "p_flags"),
                    offset: try t.u64(o + 8, "p_offset"), virtualAddress: try t.u64(o + 16, "p_vaddr"),
                    physicalAddress: try t.u64(o + 24, "p_paddr"), fileSize: try t.u64(o + 32, "p_filesz"),
                    memorySize: try t.u64(o + 40, "p_memsz"), align: try t.u64(o + 48, "p_align")))
            }
        }
        for (i, s) in segments.enumerated() where s.type == ELFConstants.ptLoad || s.type == ELFConstants.ptInterp
            || s.type == ELFConstants.ptDynamic || s.type == ELFConstants.ptNote {
            _ = try extent.range(s.offset, s.fileSize, "program header \(i) (\(s.typeName)) p_offset/p_filesz")
        }
        self.segments = segments

        // Section headers and their names.
        var sections: [ELFSection] = []
        if header.sectionHeaderCount > 0 {
            let table = try extent.range(header.sectionHeaderOffset, UInt64(header.sectionHeaderCount) * 64, "section header table (e_shoff)")
            let t = ByteReader(try source.read(at: table.lowerBound, count: table.count))
            sections.reserveCapacity(header.sectionHeaderCount)
            for i in 0..<header.sectionHeaderCount {
                let o = i * 64
                let s = ELFSection(
                    index: i, name: "", type: try t.u32(o + 4, "section \(i) sh_type"), flags: try t.u64(o + 8, "sh_flags"),
                    address: try t.u64(o + 16, "sh_addr"), offset: try t.u64(o + 24, "sh_offset"),
                    size: try t.u64(o + 32, "sh_size"), link: try t.u32(o + 40, "sh_link"), info: try t.u32(o + 44, "sh_info"),
                    addressAlign: try t.u64(o + 48, "sh_addralign"), entrySize: try t.u64(o + 56, "sh_entsize"))
                if s.occupiesFile, i != 0 {
                    _ = try extent.range(s.offset, s.size, "section \(i) sh_offset/sh_size")
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
                let strings = StringTableReader(source: source, region: try extent.range(names.offset, names.size, "section name table"))
                for i in sections.indices {
                    let nameOffset = UInt64(try t.u32(i * 64, "section \(i) sh_name"))
                    sections[i].name = try strings.string(at: nameOffset, field: "section \(i) sh_name")
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
            let region = try extent.range(interp.offset, interp.fileSize, "PT_INTERP")
            let raw = try source.read(at: region.lowerBound, count: region.count)
            if !raw.contains(0) { warnings.append("PT_INTERP string is not NUL-terminated") }
            interpreter = String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        self.interpreter = interpreter

        // Dynamic section, read in chunks up to DT_NULL.
        var dynamic: [ELFDynamicEntry] = []
        if let dyn = segments.first(where: { $0.type == ELFConstants.ptDynamic }) {
            let region = try extent.range(dyn.offset, dyn.fileSize, "PT_DYNAMIC")
            let whole = region.lowerBound..<(region.lowerBound + region.count / 16 * 16)
            try ChunkedRegion.forEachChunk(of: whole, in: source) { chunk, _ in
                let c = ByteReader(chunk)
                var o = 0
                while o + 16 <= chunk.count {
                    let entry = ELFDynamicEntry(tag: Int64(bitPattern: try c.u64(o, "dynamic entry tag")),
                                                value: try c.u64(o + 8, "dynamic entry value"))
                    if entry.tag == ELFConstants.dtNull { return false }
                    dynamic.append(entry)
                    o += 16
                }
                return true
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
                strtab = try? extent.range(offset, size, "DT_STRTAB")
            }
            if strtab == nil, let dynstr = sections.first(where: { $0.name == ".dynstr" && $0.occupiesFile }) {
                strtab = try? extent.range(dynstr.offset, dynstr.size, ".dynstr")
            }
            if let strtab {
                let strings = StringTableReader(source: source, region: strtab)
                for entry in dynamic {
                    switch entry.tag {
                    case ELFConstants.dtNeeded: needed.append(try strings.string(at: entry.value, field: "DT_NEEDED"))
                    case ELFConstants.dtSoname: soname = try strings.string(at: entry.value, field: "DT_SONAME")
                    case ELFConstants.dtRpath, ELFConstants.dtRunpath:
                        runpaths.append(try strings.string(at: entry.value, field: "DT_RUNPATH"))
                    default: break
                    }
                }
            } else {
                warnings.append("DT_STRTAB cannot be located in the file: DT_NEEDED names are unknown")
            }
        }
        self.needed = needed; self.soname = soname; self.runpaths = runpaths

        // Symbol tables: their shape is checked now, their entries are read on demand.
        var symbolTables: [SymbolTable] = []
        for table in [ELFConstants.shtSymtab, ELFConstants.shtDynsym] {
            for s in sections where s.type == table {
                guard s.entrySize == 24 else {
                    throw ELFError.badTable(field: "\(s.name) (section \(s.index))", reason: "sh_entsize is \(s.entrySize), expected 24")
                }
                guard Int(s.link) < sections.count, sections[Int(s.link)].occupiesFile else {
                    throw ELFError.badTable(field: "\(s.name) (section \(s.index))", reason: "sh_link \(s.link) is not a string table")
                }
                let strSection = sections[Int(s.link)]
                let strings = try extent.range(strSection.offset, strSection.size, "\(s.name) string table")
                let entries = try extent.range(s.offset, s.size, s.name)
                symbolTables.append(SymbolTable(section: s, kind: table == ELFConstants.shtSymtab ? .symtab : .dynsym,
                                                entries: entries, strings: strings))
            }
        }
        self.symbolTables = symbolTables

        // Notes.
        var notes: [ELFNote] = []
        func noteBytes(_ region: Range<Int>, _ what: String) throws -> [UInt8] {
            guard region.count <= ELFFile.maximumNoteBytes else {
                throw ELFError.badTable(field: what, reason: "\(region.count) bytes of notes is more than any real note table (limit \(ELFFile.maximumNoteBytes))")
            }
            return try source.read(at: region.lowerBound, count: region.count)
        }
        let noteSections = sections.filter { $0.type == ELFConstants.shtNote }
        if !noteSections.isEmpty {
            for s in noteSections {
                let region = try extent.range(s.offset, s.size, "\(s.name) (SHT_NOTE)")
                notes += try ELFFile.parseNotes(try noteBytes(region, s.name), at: region.lowerBound, fileSize: source.size,
                                                align: s.addressAlign == 8 ? 8 : 4, section: s.name)
            }
        } else {
            for s in segments where s.type == ELFConstants.ptNote {
                let region = try extent.range(s.offset, s.fileSize, "PT_NOTE")
                notes += try ELFFile.parseNotes(try noteBytes(region, "PT_NOTE"), at: region.lowerBound, fileSize: source.size,
                                                align: s.align == 8 ? 8 : 4, section: "")
            }
        }
        self.notes = notes
        self.warnings = warnings
    }

    /// Notes in `bytes`, which were read from file offset `base`.
    static func parseNotes(_ bytes: [UInt8], at base: Int, fileSize: Int, align: Int, section: String) throws -> [ELFNote] {
        let r = ByteReader(bytes)
        var notes: [ELFNote] = []
        var o = 0
        func padded(_ n: Int) -> Int { (n + align - 1) / align * align }
        while o + 12 <= bytes.count {
            let nameSize = Int(try r.u32(o, "note namesz")), descSize = Int(try r.u32(o + 4, "note descsz"))
            let type = try r.u32(o + 8, "note type")
            let nameStart = o + 12
            let descStart = o + padded(12 + nameSize)   // aligned from the note's start
            let end = descStart + padded(descSize)
            guard descStart + descSize <= bytes.count, nameStart + nameSize <= bytes.count else {
                throw ELFError.badOffset(field: "note in \(section.isEmpty ? "PT_NOTE" : section)", offset: UInt64(base + o),
                                         size: UInt64(12 + nameSize + descSize), fileSize: fileSize)
            }
            let name = String(decoding: bytes[nameStart..<(nameStart + nameSize)].prefix { $0 != 0 }, as: UTF8.self)
            notes.append(ELFNote(name: name, type: type, descriptor: Array(bytes[descStart..<(descStart + descSize)]), section: section))
            o = end
        }
        return notes
    }

    // MARK: - Symbols

    /// Every symbol of .symtab then .dynsym (the null symbol 0 of each is
    /// left out), with names. Memory grows with the symbol count: inspect
    /// uses `forEachSymbol` instead.
    public func readSymbols() throws -> [ELFSymbol] {
        var symbols: [ELFSymbol] = []
        try forEachSymbol { entry, name in
            var symbol = entry
            symbol.name = String(decoding: name, as: UTF8.self)
            symbols.append(symbol)
        }
        return symbols
    }

    /// Calls `body` for each symbol of .symtab then .dynsym with its name's
    /// bytes (valid only during the call; the symbol's `name` is left empty).
    /// Reads the tables in bounded chunks and their strings through a page cache.
    public func forEachSymbol(_ body: (ELFSymbol, UnsafeRawBufferPointer) throws -> Void) throws {
        let batch = 43_690   // entries per read: about 1 MiB
        for table in symbolTables {
            let name = table.section.name
            let strings = StringTableReader(source: source, region: table.strings)
            let count = table.entries.count / 24
            var first = 1
            while first < count {
                let last = min(count, first + batch)
                let chunk = try source.read(at: table.entries.lowerBound + first * 24, count: (last - first) * 24)
                let c = ByteReader(chunk)
                for i in first..<last {
                    let o = (i - first) * 24
                    let info = chunk[o + 4]
                    let nameOffset = UInt64(try c.u32(o, "st_name"))
                    let symbol = ELFSymbol(
                        name: "", value: try c.u64(o + 8, "st_value"), size: try c.u64(o + 16, "st_size"),
                        type: info & 0xf, binding: info >> 4, other: chunk[o + 5],
                        sectionIndex: try c.u16(o + 6, "st_shndx"), table: table.kind)
                    let seen: Void? = try strings.withString(at: nameOffset, field: "\(name)[\(i)] st_name") { try body(symbol, $0) }
                    if seen == nil {
                        if nameOffset == 0, table.strings.isEmpty {
                            try body(symbol, UnsafeRawBufferPointer(start: nil, count: 0))
                        } else {
                            throw ELFError.badOffset(field: "\(name)[\(i)] st_name", offset: nameOffset, size: 1, fileSize: source.size)
                        }
                    }
                }
                first = last
            }
        }
    }

    // MARK: - Queries

    public func section(named name: String) -> ELFSection? { sections.first { $0.name == name } }

    /// The file bytes of `section` (empty for SHT_NOBITS); at most `limit` of them.
    public func bytes(of section: ELFSection, limit: Int = .max) throws -> [UInt8] {
        guard section.occupiesFile else { return [] }
        let region = try FileExtent(size: fileSize).range(section.offset, section.size, section.name)
        return try source.read(at: region.lowerBound, count: min(region.count, max(0, limit)))
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
    /// at the end of the file; empty when the address is not in the file).
    public func bytes(atAddress address: UInt64, count: Int) -> [UInt8] {
        guard let offset = fileOffset(forAddress: address), let start = Int(exactly: offset), start < fileSize else { return [] }
        let length = min(fileSize - start, max(0, count))
        return (try? source.read(at: start, count: length)) ?? []
    }

    /// Relocations of a SHT_RELA or SHT_REL section.
    public func relocations(in section: ELFSection) throws -> [ELFRelocation] {
        var relocations: [ELFRelocation] = []
        try forEachRelocation(in: section) { relocations.append($0) }
        return relocations
    }

    /// Calls `body` for each relocation of a SHT_RELA or SHT_REL section,
    /// read in bounded chunks.
    public func forEachRelocation(in section: ELFSection, _ body: (ELFRelocation) throws -> Void) throws {
        let isRela = section.type == ELFConstants.shtRela
        guard isRela || section.type == ELFConstants.shtRel else { return }
        let entry = isRela ? 24 : 16
        guard section.entrySize == UInt64(entry) else {
            throw ELFError.badTable(field: "\(section.name) (section \(section.index))", reason: "sh_entsize is \(section.entrySize), expected \(entry)")
        }
        let region = try FileExtent(size: fileSize).range(section.offset, section.size, section.name)
        let whole = region.lowerBound..<(region.lowerBound + region.count / entry * entry)
        let perChunk = ChunkedRegion.chunkSize / 48 * 48   // a multiple of both entry sizes
        var start = whole.lowerBound
        while start < whole.upperBound {
            let chunk = try source.read(at: start, count: min(perChunk, whole.upperBound - start))
            let r = ByteReader(chunk)
            var o = 0
            while o + entry <= chunk.count {
                let info = try r.u64(o + 8, "r_info")
                try body(ELFRelocation(offset: try r.u64(o, "r_offset"), type: UInt32(truncatingIfNeeded: info),
                                       symbolIndex: UInt32(truncatingIfNeeded: info >> 32),
                                       addend: isRela ? Int64(bitPattern: try r.u64(o + 16, "r_addend")) : 0))
                o += entry
            }
            start += chunk.count
        }
    }

    // MARK: - Markers

    /// Section types that are fixed-size binary tables (symbols, relocations,
    /// hashes, versions, pointer arrays): no marker string lives there.
    static let binaryTableSectionTypes: Set<UInt32> = [
        ELFConstants.shtSymtab, ELFConstants.shtRela, 5 /* SHT_HASH */, ELFConstants.shtDynamic, ELFConstants.shtRel,
        ELFConstants.shtDynsym, 14, 15, 16 /* INIT, FINI, PREINIT arrays */, 17 /* GROUP */, 18 /* SYMTAB_SHNDX */, 19 /* RELR */,
        0x6fff_fff6 /* GNU_HASH */, 0x6fff_fffd /* VERDEF */, 0x6fff_fffe /* VERNEED */, 0x6fff_ffff /* VERSYM */,
    ]

    /// Read-only sections that hold no marker: unwind tables, and the Go
    /// linker's tables of program counters, function names and type links
    /// (a quarter of a Go program that links a C library statically).
    static let unwindSectionNames: Set<String> = [".eh_frame", ".eh_frame_hdr", ".gcc_except_table", ".sframe",
                                                  ".gopclntab", ".gosymtab", ".typelink", ".itablink"]

    /// The file ranges where marker strings and constant tables can be:
    /// every section with file bytes except machine code, debug info, binary
    /// tables (symbols, relocations, hashes, versions, pointer arrays),
    /// unwind tables and Go's tables; so .rodata (writable in some Swift binaries), .data,
    /// .dynstr and .strtab (a separate .debug file's versioned names are the
    /// only place its "GLIBC_2." lives). Adjacent ranges are joined. Without
    /// a section header table: the PT_LOAD segments; with neither, the whole file.
    public var markerRegions: [Range<Int>] {
        var ranges: [Range<Int>] = []
        if !sections.isEmpty {
            for s in sections.dropFirst() where s.occupiesFile && s.size > 0 && s.flags & ELFConstants.shfExecinstr == 0
                && !Self.binaryTableSectionTypes.contains(s.type) && !Self.unwindSectionNames.contains(s.name)
                && !s.name.hasPrefix(".debug") && !s.name.hasPrefix(".zdebug") {
                if let start = Int(exactly: s.offset), let size = Int(exactly: s.size) { ranges.append(start..<(start + size)) }
            }
        } else {
            for s in segments where s.type == ELFConstants.ptLoad && s.fileSize > 0 {
                if let start = Int(exactly: s.offset), let size = Int(exactly: s.fileSize) { ranges.append(start..<(start + size)) }
            }
            if segments.isEmpty { ranges = [0..<fileSize] }
        }
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var joined: [Range<Int>] = []
        for range in ranges {
            if let last = joined.last, range.lowerBound <= last.upperBound {
                joined[joined.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                joined.append(range)
            }
        }
        return joined
    }

    /// Which of `needles` occur in `markerRegions`, all found in one pass.
    public func findMarkers(_ needles: [[UInt8]]) throws -> ELFMarkerHits {
        let usable = needles.filter { $0.count >= 2 }
        guard !usable.isEmpty else { return ELFMarkerHits(found: []) }
        let found = try MarkerScanner(usable).scan(markerRegions, in: source)
        return ELFMarkerHits(found: Set(zip(usable, found).filter(\.1).map(\.0)))
    }

    /// Whether `needle` occurs in the file's data (`markerRegions`).
    public func contains(_ needle: [UInt8]) -> Bool {
        (try? findMarkers([needle]).contains(needle)) ?? false
    }
    public func contains(string: String) -> Bool { contains(Array(string.utf8)) }
}

/// The markers `ELFFile.findMarkers` found.
public struct ELFMarkerHits: Sendable, Equatable {
    public var found: Set<[UInt8]>
    public func contains(_ needle: [UInt8]) -> Bool { found.contains(needle) }
    public func contains(string: String) -> Bool { found.contains(Array(string.utf8)) }
}

/// Little-endian, bounds-checked reads over bytes already read from the
/// file (a header, a table, a chunk). Every read names the field so a
/// failure says what was being read.
struct ByteReader {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func u16(_ o: Int, _ field: @autoclosure () -> String) throws -> UInt16 {
        guard o >= 0, o <= bytes.count - 2 else { throw ELFError.truncated(at: o, field: field()) }
        return UInt16(bytes[o]) | UInt16(bytes[o + 1]) << 8
    }

    func u32(_ o: Int, _ field: @autoclosure () -> String) throws -> UInt32 {
        guard o >= 0, o <= bytes.count - 4 else { throw ELFError.truncated(at: o, field: field()) }
        return UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
    }

    func u64(_ o: Int, _ field: @autoclosure () -> String) throws -> UInt64 {
        UInt64(try u32(o, field())) | UInt64(try u32(o + 4, field())) << 32
    }
}

/// Bounds checks against the file's size.
struct FileExtent {
    let size: Int

    /// The file range [offset, offset+size), or badOffset if any part lies outside.
    func range(_ offset: UInt64, _ length: UInt64, _ field: @autoclosure () -> String) throws -> Range<Int> {
        let (end, overflow) = offset.addingReportingOverflow(length)
        guard !overflow, end <= UInt64(size), let start = Int(exactly: offset), let stop = Int(exactly: end) else {
            throw ELFError.badOffset(field: field(), offset: offset, size: length, fileSize: size)
        }
        return start..<stop
    }
}
