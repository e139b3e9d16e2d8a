import Foundation

/// The probe builds the lab runs. Raw values are the JSON names. The six
/// base variants make each scenario's verdict (glibc against the default
/// musl); the others are alternatives, each compared with glibc-dynamic on
/// its own language: musl with c-ares behind getaddrinfo (`--resolver
/// c-ares`), and the other musl version (`MuslSource.otherVersion`), whose
/// names carry its version: "c-musl-1.2.3-static".
public enum DNSVariant: ComputedRawValueCases, Codable, Sendable {
    case cGlibcDynamic
    case cGlibcStatic
    case cMuslStatic
    case swiftGlibcDynamic
    case swiftGlibcStatic
    case swiftMuslStatic
    case cMuslCAres
    case swiftMuslCAres
    /// The C probe on the other musl version.
    case cMuslOther
    /// The Swift probe on the other musl version.
    case swiftMuslOther

    /// What this probe is, in the suites' one vocabulary; `rawValue` is its name.
    public var probe: ProbeVariant {
        switch self {
        case .cGlibcDynamic: return ProbeVariant(.c, .glibcDynamic)
        case .cGlibcStatic: return ProbeVariant(.c, .glibcStatic)
        case .cMuslStatic: return ProbeVariant(.c, .musl)
        case .swiftGlibcDynamic: return ProbeVariant(.swift, .glibcDynamic)
        case .swiftGlibcStatic: return ProbeVariant(.swift, .glibcStatic)
        case .swiftMuslStatic: return ProbeVariant(.swift, .musl)
        case .cMuslCAres: return ProbeVariant(.c, .muslCAres)
        case .swiftMuslCAres: return ProbeVariant(.swift, .muslCAres)
        case .cMuslOther: return ProbeVariant(.c, .musl, muslVersion: MuslSource.otherVersion)
        case .swiftMuslOther: return ProbeVariant(.swift, .musl, muslVersion: MuslSource.otherVersion)
        }
    }

    public var rawValue: String { probe.name }

    /// The variants a verdict compares.
    public static let base: [DNSVariant] = [.cGlibcDynamic, .cGlibcStatic, .cMuslStatic, .swiftGlibcDynamic, .swiftGlibcStatic, .swiftMuslStatic]

    public var libc: String { probe.libc }
    public var isSwift: Bool { probe.language == .swift }
    public var isBase: Bool { Self.base.contains(self) }

    /// The alternative this variant stands for ("musl+c-ares", "musl 1.2.3"); nil for a base variant.
    public var alternative: DNSAlternative? {
        if probe.muslVersion != nil { return .otherMusl }
        return probe.build == .muslCAres ? .cAres : nil
    }

    /// glibc-dynamic on the same language: what every variant is held against.
    public var baseline: DNSVariant { isSwift ? .swiftGlibcDynamic : .cGlibcDynamic }

    /// How the C probe is compiled (CProgramBuilder): its libc and linkage;
    /// the resolver and the musl version are the lab's to add.
    public var cVariant: CVariant? { probe.language == .c ? CVariant(probe) : nil }

    /// Which build-static.sh variant of the dns-probe product this is.
    public var buildVariant: Variant? { isSwift ? probe.build : nil }

    /// The musl of this variant's sysroot when it is not the default one (nil: the default, or glibc).
    public var muslVersion: String? { probe.muslVersion }

    /// The other-language twin on the same libc, linkage and alternative.
    public var twin: DNSVariant { Self.allCases.first { $0.probe == probe.twin } ?? self }

    /// Parses "all" or a comma list.
    public static func parseList(_ text: String) throws -> [DNSVariant] {
        if text == "all" { return allCases }
        return try text.split(separator: ",").map {
            guard let v = DNSVariant(rawValue: String($0).trimmingCharacters(in: .whitespaces)) else { throw DNSError.unknownVariant(String($0)) }
            return v
        }
    }
}

/// An alternative musl build the lab measures beside the base variants.
public enum DNSAlternative: ComputedRawValueCases, Codable, Sendable {
    /// "musl+c-ares": the default musl with c-ares behind getaddrinfo.
    case cAres
    /// "musl 1.2.3": the other musl version (`MuslSource.otherVersion`).
    case otherMusl

    public var rawValue: String {
        switch self {
        case .cAres: return "musl+c-ares"
        case .otherMusl: return OtherMuslNames.current.alternative
        }
    }

    public var variants: [DNSVariant] { DNSVariant.allCases.filter { $0.alternative == self } }

    /// Scenarios where musl differs from glibc and this alternative is known
    /// to differ too, with why (docs/dns.md lists them). Every other such
    /// scenario it must agree on.
    public var knownDifferences: [String: String] {
        switch self {
        case .cAres:
            return ["res-search-list": "res_search is libresolv's call, not getaddrinfo's: --resolver c-ares replaces getaddrinfo, "
                    + "gethostbyname and getnameinfo, and musl's res_search still ignores the search list"]
        case .otherMusl:
            return [:]
        }
    }
}

/// How an alternative did on one scenario: its probes against glibc-dynamic.
public struct DNSAlternativeVerdict: Codable, Equatable, Sendable {
    public var alternative: String
    /// True when each of its probes matches glibc-dynamic's (status, addresses, queried names).
    public var agreesWithGlibc: Bool
    /// What differs, per probe: "c-musl-static+c-ares status EAI_AGAIN vs ok".
    public var difference: String?

    enum CodingKeys: String, CodingKey {
        case alternative, difference
        case agreesWithGlibc = "agrees_with_glibc"
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
    /// Each alternative that ran (musl+c-ares, the other musl) against glibc-dynamic.
    public var alternatives: [DNSAlternativeVerdict] = []
    /// The scenario's server-wide delay per answer, when it has one: its
    /// results' `query_count` and `elapsed_ms` are the cost per lookup.
    public var delayMs: Int?

    public init(scenario: String, title: String, why: String, verdict: String, cSwiftAgree: Bool, cSwiftDifference: String?,
                observations: [String], alternatives: [DNSAlternativeVerdict] = []) {
        self.scenario = scenario; self.title = title; self.why = why; self.verdict = verdict
        self.cSwiftAgree = cSwiftAgree; self.cSwiftDifference = cSwiftDifference
        self.observations = observations; self.alternatives = alternatives
    }

    enum CodingKeys: String, CodingKey {
        case scenario, title, why, verdict, observations, alternatives
        case cSwiftAgree = "c_swift_agree", cSwiftDifference = "c_swift_difference", delayMs = "delay_ms"
    }

    /// Reports written before alternatives existed still read.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        scenario = try c.decode(String.self, forKey: .scenario)
        title = try c.decode(String.self, forKey: .title)
        why = try c.decode(String.self, forKey: .why)
        verdict = try c.decode(String.self, forKey: .verdict)
        cSwiftAgree = try c.decode(Bool.self, forKey: .cSwiftAgree)
        cSwiftDifference = try c.decodeIfPresent(String.self, forKey: .cSwiftDifference)
        observations = try c.decodeIfPresent([String].self, forKey: .observations) ?? []
        alternatives = try c.decodeIfPresent([DNSAlternativeVerdict].self, forKey: .alternatives) ?? []
        delayMs = try c.decodeIfPresent(Int.self, forKey: .delayMs)
    }

    public func alternative(_ a: DNSAlternative) -> DNSAlternativeVerdict? { alternatives.first { $0.alternative == a.rawValue } }

    func with(delayMs: Int?) -> DNSScenarioVerdict {
        var copy = self
        copy.delayMs = delayMs
        return copy
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
    public var machine: Machine
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

    public func json() throws -> Data { try JSONCoding.pretty(self) }

    /// A saved report (`--json`'s output, or a report's `suites/dns.json`),
    /// to render again without running the lab. Throws `DNSError` with the path.
    public static func read(path: String) throws -> DNSReport {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw DNSError.unusableReport(path: path, why: FileFailure.reason(error))
        }
        do { return try JSONCoding.decode(DNSReport.self, from: data) } catch {
            throw DNSError.unusableReport(path: path, why: "not a dns suite report: \(FileFailure.reason(error))")
        }
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
        for v in verdicts {
            guard let delay = v.delayMs else { continue }
            let costs = results.filter { $0.scenario == v.scenario }
                .map { "\($0.variant) \($0.queryCount) queries \(Int($0.elapsedMs.rounded())) ms" }
            lines.append("cost per lookup, \(v.scenario) (\(delay) ms per answer): " + costs.joined(separator: "; "))
        }
        for a in alternativeNames {
            let counts = alternativeCounts(a)
            guard counts.ran > 0 else { continue }
            lines.append("\(a): agrees with glibc on \(counts.fixed) of the \(counts.muslDiffers) scenarios where musl differs"
                         + "; differs from glibc where musl agrees on \(counts.broken)")
            for v in verdicts {
                guard let x = v.alternatives.first(where: { $0.alternative == a }), !x.agreesWithGlibc else { continue }
                lines.append("  \(a) \(v.scenario): \(x.difference ?? "differs")")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The alternatives this report ran, by name, in the order its verdicts
    /// list them ("musl+c-ares", "musl 1.2.3"): read from the report, so a
    /// report made when another musl was the default renders as it was made.
    public var alternativeNames: [String] {
        var names: [String] = []
        for v in verdicts { for a in v.alternatives where !names.contains(a.alternative) { names.append(a.alternative) } }
        return names
    }

    /// The C probe that stands for an alternative in the Markdown table:
    /// "c-musl-static+c-ares" for musl+c-ares, "c-musl-1.2.3-static" for "musl 1.2.3".
    static func cProbe(ofAlternative name: String) -> String {
        OtherMuslNames(alternative: name)?.cProbe ?? DNSVariant.cMuslCAres.rawValue
    }

    /// A Markdown table (docs/dns.md, the README): every scenario where the
    /// report's default musl or an alternative differs from glibc, what the C
    /// probe saw on glibc-dynamic and on the default musl, and whether each
    /// alternative answers as glibc does. So both musl versions' differences
    /// are rows, whichever of them was the default.
    public func alternativesMarkdown() -> String {
        let alternatives = alternativeNames
        func cell(_ r: DNSResult?) -> String {
            guard let r else { return "–" }
            let addresses = r.addresses.isEmpty ? "" : r.addresses.count <= 2 ? " " + r.addresses.joined(separator: ", ") : " \(r.addresses.count) addresses"
            return "`\(r.status)`" + addresses
        }
        func probe(_ scenario: String, _ variant: String) -> DNSResult? {
            results.first { $0.scenario == scenario && $0.variant == variant }
        }
        let otherMusls = alternatives.filter { OtherMuslNames(alternative: $0) != nil }
        var lines = ["| scenario | glibc | musl \(versions.musl) | " + alternatives.joined(separator: " | ") + " |",
                     "|---|---|---|" + String(repeating: "---|", count: alternatives.count)]
        for v in verdicts where v.verdict.hasPrefix("differs")
            || v.alternatives.contains(where: { otherMusls.contains($0.alternative) && !$0.agreesWithGlibc }) {
            let musl = v.verdict.hasPrefix("differs") ? cell(result(v.scenario, .cMuslStatic)) : "✓ as glibc"
            var row = "| `\(v.scenario)` | \(cell(result(v.scenario, .cGlibcDynamic))) | \(musl) |"
            for a in alternatives {
                guard let x = v.alternatives.first(where: { $0.alternative == a }) else { row += " – |"; continue }
                let listed = DNSAlternative(rawValue: a)?.knownDifferences[v.scenario] != nil
                row += x.agreesWithGlibc ? " ✓ as glibc |" : " ✗ \(cell(probe(v.scenario, Self.cProbe(ofAlternative: a))))\(listed ? " (listed)" : "") |"
            }
            lines.append(row)
        }
        var totals = "| **agrees with glibc where musl \(versions.musl) differs** | | |"
        for a in alternatives {
            let c = alternativeCounts(a)
            totals += " **\(c.fixed) of \(c.muslDiffers)** |"
        }
        lines.append(totals)
        return lines.joined(separator: "\n")
    }

    /// Every scenario in one table: what glibc-dynamic's C probe and the
    /// default musl's saw ("status [addresses], N q", N the queries the server
    /// got), and which fields the verdict found different. The glibc cell
    /// stands for all four glibc builds and the musl one for both musl
    /// builds; where they disagree the verdict says so.
    public func scenarioTable() -> String {
        func cell(_ r: DNSResult?) -> String {
            guard let r else { return "–" }
            let a = r.addresses
            let shown = a.count <= 2 ? a.joined(separator: ", ") : "\(a[0]), \(a[1]) … (\(a.count))"
            return r.status + (a.isEmpty ? "" : " [\(shown)]") + ", \(r.queryCount) q"
        }
        var lines = ["| scenario | glibc (all 4 builds) | musl \(versions.musl) (C and Swift) | verdict |", "|---|---|---|---|"]
        for v in verdicts {
            var verdict = v.verdict
            if verdict.hasPrefix("differs: ") {
                let parts = verdict.dropFirst("differs: ".count).components(separatedBy: "; ")
                let fields = ["status", "addresses", "queried names"].filter { f in parts.contains { $0.hasPrefix(f + " ") } }
                verdict = "differs: " + fields.joined(separator: ", ")
            }
            lines.append("| `\(v.scenario)` | \(cell(result(v.scenario, .cGlibcDynamic))) | \(cell(result(v.scenario, .cMuslStatic))) | \(verdict) |")
        }
        return lines.joined(separator: "\n")
    }

    /// For one alternative: on how many scenarios it ran; of the scenarios
    /// where the base musl variants differ from glibc, how many it agrees
    /// with glibc on; and on how many where musl agrees it does not.
    public func alternativeCounts(_ a: DNSAlternative) -> (ran: Int, muslDiffers: Int, fixed: Int, broken: Int) {
        alternativeCounts(a.rawValue)
    }

    /// As `alternativeCounts(_:)`, by the name the report gives the alternative.
    public func alternativeCounts(_ name: String) -> (ran: Int, muslDiffers: Int, fixed: Int, broken: Int) {
        let verdictOf = { (v: DNSScenarioVerdict) in v.alternatives.first { $0.alternative == name } }
        let ran = verdicts.filter { verdictOf($0) != nil }
        let differing = ran.filter { $0.verdict.hasPrefix("differs") }
        let fixed = differing.filter { verdictOf($0)?.agreesWithGlibc == true }.count
        let broken = ran.filter { $0.verdict == "same" && verdictOf($0)?.agreesWithGlibc == false }.count
        return (ran.count, differing.count, fixed, broken)
    }
}
