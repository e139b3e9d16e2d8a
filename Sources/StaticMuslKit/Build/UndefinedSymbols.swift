import Foundation

/// The undefined symbols of the C++ objects a musl link compiled, checked
/// against what the link offers them: the link's own objects, musl's
/// libc.a, libcshim_compat.a (through its `--wrap` flags), libstdc++.a,
/// libgcc and the recipe-built libraries. What none of them defines is
/// reported by name, with the object that wants it, before the link runs,
/// the way `toolchain/missing-symbols.sh` measures the Swift runtime.
public struct UndefinedSymbolCheck: Codable, Sendable, Equatable {
    /// C++ objects checked.
    public var objects: Int
    /// Distinct symbols they leave undefined (weak references excluded).
    public var undefined: Int
    /// Those that nothing in the link defines.
    public var missing: [Manifest.UnresolvedSymbol]

    enum CodingKeys: String, CodingKey { case objects, undefined, missing }

    public init(objects: Int, undefined: Int, missing: [Manifest.UnresolvedSymbol]) {
        self.objects = objects; self.undefined = undefined; self.missing = missing
    }

    /// One symbol line of `nm -P -A`: `FILE: NAME TYPE [VALUE SIZE]`, where
    /// an archive member's FILE is `lib.a[member.o]`.
    struct NMSymbol: Equatable {
        var file: String
        var name: String
        var type: Character

        init?(line: Substring) {
            guard let colon = line.range(of: ": ", options: .backwards) else { return nil }
            let fields = line[colon.upperBound...].split(separator: " ")
            guard fields.count >= 2, fields[1].count == 1, let type = fields[1].first else { return nil }
            file = String(line[..<colon.lowerBound]); name = String(fields[0]); self.type = type
        }

        /// `U`: a reference to resolve. `w`/`v` undefined weak references
        /// may stay unresolved, so they are neither wanted nor offered here.
        var isUndefined: Bool { type == "U" }
        var isDefined: Bool { !["U", "w", "v"].contains(type) }
        /// The object's file name, or the archive member's.
        var shortFile: String {
            if let open = file.lastIndex(of: "["), file.hasSuffix("]") {
                return String(file[file.index(after: open)..<file.index(before: file.endIndex)])
            }
            return (file as NSString).lastPathComponent
        }
    }

    static func parse(_ nmOutput: String) -> [NMSymbol] {
        nmOutput.split(separator: "\n").compactMap(NMSymbol.init(line:))
    }

    /// The check from nm's output for the checked objects and for everything
    /// the link offers. `wrapped` are the `--wrap` symbols: a reference to
    /// one of them is resolved by `__wrap_<name>`.
    static func evaluate(checked: [NMSymbol], offered: Set<String>, objectCount: Int,
                         wrapped: Set<String> = []) -> UndefinedSymbolCheck {
        var definedByChecked = Set<String>()
        for s in checked where s.isDefined { definedByChecked.insert(s.name) }
        var wantedBy: [String: String] = [:]
        for s in checked where s.isUndefined && wantedBy[s.name] == nil { wantedBy[s.name] = s.shortFile }
        let missing = wantedBy.keys.sorted().filter { name in
            let resolvedName = wrapped.contains(name) ? "__wrap_" + name : name
            return !definedByChecked.contains(resolvedName) && !offered.contains(resolvedName)
        }
        return UndefinedSymbolCheck(objects: objectCount, undefined: wantedBy.count,
                                    missing: missing.map { Manifest.UnresolvedSymbol(symbol: $0, wantedBy: wantedBy[$0] ?? "?") })
    }

    /// Runs nm over `objects` and `offeredBy` (objects and archives). When
    /// something is still missing, `fallbackArchives` (the link's Swift
    /// runtime libraries, which C++ rarely calls) are read as well before
    /// a symbol is reported.
    public static func run(objects: [String], offeredBy: [String], fallbackArchives: [String] = [],
                           wrapFlags: [String] = []) throws -> UndefinedSymbolCheck {
        guard !objects.isEmpty else { return UndefinedSymbolCheck(objects: 0, undefined: 0, missing: []) }
        let wrapped = Set(wrapFlags.compactMap { flag -> String? in
            guard let r = flag.range(of: "--wrap=") else { return nil }
            return String(flag[r.upperBound...])
        })
        let checked = parse(try nm(objects))
        var offered = Set(parse(try nm(offeredBy)).filter(\.isDefined).map(\.name))
        var result = evaluate(checked: checked, offered: offered, objectCount: objects.count, wrapped: wrapped)
        if !result.missing.isEmpty, !fallbackArchives.isEmpty {
            offered.formUnion(parse(try nm(fallbackArchives)).filter(\.isDefined).map(\.name))
            result = evaluate(checked: checked, offered: offered, objectCount: objects.count, wrapped: wrapped)
        }
        return result
    }

    static func nm(_ files: [String]) throws -> String {
        let existing = files.filter { FileManager.default.fileExists(atPath: $0) }
        guard !existing.isEmpty else { return "" }
        let r = try ProcessRunner.run("nm", ["-P", "-A", "--no-sort"] + existing, timeout: 600)
        // nm exits 1 for a member with no symbols ("no symbols"); its output is still whole.
        guard r.succeeded || !r.stdout.isEmpty else {
            throw BuildEngineError.toolFailed("nm", LinkerDiagnostics.firstError(in: r.stderr) ?? r.stderr)
        }
        return r.stdout
    }

    /// One line for the build's log and for a failed link.
    public var summary: String {
        let head = "\(objects) C++ objects, \(undefined) undefined symbols"
        guard !missing.isEmpty else { return head + ", all defined by the musl link" }
        let shown = missing.prefix(8).map { "\($0.symbol) (wanted by \($0.wantedBy))" }.joined(separator: ", ")
        return head + "; not defined by musl's libc.a, libcshim_compat.a, libstdc++.a or libgcc: " + shown
            + (missing.count > 8 ? ", and \(missing.count - 8) more" : "")
    }
}
