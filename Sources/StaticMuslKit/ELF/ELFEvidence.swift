import Foundation

/// What the fingerprints (libc, Swift, NSS) look for in a file, gathered
/// once: one pass over the marker regions for every marker string, one pass
/// over the symbol tables for every watched symbol name.
public struct ELFEvidence: Sendable {
    public var markers: ELFMarkerHits
    public var symbols: ELFSymbolSummary
    /// False when the data sections, symbols and relocations were not read
    /// (`gather(_:for:)` on a file whose loader names its libc): then the
    /// fingerprints judge from headers, sections and DT_NEEDED alone.
    public var searched = true
    /// PT_INTERP and DT_NEEDED's libc names, when `gather(_:for:)` read them
    /// to decide whether to search; `LibcFingerprint.detect` reads them otherwise.
    public var linkage: LibcLinkage?

    public init(markers: ELFMarkerHits, symbols: ELFSymbolSummary, searched: Bool = true, linkage: LibcLinkage? = nil) {
        self.markers = markers; self.symbols = symbols; self.searched = searched; self.linkage = linkage
    }

    /// Every string and byte table any fingerprint looks for.
    static var allMarkers: [[UInt8]] {
        (LibcFingerprint.glibcStrings + LibcFingerprint.muslStrings + SwiftFingerprint.runtimeStrings
            + NSSRiskCheck.markers + [InspectSuite.gconvMarker]).map { Array($0.utf8) }
            + [LibcFingerprint.mallocngSizeClasses]
    }

    /// Every symbol name any fingerprint looks for.
    static var watchedSymbols: Set<String> {
        Set(LibcFingerprint.glibcSymbols + LibcFingerprint.muslSymbols + Array(LibcFingerprint.genericLibcSymbols)
            + SwiftFingerprint.runtimeSymbols)
    }

    public static func gather(_ elf: ELFFile) throws -> ELFEvidence {
        ELFEvidence(markers: try elf.findMarkers(allMarkers),
                    symbols: try ELFSymbolSummary.summarize(elf, watching: watchedSymbols))
    }

    /// What `inspect` needs for a file of class `binaryClass`. A dynamic
    /// executable or shared object whose PT_INTERP or DT_NEEDED names its libc
    /// is settled by those names: the libc is the one the loader will map,
    /// whatever strings the data holds; the Swift runtime is a DT_NEEDED
    /// libswiftCore or swift5_* sections (the runtime's strings and symbols
    /// never come without them); NSS and gconv risks are only for static
    /// glibc. Searching its data (gigabytes in a large toolchain) would only
    /// repeat the loader's answer, so nothing beyond the headers is read.
    /// A static Go program that starts at Go's own entry point carries no C
    /// library at all (`LibcFingerprint.isGoWithoutLibc`), so it is not
    /// searched either. Every other file is.
    public static func gather(_ elf: ELFFile, for binaryClass: BinaryClass) throws -> ELFEvidence {
        let linkage = LibcFingerprint.linkage(elf)
        let settled = binaryClass.isStatic ? LibcFingerprint.isGoWithoutLibc(elf)
            : !elf.sections.isEmpty && linkage.libc != nil
        if settled {
            return ELFEvidence(markers: ELFMarkerHits(found: []), symbols: ELFSymbolSummary(), searched: false, linkage: linkage)
        }
        var evidence = try gather(elf)
        evidence.linkage = linkage
        return evidence
    }
}

/// The symbol facts the fingerprints use, read without keeping the symbols.
public struct ELFSymbolSummary: Sendable, Equatable {
    /// The watched names that some defined symbol has.
    public var definedWatched: Set<String> = []
    /// A defined symbol with the Swift mangling prefix `$s`.
    public var hasSwiftMangling = false
    /// A defined symbol with the Embedded Swift mangling prefix `$e`.
    public var hasEmbeddedSwiftMangling = false

    public static func summarize(_ elf: ELFFile, watching names: Set<String>) throws -> ELFSymbolSummary {
        // Watched names grouped by length: most symbols are ruled out by length alone.
        let longest = names.map(\.utf8.count).max() ?? 0
        var byLength = [[[UInt8]]](repeating: [], count: longest + 1)
        for name in names { byLength[name.utf8.count].append(Array(name.utf8)) }
        var summary = ELFSymbolSummary()
        try elf.forEachSymbol { symbol, name in
            guard symbol.isDefined, let base = name.baseAddress else { return }
            if name.count >= 2, name[0] == UInt8(ascii: "$") {
                if name[1] == UInt8(ascii: "s") { summary.hasSwiftMangling = true }
                else if name[1] == UInt8(ascii: "e") { summary.hasEmbeddedSwiftMangling = true }
                return
            }
            guard name.count <= longest else { return }
            for candidate in byLength[name.count] where candidate.withUnsafeBytes({ $0.baseAddress.map { memcmp($0, base, name.count) == 0 } ?? false }) {
                summary.definedWatched.insert(String(decoding: candidate, as: UTF8.self))
            }
        }
        return summary
    }
}

extension ELFFile {
    /// How many distinct names the defined symbols have (reads every name:
    /// only the "no libc at all" verdict needs it).
    func distinctDefinedSymbolNameCount() throws -> Int {
        var names = Set<String>()
        try forEachSymbol { symbol, name in
            if symbol.isDefined { names.insert(String(decoding: name, as: UTF8.self)) }
        }
        return names.count
    }
}
