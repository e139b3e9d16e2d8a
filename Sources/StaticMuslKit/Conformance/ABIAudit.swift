import Foundation

/// `static-musl abi`: compiles the layout of every type and the value of
/// every constant Swift reaches through Glibc and Foundation's C shims
/// twice (gcc + glibc headers, musl-gcc + musl headers) and compares.
public enum ABIAudit {
    public struct Options: Sendable {
        public var projectRoot: String
        /// The Swift toolchain whose glibc.modulemap defines the header list.
        public var toolchainRoot: String
        /// Extra headers (absolute paths) added to both translation units;
        /// their public types and `constantPattern` macros join the audit.
        public var extraHeaders: [String] = []
        /// An extra regex for constant names (used with `extraHeaders`).
        public var extraConstantPattern: String?
        /// Audit only the extra headers' items (tests use it to stay small).
        public var onlyExtraHeaders = false
        /// The musl side's headers and compiler: this sysroot's musl-gcc
        /// (another musl version); nil: the default musl's
        /// (`CProgramBuilder.defaultMuslSysroot`, Debian's musl-gcc for musl-dev).
        public var muslSysroot: Sysroot?
        public init(projectRoot: String, toolchainRoot: String) {
            self.projectRoot = projectRoot; self.toolchainRoot = toolchainRoot
        }
    }

    public static func run(_ options: Options) throws -> ABIReport {
        let progress = Progress(suite: "abi")
        let (module, shims, sources) = try ABIInventory.headers(toolchainRoot: options.toolchainRoot)
        let includes = (options.onlyExtraHeaders ? [] : module + shims).map { "<\($0)>" } + options.extraHeaders.map { "\"\($0)\"" }
        let muslSysroot = try options.muslSysroot ?? CProgramBuilder(projectRoot: options.projectRoot).defaultMuslSysroot(for: .muslStatic)
        let muslCompiler = muslSysroot?.muslGCC ?? "musl-gcc"
        let base = options.projectRoot + "/.build-static/abi"
        let work = muslSysroot.flatMap { $0.muslVersion == MuslSource.defaultVersion ? nil : OtherMuslBuild.folder(besides: base, version: $0.muslVersion) } ?? base
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let tu = includes.map { "#if __has_include(\($0))\n#include \($0)\n#endif" }.joined(separator: "\n") + "\n"
        let tuPath = work + "/headers.c"
        try ("#undef _GNU_SOURCE\n" + tu).write(toFile: tuPath, atomically: true, encoding: .utf8)

        progress.step(1, of: 4, "preprocessing \(includes.count) headers with gcc and musl-gcc")
        var inventories: [String: ABIInventory] = [:]
        for (libc, cc) in [("glibc", "gcc"), ("musl", muslCompiler)] {
            guard cc.hasPrefix("/") ? FileManager.default.isExecutableFile(atPath: cc) : ProcessRunner.which(cc) != nil else {
                throw CBuildError.compilerMissing(cc, package: cc == "musl-gcc" ? "musl-tools" : "gcc")
            }
            let e = try ProcessRunner.run(cc, ["-E", "-std=gnu11", tuPath], timeout: 120)
            let m = try ProcessRunner.run(cc, ["-E", "-dM", "-std=gnu11", tuPath], timeout: 120)
            guard e.succeeded, m.succeeded else { throw ABIError.preprocessFailed(compiler: cc, log: e.stderr + m.stderr) }
            var inv = ABIInventory.parse(preprocessed: e.stdout, macros: m.stdout, extraConstantPattern: options.extraConstantPattern)
            if options.onlyExtraHeaders {
                inv.types = inv.types.filter { t in options.extraHeaders.contains { t.value.header.hasSuffix(($0 as NSString).lastPathComponent) } }
                inv.typeOrder = inv.typeOrder.filter { inv.types[$0] != nil }
                if let p = options.extraConstantPattern, let re = try? NSRegularExpression(pattern: p) {
                    inv.constants = inv.constants.filter { re.firstMatch(in: $0.key, range: NSRange($0.key.startIndex..., in: $0.key)) != nil }
                }
            }
            inventories[libc] = inv
        }
        let glibcInv = inventories["glibc"]!, muslInv = inventories["musl"]!
        let missingInMusl = try headersMissing(includes: module + shims, compiler: muslCompiler, work: work, skip: options.onlyExtraHeaders)

        progress.step(2, of: 4, "compiling the glibc layout table (\(glibcInv.types.count) types, \(glibcInv.constants.count) constants)")
        let glibc = try table(libc: "glibc", variant: .glibcDynamic, inventory: glibcInv, names: glibcInv, tu: tu, options: options, work: work)
        progress.step(3, of: 4, "compiling the musl layout table")
        let musl = try table(libc: "musl", variant: .muslStatic, inventory: muslInv, names: glibcInv, tu: tu, options: options, work: work,
                             muslSysroot: muslSysroot)

        progress.step(4, of: 4, "comparing")
        var items: [ABIReport.Item] = []
        for name in glibcInv.typeOrder {
            guard let g = glibc.types[name] else { continue }   // not a complete object type under glibc
            let header = glibcInv.types[name]?.header ?? ""
            items.append(compareType(name, header: header, glibc: g, musl: musl.types[name], muslDeclared: muslInv.types[name] != nil))
        }
        for name in glibcInv.constants.keys.sorted() {
            guard let g = glibc.constants[name] else { continue }
            items.append(compareConstant(name, header: glibcInv.constants[name] ?? "", glibc: g, musl: musl.constants[name]))
        }
        let versions = ToolchainVersions.detect()
        let derivation = ABIReport.Derivation(sources: sources, glibcModuleHeaders: module, foundationShimHeaders: shims,
                                              extraHeaders: options.extraHeaders, featureMacros: "none: _GNU_SOURCE undefined, as in Swift's Clang importer",
                                              headersMissingInMusl: missingInMusl,
                                              droppedGlibc: glibc.dropped, droppedMusl: musl.dropped)
        return ABIReport(versions: versions, derivation: derivation, items: items, summary: .init(items))
    }

    struct Table { var types: [String: ABIReport.Layout] = [:]; var constants: [String: Int64] = [:]; var dropped: [String] = [] }

    /// Generates, compiles (dropping the lines the compiler rejects) and runs
    /// the layout table of one libc. `names`: the glibc inventory, so both
    /// tables ask for the same items; fields come from each libc's own parse.
    static func table(libc: String, variant: CVariant, inventory: ABIInventory, names: ABIInventory, tu: String,
                      options: Options, work: String, muslSysroot: Sysroot? = nil) throws -> Table {
        var lines: [(text: String, what: String)] = []
        for name in names.typeOrder {
            guard let rec = inventory.types[name] else { continue }
            let q = "\"\(name)\""
            lines.append(("ABI_T(\(q), \(name))", name))
            for f in rec.fields { lines.append(("ABI_F(\(q), \(name), \(f))", "\(name).\(f)")) }
        }
        // Every glibc constant is asked of both libcs: one musl lacks fails
        // to compile, is dropped, and so reads as glibc-only.
        for c in names.constants.keys.sorted() {
            lines.append(("ABI_C(\(c))", c))
        }
        let prelude = (try? String(contentsOfFile: options.projectRoot + "/CShim/abi/abi_layout.h", encoding: .utf8)) ?? ""
        guard !prelude.isEmpty else { throw ABIError.missingInput(options.projectRoot + "/CShim/abi/abi_layout.h") }
        var dropped: [String] = []
        let builder = CProgramBuilder(projectRoot: options.projectRoot)
        for attempt in 0..<10 {
            let head = prelude + "\n" + tu + "int main(void)\n{\n"
            let first = head.split(separator: "\n", omittingEmptySubsequences: false).count
            let source = head + lines.map(\.text).joined(separator: "\n") + "\nreturn 0;\n}\n"
            let path = "\(work)/layout-\(libc).c"
            try source.write(toFile: path, atomically: true, encoding: .utf8)
            do {
                let binary = try builder.build(name: "abi-layout-\(libc)", sources: [path], variant: variant,
                                               extraFlags: ["-O0", "-g0", "-w"], withShim: false, muslSysroot: muslSysroot)
                let r = try ProcessRunner.run(binary, timeout: 60)
                guard r.succeeded else { throw ABIError.tableRunFailed(libc: libc, status: "exit \(r.exitStatus ?? -1) signal \(r.signal ?? 0)") }
                var t = parseTable(r.stdout)
                t.dropped = dropped
                return t
            } catch CBuildError.compileFailed(_, let log) {
                // Errors inside ABI_* macros are reported at the macro's
                // line, with a note naming the item's line.
                let bad = Set(ABIInventory.matches(#"layout-\#(libc)\.c:(\d+):\d+: (?:error|note: in expansion of macro)"#, in: log).compactMap(Int.init)
                    .map { $0 - first })   // 0-based index into lines
                let valid = bad.filter { $0 >= 0 && $0 < lines.count }
                if valid.isEmpty || attempt == 9 { throw ABIError.tableFailed(libc: libc, log: log) }
                dropped += valid.sorted().map { lines[$0].what }
                lines = lines.enumerated().filter { !valid.contains($0.offset) }.map(\.element)
            }
        }
        throw ABIError.tableFailed(libc: libc, log: "too many attempts")
    }

    static func parseTable(_ out: String) -> Table {
        var t = Table()
        for line in out.split(separator: "\n") {
            let p = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            switch p.first {
            case "T" where p.count == 4:
                t.types[p[1], default: .init()].size = Int(p[2]) ?? -1
                t.types[p[1], default: .init()].align = Int(p[3]) ?? -1
            case "F" where p.count == 5:
                t.types[p[1], default: .init()].fields[p[2]] = .init(offset: Int(p[3]) ?? -1, size: Int(p[4]) ?? -1)
            case "C" where p.count == 3:
                t.constants[p[1]] = Int64(p[2])
            default: continue
            }
        }
        return t
    }

    static func headersMissing(includes: [String], compiler: String, work: String, skip: Bool) throws -> [String] {
        if skip { return [] }
        let probe = includes.map { "#if !__has_include(<\($0)>)\n#warning MISSING <\($0)>\n#endif" }.joined(separator: "\n")
        let path = work + "/missing-\((compiler as NSString).lastPathComponent).c"
        try probe.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try ProcessRunner.run(compiler, ["-E", path, "-o", "/dev/null"], timeout: 60)
        var seen = Set<String>()
        return ABIInventory.matches(#"MISSING <([^>]+)>"#, in: r.stderr).filter { seen.insert($0).inserted }
    }

    static func compareType(_ name: String, header: String, glibc g: ABIReport.Layout, musl m: ABIReport.Layout?,
                            muslDeclared: Bool) -> ABIReport.Item {
        guard let m else {
            let status = muslDeclared ? "musl-incomplete" : "glibc-only"
            let risk = muslDeclared
                ? "musl declares \(name) but not as a complete type: Swift code that allocates or copies it with glibc's size (\(g.size) bytes) hands musl memory musl never describes"
                : ABIRisks.special[name] ?? "musl has no \(name): Swift code can only pass it to glibc-only functions, which a musl link lacks (unresolved symbols) unless CShim/compat supplies them"
            return .init(name: name, kind: "type", header: header, glibc: .layout(g), musl: nil, match: false, status: status, risk: risk, differences: [])
        }
        var diffs: [String] = []
        if g.size != m.size { diffs.append("sizeof \(g.size) vs \(m.size)") }
        if g.align != m.align { diffs.append("alignof \(g.align) vs \(m.align)") }
        var muslByLeaf: [String: (String, ABIReport.Field)] = [:]
        // In a fixed order (offset, then name), so the same headers always give the same list.
        for (k, v) in m.fields.sorted(by: { $0.key < $1.key }) {
            let leaf = String(k.split(separator: ".").last ?? "")
            if muslByLeaf[leaf] == nil { muslByLeaf[leaf] = (k, v) }
        }
        for (path, gf) in g.fields.sorted(by: { ($0.value.offset, $0.key) < ($1.value.offset, $1.key) }) {
            let leaf = String(path.split(separator: ".").last ?? "")
            // musl often keeps glibc's field under a reserved name (__c_ispeed).
            let mf = m.fields[path] ?? muslByLeaf[leaf]?.1 ?? muslByLeaf["__" + leaf]?.1
            guard let mf else {
                if !leaf.hasPrefix("_") { diffs.append("\(path) absent in musl") }
                continue
            }
            if mf.offset != gf.offset { diffs.append("\(path) offset \(gf.offset) vs \(mf.offset)") }
            if mf.size != gf.size { diffs.append("\(path) size \(gf.size) vs \(mf.size)") }
        }
        let match = diffs.isEmpty
        var risk: String?
        if !match {
            risk = ABIRisks.special[name] ?? ABIRisks.generic(name, glibc: g, musl: m, differences: diffs)
        }
        return .init(name: name, kind: "type", header: header, glibc: .layout(g), musl: .layout(m), match: match,
                     status: match ? "match" : "mismatch", risk: risk, differences: diffs)
    }

    static func compareConstant(_ name: String, header: String, glibc g: Int64, musl m: Int64?) -> ABIReport.Item {
        guard let m else {
            return .init(name: name, kind: "constant", header: header, glibc: .value(g), musl: nil, match: false, status: "glibc-only",
                         risk: ABIRisks.special[name] ?? "musl does not define \(name): Swift code passes glibc's value \(g), which musl ignores, rejects or reads as another flag",
                         differences: [])
        }
        let match = g == m
        return .init(name: name, kind: "constant", header: header, glibc: .value(g), musl: .value(m), match: match,
                     status: match ? "match" : "mismatch",
                     risk: match ? nil : ABIRisks.special[name] ?? "value \(g) (glibc) vs \(m) (musl): Swift code compiled against glibc passes \(g) to musl, which means something else (or nothing) there",
                     differences: match ? [] : ["value \(g) vs \(m)"])
    }
}

/// Risk texts: specific ones for mismatches whose consequence is known,
/// a generic one from the numbers otherwise.
enum ABIRisks {
    static let special: [String: String] = [
        "regex_t": "re_nsub is at offset 48 in glibc and 0 in musl: Swift code reads musl's unset __nsub2 and sees 0 subexpressions (CShim/compat wraps regcomp to copy it)",
        "struct re_pattern_buffer": "re_nsub is at offset 48 in glibc and 0 in musl: Swift code reads musl's unset __nsub2 and sees 0 subexpressions (CShim/compat wraps regcomp to copy it)",
        "regmatch_t": "regoff_t is int in glibc and long in musl: an array of N glibc regmatch_t is half the size musl's regexec writes, so regexec overruns the buffer (heap corruption; CShim/compat wraps regexec)",
        "regoff_t": "int (glibc) vs long (musl): regmatch_t arrays sized by Swift are overrun by musl's regexec (CShim/compat wraps regexec)",
        "FTSENT": "Foundation's FileManager enumerator and copyItem are compiled against glibc's FTSENT but call musl's fts: fts_info/fts_statp/fts_name are read at the wrong offsets, so enumeration returns nothing and copies silently do nothing (fixed by CShim/compat's fts_* wrappers, which hand out glibc-layout entries)",
        "struct _ftsent": "Foundation's FileManager enumerator and copyItem are compiled against glibc's FTSENT but call musl's fts: fts_info/fts_statp/fts_name are read at the wrong offsets, so enumeration returns nothing and copies silently do nothing (fixed by CShim/compat's fts_* wrappers, which hand out glibc-layout entries)",
        "GLOB_BRACE": "musl's glob has no brace expansion: glibc's flag bit is not understood and the pattern is taken literally (GLOB_NOMATCH); CShim/compat's glob wrapper expands braces (and honours GLOB_NOMAGIC) for glibc-compiled callers",
        "struct rusage": "musl's struct rusage is 272 bytes (glibc 144): the extra 128 are reserved padding; musl 1.2.3's getrusage on x86_64 lets the kernel fill only the first 144 bytes, laid out as in glibc, so a glibc-sized buffer is not overrun today (a future musl that writes the reserved words would)",
        "struct sched_param": "musl's struct sched_param is 48 bytes (glibc 4) with reserved fields; sched_getparam is a syscall that writes only the kernel's 4-byte int, so glibc-sized buffers survive, but code that copies musl's whole struct would overrun",
        "FTW_F": "nftw typeflags are numbered differently (glibc FTW_F=0, FTW_D=1, …; musl FTW_F=1, FTW_D=2, …): a glibc-compiled nftw callback misclassifies every entry musl reports",
        "FTW_D": "nftw typeflags are numbered differently (glibc FTW_D=1, musl 2): a glibc-compiled nftw callback misclassifies directories as files",
        "O_ACCMODE": "musl's O_ACCMODE (0x200003) includes O_PATH; glibc's is 3. Code that masks flags with glibc's value works on musl's flags, but code comparing against musl-returned masks sees O_PATH bits",
        "SIGRTMIN": "a runtime value (function call) in both: 34 on glibc, 35 on musl; Swift cannot import it, C code sees the right one",
    ]

    static func generic(_ name: String, glibc g: ABIReport.Layout, musl m: ABIReport.Layout, differences: [String]) -> String {
        if g.size < m.size {
            return "musl's \(name) is larger (\(m.size) vs \(g.size) bytes): memory Swift allocates with glibc's size is overrun when musl writes the whole struct; differing fields: \(differences.prefix(4).joined(separator: ", "))"
        }
        if g.size > m.size {
            return "musl's \(name) is smaller (\(m.size) vs \(g.size) bytes): fields Swift reads past musl's end are never filled; \(differences.prefix(4).joined(separator: ", "))"
        }
        return "same size, different layout: Swift reads and writes these fields at glibc's offsets while musl uses its own (silently wrong values): \(differences.prefix(4).joined(separator: ", "))"
    }
}

extension ABIAudit {
    /// What changes between two audits' musl sides (two musl versions):
    /// one line per item whose musl layout, value or
    /// status differs, "name: before → after".
    public static func muslChanges(from old: ABIReport, to new: ABIReport) -> [String] {
        let before = Dictionary(old.items.map { ($0.kind + " " + $0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var lines: [String] = []
        for item in new.items {
            let key = item.kind + " " + item.name
            guard let was = before[key] else { lines.append("\(item.name): not audited before → \(item.status)"); continue }
            if was.musl != item.musl || was.status != item.status {
                var line = "\(item.name): \(was.status) \(describe(was.musl)) → \(item.status) \(describe(item.musl))"
                if case .layout(let a)? = was.musl, case .layout(let b)? = item.musl {
                    let fields = Set(a.fields.keys).union(b.fields.keys).sorted().filter { a.fields[$0] != b.fields[$0] }
                    let shown = fields.map { f in "\(f) \(a.fields[f].map { "@\($0.offset)/\($0.size)" } ?? "absent") → \(b.fields[f].map { "@\($0.offset)/\($0.size)" } ?? "absent")" }
                    if !shown.isEmpty { line += "; fields: " + shown.joined(separator: ", ") }
                }
                lines.append(line)
            }
        }
        let now = Set(new.items.map { $0.kind + " " + $0.name })
        for item in old.items where !now.contains(item.kind + " " + item.name) { lines.append("\(item.name): \(item.status) → not audited") }
        return lines
    }

    static func describe(_ v: ABIReport.Value?) -> String {
        switch v {
        case .layout(let l)?: return "(\(l.size) bytes)"
        case .value(let n)?: return "(\(n))"
        case nil: return "(absent)"
        }
    }

    /// The CLI's entry: this checkout's project root and the toolchain that
    /// `swift` resolves to, unless given.
    public static func runForProject(toolchainRoot: String? = nil, extraHeaders: [String] = [], muslVersion: String? = nil) throws -> ABIReport {
        guard let root = ProjectLayout.root() else {
            throw ABIError.missingInput("toolchain/build-static.sh (run static-musl from inside the project checkout)")
        }
        var options = Options(projectRoot: root, toolchainRoot: toolchainRoot ?? ToolchainVersions.detect().root)
        if let muslVersion, muslVersion != MuslSource.defaultVersion {
            options.muslSysroot = try Sysroot.prepare(projectRoot: root, musl: try MuslSource.named(muslVersion))
        }
        for h in extraHeaders {
            let abs = h.hasPrefix("/") ? h : FileManager.default.currentDirectoryPath + "/" + h
            guard FileManager.default.fileExists(atPath: abs) else { throw ABIError.headerMissing(abs) }
            options.extraHeaders.append(abs)
        }
        return try run(options)
    }
}
