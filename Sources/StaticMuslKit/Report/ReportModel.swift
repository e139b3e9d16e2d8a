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
