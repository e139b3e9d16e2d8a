import Foundation

/// The part of an ELF file size attribution needs: its length, sections
/// and segments. Read with the project's ELF parser (ELF/ELFFile).
struct BinaryLayout: Sendable {
    struct Section: Sendable {
        var name: String
        var type: UInt32
        var typeName: String
        var address: UInt64
        var size: Int
        var alloc: Bool
        var occupiesFile: Bool
    }

    /// A .symtab entry: where it points and how long its name is.
    struct Symbol: Sendable {
        var address: UInt64
        var nameBytes: Int
    }

    var fileSize: Int
    var sections: [Section]
    var segments: [SizeReport.Segment]
    /// Defined .symtab symbols with an address (not files, sections or absolutes).
    var symbols: [Symbol] = []
    /// Bytes of one .symtab entry (Elf64_Sym).
    static let symbolEntrySize = 24
}

enum ELFSectionType {
    static let symtab = ELFConstants.shtSymtab
    static let strtab = ELFConstants.shtStrtab
}

extension BinaryLayout {
    /// Reads the ELF with the project's parser (ELF/ELFFile).
    static func read(path: String) throws -> BinaryLayout {
        let elf: ELFFile
        do { elf = try ELFFile(path: path) } catch { throw SizeError.notAnELF(path: path, reason: "\(error)") }
        do { return try BinaryLayout(elf: elf) } catch { throw SizeError.notAnELF(path: path, reason: "\(error)") }
    }

    init(elf: ELFFile) throws {
        fileSize = elf.fileSize
        sections = elf.sections.filter { $0.type != ELFConstants.shtNull }.map {
            Section(name: $0.name, type: $0.type, typeName: Self.sectionTypeName($0.type), address: $0.address,
                    size: Int(clamping: $0.size), alloc: $0.isAlloc, occupiesFile: $0.occupiesFile)
        }
        symbols = try elf.readSymbols().compactMap {
            guard $0.table == .symtab, $0.sectionIndex != 0, $0.sectionIndex < 0xff00, $0.value != 0,
                  $0.type != ELFConstants.sttFile, $0.type != ELFConstants.sttSection else { return nil }
            return Symbol(address: $0.value, nameBytes: $0.name.utf8.count + 1)
        }
        segments = elf.segments.map {
            SizeReport.Segment(type: $0.typeName, offset: $0.offset, fileSize: Int(clamping: $0.fileSize),
                               memSize: Int(clamping: $0.memorySize), flags: Self.flagString($0.flags))
        }
    }

    static func sectionTypeName(_ type: UInt32) -> String {
        switch type {
        case ELFConstants.shtProgbits: return "PROGBITS"
        case ELFConstants.shtSymtab: return "SYMTAB"
        case ELFConstants.shtStrtab: return "STRTAB"
        case ELFConstants.shtRela: return "RELA"
        case ELFConstants.shtDynamic: return "DYNAMIC"
        case ELFConstants.shtNote: return "NOTE"
        case ELFConstants.shtNobits: return "NOBITS"
        case ELFConstants.shtRel: return "REL"
        case ELFConstants.shtDynsym: return "DYNSYM"
        case 14: return "INIT_ARRAY"
        case 15: return "FINI_ARRAY"
        case 5: return "HASH"
        case 0x6fff_fff6: return "GNU_HASH"
        default: return "0x" + String(type, radix: 16)
        }
    }

    static func flagString(_ flags: UInt32) -> String {
        (flags & ELFConstants.pfR != 0 ? "R" : "-") + (flags & ELFConstants.pfW != 0 ? "W" : "-")
            + (flags & ELFConstants.pfX != 0 ? "X" : "-")
    }
}
