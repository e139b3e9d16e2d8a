import Foundation

/// ELF constants this project needs (from elf.h), as plain integers so
/// unknown values from odd files still round-trip.
public enum ELFConstants {
    // e_type
    public static let etRel: UInt16 = 1, etExec: UInt16 = 2, etDyn: UInt16 = 3, etCore: UInt16 = 4
    // e_phnum: the count is in section 0's sh_info (extended numbering)
    public static let pnXnum = 0xffff
    // EI_OSABI
    public static let osabiSysV: UInt8 = 0, osabiGNU: UInt8 = 3
    // p_type
    public static let ptLoad: UInt32 = 1, ptDynamic: UInt32 = 2, ptInterp: UInt32 = 3, ptNote: UInt32 = 4
    public static let ptPhdr: UInt32 = 6, ptTLS: UInt32 = 7
    public static let ptGnuEhFrame: UInt32 = 0x6474_e550, ptGnuStack: UInt32 = 0x6474_e551
    public static let ptGnuRelro: UInt32 = 0x6474_e552, ptGnuProperty: UInt32 = 0x6474_e553
    // p_flags
    public static let pfX: UInt32 = 1, pfW: UInt32 = 2, pfR: UInt32 = 4
    // sh_type
    public static let shtNull: UInt32 = 0, shtProgbits: UInt32 = 1, shtSymtab: UInt32 = 2, shtStrtab: UInt32 = 3
    public static let shtRela: UInt32 = 4, shtDynamic: UInt32 = 6, shtNote: UInt32 = 7, shtNobits: UInt32 = 8
    public static let shtRel: UInt32 = 9, shtDynsym: UInt32 = 11
    // sh_flags
    public static let shfWrite: UInt64 = 1, shfAlloc: UInt64 = 2, shfExecinstr: UInt64 = 4
    // d_tag
    public static let dtNull: Int64 = 0, dtNeeded: Int64 = 1, dtStrtab: Int64 = 5, dtStrsz: Int64 = 10
    public static let dtSoname: Int64 = 14, dtRpath: Int64 = 15, dtRunpath: Int64 = 29
    public static let dtFlags: Int64 = 30, dtFlags1: Int64 = 0x6fff_fffb
    // DT_FLAGS_1
    public static let df1Now: UInt64 = 0x1, df1Pie: UInt64 = 0x0800_0000
    // st_info
    public static let sttNotype: UInt8 = 0, sttObject: UInt8 = 1, sttFunc: UInt8 = 2, sttSection: UInt8 = 3
    public static let sttFile: UInt8 = 4, sttTLS: UInt8 = 6, sttGnuIfunc: UInt8 = 10
    public static let stbLocal: UInt8 = 0, stbGlobal: UInt8 = 1, stbWeak: UInt8 = 2
    // notes
    public static let ntGnuAbiTag: UInt32 = 1, ntGnuBuildId: UInt32 = 3, ntGnuProperty: UInt32 = 5
    /// The Go linker's build ID note (owner "Go", section .note.go.buildid).
    public static let ntGoBuildId: UInt32 = 4
    // relocation types that mean "IFUNC resolved at startup"
    public static let rX86_64Irelative: UInt32 = 37, rAArch64Irelative: UInt32 = 1032
}

public enum ELFMachine {
    public static let x86_64: UInt16 = 62, aarch64: UInt16 = 183

    /// The architecture name used in reports ("x86_64", "aarch64").
    public static func name(_ machine: UInt16) -> String {
        switch machine {
        case 3: return "i386"
        case 8: return "mips"
        case 20: return "ppc"
        case 21: return "ppc64"
        case 22: return "s390"
        case 40: return "arm"
        case 62: return "x86_64"
        case 183: return "aarch64"
        case 243: return "riscv"
        case 258: return "loongarch"
        default: return "unknown"
        }
    }
}

/// The ELF file header (Elf64_Ehdr).
public struct ELFHeader: Sendable, Equatable, Codable {
    public var osabi: UInt8
    public var abiVersion: UInt8
    public var type: UInt16
    public var machine: UInt16
    public var version: UInt32
    public var entry: UInt64
    public var programHeaderOffset: UInt64
    public var sectionHeaderOffset: UInt64
    public var flags: UInt32
    public var headerSize: UInt16
    public var programHeaderEntrySize: UInt16
    public var programHeaderCount: Int
    public var sectionHeaderEntrySize: UInt16
    public var sectionHeaderCount: Int
    public var sectionNameTableIndex: Int

    /// "EXEC", "DYN", "REL", "CORE" or "0x…".
    public var typeName: String {
        switch type {
        case ELFConstants.etRel: return "REL"
        case ELFConstants.etExec: return "EXEC"
        case ELFConstants.etDyn: return "DYN"
        case ELFConstants.etCore: return "CORE"
        default: return "0x" + String(type, radix: 16)
        }
    }
}

/// One section header (Elf64_Shdr) with its name resolved.
public struct ELFSection: Sendable, Equatable, Codable {
    public var index: Int
    public var name: String
    public var type: UInt32
    public var flags: UInt64
    public var address: UInt64
    public var offset: UInt64
    public var size: UInt64
    public var link: UInt32
    public var info: UInt32
    public var addressAlign: UInt64
    public var entrySize: UInt64

    /// SHT_NOBITS sections (.bss, .tbss) occupy no bytes in the file.
    public var occupiesFile: Bool { type != ELFConstants.shtNobits && type != ELFConstants.shtNull }
    public var isAlloc: Bool { flags & ELFConstants.shfAlloc != 0 }
}

/// One program header (Elf64_Phdr).
public struct ELFSegment: Sendable, Equatable, Codable {
    public var type: UInt32
    public var flags: UInt32
    public var offset: UInt64
    public var virtualAddress: UInt64
    public var physicalAddress: UInt64
    public var fileSize: UInt64
    public var memorySize: UInt64
    public var align: UInt64

    /// "LOAD", "DYNAMIC", "INTERP", … or "0x…".
    public var typeName: String {
        switch type {
        case 0: return "NULL"
        case ELFConstants.ptLoad: return "LOAD"
        case ELFConstants.ptDynamic: return "DYNAMIC"
        case ELFConstants.ptInterp: return "INTERP"
        case ELFConstants.ptNote: return "NOTE"
        case 5: return "SHLIB"
        case ELFConstants.ptPhdr: return "PHDR"
        case ELFConstants.ptTLS: return "TLS"
        case ELFConstants.ptGnuEhFrame: return "GNU_EH_FRAME"
        case ELFConstants.ptGnuStack: return "GNU_STACK"
        case ELFConstants.ptGnuRelro: return "GNU_RELRO"
        case ELFConstants.ptGnuProperty: return "GNU_PROPERTY"
        default: return "0x" + String(type, radix: 16)
        }
    }
}

/// One entry of the dynamic section (Elf64_Dyn).
public struct ELFDynamicEntry: Sendable, Equatable, Codable {
    public var tag: Int64
    public var value: UInt64
}

/// One symbol from .symtab or .dynsym.
public struct ELFSymbol: Sendable, Equatable, Codable {
    public enum Table: String, Sendable, Codable { case symtab, dynsym }
    public var name: String
    public var value: UInt64
    public var size: UInt64
    /// STT_* (low 4 bits of st_info).
    public var type: UInt8
    /// STB_* (high 4 bits of st_info).
    public var binding: UInt8
    public var other: UInt8
    /// st_shndx: a section index, or SHN_UNDEF (0), SHN_ABS (0xfff1), SHN_COMMON (0xfff2).
    public var sectionIndex: UInt16
    public var table: Table

    public var isDefined: Bool { sectionIndex != 0 }
    public var isFunction: Bool { type == ELFConstants.sttFunc || type == ELFConstants.sttGnuIfunc }
}

/// One note (Elf64_Nhdr + name + descriptor), from a PT_NOTE segment or SHT_NOTE section.
public struct ELFNote: Sendable, Equatable, Codable {
    public var name: String
    public var type: UInt32
    public var descriptor: [UInt8]
    /// The section it came from ("" when only a segment held it).
    public var section: String
}

/// One relocation (Elf64_Rel / Elf64_Rela).
public struct ELFRelocation: Sendable, Equatable, Codable {
    public var offset: UInt64
    public var type: UInt32
    public var symbolIndex: UInt32
    public var addend: Int64
}

/// The GNU ABI tag (.note.ABI-tag): the minimum kernel the libc was built for.
public struct ELFABITag: Sendable, Equatable, Codable {
    public var os: UInt32        // 0 = Linux
    public var major: UInt32, minor: UInt32, patch: UInt32
    public var description: String { "\(os == 0 ? "Linux" : "OS \(os)") \(major).\(minor).\(patch)" }
}
