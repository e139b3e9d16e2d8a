import Foundation

/// The result of `ConformanceSuite.run`: one entry per check, the value each
/// variant printed, and a verdict. Encodes to the issue's JSON shape:
/// `{"checks": [{"id", "results": {"<variant>": "<value or crash text>"},
/// "verdict": "same|differs|crash", "explanation"}]}` plus versions.
public struct ConformanceReport: Codable, Sendable {
    public static let currentSchema = 1

    public var schemaVersion = ConformanceReport.currentSchema
    public var suite = "conformance"
    public var versions: ToolchainVersions
    /// The labels in `results`, in column order (the baseline first).
    public var variants: [VariantRun]
    public var scenarios: [Scenario]
    /// Variants that were not run, with the reason (embedded-musl always:
    /// Embedded Swift has no Foundation, Dispatch or Synchronization).
    public var notRun: [NotRun]
    public var checks: [CheckResult]
    public var summary: Summary

    public struct VariantRun: Codable, Sendable, Equatable {
        public var label: String          // "swift-musl-static", "swift-musl-static@scratch"
        public var variant: String        // the Variant raw value
        public var path: String
        public var place: String          // "host" or "scratch"
        public var probeLibc: String      // what the probe's CShim says it runs on
        public var crashes: Int           // probe processes that died outside a crash.* check
        public var elapsedMs: Double

        enum CodingKeys: String, CodingKey {
            case label, variant, path, place, crashes
            case probeLibc = "probe_libc", elapsedMs = "elapsed_ms"
        }
    }

    public struct NotRun: Codable, Sendable, Equatable {
        public var variant: String
        public var reason: String
    }

    /// An extra run of a subset of checks under changed conditions (e.g. no
    /// zoneinfo); its checks carry the scenario's prefix.
    public struct Scenario: Codable, Sendable, Equatable {
        public var id: String
        public var description: String
        public var status: String         // "ran" or "skipped"
        public var reason: String?
    }

    public struct CheckResult: Codable, Sendable, Equatable {
        public var id: String
        public var results: [String: String]
        public var verdict: Verdict
        public var explanation: String?
        /// false when the values differ (or crash) and the explanations
        /// table has no line for this check: an unexplained difference.
        public var explained: Bool

        enum CodingKeys: String, CodingKey { case id, results, verdict, explanation, explained }

        /// `explanation` is written as null for "same", so every check has the issue's keys.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id); try c.encode(results, forKey: .results); try c.encode(verdict, forKey: .verdict)
            try c.encode(explanation, forKey: .explanation); try c.encode(explained, forKey: .explained)
        }
    }

    public enum Verdict: String, Codable, Sendable { case same, differs, crash }

    public struct Summary: Codable, Sendable, Equatable {
        public var checks: Int
        public var same: Int
        public var differs: Int
        public var crash: Int
        public var unexplained: Int
        /// Unexplained crashes on a musl variant (outside the deliberate crash.* checks).
        public var muslCrashes: Int

        enum CodingKeys: String, CodingKey {
            case checks, same, differs, crash, unexplained
            case muslCrashes = "musl_crashes"
        }
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", suite, versions, variants, scenarios, checks, summary
        case notRun = "not_run"
    }

    public func json() throws -> Data { try JSONCoding.pretty(self) }

    /// A Markdown summary: counts, then every check that is not "same".
    public func markdown() -> String {
        var out = ["# Conformance: \(variants.map(\.label).joined(separator: ", "))", "",
                   "Swift \(versions.swift), musl \(versions.musl), glibc \(versions.glibc).", "",
                   "\(summary.checks) checks: \(summary.same) same, \(summary.differs) differ, \(summary.crash) crash, \(summary.unexplained) unexplained.", ""]
        for n in notRun { out.append("Not run: `\(n.variant)`: \(n.reason)") }
        for s in scenarios where s.status != "ran" {
            out.append("Scenario `\(s.id)` skipped: \(s.reason ?? "no reason given")")
        }
        out += ["", "| check | verdict | " + variants.map(\.label).joined(separator: " | ") + " | explanation |",
                "|---|---|" + variants.map { _ in "---|" }.joined() + "---|"]
        for c in checks where c.verdict != .same {
            let cells = variants.map { v in Self.cell(c.results[v.label] ?? "—") }
            let why = (c.explained ? "" : "**UNEXPLAINED** ") + (c.explanation ?? "")
            out.append("| `\(c.id)` | \(c.verdict.rawValue) | " + cells.joined(separator: " | ") + " | \(Self.cell(why)) |")
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func cell(_ s: String) -> String {
        let t = s.replacingOccurrences(of: "|", with: "\\|")
        return t.count > 160 ? String(t.prefix(157)) + "…" : t
    }
}
