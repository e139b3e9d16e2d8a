import Foundation

/// matrix.json: the compatibility matrix, versioned and documented in
/// docs/report-schema.md (JSON Schema: docs/matrix.schema.json). Every
/// suite has a section, always present: a suite that did not run says so.
public struct MatrixReport: Codable, Sendable {
    public static let currentSchema = 1

    public var schemaVersion: Int
    public var header: ReportHeader
    /// The verdict table's columns: build variants (Variant raw values).
    public var variants: [String]
    /// The baseline column the comparisons are made against.
    public var baseline: String
    public var verdict: [VerdictRow]
    public var sections: ReportSections

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", header, variants, baseline, verdict, sections
    }
}

public struct ReportHeader: Codable, Sendable {
    public var generated: String                // ISO 8601, UTC
    public var mode: String                     // quick, full or from-json
    public var product: String                  // the product in the static/size/scratch rows
    public var machine: Machine
    public var toolchain: Toolchain
    public var project: Project

    public struct Machine: Codable, Sendable {
        public var hostname: String
        public var kernel: String
        public var cpuModel: String
        public var cores: Int
        public var memoryMb: Int?
        public var arch: String
        enum CodingKeys: String, CodingKey {
            case hostname, kernel, cores, arch, cpuModel = "cpu_model", memoryMb = "memory_mb"
        }
    }

    public struct Toolchain: Codable, Sendable {
        public var swift: String
        public var root: String
        public var musl: String
        public var glibc: String
        public var gcc: String?
    }

    public struct Project: Codable, Sendable {
        public var gitCommit: String
        public var gitDirty: Bool?
        enum CodingKeys: String, CodingKey { case gitCommit = "git_commit", gitDirty = "git_dirty" }
    }
}

/// One row of the verdict table: a cell per variant column.
public struct VerdictRow: Codable, Sendable {
    public var id: String                       // static, size, scratch, dns, malloc, conformance
    public var title: String
    public var cells: [String: VerdictCell]
}

public struct VerdictCell: Codable, Sendable, Equatable {
    public enum Mark: String, Codable, Sendable { case pass, fail, warn, info, na }
    public var mark: Mark
    public var text: String
    /// The number behind the text, when there is one (bytes, a ratio, a count).
    public var value: Double?

    public init(_ mark: Mark, _ text: String, value: Double? = nil) {
        self.mark = mark; self.text = text; self.value = value
    }

    public var symbol: String {
        switch mark { case .pass: return "✓"; case .fail: return "✗"; case .warn: return "⚠"; case .info: return ""; case .na: return "–" }
    }
}

public enum SectionStatus: String, Codable, Sendable { case ok, notRun = "not_run", failed }

/// A suite's section: its status, and rows with stable ids.
public struct Section<Row: Codable & Sendable>: Codable, Sendable {
    public var status: SectionStatus
    public var reason: String?
    public var elapsedMs: Double?
    /// The suite's own versions/machine block, as it reported it.
    public var suiteVersions: JSONValue?
    public var rows: [Row]

    enum CodingKeys: String, CodingKey {
        case status, reason, rows, elapsedMs = "elapsed_ms", suiteVersions = "suite_versions"
    }

    public static func notRun(_ reason: String) -> Section { Section(status: .notRun, reason: reason, rows: []) }
    public static func failed(_ reason: String) -> Section { Section(status: .failed, reason: reason, rows: []) }

    /// "not run: <reason>" / "failed: <reason>", or nil when it ran.
    public var missingText: String? {
        switch status {
        case .ok: return nil
        case .notRun: return "not run: " + (reason ?? "no reason given")
        case .failed: return "failed: " + (reason ?? "no reason given")
        }
    }
}

public struct ReportSections: Codable, Sendable {
    public var build: Section<BuildRow>
    public var inspect: Section<InspectRow>
    public var scratch: Section<ScratchRow>
    public var dns: Section<DNSRow>
    public var malloc: Section<MallocRow>
    public var server: Section<ServerRow>
    public var conformance: Section<ConformanceRow>
    public var abi: Section<ABIRow>
    public var size: Section<SizeRow>

    /// Section names in report order, with their missing text when absent.
    public var statuses: [(name: String, missing: String?)] {
        [("build", build.missingText), ("inspect", inspect.missingText), ("scratch", scratch.missingText),
         ("dns", dns.missingText), ("malloc", malloc.missingText), ("server", server.missingText),
         ("conformance", conformance.missingText), ("abi", abi.missingText), ("size", size.missingText)]
    }
}

extension ReportSections {
    /// The reason a matrix.json written before the server section existed gets for it.
    static let serverAbsent = "no server section in this matrix.json (written before the report had one)"

    /// Decodes every section; `server` may be absent (an older matrix.json of
    /// the same schema version), and then it is "not run" with that reason.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(build: try c.decode(Section<BuildRow>.self, forKey: .build),
                  inspect: try c.decode(Section<InspectRow>.self, forKey: .inspect),
                  scratch: try c.decode(Section<ScratchRow>.self, forKey: .scratch),
                  dns: try c.decode(Section<DNSRow>.self, forKey: .dns),
                  malloc: try c.decode(Section<MallocRow>.self, forKey: .malloc),
                  server: try c.decodeIfPresent(Section<ServerRow>.self, forKey: .server) ?? .notRun(Self.serverAbsent),
                  conformance: try c.decode(Section<ConformanceRow>.self, forKey: .conformance),
                  abi: try c.decode(Section<ABIRow>.self, forKey: .abi),
                  size: try c.decode(Section<SizeRow>.self, forKey: .size))
    }
}

public struct BuildRow: Codable, Sendable {
    public var id: String                       // build/<product>/<variant>
    public var product: String
    public var variant: String
    public var status: String
    public var reason: String?
    public var size: Int?
    public var strippedSize: Int?
    public var isStatic: Bool?
    public var interpreter: String?
    public var needed: [String]?
    public var allocator: String?
    public var linkWarnings: Int?
    public var unresolved: [String]?

    enum CodingKeys: String, CodingKey {
        case id, product, variant, status, reason, size, interpreter, needed, allocator, unresolved
        case strippedSize = "stripped_size", isStatic = "static", linkWarnings = "link_warnings"
    }
}

public struct InspectRow: Codable, Sendable {
    public var id: String                       // inspect/<product>/<variant>
    public var path: String
    public var variant: String?
    public var product: String?
    public var `class`: String
    public var libc: String
    public var libcEvidence: [String]
    public var interpreter: String?
    public var needed: [String]
    public var stripped: Bool?
    public var swiftRuntime: Bool?
    public var embeddedSwift: Bool?
    public var nssRisk: JSONValue?
    public var size: Int?
    public var arch: String?
    public var warnings: [String]

    enum CodingKeys: String, CodingKey {
        case id, path, variant, product, `class`, libc, interpreter, needed, stripped, size, arch, warnings
        case libcEvidence = "libc_evidence", swiftRuntime = "swift_runtime"
        case embeddedSwift = "embedded_swift", nssRisk = "nss_risk"
    }
}

public struct ScratchRow: Codable, Sendable {
    public var id: String                       // scratch/<product>/<variant>[/<config>]
    public var variant: String
    public var product: String?
    public var config: String?
    public var passed: Bool
    public var verdict: String
    public var reason: String?
    public var exitStatus: Int?
    public var signal: String?
    public var stdout: String
    public var stderr: String
    /// The scratch-readiness battery's "check: value" lines, when it ran one.
    public var checks: [String: String]?

    enum CodingKeys: String, CodingKey {
        case id, variant, product, config, passed, verdict, reason, signal, stdout, stderr, checks
        case exitStatus = "exit_status"
    }
}

public struct DNSRow: Codable, Sendable {
    public var id: String                       // dns/<scenario>
    public var scenario: String
    public var title: String?
    public var why: String?
    /// "same", or "differs: <what>".
    public var verdict: String
    /// DNS variants (c-/swift-…) that differ from the baseline probe on the same language.
    public var differing: [String]
    public var observations: [String]?
    public var results: [Result]

    public struct Result: Codable, Sendable {
        public var variant: String
        public var column: String?              // the build variant it stands for, if any
        public var status: String
        public var addresses: [String]
        public var canonicalName: String?
        public var queryCount: Int
        public var queries: [DNSInput.Query]
        public var elapsedMs: Double?

        enum CodingKeys: String, CodingKey {
            case variant, column, status, addresses, queries
            case canonicalName = "canonical_name", queryCount = "query_count", elapsedMs = "elapsed_ms"
        }
    }
}

public struct MallocRow: Codable, Sendable {
    public var id: String                       // malloc/<workload>/<variant>/<threads>[/<mode>]
    public var workload: String
    public var variant: String
    public var column: String?
    public var threads: Int
    public var mode: String?
    public var opsPerSec: MallocInput.Stat
    public var nsPerOp: Double?
    public var efficiency: Double?
    public var userS: Double?
    public var sysS: Double?
    public var peakRssKb: Double?

    enum CodingKeys: String, CodingKey {
        case id, workload, variant, column, threads, mode, efficiency
        case opsPerSec = "ops_per_sec", nsPerOp = "ns_per_op", userS = "user_s", sysS = "sys_s"
        case peakRssKb = "peak_rss_kb"
    }
}

public struct ServerRow: Codable, Sendable {
    public var id: String                       // server/<product>/<variant>
    public var product: String
    public var variant: String
    public var column: String?
    /// The median run's req/s, p50 and p99.
    public var requestsPerSecond: Double
    /// To glibc-static, measured in the same run.
    public var requestsRatio: Double?
    public var p50Ms: Double
    public var p99Ms: Double
    public var p99Ratio: Double?
    /// The server's VmHWM after the runs.
    public var peakRssKib: Int?
    /// Every wrk run behind the median.
    public var runs: [ServerInput.Run]

    enum CodingKeys: String, CodingKey {
        case id, product, variant, column, runs
        case requestsPerSecond = "requests_per_second", requestsRatio = "requests_ratio_to_glibc_static"
        case p50Ms = "p50_ms", p99Ms = "p99_ms", p99Ratio = "p99_ratio_to_glibc_static", peakRssKib = "peak_rss_kib"
    }
}

public struct ConformanceRow: Codable, Sendable {
    public var id: String                       // conformance/<check>
    public var check: String
    public var verdict: String                  // same, differs or crash
    public var explanation: String?
    public var explained: Bool
    public var results: [String: String]
    /// Result label → the build variant column it stands for.
    public var columns: [String: String]
}

public struct ABIRow: Codable, Sendable {
    public var id: String                       // abi/<kind>/<name>
    public var name: String
    public var kind: String
    public var match: Bool
    public var risk: String?
    public var glibc: String
    public var musl: String
    public var status: String?
    public var differences: [String]?
}

public struct SizeRow: Codable, Sendable {
    public var id: String                       // size/<product>/<variant>
    public var variant: String
    public var product: String?
    public var totalBytes: Int?
    public var explainedPercent: Double?
    /// The largest contributors the size JSON names (archives, modules or sections).
    public var top: [Part]

    public struct Part: Codable, Sendable {
        public var name: String
        public var bytes: Int
        public var chain: [String]?
    }

    enum CodingKeys: String, CodingKey {
        case id, variant, product, top, totalBytes = "total_bytes", explainedPercent = "explained_percent"
    }
}
