import Foundation

/// Whether a binary carries Swift code, the full Swift runtime, or only
/// Embedded Swift (which has no runtime, no metadata sections and uses the
/// `$e` mangling prefix).
public struct SwiftVerdict: Sendable, Equatable {
    /// The full runtime (libswiftCore): metadata sections, runtime strings or symbols, or libswiftCore.so.
    public var runtime: Bool
    /// Swift code built with -enable-experimental-feature Embedded.
    public var embedded: Bool
    public var evidence: [String]
}

public enum SwiftFingerprint {
    /// Strings only libswiftCore's runtime contains (survive stripping).
    static let runtimeStrings = ["SWIFT_DEBUG_HELP", "Unable to obtain Swift runtime path"]

    public static func detect(_ elf: ELFFile) -> SwiftVerdict {
        var evidence: [String] = []
        let metadata = elf.sections.filter { $0.name.hasPrefix("swift5_") }.map(\.name)
        if !metadata.isEmpty { evidence.append("\(metadata.count) swift5_* metadata sections (\(metadata.prefix(3).joined(separator: ", "))…)") }
        for s in runtimeStrings where elf.contains(string: s) { evidence.append("runtime string \"\(s)\"") }
        let swiftLibs = elf.needed.filter { $0.hasPrefix("libswiftCore") }
        evidence += swiftLibs.map { "DT_NEEDED \($0)" }
        var hasFullMangling = false, hasEmbeddedMangling = false, hasRuntimeSymbol = false
        for symbol in elf.symbols where symbol.isDefined {
            let n = symbol.name
            if n.hasPrefix("$s") { hasFullMangling = true }
            else if n.hasPrefix("$e") { hasEmbeddedMangling = true }
            else if n == "swift_retain" || n == "swift_allocObject" { hasRuntimeSymbol = true }
        }
        let runtime = !metadata.isEmpty || !swiftLibs.isEmpty || evidence.contains { $0.hasPrefix("runtime string") }
            || (hasRuntimeSymbol && hasFullMangling)
        if hasRuntimeSymbol, hasFullMangling { evidence.append("runtime symbols (swift_retain) and $s-mangled symbols") }
        let modhash = elf.section(named: ".swift_modhash") != nil
        if modhash { evidence.append("section .swift_modhash (Swift compiler output)") }
        if hasEmbeddedMangling { evidence.append("$e-mangled symbols (Embedded Swift)") }
        // Embedded: Swift code without the runtime: $e symbols, or (stripped)
        // the compiler's .swift_modhash with no metadata sections and no runtime.
        let embedded = !runtime && (hasEmbeddedMangling || modhash)
        return SwiftVerdict(runtime: runtime, embedded: embedded, evidence: evidence)
    }
}
