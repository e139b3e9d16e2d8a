import Foundation

/// The scratch-readiness battery: every probe binary (the C scratch_probe
/// in each C variant, plus the Swift products of a dist folder) runs in a
/// row of scratch roots, from runc-empty to everything `--with` offers,
/// and each "check: value" line it prints is recorded. Nothing is judged
/// pass/fail here beyond the run's verdict: the point is to record what
/// each libc does.
public enum ScratchReadiness {
    public struct Options: Sendable {
        /// Swift products to run from a dist folder (nil: C probes only).
        public var store: ArtifactStore?
        public var products: [String] = ["Sample", "embedded-probe"]
        /// Swift artifacts to run as well, from any dist (the report's own product).
        public var artifacts: [Artifact] = []
        /// The C probe in each C variant (and on each other musl: rows
        /// "c-musl-VERSION-static"), built by the engine (`SuiteProbes.scratch`).
        public var cProbes: [CProbe] = []
        public var configs: [Config] = Config.standard
        public var timeout: Double = 30
        public init(store: ArtifactStore? = nil, cProbes: [CProbe] = []) { self.store = store; self.cProbes = cProbes }
    }

    /// One kind of scratch root.
    public struct Config: Codable, Sendable, Equatable {
        public var name: String
        public var bare: Bool
        public var with: [ScratchItem]
        public var extraFiles: [String: String]
        public var description: String

        enum CodingKeys: String, CodingKey { case name, bare, with, extraFiles = "extra_files", description }

        public static let allItems: [ScratchItem] = [.passwd, .group, .certs, .tmp, .tzdata]
        public static let standard: [Config] = [
            Config(name: "empty", bare: true, with: [], extraFiles: [:],
                   description: "runc FROM scratch: /proc and /dev only, no /etc at all (no resolv.conf, no hosts)"),
            Config(name: "docker", bare: false, with: [], extraFiles: [:],
                   description: "docker run FROM scratch: plus Docker's /etc/hostname, /etc/hosts, /etc/resolv.conf"),
            Config(name: "with-all", bare: false, with: allItems, extraFiles: [:],
                   description: "plus --with passwd,group,certs,tmp,tzdata"),
            Config(name: "nss-compat", bare: false, with: allItems,
                   extraFiles: ["/etc/nsswitch.conf": "passwd: compat\ngroup: compat\nshadow: compat\nhosts: files dns\n"],
                   description: "with-all plus an old Debian-style nsswitch.conf (passwd: compat)"),
        ]
    }

    /// The battery's C probe, built for one libc.
    public struct CProbe: Sendable {
        public var label: String
        public var libc: String
        public var path: String
    }

    /// The environment every battery run gets on top of Docker's PATH/HOSTNAME.
    public static let environment = ["TZ": "America/New_York", "LANG": "en_US.UTF-8"]

    public static func run(_ options: Options) throws -> ScratchReadinessReport {
        var binaries: [(label: String, kind: String, product: String?, variant: String, libc: String, path: String)] = []
        for probe in options.cProbes {
            binaries.append((probe.label, "c-probe", nil, probe.label, probe.libc, probe.path))
        }
        var swift = options.artifacts
        if let store = options.store {
            for product in options.products { swift += store.artifacts(product: product) }
        }
        for a in swift {
            binaries.append(("\(a.product) \(a.variant.rawValue)", "swift", a.product, a.variant.rawValue, a.libc, a.path))
        }
        let progress = Progress(suite: "scratch-readiness")
        let total = binaries.count * options.configs.count
        var runs: [ScratchReadinessReport.Run] = []
        for binary in binaries {
            for config in options.configs {
                progress.step(runs.count + 1, of: total, "\(binary.label) in \(config.name)")
                var o = ScratchRunner.Options(binary: binary.path)
                o.bare = config.bare
                o.with = Set(config.with)
                o.extraFiles = config.extraFiles
                o.environment = environment
                o.timeout = options.timeout
                o.detectVersions = false
                let r = try ScratchRunner.run(o)
                runs.append(.init(binary: binary.label, kind: binary.kind, product: binary.product, variant: binary.variant,
                                  libc: binary.libc, config: config.name, verdict: r.verdict, reason: r.reason,
                                  exitStatus: r.exitStatus, signal: r.signal, checks: parseChecks(r.stdout),
                                  stderr: String(r.stderr.prefix(2000)), elapsedMs: r.elapsedMs))
            }
        }
        return ScratchReadinessReport(versions: ToolchainVersions.detect(), environment: environment,
                                      configs: options.configs, runs: runs, findings: findings(runs))
    }

    /// The CLI's `scratch --battery [--dist DIR] [--record]`.
    public static func runFromCLI(dist: String?, record: Bool) throws -> ScratchReadinessReport {
        guard let root = ProjectLayout.root() else {
            throw ScratchError.binaryMissing("Probes/programs/scratch_probe.c (run inside the swift-static-musl checkout, or set STATIC_MUSL_ROOT)")
        }
        let store = try dist.map { try ArtifactStore(distDirectory: $0) }
        let report = try run(Options(store: store, cProbes: try SuiteProbes.scratch(projectRoot: root)))
        if record, let dist { try ManifestRecording.record(distDirectory: dist, inspect: nil, readiness: report) }
        return report
    }

    /// "name: value" lines → [name: value] (later lines win).
    static func parseChecks(_ stdout: String) -> [String: String] {
        var checks: [String: String] = [:]
        for line in stdout.split(separator: "\n") {
            guard let colon = line.range(of: ": ") else { continue }
            let key = line[..<colon.lowerBound].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, !key.contains(" ") else { continue }
            checks[key] = String(line[colon.upperBound...])
        }
        return checks
    }

    /// Where the C probe's answer differs between libcs in one config, one
    /// line per (check, config): what each variant printed.
    static func findings(_ runs: [ScratchReadinessReport.Run]) -> [String] {
        var lines: [String] = []
        let probes = runs.filter { $0.kind == "c-probe" && $0.verdict == .ok }
        let configs = probes.map(\.config).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        for config in configs {
            let inConfig = probes.filter { $0.config == config }
            let keys = Set(inConfig.flatMap { $0.checks.keys }).subtracting(["libc"]).sorted()
            for key in keys {
                let byLibc = Dictionary(grouping: inConfig, by: \.libc).mapValues { Set($0.map { $0.checks[key] ?? "(no line)" }) }
                guard Set(byLibc.values).count > 1 else { continue }
                let detail = inConfig.map { "\($0.binary) → \($0.checks[key] ?? "(no line)")" }.joined(separator: "; ")
                lines.append("\(key) (\(config)): \(detail)")
            }
        }
        for r in runs where r.verdict != .ok {
            lines.append("\(r.binary) (\(r.config)): \(r.verdict.rawValue): \(r.reason)")
        }
        return lines
    }
}

/// What the battery found: the report reads this JSON.
public struct ScratchReadinessReport: Codable, Sendable, PrettyJSONEncodable {
    public var schemaVersion = 1
    public var id = "scratch-readiness"
    public var versions: ToolchainVersions
    public var environment: [String: String]
    public var configs: [ScratchReadiness.Config]
    public var runs: [Run]
    /// Human-readable lines: checks whose answer differs between libcs, and runs that did not exit 0.
    public var findings: [String]

    public struct Run: Codable, Sendable, Equatable {
        public var binary: String      // "c-musl-static", "Sample glibc-static"
        public var kind: String        // "c-probe" or "swift"
        public var product: String?
        public var variant: String
        public var libc: String
        public var config: String
        public var verdict: ScratchVerdict
        public var reason: String
        public var exitStatus: Int32?
        public var signal: Int32?
        /// The "check: value" lines the binary printed.
        public var checks: [String: String]
        public var stderr: String
        public var elapsedMs: Double

        enum CodingKeys: String, CodingKey {
            case binary, kind, product, variant, libc, config, verdict, reason, exitStatus = "exit_status", signal
            case checks, stderr, elapsedMs = "elapsed_ms"
        }
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", id, versions, environment, configs, runs, findings
    }

    public func run(_ binary: String, _ config: String) -> Run? { runs.first { $0.binary == binary && $0.config == config } }

    /// Check × binary tables, one per config, for terminals and logs.
    public var text: String {
        var out: [String] = []
        for config in configs {
            let rows = runs.filter { $0.config == config.name }
            out.append("== \(config.name): \(config.description)")
            for r in rows {
                out.append("  \(r.binary): \(r.verdict.rawValue) (\(r.reason))")
                for (k, v) in r.checks.sorted(by: { $0.key < $1.key }) where r.kind == "c-probe" { out.append("    \(k): \(v)") }
            }
        }
        if !findings.isEmpty { out.append("== findings"); out += findings.map { "  " + $0 } }
        return out.joined(separator: "\n")
    }
}
