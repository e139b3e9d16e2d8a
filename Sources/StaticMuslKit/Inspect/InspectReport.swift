import Foundation

/// One inspected file: `static-musl inspect --json` prints a list of these
/// under "files". Keys are exactly the issue's interface, plus a few extras
/// (build_id, facts, nss details, product/variant for dist artifacts).
public struct InspectedFile: Codable, Sendable, Equatable {
    public var path: String
    public var binaryClass: BinaryClass
    public var libc: LibcName
    public var libcEvidence: [String]
    public var interpreter: String?
    public var needed: [String]
    public var stripped: Bool
    public var swiftRuntime: Bool
    public var embeddedSwift: Bool
    public var nssRisk: NSSRiskLevel
    public var size: Int
    public var arch: String
    public var warnings: [String]
    // Extras.
    /// Why the libc is `unknown` or `none`, or why the evidence is mixed.
    public var libcReason: String?
    public var buildID: String?
    /// The ELF facts the class was decided from ("ET_DYN", "no PT_INTERP", "DF_1_PIE").
    public var facts: [String]
    public var swiftEvidence: [String]
    public var nssEvidence: [String]
    public var nssFlagged: [String]
    /// Set when the file came from a dist folder (build-static.sh output).
    public var product: String?
    public var variant: String?
    /// What answers getaddrinfo: "c-ares 1.18.1" (`--resolver c-ares`, read
    /// from the binary's `.static_musl_resolver` section, kept by strip), else
    /// the libc's own ("musl", "glibc"); nil when the libc is not known.
    public var resolver: String?

    enum CodingKeys: String, CodingKey {
        case path, binaryClass = "class", libc, libcEvidence = "libc_evidence", interpreter, needed, stripped
        case swiftRuntime = "swift_runtime", embeddedSwift = "embedded_swift", nssRisk = "nss_risk", size, arch, warnings
        case libcReason = "libc_reason", buildID = "build_id", facts, swiftEvidence = "swift_evidence", nssEvidence = "nss_evidence"
        case nssFlagged = "nss_flagged", product, variant, resolver
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(path, forKey: .path); try c.encode(binaryClass, forKey: .binaryClass)
        try c.encode(libc, forKey: .libc); try c.encode(libcEvidence, forKey: .libcEvidence)
        try c.encode(interpreter, forKey: .interpreter)   // null, not absent, when there is none
        try c.encode(needed, forKey: .needed); try c.encode(stripped, forKey: .stripped)
        try c.encode(swiftRuntime, forKey: .swiftRuntime); try c.encode(embeddedSwift, forKey: .embeddedSwift)
        try c.encode(nssRisk, forKey: .nssRisk); try c.encode(size, forKey: .size); try c.encode(arch, forKey: .arch)
        try c.encode(warnings, forKey: .warnings)
        try c.encode(libcReason, forKey: .libcReason)
        try c.encode(buildID, forKey: .buildID); try c.encode(facts, forKey: .facts)
        try c.encode(swiftEvidence, forKey: .swiftEvidence); try c.encode(nssEvidence, forKey: .nssEvidence)
        try c.encode(nssFlagged, forKey: .nssFlagged)
        try c.encodeIfPresent(product, forKey: .product); try c.encodeIfPresent(variant, forKey: .variant)
        try c.encode(resolver, forKey: .resolver)
    }
}

extension InspectedFile {
    /// The same fields and values `encode(to:)` gives, for `PrettyJSONText`.
    var prettyJSON: PrettyJSONText {
        var fields: [(String, PrettyJSONText)] = [
            ("path", .string(path)), ("class", .string(binaryClass.rawValue)), ("libc", .string(libc.rawValue)),
            ("libc_evidence", .strings(libcEvidence)), ("interpreter", .string(interpreter)), ("needed", .strings(needed)),
            ("stripped", .bool(stripped)), ("swift_runtime", .bool(swiftRuntime)), ("embedded_swift", .bool(embeddedSwift)),
            ("nss_risk", .string(nssRisk.rawValue)), ("size", .int(size)), ("arch", .string(arch)), ("warnings", .strings(warnings)),
            ("libc_reason", .string(libcReason)), ("build_id", .string(buildID)), ("facts", .strings(facts)),
            ("swift_evidence", .strings(swiftEvidence)), ("nss_evidence", .strings(nssEvidence)), ("nss_flagged", .strings(nssFlagged)),
            ("resolver", .string(resolver)),
        ]
        if let product { fields.append(("product", .string(product))) }
        if let variant { fields.append(("variant", .string(variant))) }
        return .object(fields)
    }
}

/// A file inspect could not parse, with the one-line reason.
public struct InspectFailure: Codable, Sendable, Equatable {
    public var path: String
    public var reason: String
}

/// The result of `InspectSuite.inspect`: what `static-musl inspect --json`
/// prints and what the report reads.
public struct InspectReport: Codable, Sendable, PrettyJSONEncodable {
    public static let currentSchema = 1
    public var schemaVersion: Int = InspectReport.currentSchema
    public var id = "inspect"
    public var versions: ToolchainVersions
    public var files: [InspectedFile]
    /// Files that could not be parsed (the CLI exits 2 when this is not empty).
    public var errors: [InspectFailure]

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", id, versions, files, errors
    }

    /// What `JSONEncoder` would write, written directly: `inspect --json`
    /// over a whole toolchain prints thousands of files.
    public func jsonData() throws -> Data {
        PrettyJSONText.object([
            ("schema_version", .int(schemaVersion)), ("id", .string(id)),
            ("versions", .object([("swift", .string(versions.swift)), ("root", .string(versions.root)),
                                  ("musl", .string(versions.musl)), ("glibc", .string(versions.glibc))])),
            ("files", .array(files.map(\.prettyJSON))),
            ("errors", .array(errors.map { .object([("path", .string($0.path)), ("reason", .string($0.reason))]) })),
        ]).data
    }

    /// Human-readable summary, one block per parsed file (errors are left to the caller).
    public var text: String {
        var out: [String] = []
        for f in files {
            var head = "\(f.path): \(f.binaryClass.rawValue), libc \(f.libc.rawValue), \(f.arch), \(f.size) bytes"
            head += f.stripped ? ", stripped" : ", not stripped"
            out.append(head)
            if let interp = f.interpreter { out.append("  interpreter: \(interp)") }
            if !f.needed.isEmpty { out.append("  needed: \(f.needed.joined(separator: ", "))") }
            out.append("  class facts: \(f.facts.joined(separator: "; "))")
            out.append("  libc evidence: \(f.libcEvidence.isEmpty ? "none" : f.libcEvidence.joined(separator: "; "))")
            out.append("  swift runtime: \(f.swiftRuntime ? "yes" : "no"), embedded swift: \(f.embeddedSwift ? "yes" : "no")")
            out.append("  nss risk: \(f.nssRisk.rawValue)\(f.nssFlagged.isEmpty ? "" : " (\(f.nssFlagged.joined(separator: "; ")))")")
            if let resolver = f.resolver { out.append("  resolver: \(resolver)") }
            if let id = f.buildID { out.append("  build-id: \(id)") }
            for w in f.warnings { out.append("  warning: \(w)") }
        }
        return out.joined(separator: "\n")
    }
}
