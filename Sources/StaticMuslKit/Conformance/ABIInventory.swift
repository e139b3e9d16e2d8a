import Foundation

/// What Swift code reaches through `Glibc` and Foundation's C shims: the
/// headers, and the types and constants they declare, as parsed from the
/// preprocessor's output for one libc. See CShim/abi/README.md.
public struct ABIInventory: Sendable {
    public struct Record: Sendable, Equatable {
        public var name: String          // "struct stat", "pthread_mutex_t"
        public var fields: [String]      // offsetof designators: "st_ino", "__data.__lock"
        public var header: String
        public var isRecord: Bool        // false: a typedef of a scalar, pointer or array
    }

    public var types: [String: Record] = [:]
    public var constants: [String: String] = [:]      // name → header
    public var typeOrder: [String] = []
    var aliases: [String: String] = [:]                // typedef name → "struct tag"

    /// The headers to include: every `#include <…>` of the module map's
    /// umbrella header and of the Foundation C shims.
    public static func headers(toolchainRoot: String) throws -> (glibcModule: [String], foundationShims: [String], sources: [String]) {
        let platform = toolchainRoot + "/usr/lib/swift/linux/x86_64"
        let modulemap = platform + "/glibc.modulemap"
        guard let map = try? String(contentsOfFile: modulemap, encoding: .utf8) else { throw ABIError.missingInput(modulemap) }
        let umbrellas = matches(#"(?m)^\s*header\s+"([^"]+)""#, in: map)
        guard !umbrellas.isEmpty else { throw ABIError.missingInput(modulemap + " (no `header` line)") }
        var sources = [modulemap]
        var module: [String] = []
        for u in umbrellas {
            let path = u.hasPrefix("/") ? u : platform + "/" + u
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                // e.g. "uuid/uuid.h" of the CUUID module: a system header, not an umbrella.
                continue
            }
            sources.append(path)
            module += matches(#"#\s*include\s*<([^>]+)>"#, in: text)
        }
        var shims: [String] = []
        for folder in ["/usr/lib/swift/_FoundationCShims", "/usr/lib/swift/CoreFoundation"] {
            let dir = toolchainRoot + folder
            for file in ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() where file.hasSuffix(".h") {
                guard let text = try? String(contentsOfFile: dir + "/" + file, encoding: .utf8) else { continue }
                shims += matches(#"#\s*include\s*<([^>]+)>"#, in: text)
            }
            sources.append(dir)
        }
        func unique(_ a: [String]) -> [String] { var seen = Set<String>(); return a.filter { seen.insert($0).inserted } }
        let m = unique(module)
        // Foundation's headers name Darwin/Windows-only and non-libc headers
        // too; __has_include drops what the libc does not have.
        // Kernel uapi headers (linux/*) redefine libc structs (struct flock),
        // and Foundation includes them only in files that avoid the clash.
        let nonLibc = ["dispatch/", "uuid/", "CoreFoundation/", "os/", "mach", "libkern/", "malloc/", "unicode/", "objc/", "linux/", "asm/"]
        let s = unique(shims).filter { h in !m.contains(h) && !nonLibc.contains { h.hasPrefix($0) } }
        return (m, s, sources)
    }

    static func matches(_ pattern: String, in text: String) -> [String] {
        guard let re = try? NSRegularExpression(pattern: pattern) else { return [] }
        return re.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    /// Constant families, from the issue plus the usual neighbours.
    public static let constantFamilies = #"^(O_|_SC_|_PC_|_CS_|EAI_|AI_|NI_|RTLD_|PTHREAD_|SIG|SA_|SI_|SEGV_|BUS_|CLD_|LC_|GLOB_|FNM_|REG_|E[A-Z0-9]+$|AF_|PF_|SOCK_|MSG_|SOL_|SO_|SHUT_|IPPROTO_|IP_|IPV6_|TCP_|F_|FD_|S_I|CLOCK_|TIMER_|SEEK_|MAP_|PROT_|MS_|MADV_|MCL_|W(NOHANG|UNTRACED|CONTINUED|EXITED|STOPPED|NOWAIT)$|POLL|RLIMIT_|RLIM_|PRIO_|SCHED_|AT_|[RWXF]_OK$|STD(IN|OUT|ERR)_FILENO$|PATH_MAX$|NAME_MAX$|HOST_NAME_MAX$|NGROUPS_MAX$|IOV_MAX$|BUFSIZ$|EOF$|FILENAME_MAX$|FOPEN_MAX$|TMP_MAX$|L_tmpnam$|_IO[FLN]BF$|CODESET$|NL_|EXIT_|RAND_MAX$|MB_LEN_MAX$|LOG_|DT_|FTW_|FTS_|ITIMER_|POSIX_SPAWN_|INADDR_|INET6?_ADDRSTRLEN$|IF_NAMESIZE$|ST_|UTIME_|TC[SIO]|VMIN$|VTIME$|IN_|ICANON$|ECHO$|PIPE_BUF$|CHAR_BIT$|SSIZE_MAX$)"#

    /// Parses `cc -E` output (with line markers) and `cc -dM -E` output.
    public static func parse(preprocessed: String, macros: String, extraConstantPattern: String? = nil) -> ABIInventory {
        var inv = ABIInventory()
        let tokens = CTokens.tokenize(preprocessed)
        let family = try? NSRegularExpression(pattern: constantFamilies + (extraConstantPattern.map { "|" + $0 } ?? ""))
        func isConstant(_ name: String) -> Bool {
            family?.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
        }
        for stmt in CTokens.statements(tokens) {
            inv.add(statement: stmt, isConstant: isConstant)
        }
        // `typedef struct tag name;` takes the fields of `struct tag`, which
        // may be defined after the typedef (musl's stack_t).
        for (name, tag) in inv.aliases {
            if let rec = inv.types[tag], rec.isRecord, let t = inv.types[name], !t.isRecord {
                inv.types[name] = Record(name: name, fields: rec.fields, header: t.header, isRecord: true)
            }
        }
        for line in macros.split(separator: "\n") where line.hasPrefix("#define ") {
            let rest = line.dropFirst(8)
            guard let nameEnd = rest.firstIndex(where: { $0 == " " || $0 == "(" }), rest[nameEnd] == " " else { continue }
            let name = String(rest[..<nameEnd])
            let value = rest[rest.index(after: nameEnd)...].trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty, !value.hasPrefix("\""), isConstant(name), inv.constants[name] == nil else { continue }
            inv.constants[name] = "(macro)"
        }
        return inv
    }

    mutating func addType(_ name: String, fields: [String], header: String, isRecord: Bool) {
        guard !name.isEmpty, let first = name.split(separator: " ").last?.first, first != "_" else { return }
        if types[name] == nil { typeOrder.append(name) }
        if let existing = types[name], existing.isRecord, !isRecord { return }
        types[name] = Record(name: name, fields: fields, header: header, isRecord: isRecord)
    }

    mutating func add(statement s: [CTokens.Token], isConstant: (String) -> Bool) {
        var toks = s.filter { !["extern", "static", "__inline", "inline", "__inline__", "_Noreturn"].contains($0.text) }
        guard !toks.isEmpty else { return }
        let isTypedef = toks.first?.text == "typedef"
        if isTypedef { toks.removeFirst() }
        let header = toks.first?.file ?? ""
        let kindIndex = toks.prefix(3).firstIndex { ["struct", "union", "enum"].contains($0.text) }
        let braceIndex = toks.firstIndex { $0.text == "{" }
        if let k = kindIndex, let b = braceIndex, b <= k + 2 {
            let kind = toks[k].text
            let tag = b == k + 2 ? toks[k + 1].text : nil
            guard let close = CTokens.matching(toks, from: b) else { return }
            let body = Array(toks[(b + 1)..<close])
            let after = Array(toks[(close + 1)...])
            if kind == "enum" {
                for e in CTokens.split(body, on: ",") {
                    if let name = e.first?.text, CTokens.isIdentifier(name), isConstant(name), constants[name] == nil { constants[name] = header }
                }
                if isTypedef { for d in CTokens.split(after, on: ",") { if let n = CTokens.declaratorName(d).name { addType(n, fields: [], header: header, isRecord: false) } } }
                return
            }
            let fields = CTokens.fields(body, depth: 0)
            if let tag { addType("\(kind) \(tag)", fields: fields, header: header, isRecord: true) }
            if isTypedef {
                for d in CTokens.split(after, on: ",") {
                    let plain = d.count == 1 && CTokens.isIdentifier(d[0].text)
                    if plain { addType(d[0].text, fields: fields, header: header, isRecord: true) }
                    else if !d.contains(where: { $0.text == "*" }), let n = CTokens.declaratorName(d).name {
                        addType(n, fields: [], header: header, isRecord: false)   // array typedef
                    }
                }
            }
            return
        }
        if isTypedef, braceIndex == nil, let n = CTokens.declaratorName(toks).name {
            if toks.count == 3, ["struct", "union"].contains(toks[0].text) { aliases[n] = "\(toks[0].text) \(toks[1].text)" }
            addType(n, fields: [], header: header, isRecord: false)
        }
    }
}

public enum ABIError: Error, CustomStringConvertible {
    case missingInput(String)
    case headerMissing(String)
    case preprocessFailed(compiler: String, log: String)
    case tableFailed(libc: String, log: String)
    case tableRunFailed(libc: String, status: String)

    public var description: String {
        switch self {
        case .missingInput(let path): return "cannot read \(path): the ABI audit derives its item list from it (is the Swift toolchain installed there?)"
        case .headerMissing(let path): return "no header at \(path) (given with --header)"
        case .preprocessFailed(let cc, let log): return "\(cc) -E of the header list failed:\n\(log.prefix(2000))"
        case .tableFailed(let libc, let log): return "the \(libc) layout table does not compile even after dropping the failing items:\n\(log.prefix(2000))"
        case .tableRunFailed(let libc, let status): return "the \(libc) layout table program failed: \(status)"
        }
    }
}

/// A small tokenizer and declaration walker for preprocessed C. It only
/// needs names (types, fields, enumerators), never full types.
enum CTokens {
    struct Token: Sendable { var text: String; var file: String }

    static let keywords: Set<String> = ["int", "char", "short", "long", "unsigned", "signed", "float", "double", "void",
        "_Bool", "const", "volatile", "struct", "union", "enum", "__int128", "_Complex", "restrict", "__restrict",
        "typedef", "register", "auto", "__int128_t", "__uint128_t", "_Float128", "_Float64", "_Float32", "_Float64x", "_Float32x"]

    static func isIdentifier(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first else { return false }
        return (f == "_" || CharacterSet.letters.contains(f)) && !keywords.contains(s)
    }

    static func tokenize(_ text: String) -> [Token] {
        var out: [Token] = []
        var file = ""
        let bytes = Array(text.utf8)
        var i = 0
        let n = bytes.count
        func isIdent(_ b: UInt8) -> Bool { b == 95 || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || (b >= 48 && b <= 57) }
        var lineStart = true
        while i < n {
            let b = bytes[i]
            if b == 10 { lineStart = true; i += 1; continue }
            if b == 32 || b == 9 || b == 13 { i += 1; continue }
            if lineStart && b == 35 {  // "# 12 \"file\"" line marker, or a stray directive
                var j = i
                while j < n && bytes[j] != 10 { j += 1 }
                let line = String(decoding: bytes[i..<j], as: UTF8.self)
                if let q1 = line.firstIndex(of: "\""), let q2 = line[line.index(after: q1)...].firstIndex(of: "\"") {
                    file = String(line[line.index(after: q1)..<q2])
                }
                i = j; continue
            }
            lineStart = false
            if isIdent(b) {
                var j = i
                while j < n && (isIdent(bytes[j]) || (bytes[j] == 46 && b >= 48 && b <= 57)) { j += 1 }
                out.append(Token(text: String(decoding: bytes[i..<j], as: UTF8.self), file: file))
                i = j; continue
            }
            if b == 34 || b == 39 {  // string or char literal
                var j = i + 1
                while j < n && bytes[j] != b { if bytes[j] == 92 { j += 1 }; j += 1 }
                out.append(Token(text: String(decoding: bytes[i..<min(j + 1, n)], as: UTF8.self), file: file))
                i = j + 1; continue
            }
            out.append(Token(text: String(UnicodeScalar(b)), file: file))
            i += 1
        }
        return stripAttributes(out)
    }

    /// Drops __attribute__((…)), __asm__(…), _Alignas(…), __extension__.
    static func stripAttributes(_ t: [Token]) -> [Token] {
        var out: [Token] = []
        out.reserveCapacity(t.count)
        var i = 0
        while i < t.count {
            let s = t[i].text
            if ["__attribute__", "__attribute", "__asm__", "__asm", "asm", "_Alignas", "__declspec", "__typeof__"].contains(s),
               i + 1 < t.count, t[i + 1].text == "(", let close = matching(t, from: i + 1) {
                i = close + 1; continue
            }
            if s == "__extension__" || s == "__restrict" || s == "__const" { i += 1; continue }
            out.append(t[i]); i += 1
        }
        return out
    }

    static func matching(_ t: [Token], from open: Int) -> Int? {
        let o = t[open].text
        let c = o == "(" ? ")" : (o == "[" ? "]" : "}")
        var depth = 0
        var i = open
        while i < t.count {
            if t[i].text == o { depth += 1 } else if t[i].text == c { depth -= 1; if depth == 0 { return i } }
            i += 1
        }
        return nil
    }

    /// Top-level declarations; function bodies are skipped.
    static func statements(_ t: [Token]) -> [[Token]] {
        var out: [[Token]] = []
        var current: [Token] = []
        var i = 0
        while i < t.count {
            let s = t[i].text
            if s == "{" || s == "(" || s == "[" {
                guard let close = matching(t, from: i) else { break }
                if s == "{", current.last?.text == ")" {  // a function definition
                    current = []; i = close + 1; continue
                }
                current += t[i...close]; i = close + 1; continue
            }
            if s == ";" { if !current.isEmpty { out.append(current) }; current = []; i += 1; continue }
            current.append(t[i]); i += 1
        }
        return out
    }

    /// Splits at `sep` outside any brackets.
    static func split(_ t: [Token], on sep: String) -> [[Token]] {
        var out: [[Token]] = [], cur: [Token] = []
        var depth = 0
        for tok in t {
            if ["(", "[", "{"].contains(tok.text) { depth += 1 }
            if [")", "]", "}"].contains(tok.text) { depth -= 1 }
            if tok.text == sep && depth == 0 { out.append(cur); cur = []; continue }
            cur.append(tok)
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }

    /// The declared name: `(*name)(…)` for function pointers, else the last
    /// identifier outside brackets. `bitfield` when a `:` follows it.
    static func declaratorName(_ d: [Token]) -> (name: String?, bitfield: Bool) {
        for i in d.indices where d[i].text == "(" && i + 2 < d.count && d[i + 1].text == "*" && isIdentifier(d[i + 2].text) {
            return (d[i + 2].text, false)
        }
        var depth = 0, name: String?
        for tok in d {
            if tok.text == "(" || tok.text == "[" { depth += 1; continue }
            if tok.text == ")" || tok.text == "]" { depth -= 1; continue }
            if depth == 0 && tok.text == ":" { return (name, true) }
            if depth == 0 && tok.text == "=" { break }
            if depth == 0 && isIdentifier(tok.text) { name = tok.text }
        }
        return (name, false)
    }

    /// offsetof designators of a struct/union body.
    static func fields(_ body: [Token], depth: Int) -> [String] {
        var out: [String] = []
        for decl in split(body, on: ";") where !decl.isEmpty {
            if let b = decl.firstIndex(where: { $0.text == "{" }), let close = matching(decl, from: b) {
                let inner = fields(Array(decl[(b + 1)..<close]), depth: depth + 1)
                let isEnum = decl[..<b].contains { $0.text == "enum" }
                let after = Array(decl[(close + 1)...])
                let names = split(after, on: ",").compactMap { declaratorName($0).name }
                if names.isEmpty { if !isEnum { out += inner } }       // anonymous member
                for n in names {
                    out.append(n)
                    if depth < 1 && !isEnum && !after.contains(where: { $0.text == "[" || $0.text == "*" }) {
                        out += inner.map { "\(n).\($0)" }
                    }
                }
                continue
            }
            for d in split(decl, on: ",") {
                // The first declarator carries the type too: the name is still its last identifier.
                let (name, bitfield) = declaratorName(d)
                if let name, !bitfield { out.append(name) }
            }
        }
        var seen = Set<String>()
        return out.filter { seen.insert($0).inserted }
    }
}
