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

    var fileSize: Int
    var sections: [Section]
    var segments: [SizeReport.Segment]
}

enum ELFSectionType {
    static let symtab: UInt32 = 2
    static let strtab: UInt32 = 3
}

extension BinaryLayout {
    static func read(path: String) throws -> BinaryLayout {
        throw SizeError.notAnELF(path: path, reason: "ELF parser not merged yet")   // TEMP until feat/inspect lands
    }
}
