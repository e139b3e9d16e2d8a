import Foundation

/// The six probe builds the lab compares. Raw values are the JSON names.
public enum DNSVariant: String, CaseIterable, Codable, Sendable {
    case cGlibcDynamic = "c-glibc-dynamic"
    case cGlibcStatic = "c-glibc-static"
    case cMuslStatic = "c-musl-static"
    case swiftGlibcDynamic = "swift-glibc-dynamic"
    case swiftGlibcStatic = "swift-glibc-static"
    case swiftMuslStatic = "swift-musl-static"

    public var libc: String { rawValue.hasSuffix("musl-static") ? "musl" : "glibc" }
    public var isSwift: Bool { rawValue.hasPrefix("swift-") }

    /// How the C probe is compiled (CProgramBuilder).
    public var cVariant: CVariant? {
        switch self {
        case .cGlibcDynamic: return .glibcDynamic
        case .cGlibcStatic: return .glibcStatic
        case .cMuslStatic: return .muslStatic
        default: return nil
        }
    }

    /// Which build-static.sh variant of the dns-probe product this is.
    public var buildVariant: Variant? {
        switch self {
        case .swiftGlibcDynamic: return .glibcDynamic
        case .swiftGlibcStatic: return .glibcStatic
        case .swiftMuslStatic: return .musl
        default: return nil
        }
    }

    /// The other-language twin on the same libc and linkage.
    public var twin: DNSVariant {
        switch self {
        case .cGlibcDynamic: return .swiftGlibcDynamic
        case .cGlibcStatic: return .swiftGlibcStatic
        case .cMuslStatic: return .swiftMuslStatic
        case .swiftGlibcDynamic: return .cGlibcDynamic
        case .swiftGlibcStatic: return .cGlibcStatic
        case .swiftMuslStatic: return .cMuslStatic
        }
    }

    /// Parses "all" or a comma list.
    public static func parseList(_ text: String) throws -> [DNSVariant] {
        if text == "all" { return allCases }
        return try text.split(separator: ",").map {
            guard let v = DNSVariant(rawValue: String($0).trimmingCharacters(in: .whitespaces)) else { throw DNSError.unknownVariant(String($0)) }
            return v
        }
    }
}

/// One lookup's outcome as a probe printed it.
public struct DNSLookupOutcome: Codable, Equatable, Sendable {
    public var status: String
    public var addresses: [String]
    public var canonicalName: String?
    public var rcode: String?
    public var aliases: [String]

    enum CodingKeys: String, CodingKey {
        case status, addresses, rcode, aliases
        case canonicalName = "canonical_name"
    }
}

/// One scenario × variant.
public struct DNSResult: Codable, Equatable, Sendable {
    public var scenario: String
    public var variant: String
    /// "ok", an EAI_* or h_errno name; "A then B" when the scenario looks up twice;
    /// "probe-failed: …" when the probe itself did not finish, and
    /// "probe-failed: lab run …" (what failed, the last stderr line) when
    /// the namespace run holding it failed as a whole (server crashed or hung).
    public var status: String
    public var addresses: [String]
    public var canonicalName: String?
    public var queries: [DNSQueryRecord]
    /// The names queried, consecutive repeats (retransmissions, the same
    /// name on another server or for another type) collapsed: what the verdict compares.
    public var queriedNames: [String]
    public var queryCount: Int
    /// Queries repeating an earlier (server, transport, type, name).
    public var retransmissions: Int
    public var elapsedMs: Double
    /// Every lookup when there are several (resolv.conf edited in between).
    public var lookups: [DNSLookupOutcome]
    public var probeError: String?

    enum CodingKeys: String, CodingKey {
        case scenario, variant, status, addresses, queries, lookups
        case canonicalName = "canonical_name", queriedNames = "queried_names", queryCount = "query_count"
        case retransmissions, elapsedMs = "elapsed_ms", probeError = "probe_error"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(scenario, forKey: .scenario); try c.encode(variant, forKey: .variant)
        try c.encode(status, forKey: .status); try c.encode(addresses, forKey: .addresses)
        try c.encode(canonicalName, forKey: .canonicalName)   // null when none, never absent
        try c.encode(queries, forKey: .queries); try c.encode(queriedNames, forKey: .queriedNames)
        try c.encode(queryCount, forKey: .queryCount); try c.encode(retransmissions, forKey: .retransmissions)
        try c.encode(elapsedMs, forKey: .elapsedMs); try c.encode(lookups, forKey: .lookups)
        try c.encodeIfPresent(probeError, forKey: .probeError)
    }
}

/// One line per scenario: "same" or "differs: <what>".
public struct DNSScenarioVerdict: Codable, Equatable, Sendable {
    public var scenario: String
    public var title: String
    public var why: String
    public var verdict: String
    /// True when each C probe matches its Swift twin (status, addresses, names).
    public var cSwiftAgree: Bool
    public var cSwiftDifference: String?
    /// Differences the verdict does not compare (transport, query types,
    /// EDNS, query flags, query count), for the record.
    public var observations: [String]

    enum CodingKeys: String, CodingKey {
        case scenario, title, why, verdict, observations
        case cSwiftAgree = "c_swift_agree", cSwiftDifference = "c_swift_difference"
    }
}

public struct DNSSkippedVariant: Codable, Equatable, Sendable {
    public var variant: String
    public var reason: String
}

/// The dns suite's result (`static-musl dns --json`), versioned.
public struct DNSReport: Codable, Sendable {
    public static let currentSchema = 1
    public var schemaVersion = DNSReport.currentSchema
    public var suite = "dns"
    public var generated: String
    public var versions: ToolchainVersions
    public var machine: DNSMachine
    public var scenarioFile: String
    public var variants: [String]
    public var skippedVariants: [DNSSkippedVariant]
    public var results: [DNSResult]
    public var verdicts: [DNSScenarioVerdict]
    public var elapsedMs: Double

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", suite, generated, versions, machine
        case scenarioFile = "scenario_file", variants, skippedVariants = "skipped_variants"
        case results, verdicts, elapsedMs = "elapsed_ms"
    }

    public func result(_ scenario: String, _ variant: DNSVariant) -> DNSResult? {
        results.first { $0.scenario == scenario && $0.variant == variant.rawValue }
    }
    public func verdict(_ scenario: String) -> DNSScenarioVerdict? { verdicts.first { $0.scenario == scenario } }

    public func json() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try e.encode(self)
    }

    /// A plain-text table for the terminal.
    public func summary() -> String {
        var lines = ["dns lab: \(verdicts.count) scenarios × \(variants.count) variants in \(String(format: "%.1f", elapsedMs / 1000)) s "
                     + "(musl \(versions.musl), glibc \(versions.glibc))"]
        for s in skippedVariants { lines.append("SKIPPED \(s.variant): \(s.reason)") }
        let width = verdicts.map(\.scenario.count).max() ?? 10
        for v in verdicts {
            lines.append(v.scenario.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + v.verdict
                         + (v.cSwiftAgree ? "" : "  [C/Swift DISAGREE: \(v.cSwiftDifference ?? "")]"))
        }
        let failed = verdicts.filter { $0.verdict.hasPrefix("probe-failed") }.count
        let differs = verdicts.filter { $0.verdict != "same" }.count - failed
        lines.append("\(verdicts.count - differs - failed) same, \(differs) differ" + (failed > 0 ? ", \(failed) probe-failed" : "")
                     + "; C and Swift agree on \(verdicts.filter(\.cSwiftAgree).count)/\(verdicts.count)")
        return lines.joined(separator: "\n")
    }
}

public struct DNSMachine: Codable, Sendable {
    public var cpus: Int
    public var kernel: String
    static func detect() -> DNSMachine {
        DNSMachine(cpus: HostMachine.cores, kernel: HostMachine.kernelRelease)
    }
}
