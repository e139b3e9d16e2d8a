import Foundation

/// Why a file could not be parsed as a 64-bit little-endian ELF file.
/// Every case names what was being read, so the message alone lets a user
/// act ("section header table at 0x… runs past the end of a 4096-byte file").
public enum ELFError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path could not be read (missing, a folder, a device, no permission).
    case unreadable(path: String, reason: String)
    /// The first bytes are not "\u{7f}ELF".
    case notELF(firstBytes: [UInt8])
    /// The file ends before `field` (which starts at byte `at`) is complete.
    case truncated(at: Int, field: String)
    /// EI_CLASS is not ELFCLASS64 (1 = 32-bit).
    case unsupportedClass(UInt8)
    /// EI_DATA is ELFDATA2MSB.
    case bigEndian
    /// EI_DATA is neither little- nor big-endian, or EI_VERSION/e_version is not 1.
    case badIdentification(field: String, value: UInt64)
    /// e_machine is not one this parser understands (x86-64, AArch64).
    case unsupportedMachine(UInt16)
    /// A table or blob lies outside the file or has an impossible shape.
    case badOffset(field: String, offset: UInt64, size: UInt64, fileSize: Int)
    /// A table whose entry size or count is inconsistent.
    case badTable(field: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .notELF(let bytes):
            let hex = bytes.prefix(4).map { String(format: "%02x", $0) }.joined(separator: " ")
            return "not an ELF file (first bytes \(hex.isEmpty ? "none: the file is empty" : hex), expected 7f 45 4c 46)"
        case .truncated(let at, let field):
            return "truncated ELF file: \(field) at byte \(at) runs past the end of the file"
        case .unsupportedClass(let c):
            return c == 1 ? "32-bit ELF (ELFCLASS32) is not supported: only 64-bit binaries are inspected"
                          : "unknown ELF class \(c) (expected 2, ELFCLASS64)"
        case .bigEndian:
            return "big-endian ELF (ELFDATA2MSB) is not supported: only little-endian x86-64 and AArch64 are inspected"
        case .badIdentification(let field, let value):
            return "bad ELF identification: \(field) is \(value)"
        case .unsupportedMachine(let m):
            return "unsupported architecture: e_machine \(m) (\(ELFMachine.name(m))); only x86-64 (62) and AArch64 (183) are inspected"
        case .badOffset(let field, let offset, let size, let fileSize):
            return "bad offset: \(field) claims bytes 0x\(String(offset, radix: 16))+0x\(String(size, radix: 16)), outside the \(fileSize)-byte file"
        case .badTable(let field, let reason):
            return "bad \(field): \(reason)"
        }
    }
}
