import Foundation

// The suites' JSON, as their issues document it. The report decodes these
// shapes (not the suites' Swift types), so the coupling is the documented
// JSON. Optional fields are decoded leniently; the fields a renderer needs
// are required, and a missing one fails that section with the field's path.

/// `static-musl inspect --json FILE…`.
public struct InspectInput: Codable, Sendable {
    public var files: [File]
    public var versions: JSONValue?

    public struct File: Codable, Sendable {
        public var path: String
        public var `class`: String
        public var libc: String
        public var libcEvidence: [String]?
        public var interpreter: String?
        public var needed: [String]?
        public var stripped: Bool?
        public var swiftRuntime: Bool?
        public var embeddedSwift: Bool?
        public var nssRisk: JSONValue?
        public var size: Int?
        public var arch: String?
        public var warnings: [String]?
        /// Set by the inspect suite for files from a dist folder.
        public var product: String?
        public var variant: String?

        enum CodingKeys: String, CodingKey {
            case path, `class`, libc, interpreter, needed, stripped, size, arch, warnings, product, variant
            case libcEvidence = "libc_evidence", swiftRuntime = "swift_runtime"
            case embeddedSwift = "embedded_swift", nssRisk = "nss_risk"
        }
    }
}

/// Scratch runs, one or more per variant: `{"runs": [{"variant", "product",
/// <the scratch --json fields>}]}`. The scratch-readiness battery's JSON has
/// this shape too (plus `config`, `kind`, `binary`, `checks` per run and
/// `findings`), so the report reads either.
public struct ScratchInput: Codable, Sendable {
    public var runs: [Run]
    public var findings: [String]?
    public var versions: JSONValue?

    public struct Run: Codable, Sendable {
        public var variant: String
        public var product: String?
        public var binary: String?
        public var kind: String?
        /// The battery's root configuration ("empty", "docker", "with-all", …).
        public var config: String?
        public var exitStatus: Int?
        public var signal: JSONValue?
        public var stdout: String?
        public var stderr: String?
        public var verdict: String
        public var reason: String?
        public var checks: [String: String]?

        enum CodingKeys: String, CodingKey {
            case variant, product, binary, kind, config, signal, stdout, stderr, verdict, reason, checks
            case exitStatus = "exit_status"
        }
    }
}

/// `static-musl dns --json OUT`. `scenarios` (id, title, why,
/// verdict) is optional: when the suite gives its own verdicts they win.
public struct DNSInput: Codable, Sendable {
    public var results: [Result]
    /// Per-scenario verdicts, under either name.
    public var scenarios: [Scenario]?
    public var verdicts: [Scenario]?
    public var versions: JSONValue?

    public struct Result: Codable, Sendable {
        public var scenario: String
        public var variant: String
        public var status: String
        public var addresses: [String]
        public var canonicalName: String?
        public var queries: [Query]
        /// The names the suite compares (retransmissions collapsed), when it gives them.
        public var queriedNames: [String]?
        public var retransmissions: Int?
        public var elapsedMs: Double?

        enum CodingKeys: String, CodingKey {
            case scenario, variant, status, addresses, queries, retransmissions
            case canonicalName = "canonical_name", elapsedMs = "elapsed_ms", queriedNames = "queried_names"
        }
    }

    public struct Query: Codable, Sendable, Equatable {
        public var server: String?
        public var transport: String?
        public var type: String
        public var name: String
        public var edns: JSONValue?
    }

    public struct Scenario: Codable, Sendable {
        public var id: String
        public var title: String?
        public var why: String?
        public var verdict: String?
        /// Differences the suite noted but does not compare (transport, EDNS, query count…).
        public var observations: [String]?

        enum CodingKeys: String, CodingKey { case id, scenario, title, why, verdict, observations }

        public init(id: String, title: String?, why: String?, verdict: String?, observations: [String]? = nil) {
            self.id = id; self.title = title; self.why = why; self.verdict = verdict; self.observations = observations
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            if let id = try c.decodeIfPresent(String.self, forKey: .id) { self.id = id }
            else { id = try c.decode(String.self, forKey: .scenario) }
            title = try c.decodeIfPresent(String.self, forKey: .title)
            why = try c.decodeIfPresent(String.self, forKey: .why)
            verdict = try c.decodeIfPresent(String.self, forKey: .verdict)
            observations = try c.decodeIfPresent([String].self, forKey: .observations)
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encodeIfPresent(title, forKey: .title); try c.encodeIfPresent(why, forKey: .why)
            try c.encodeIfPresent(verdict, forKey: .verdict); try c.encodeIfPresent(observations, forKey: .observations)
        }
    }
}

/// `static-musl bench malloc --json OUT`. `mode` is optional and
/// separates the main-thread and spawned-thread 1-thread runs when given.
public struct MallocInput: Codable, Sendable {
    public var machine: JSONValue?
    public var results: [Result]

    public struct Result: Codable, Sendable {
        public var workload: String
        public var variant: String
        public var threads: Int
        public var mode: String?
        /// The malloc suite's way to tell the two 1-thread runs apart.
        public var spawned: Bool?
        public var opsPerSec: Stat
        public var nsPerOp: Double?
        public var efficiency: Double?
        public var userS: Double?
        public var sysS: Double?
        public var peakRssKb: Double?

        enum CodingKeys: String, CodingKey {
            case workload, variant, threads, mode, spawned, efficiency
            case opsPerSec = "ops_per_sec", nsPerOp = "ns_per_op", userS = "user_s", sysS = "sys_s"
            case peakRssKb = "peak_rss_kb"
        }

        /// "main"/"spawned" for the two 1-thread runs, nil otherwise.
        public var runMode: String? {
            if let mode { return mode }
            guard threads == 1, let spawned else { return nil }
            return spawned ? "spawned" : "main"
        }
    }

    public struct Stat: Codable, Sendable, Equatable {
        public var median: Double
        public var min: Double?
        public var max: Double?
    }
}

/// `static-musl bench server --json OUT`: one row per variant, the median
/// run's figures, and ratios to glibc-static taken in the same run.
public struct ServerInput: Codable, Sendable {
    public var product: String
    public var path: String?
    public var seconds: Int
    public var runs: Int
    public var connections: Int
    public var cores: Int?
    public var pinning: String?
    public var versions: JSONValue?
    public var rows: [Row]

    public struct Row: Codable, Sendable {
        public var variant: String
        public var runs: [Run]?
        public var requestsPerSecond: Double
        public var p50Ms: Double
        public var p99Ms: Double
        public var peakRssKib: Int?
        public var requestsRatio: Double?
        public var p99Ratio: Double?

        enum CodingKeys: String, CodingKey {
            case variant, runs
            case requestsPerSecond = "requests_per_second", p50Ms = "p50_ms", p99Ms = "p99_ms"
            case peakRssKib = "peak_rss_kib", requestsRatio = "requests_ratio_to_glibc_static"
            case p99Ratio = "p99_ratio_to_glibc_static"
        }
    }

    /// One wrk run.
    public struct Run: Codable, Sendable, Equatable {
        public var requestsPerSecond: Double
        public var p50Ms: Double
        public var p99Ms: Double

        enum CodingKeys: String, CodingKey {
            case requestsPerSecond = "requests_per_second", p50Ms = "p50_ms", p99Ms = "p99_ms"
        }
    }

    /// How the bench ran (the section's `suite_versions`): everything but the rows.
    var setup: JSONValue {
        var o: [String: JSONValue] = ["product": .string(product), "seconds": .number(Double(seconds)),
                                      "runs": .number(Double(runs)), "connections": .number(Double(connections))]
        if let path { o["path"] = .string(path) }
        if let cores { o["cores"] = .number(Double(cores)) }
        if let pinning { o["pinning"] = .string(pinning) }
        if let versions { o["versions"] = versions }
        return .object(o)
    }
}

/// `static-musl conformance --json OUT`.
public struct ConformanceInput: Codable, Sendable {
    public var checks: [Check]
    /// Optional: the result labels and the build variant each one ran.
    public var variants: [Label]?
    public var versions: JSONValue?

    public struct Check: Codable, Sendable {
        public var id: String
        public var results: [String: JSONValue]
        public var verdict: String
        public var explanation: String?
        /// false: a difference the suite could not explain.
        public var explained: Bool?
    }

    public struct Label: Codable, Sendable {
        public var label: String
        public var variant: String?
        public var place: String?
    }
}

/// `static-musl abi --json OUT`. `glibc`/`musl` are a layout
/// object for types and a value for constants, kept as they came.
public struct ABIInput: Codable, Sendable {
    public var items: [Item]
    public var versions: JSONValue?

    public struct Item: Codable, Sendable {
        public var name: String
        public var kind: String
        public var glibc: JSONValue?
        public var musl: JSONValue?
        public var match: Bool
        public var risk: String?
        /// Optional detail the ABI suite adds: the header, a status word and the differences in words.
        public var header: String?
        public var status: String?
        public var differences: [String]?
    }
}

/// The report's collection of `static-musl size --json FILE` runs, one per
/// variant: `{"runs": [{"variant", "product", "size": <the size JSON>}]}`.
/// The size JSON's shape belongs to the size suite, so the report reads
/// only what it can recognise in it (see SizeSummary).
public struct SizeInput: Codable, Sendable {
    public var runs: [Run]

    public struct Run: Codable, Sendable {
        public var variant: String
        public var product: String?
        public var size: JSONValue
    }
}
