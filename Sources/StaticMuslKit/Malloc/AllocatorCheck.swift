import Foundation

/// Which malloc a binary carries, read from its ELF symbol table (and
/// confirmed by what the binary reports at run time, `malloc-bench --info`).
public struct AllocatorCheck: Codable, Sendable, Equatable {
    /// "ptmalloc", "mallocng" or "mimalloc".
    public var claimed: String
    /// What the ELF shows: "ptmalloc", "mallocng", "mimalloc" or "unknown".
    public var found: String
    /// What the binary says about itself (cshim_malloc_allocator()), e.g. "mimalloc 2.0.9".
    public var runtime: String?
    public var verified: Bool
    /// The symbols the verdict rests on.
    public var evidence: [String]
    /// Other allocators present but not behind malloc (e.g. mallocng kept for musl's internal __libc_malloc).
    public var alsoLinked: [String]

    enum CodingKeys: String, CodingKey {
        case claimed, found, runtime, verified, evidence
        case alsoLinked = "also_linked"
    }

    /// Reads `path`'s symbols. `runtime` is the binary's own report, if known.
    public static func check(path: String, claimed: String, runtime: String? = nil) throws -> AllocatorCheck {
        let elf = try ELFFile(path: path)
        var defined: [String: UInt64] = [:]
        var undefined = Set<String>()
        for s in try elf.readSymbols() where !s.name.isEmpty {
            if s.isDefined { if defined[s.name] == nil || s.table == .symtab { defined[s.name] = s.value } }
            else { undefined.insert(s.name) }
        }
        func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
        var found = "unknown", evidence: [String] = [], also: [String] = []
        let mallocngMarks = ["__libc_malloc_impl", "__malloc_size_classes", "alloc_slot", "__malloc_alloc_meta"].filter { defined[$0] != nil }
        let ptmallocMarks = ["_int_malloc", "malloc_consolidate", "__libc_malloc"].filter { defined[$0] != nil }
        if let m = defined["malloc"], let mi = defined["mi_malloc"], m == mi {
            found = "mimalloc"
            evidence.append("malloc = mi_malloc at \(hex(m))")
            if let f = defined["free"], let mf = defined["mi_free"], f == mf { evidence.append("free = mi_free at \(hex(f))") }
            if !mallocngMarks.isEmpty {
                also.append("mallocng (\(mallocngMarks.joined(separator: ", "))): musl's internal __libc_malloc/__libc_free, used by musl itself (atexit, dlerror), not behind malloc")
            }
        } else if defined["malloc"] != nil, defined["mi_malloc"] == nil, !mallocngMarks.isEmpty {
            found = "mallocng"
            evidence.append("malloc defined, mi_malloc absent, mallocng symbols: \(mallocngMarks.joined(separator: ", "))")
        } else if defined["malloc"] != nil, defined["mi_malloc"] == nil, !ptmallocMarks.isEmpty {
            found = "ptmalloc"
            evidence.append("malloc defined, glibc malloc symbols: \(ptmallocMarks.joined(separator: ", "))")
        } else if defined["malloc"] == nil, undefined.contains("malloc"), elf.needed.contains(where: { $0.hasPrefix("libc.so") }) {
            found = "ptmalloc"
            evidence.append("malloc is imported from \(elf.needed.filter { $0.hasPrefix("libc.so") }.joined(separator: ", ")) (glibc's malloc)")
        } else if elf.isStripped {
            evidence.append("no symbol table (stripped): the ELF cannot tell")
        } else {
            evidence.append("malloc \(defined["malloc"].map(hex) ?? "undefined"); no known allocator's symbols")
        }
        let runtimeAgrees = runtime.map { $0.hasPrefix(claimed) } ?? true
        if let runtime { evidence.append("the binary reports \"\(runtime)\"") }
        return AllocatorCheck(claimed: claimed, found: found, runtime: runtime,
                              verified: found == claimed && runtimeAgrees, evidence: evidence, alsoLinked: also)
    }
}
