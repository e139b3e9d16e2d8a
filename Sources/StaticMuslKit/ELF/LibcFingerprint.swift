import Foundation

/// Which C library a binary carries or needs.
public enum LibcName: String, Codable, Sendable, CaseIterable {
    case glibc, musl, none, unknown
}

/// The libc verdict and every marker behind it ("section __libc_IO_vtables",
/// "symbol __init_libc", "entry: musl _start bytes", …).
public struct LibcVerdict: Sendable, Equatable {
    public var libc: LibcName
    public var evidence: [String]
    /// Why the answer is `unknown` or `none`, or why it is uncertain.
    public var reason: String?
}

/// Names the libc from markers that survive stripping where possible:
/// loader/NEEDED names, section names, notes, relocation types, message
/// strings, constant tables and the bytes at the entry point. Symbols are
/// used too when present.
public enum LibcFingerprint {
    // glibc: sections only glibc's static libc.a creates.
    static let glibcSections = ["__libc_freeres_fn", "__libc_freeres_ptrs", "__libc_subfreeres", "__libc_IO_vtables", "__libc_atexit"]
    static let glibcStrings = ["GLIBC_PRIVATE", "GLIBC_TUNABLES", "/etc/ld.so.cache", "GLIBC_2."]
    static let glibcSymbols = ["__libc_setup_tls", "_dl_relocate_static_pie", "__libc_early_init", "_IO_stdin_used", "__libc_freeres"]
    // musl: internal symbols, message strings, mallocng's size class table.
    static let muslSymbols = ["__init_libc", "__copy_tls", "__stdio_exit", "__init_tp", "__libc_start_init"]
    static let muslStrings = ["No error information", "Name does not resolve"]
    /// mallocng's `__malloc_size_classes` (uint16 little-endian, first 16 of 48).
    static let mallocngSizeClasses: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 18, 20, 25, 31]
        .flatMap { [UInt8($0), 0] }
    /// The first instructions of each libc's `_start` (crt1.o / rcrt1.o / Scrt1.o).
    static let entryPatterns: [(libc: LibcName, machine: UInt16, bytes: [UInt8?], what: String)] = [
        // musl x86_64: xor %rbp,%rbp; mov %rsp,%rdi; lea _DYNAMIC(%rip),%rsi; and $-16,%rsp; call _start_c
        (.musl, ELFMachine.x86_64, [0x48, 0x31, 0xed, 0x48, 0x89, 0xe7, 0x48, 0x8d, 0x35, nil, nil, nil, nil, 0x48, 0x83, 0xe4, 0xf0, 0xe8],
         "musl x86_64 _start (xor %rbp,%rbp; mov %rsp,%rdi; lea _DYNAMIC,%rsi; call _start_c)"),
        // glibc x86_64 (optionally after endbr64): xor %ebp,%ebp; mov %rdx,%r9; pop %rsi; mov %rsp,%rdx; and $-16,%rsp; push %rax; push %rsp
        (.glibc, ELFMachine.x86_64, [0x31, 0xed, 0x49, 0x89, 0xd1, 0x5e, 0x48, 0x89, 0xe2, 0x48, 0x83, 0xe4, 0xf0, 0x50, 0x54],
         "glibc x86_64 _start (xor %ebp,%ebp; mov %rdx,%r9; pop %rsi; … push %rsp)"),
        (.glibc, ELFMachine.x86_64, [0xf3, 0x0f, 0x1e, 0xfa, 0x31, 0xed, 0x49, 0x89, 0xd1, 0x5e, 0x48, 0x89, 0xe2],
         "glibc x86_64 _start (endbr64; xor %ebp,%ebp; mov %rdx,%r9; pop %rsi; …)"),
        // AArch64: mov x29,#0; mov x30,#0; then musl: mov x0,sp / glibc: mov x5,x0
        (.musl, ELFMachine.aarch64, [0x1d, 0x00, 0x80, 0xd2, 0x1e, 0x00, 0x80, 0xd2, 0xe0, 0x03, 0x00, 0x91], "musl aarch64 _start"),
        (.glibc, ELFMachine.aarch64, [0x1d, 0x00, 0x80, 0xd2, 0x1e, 0x00, 0x80, 0xd2, 0xe5, 0x03, 0x00, 0xaa], "glibc aarch64 _start"),
    ]
    /// Symbols any C library defines; used only to tell "none" from "unknown".
    static let genericLibcSymbols: Set<String> = ["malloc", "free", "printf", "write", "memcpy", "exit", "__libc_start_main", "_exit"]

    /// Gathers the markers and symbols itself (one pass each); a file whose
    /// symbol or string tables cannot be read counts as having none.
    public static func detect(_ elf: ELFFile) -> LibcVerdict {
        let evidence = (try? ELFEvidence.gather(elf))
            ?? ELFEvidence(markers: ELFMarkerHits(found: []), symbols: ELFSymbolSummary())
        return detect(elf, evidence: evidence)
    }

    public static func detect(_ elf: ELFFile, evidence: ELFEvidence) -> LibcVerdict {
        var glibc: [String] = [], musl: [String] = []
        let symbolNames = evidence.symbols.definedWatched
        let markers = evidence.markers
        let sectionNames = Set(elf.sections.map(\.name))

        let linkage = evidence.linkage ?? Self.linkage(elf)
        glibc += linkage.glibc; musl += linkage.musl
        // EI_OSABI GNU only says the file has IFUNC or STB_GNU_UNIQUE
        // symbols; libstdc++ brings the latter into musl links too (the
        // musl Swift variant has it), so it only supports other glibc evidence.
        let osabiGNU = elf.header.osabi == ELFConstants.osabiGNU
        if let tag = elf.abiTag { glibc.append(".note.ABI-tag (\(tag.description))") }
        for name in glibcSections where sectionNames.contains(name) { glibc.append("section \(name)") }
        let irelative = evidence.searched ? irelativeCount(elf) : 0
        if irelative > 0 { glibc.append("\(irelative) IRELATIVE relocations (musl has no IFUNC)") }
        for s in glibcStrings where markers.contains(string: s) { glibc.append("string \"\(s)\"") }
        for s in glibcSymbols where symbolNames.contains(s) { glibc.append("symbol \(s)") }

        for s in muslSymbols where symbolNames.contains(s) { musl.append("symbol \(s)") }
        for s in muslStrings where markers.contains(string: s) { musl.append("string \"\(s)\"") }
        if markers.contains(mallocngSizeClasses) { musl.append("mallocng size_classes table") }

        let entry = elf.bytes(atAddress: elf.header.entry, count: 24)
        for p in entryPatterns where p.machine == elf.header.machine && matches(entry, p.bytes) {
            if p.libc == .musl { musl.append("entry: \(p.what)") } else { glibc.append("entry: \(p.what)") }
        }

        if osabiGNU {
            if !glibc.isEmpty { glibc.append("EI_OSABI GNU (IFUNC/unique symbols)") }
            else if !musl.isEmpty { musl.append("note: EI_OSABI GNU comes from STB_GNU_UNIQUE symbols (C++ code), not from the libc") }
        }
        if glibc.isEmpty, musl.isEmpty, !evidence.searched, isGoWithoutLibc(elf) {
            return LibcVerdict(libc: .none, evidence: [goEvidence],
                               reason: "a Go program: Go's runtime makes its own system calls and no C library was linked in")
        }
        switch (glibc.isEmpty, musl.isEmpty) {
        case (false, true): return LibcVerdict(libc: .glibc, evidence: glibc, reason: nil)
        case (true, false): return LibcVerdict(libc: .musl, evidence: musl, reason: nil)
        case (false, false):
            let winner: LibcName = glibc.count >= musl.count ? .glibc : .musl
            return LibcVerdict(libc: winner, evidence: (winner == .glibc ? glibc : musl) + (winner == .glibc ? musl : glibc).map { "also: \($0)" },
                               reason: "mixed evidence: \(glibc.count) glibc marker(s) against \(musl.count) musl marker(s)")
        case (true, true):
            if !elf.needed.isEmpty {
                return LibcVerdict(libc: .unknown, evidence: [],
                                   reason: "dynamic, but no NEEDED entry names glibc or musl (\(elf.needed.joined(separator: ", ")))")
            }
            let libcLike = symbolNames.intersection(genericLibcSymbols)
            if !libcLike.isEmpty {
                return LibcVerdict(libc: .unknown, evidence: libcLike.sorted().map { "symbol \($0)" },
                                   reason: "defines C library functions but carries no glibc or musl marker (another libc?)")
            }
            if elf.isStripped {
                return LibcVerdict(libc: .unknown, evidence: [],
                                   reason: "stripped, and no glibc or musl marker (sections, strings, size-class table, _start bytes) was found")
            }
            let definedCount = (try? elf.distinctDefinedSymbolNameCount()) ?? 0
            return LibcVerdict(libc: .none, evidence: ["\(definedCount) defined symbols, none from a C library"],
                               reason: "no libc markers and no C library symbols")
        }
    }

    /// PT_INTERP and DT_NEEDED names that belong to glibc or to musl.
    static func linkage(_ elf: ELFFile) -> LibcLinkage {
        var linkage = LibcLinkage()
        if let interp = elf.interpreter {
            if interp.contains("ld-linux") { linkage.glibc.append("PT_INTERP \(interp)") }
            if interp.contains("ld-musl") { linkage.musl.append("PT_INTERP \(interp)") }
        }
        for lib in elf.needed {
            if lib.hasPrefix("libc.so.6") { linkage.glibc.append("DT_NEEDED \(lib)") }
            if lib.hasPrefix("libc.musl-") || lib == "libc.so" { linkage.musl.append("DT_NEEDED \(lib)") }
        }
        return linkage
    }

    /// The libc the loader will map, when PT_INTERP and DT_NEEDED name one
    /// and only one of the two; nil when they name neither or both.
    static func linkedLibc(_ elf: ELFFile) -> LibcName? { linkage(elf).libc }

    static let goEvidence = "Go build ID note (.note.go.buildid); no C library's _start at the entry, no glibc ABI tag or sections"

    /// A Go program with no C library: the Go linker's build ID note, and none
    /// of the marks a C library leaves without being searched for (glibc's
    /// ABI-tag note and sections, a libc's `_start` at the entry point). A Go
    /// program that links C code statically (cgo, external linking) starts at
    /// the C library's crt1.o `_start`, so it never matches.
    static func isGoWithoutLibc(_ elf: ELFFile) -> Bool {
        guard elf.notes.contains(where: { $0.name == "Go" && $0.type == ELFConstants.ntGoBuildId }) else { return false }
        guard elf.abiTag == nil, !elf.sections.contains(where: { glibcSections.contains($0.name) }) else { return false }
        let entry = elf.bytes(atAddress: elf.header.entry, count: 24)
        return !entryPatterns.contains { $0.machine == elf.header.machine && matches(entry, $0.bytes) }
    }

    static func irelativeCount(_ elf: ELFFile) -> Int {
        let wanted = elf.header.machine == ELFMachine.aarch64 ? ELFConstants.rAArch64Irelative : ELFConstants.rX86_64Irelative
        var count = 0
        for s in elf.sections where s.type == ELFConstants.shtRela || s.type == ELFConstants.shtRel {
            // A table that cannot be read counts what was read before the problem.
            try? elf.forEachRelocation(in: s) { if $0.type == wanted { count += 1 } }
        }
        return count
    }

    static func matches(_ bytes: [UInt8], _ pattern: [UInt8?]) -> Bool {
        guard bytes.count >= pattern.count else { return false }
        return zip(bytes, pattern).allSatisfy { $1 == nil || $0 == $1 }
    }
}

/// What PT_INTERP and DT_NEEDED say about the libc: read once per file
/// (`ELFEvidence.gather(_:for:)` keeps it for `LibcFingerprint.detect`).
public struct LibcLinkage: Sendable, Equatable {
    /// "PT_INTERP /lib64/ld-linux-x86-64.so.2", "DT_NEEDED libc.so.6".
    public var glibc: [String] = []
    /// "PT_INTERP /lib/ld-musl-x86_64.so.1", "DT_NEEDED libc.musl-x86_64.so.1".
    public var musl: [String] = []

    /// The libc the loader will map, when the names point at one and only one.
    public var libc: LibcName? {
        switch (glibc.isEmpty, musl.isEmpty) {
        case (false, true): return .glibc
        case (true, false): return .musl
        default: return nil
        }
    }
}
