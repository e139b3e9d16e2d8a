import Foundation

/// How a binary gets loaded, decided from ELF fields only.
public enum BinaryClass: String, Codable, Sendable, CaseIterable {
    case staticExecutable = "static"
    case staticPIE = "static-pie"
    case dynamic = "dynamic"
    case sharedObject = "shared-object"

    public var isStatic: Bool { self == .staticExecutable || self == .staticPIE }
}

public enum ClassifyError: Error, Equatable, CustomStringConvertible {
    /// ET_REL, ET_CORE or an unknown e_type: not a linked program.
    case notALinkedBinary(type: String)

    public var description: String {
        switch self {
        case .notALinkedBinary(let type):
            let what = type == "REL" ? "a relocatable object file (ET_REL)" : type == "CORE" ? "a core dump (ET_CORE)" : "e_type \(type)"
            return "\(what) is not a linked executable or shared object"
        }
    }
}

/// The class and the facts behind it.
public struct Classification: Sendable, Equatable {
    public var binaryClass: BinaryClass
    /// e.g. "ET_DYN", "no PT_INTERP", "DF_1_PIE".
    public var facts: [String]
    public var warnings: [String]
}

/// Static, static-pie, dynamic or shared object, from e_type, PT_INTERP,
/// PT_DYNAMIC, DT_NEEDED and DF_1_PIE. This is the whole rule:
///
/// | e_type | PT_INTERP | DT_NEEDED | DF_1_PIE | class |
/// |--------|-----------|-----------|----------|-------|
/// | EXEC   | yes       | any       | any      | dynamic |
/// | EXEC   | no        | yes       | any      | dynamic (warning: no loader named) |
/// | EXEC   | no        | no        | any      | static |
/// | DYN    | yes       | any       | any      | dynamic |
/// | DYN    | no        | any       | yes      | static-pie (warning when it has NEEDED) |
/// | DYN    | no        | yes       | no       | shared-object |
/// | DYN    | no        | no        | no       | ambiguous: shared-object when it has a DT_SONAME or no entry point, else static-pie; always a warning |
public enum ELFClassifier {
    public static func classify(_ elf: ELFFile) throws -> Classification {
        let type = elf.header.type
        guard type == ELFConstants.etExec || type == ELFConstants.etDyn else {
            throw ClassifyError.notALinkedBinary(type: elf.header.typeName)
        }
        var facts = ["ET_\(elf.header.typeName)"]
        var warnings: [String] = []
        facts.append(elf.interpreter.map { "PT_INTERP \($0)" } ?? "no PT_INTERP")
        facts.append(elf.hasDynamicSegment ? "PT_DYNAMIC" : "no PT_DYNAMIC")
        if !elf.needed.isEmpty { facts.append("DT_NEEDED \(elf.needed.joined(separator: ", "))") }
        if elf.isPIEFlagged { facts.append("DF_1_PIE") }
        if let soname = elf.soname { facts.append("DT_SONAME \(soname)") }

        let result: BinaryClass
        if elf.interpreter != nil {
            result = .dynamic
        } else if type == ELFConstants.etExec {
            if elf.needed.isEmpty {
                result = .staticExecutable
            } else {
                result = .dynamic
                warnings.append("ET_EXEC with DT_NEEDED but no PT_INTERP: the kernel will run it without a loader and the libraries will never be loaded")
            }
        } else if elf.isPIEFlagged {
            result = .staticPIE
            if !elf.needed.isEmpty {
                warnings.append("DF_1_PIE without PT_INTERP but with DT_NEEDED (\(elf.needed.joined(separator: ", "))): nothing will load those libraries")
            }
        } else if !elf.needed.isEmpty {
            result = .sharedObject
        } else {
            let looksShared = elf.soname != nil || elf.header.entry == 0
            result = looksShared ? .sharedObject : .staticPIE
            warnings.append("ambiguous: ET_DYN without PT_INTERP, DT_NEEDED or DF_1_PIE; reported as \(result.rawValue) because it "
                + (looksShared ? (elf.soname != nil ? "has a DT_SONAME" : "has no entry point") : "has an entry point and no DT_SONAME"))
        }
        return Classification(binaryClass: result, facts: facts, warnings: warnings)
    }
}
