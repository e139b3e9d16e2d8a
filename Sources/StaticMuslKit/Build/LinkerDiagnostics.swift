import Foundation

/// Reads what a linker or compiler printed and keeps what a user needs:
/// the unresolved symbols with the archive member that wanted each, the
/// libraries that were not found, and the first real error.
public enum LinkerDiagnostics {
    /// GNU ld (bfd and gold) and lld messages, deduplicated, in order.
    public static func unresolvedSymbols(in log: String) -> [Manifest.UnresolvedSymbol] {
        var found: [Manifest.UnresolvedSymbol] = []
        var seen = Set<String>()
        func add(_ symbol: String, _ wantedBy: String) {
            let key = symbol + "\u{1}" + wantedBy
            if seen.insert(key).inserted { found.append(.init(symbol: symbol, wantedBy: wantedBy)) }
        }
        let lines = log.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var context = ""            // the object named by the last "in function" line
        var lldSymbol: String?      // lld: "undefined symbol: X" then ">>> referenced by" lines
        // An lld symbol whose references were all elided still counts.
        func elided(_ symbol: String?) {
            if let symbol, !found.contains(where: { $0.symbol == symbol }) { add(symbol, "unknown object") }
        }
        for raw in lines {
            let line = stripLinkerPrefix(raw)
            if let r = line.range(of: ": in function `") ?? line.range(of: ": in function '") {
                context = String(line[..<r.lowerBound])
            }
            if let symbol = quoted(after: "undefined reference to ", in: line) {
                var who = context
                if let e = line.range(of: ": error: undefined reference to ") {
                    // gold names the object on the line: "OBJ:SRC:function F: error: …", "OBJ(.text+0x1): error: …".
                    who = goldObject(String(line[..<e.lowerBound]))
                } else if let paren = line.range(of: ":(."), line[..<paren.lowerBound].contains("(") {
                    // "lib.a(member.o):(.text+0x12): undefined reference": the object is on the line itself.
                    who = String(line[..<paren.lowerBound])
                }
                add(symbol, objectName(who))
                lldSymbol = nil
                continue
            }
            if let r = line.range(of: "undefined symbol: ") {
                elided(lldSymbol)
                lldSymbol = String(line[r.upperBound...]).trimmingCharacters(in: .whitespaces)
                continue
            }
            if let symbol = lldSymbol, line.hasPrefix(">>>") {
                // ">>> referenced by file.c" then ">>>               member.o:(fn) in archive /path/lib.a";
                // or, for an object without a source name, ">>> referenced by member.o:(.text+0x1) in archive /path/lib.a";
                // and ">>> referenced 2 more times".
                var text = line.dropFirst(3).trimmingCharacters(in: .whitespaces)
                if text.hasPrefix("referenced by ") {
                    text = String(text.dropFirst("referenced by ".count))
                    guard text.contains(":(") else { continue }       // a source file: the object is on the next line
                } else if text.hasPrefix("referenced ") {
                    continue
                }
                let object = text.range(of: ":(").map { String(text[..<$0.lowerBound]) } ?? text
                if let r = text.range(of: " in archive ") {
                    add(symbol, objectName(String(text[r.upperBound...])) + "(\(object))")
                } else {
                    add(symbol, objectName(object))
                }
                continue
            }
            if let r = line.range(of: "cannot find -l") {
                let lib = line[r.lowerBound...].dropFirst("cannot find ".count)
                    .split(separator: ":").first.map(String.init) ?? ""
                add("(library \(lib.trimmingCharacters(in: .whitespaces)))", "link line")
            } else if let r = line.range(of: "unable to find library -l") {
                add("(library \(line[r.lowerBound...].dropFirst("unable to find library ".count)))", "link line")
            }
        }
        elided(lldSymbol)
        return found
    }

    /// The first line that states an error, without the tool's path.
    public static func firstError(in log: String) -> String? {
        let lines = log.split(separator: "\n").map(String.init)
        // The driver's summary ("collect2: error: ld returned 1 exit status", "clang: error: linker
        // command failed …") comes after the linker's own lines and names nothing to fix.
        func isSummary(_ l: String) -> Bool {
            l.hasPrefix("collect2: ") || l.contains("linker command failed with exit code")
        }
        let line = lines.first { !isSummary($0) && ($0.contains("error:") || $0.contains("fatal error")) }
            ?? lines.first { $0.contains("undefined reference") || $0.contains("cannot find") }
            ?? lines.first { $0.contains("error:") }
        return line.map { stripLinkerPrefix($0).trimmingCharacters(in: .whitespaces) }
    }

    /// "/usr/bin/ld: …", "ld.lld: …", "/usr/bin/x86_64-linux-gnu-ld.gold: …" → "…".
    static func stripLinkerPrefix(_ line: String) -> String {
        guard let colon = line.range(of: ": ") else { return line }
        let tool = line[..<colon.lowerBound]
        let base = tool.split(separator: "/").last.map(String.init) ?? String(tool)
        let isLinker = !tool.contains(" ") && (base == "ld" || base.hasSuffix("-ld") || base.hasPrefix("ld.") || base.contains("-ld."))
        return isLinker ? String(line[colon.upperBound...]) : line
    }

    /// gold's prefix of an undefined reference → the object:
    /// "/a/libX.a(y.o):y.c:function f" → "/a/libX.a(y.o)"; "/a/v.o(.text+0x1)" → "/a/v.o".
    static func goldObject(_ prefix: String) -> String {
        var s = Substring(prefix)
        if s.hasSuffix(")"), let open = s.range(of: "(.", options: .backwards) { s = s[..<open.lowerBound] }
        var depth = 0
        for i in s.indices {
            switch s[i] {
            case "(": depth += 1
            case ")": depth -= 1
            case ":" where depth == 0: return String(s[..<i])
            default: break
            }
        }
        return String(s)
    }

    /// "/a/b/libX.a(y.o)" → "libX.a(y.o)"; "/a/b/y.o" → "y.o".
    static func objectName(_ path: String) -> String {
        let trimmed = path.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.hasPrefix("(") { return "unknown object" }
        if let open = trimmed.firstIndex(of: "(") {
            let archive = trimmed[..<open].split(separator: "/").last.map(String.init) ?? ""
            return archive + trimmed[open...]
        }
        return trimmed.split(separator: "/").last.map(String.init) ?? trimmed
    }

    /// The symbol in "undefined reference to `sym'" (or 'sym').
    static func quoted(after marker: String, in line: String) -> String? {
        guard let r = line.range(of: marker) else { return nil }
        var rest = line[r.upperBound...]
        guard let open = rest.first, open == "`" || open == "'" else { return nil }
        rest = rest.dropFirst()
        guard let close = rest.firstIndex(of: "'") else { return nil }
        return String(rest[..<close])
    }
}
