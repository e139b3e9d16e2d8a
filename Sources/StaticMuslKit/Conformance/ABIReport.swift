import Foundation

/// The result of `ABIAudit.run`. Encodes to the issue's JSON shape:
/// `{"items": [{"name", "kind": "type|constant", "glibc": {"size", "align",
/// "fields": {…}} or value, "musl": {…}, "match": true|false, "risk"}]}`
/// plus versions, the derivation of the list, and a summary.
public struct ABIReport: Codable, Sendable {
    public static let currentSchema = 1
    public var schemaVersion = ABIReport.currentSchema
    public var suite = "abi"
    public var versions: ToolchainVersions
    public var derivation: Derivation
    public var items: [Item]
    public var summary: Summary

    public struct Field: Codable, Sendable, Equatable { public var offset: Int; public var size: Int }

    public struct Layout: Codable, Sendable, Equatable {
        public var size = -1
        public var align = -1
        public var fields: [String: Field] = [:]
    }

    /// A layout (types) or a number (constants).
    public enum Value: Codable, Sendable, Equatable {
        case layout(Layout)
        case value(Int64)
        public init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let v = try? c.decode(Int64.self) { self = .value(v) } else { self = .layout(try c.decode(Layout.self)) }
        }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self { case .layout(let l): try c.encode(l); case .value(let v): try c.encode(v) }
        }
    }

    public struct Item: Codable, Sendable, Equatable {
        public var name: String
        public var kind: String                 // "type" or "constant"
        public var header: String
        public var glibc: Value
        public var musl: Value?                 // nil: musl lacks it (or it is incomplete there)
        public var match: Bool
        public var status: String               // match, mismatch, glibc-only, musl-incomplete
        public var risk: String?
        public var differences: [String]

        enum CodingKeys: String, CodingKey { case name, kind, header, glibc, musl, match, status, risk, differences }

        /// `musl` and `risk` are written as null when absent, so every item
        /// has the issue's keys.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name); try c.encode(kind, forKey: .kind); try c.encode(header, forKey: .header)
            try c.encode(glibc, forKey: .glibc); try c.encode(musl, forKey: .musl); try c.encode(match, forKey: .match)
            try c.encode(status, forKey: .status); try c.encode(risk, forKey: .risk); try c.encode(differences, forKey: .differences)
        }
    }

    public struct Derivation: Codable, Sendable {
        public var sources: [String]
        public var glibcModuleHeaders: [String]
        public var foundationShimHeaders: [String]
        public var extraHeaders: [String]
        public var featureMacros: String
        public var headersMissingInMusl: [String]
        /// Items the compiler rejected (incomplete types, function types,
        /// non-integer macros), per libc.
        public var droppedGlibc: [String]
        public var droppedMusl: [String]

        enum CodingKeys: String, CodingKey {
            case sources, extraHeaders = "extra_headers", featureMacros = "feature_macros"
            case glibcModuleHeaders = "glibc_module_headers", foundationShimHeaders = "foundation_shim_headers"
            case headersMissingInMusl = "headers_missing_in_musl", droppedGlibc = "dropped_glibc", droppedMusl = "dropped_musl"
        }
    }

    public struct Summary: Codable, Sendable, Equatable {
        public var types: Int
        public var constants: Int
        public var compared: Int                // present in both
        public var mismatches: Int
        public var glibcOnly: Int
        public var muslIncomplete: Int

        init(_ items: [Item]) {
            types = items.filter { $0.kind == "type" }.count
            constants = items.filter { $0.kind == "constant" }.count
            compared = items.filter { $0.musl != nil }.count
            mismatches = items.filter { $0.status == "mismatch" }.count
            glibcOnly = items.filter { $0.status == "glibc-only" }.count
            muslIncomplete = items.filter { $0.status == "musl-incomplete" }.count
        }

        enum CodingKeys: String, CodingKey {
            case types, constants, compared, mismatches
            case glibcOnly = "glibc_only", muslIncomplete = "musl_incomplete"
        }
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", suite, versions, derivation, items, summary
    }

    public func json() throws -> Data { try JSONCoding.pretty(self) }

    /// Markdown: the summary, every mismatch with its risk, then the
    /// glibc-only names, then a compact table of everything compared.
    public func markdown() -> String {
        var out = ["# ABI audit: glibc headers vs musl headers", "",
                   "Swift \(versions.swift), musl \(versions.musl), glibc \(versions.glibc). Items derived from \(derivation.glibcModuleHeaders.count) Glibc module headers and \(derivation.foundationShimHeaders.count) Foundation shim headers (\(derivation.featureMacros)).", "",
                   "\(summary.types) types and \(summary.constants) constants; \(summary.compared) present in both libcs; **\(summary.mismatches) mismatches**, \(summary.glibcOnly) glibc-only, \(summary.muslIncomplete) incomplete in musl.", ""]
        if !derivation.headersMissingInMusl.isEmpty {
            out.append("Headers musl lacks: " + derivation.headersMissingInMusl.map { "`<\($0)>`" }.joined(separator: ", ") + ".")
            out.append("")
        }
        out += ["## Mismatches", "", "| item | kind | glibc | musl | differences | risk |", "|---|---|---|---|---|---|"]
        for i in items where i.status == "mismatch" {
            out.append("| `\(i.name)` | \(i.kind) | \(Self.short(i.glibc)) | \(i.musl.map(Self.short) ?? "—") | \(Self.cell(i.differences.prefix(6).joined(separator: "; "))) | \(Self.cell(i.risk ?? "")) |")
        }
        out += ["", "## Only in glibc (or incomplete in musl)", "",
                items.filter { $0.status == "glibc-only" || $0.status == "musl-incomplete" }
                    .map { "`\($0.name)`" + ($0.status == "musl-incomplete" ? " (incomplete in musl)" : "") }.joined(separator: ", "), "",
                "## Everything compared", "", "| item | kind | glibc | musl | match |", "|---|---|---|---|---|"]
        for i in items where i.musl != nil {
            out.append("| `\(i.name)` | \(i.kind) | \(Self.short(i.glibc)) | \(i.musl.map(Self.short) ?? "—") | \(i.match ? "yes" : "**no**") |")
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func short(_ v: Value) -> String {
        switch v {
        case .value(let n): return "\(n)"
        case .layout(let l): return "\(l.size)/\(l.align)" + (l.fields.isEmpty ? "" : ", \(l.fields.count) fields")
        }
    }

    static func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
}
