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

    /// Runtime functions that, with `$s`-mangled symbols, mean the full runtime.
    static let runtimeSymbols = ["swift_retain", "swift_allocObject"]

    /// Gathers the markers and symbols itself; a file whose symbol or string
    /// tables cannot be read counts as having none.
    public static func detect(_ elf: ELFFile) -> SwiftVerdict {
        let evidence = (try? ELFEvidence.gather(elf))
            ?? ELFEvidence(markers: ELFMarkerHits(found: []), symbols: ELFSymbolSummary())
        return detect(elf, evidence: evidence)
    }

    public static func detect(_ elf: ELFFile, evidence found: ELFEvidence) -> SwiftVerdict {
        var evidence: [String] = []
        let metadata = elf.sections.filter { $0.name.hasPrefix("swift5_") }.map(\.name)
        if !metadata.isEmpty { evidence.append("\(metadata.count) swift5_* metadata sections (\(metadata.prefix(3).joined(separator: ", "))…)") }
        for s in runtimeStrings where found.markers.contains(string: s) { evidence.append("runtime string \"\(s)\"") }
        let swiftLibs = elf.needed.filter { $0.hasPrefix("libswiftCore") }
        evidence += swiftLibs.map { "DT_NEEDED \($0)" }
        let hasFullMangling = found.symbols.hasSwiftMangling
        let hasEmbeddedMangling = found.symbols.hasEmbeddedSwiftMangling
        let hasRuntimeSymbol = runtimeSymbols.contains { found.symbols.definedWatched.contains($0) }
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
