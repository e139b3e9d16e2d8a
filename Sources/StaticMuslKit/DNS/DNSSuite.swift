import Foundation

/// The hermetic DNS lab: every scenario in its own network+mount+pid
/// namespace, the scripted server inside, each variant's probe in turn.
public enum DNSSuite {
    /// The Swift probe: a product of this package, built per variant by the engine.
    public static let swiftProbeProduct = "dns-probe"
    /// The C probe's source, compiled per libc (`CProgramBuilder`).
    public static let cProbeSource = "Probes/programs/dns_probe.c"

    public struct Options: Sendable {
        /// The scenario catalogue; nil: `dns/scenarios.json` in the project.
        public var scenariosFile: String?
        public var variants: [DNSVariant] = DNSVariant.allCases
        /// Only these scenario ids (empty: all).
        public var only: [String] = []
        public var projectRoot: String?
        /// A static-musl executable providing `_dns-serve` (default: this process).
        public var serverExecutable: String?
        /// Each variant's probe binary, found or built by the engine
        /// (`SuiteProbes.dns`). A variant without one is skipped, with why.
        public var probes: [DNSVariant: String] = [:]
        /// Why a variant has no probe (the engine's `SuiteProbes.DNSProbes.unavailable`).
        public var unavailable: [DNSSkippedVariant] = []
        /// Scenarios run side by side (each in its own namespace; mostly idle waiting).
        public var concurrency = 4
        /// false (default): a fresh namespace, server and file set for every
        /// (scenario, variant), as the issue asks. true: the probes of one
        /// scenario share one namespace (the server drains and resets between them).
        public var shareNamespacePerScenario = false
        public var probeTimeout: Double = 12
        /// The limit for one namespace run (the server and its probes); nil:
        /// probes × (probeTimeout + 2) + 15 s. Past it the run's variants are
        /// recorded as `probe-failed`, and the other scenarios go on.
        public var namespaceTimeout: Double?
        /// Port of the scripted server inside the namespace.
        public var port = 53
        public init() {}
    }

    public static func run(_ options: Options) throws -> DNSReport {
        let started = Date()
        let progress = Progress(suite: "dns")
        guard let root = options.projectRoot ?? ProjectLayout.root() else { throw DNSError.noProjectRoot }
        let (file, scenarios) = try preflight(options, root: root)
        let server = options.serverExecutable ?? selfExecutable()
        let (probes, skipped) = try checkProbes(options)
        for s in skipped { progress.note("SKIP \(s.variant): \(s.reason)") }
        let variants = options.variants.filter { probes[$0] != nil }

        let list = scenarios
        let state = WorkState(count: list.count)
        let group = DispatchGroup()
        for _ in 0..<max(1, min(options.concurrency, list.count)) {
            group.enter()
            let worker = Thread {
                defer { group.leave() }
                while let i = state.take() {
                    let r = runScenario(list[i], variants: variants, probes: probes, server: server, options: options)
                    for f in r where f.status.hasPrefix(Self.labRunFailed) {
                        progress.note("\(list[i].id) \(f.variant): \(f.status)")
                    }
                    progress.step(state.finish(i, r), of: list.count, list[i].id)
                }
            }
            worker.start()
        }
        group.wait()

        let flat = state.results.flatMap { $0 }
        let verdicts = scenarios.map { s in verdict(for: s, results: flat.filter { $0.scenario == s.id }, variants: variants) }
        let iso = ISO8601DateFormatter()
        return DNSReport(generated: iso.string(from: started), versions: ToolchainVersions.detect(), machine: .current(),
                         scenarioFile: file, variants: variants.map(\.rawValue), skippedVariants: skipped,
                         results: flat, verdicts: verdicts, elapsedMs: Date().timeIntervalSince(started) * 1000)
    }

    /// The scenario file and the scenarios `options.only` picks from it, once
    /// the lab's namespaces are known to work here. The CLI asks first, so
    /// that bad input or a machine without the lab is refused before any probe is built.
    @discardableResult
    public static func preflight(_ options: Options, root: String) throws -> (file: String, scenarios: [DNSScenario]) {
        let file = options.scenariosFile ?? root + "/dns/scenarios.json"
        var scenarios = try DNSScenarioParser.load(path: file)
        if !options.only.isEmpty {
            for id in options.only where !scenarios.contains(where: { $0.id == id }) {
                throw DNSError.unknownScenario(id, known: scenarios.count)
            }
            scenarios = scenarios.filter { options.only.contains($0.id) }
        }
        try Lab.checkAvailable([.mount, .pid, .net])
        return (file, scenarios)
    }

    /// Scenario indices handed to the worker threads, and what they return.
    final class WorkState: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0, done = 0
        private(set) var results: [[DNSResult]]
        init(count: Int) { results = Array(repeating: [], count: count) }
        func take() -> Int? {
            lock.lock(); defer { lock.unlock() }
            guard next < results.count else { return nil }
            next += 1
            return next - 1
        }
        func finish(_ i: Int, _ r: [DNSResult]) -> Int {
            lock.lock(); defer { lock.unlock() }
            results[i] = r; done += 1
            return done
        }
    }

    /// The running executable (the CLI is static-musl itself).
    static func selfExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    // MARK: probes

    /// The given probes, each checked to be an executable file; a variant
    /// without one is skipped with the engine's reason, or "no probe given".
    static func checkProbes(_ options: Options) throws -> ([DNSVariant: String], [DNSSkippedVariant]) {
        var probes: [DNSVariant: String] = [:]
        var skipped: [DNSSkippedVariant] = []
        for v in options.variants {
            if let path = options.probes[v] {
                guard FileManager.default.isExecutableFile(atPath: path) else {
                    throw DNSError.probeUnavailable(variant: v.rawValue, why: "\(path) is not an executable file")
                }
                probes[v] = path
            } else {
                skipped.append(options.unavailable.first { $0.variant == v.rawValue }
                               ?? DNSSkippedVariant(variant: v.rawValue, reason: "no probe was given for it"))
            }
        }
        return (probes, skipped)
    }

    // MARK: one scenario

    /// Never throws: a namespace run that fails (the server crashed or hung,
    /// the lab could not start) gives each of its variants a
    /// `probe-failed: <why>` result, and the other runs go on.
    static func runScenario(_ s: DNSScenario, variants: [DNSVariant], probes: [DNSVariant: String], server: String,
                            options: Options) -> [DNSResult] {
        let groups = options.shareNamespacePerScenario ? [variants] : variants.map { [$0] }
        return groups.flatMap { vs in
            do {
                return try runInNamespace(s, variants: vs, probes: probes, server: server, options: options)
            } catch {
                let failure = error as? LabRunFailure ?? LabRunFailure(what: "could not start: \(error)", stderr: "")
                return vs.filter { probes[$0] != nil }.map { failedResult(s.id, $0, failure) }
            }
        }
    }

    /// The status prefix of a variant whose namespace run failed as a whole.
    static let labRunFailed = "probe-failed: lab run"

    /// Why one namespace run (server + probes) gave no results.
    struct LabRunFailure: Error {
        var what: String          // "timed out after 29 s", "exit 3", …
        var stderr: String
        /// The last non-empty line of stderr, or a note that there was none.
        var lastLine: String {
            let line = stderr.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.last { !$0.isEmpty }
            guard let line else { return "nothing on stderr" }
            return "last stderr line: " + (line.count > 300 ? String(line.prefix(300)) + "…" : line)
        }
        var reason: String { "\(what); \(lastLine)" }
    }

    static func failedResult(_ scenario: String, _ variant: DNSVariant, _ failure: LabRunFailure) -> DNSResult {
        let tail = String(failure.stderr.suffix(2000))
        return DNSResult(scenario: scenario, variant: variant.rawValue, status: labRunFailed + " " + failure.reason,
                         addresses: [], canonicalName: nil, queries: [], queriedNames: [], queryCount: 0, retransmissions: 0,
                         elapsedMs: 0, lookups: [], probeError: tail.isEmpty ? failure.reason : tail)
    }

    /// Runs `variants`' probes one after another in one new namespace.
    static func runInNamespace(_ s: DNSScenario, variants: [DNSVariant], probes: [DNSVariant: String], server: String,
                               options: Options) throws -> [DNSResult] {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("static-musl-dns-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        var restore: [String: String] = [:]
        var extra: [String] = []
        if let after = s.resolvConfAfter {
            try after.write(toFile: work + "/resolv.conf.after", atomically: true, encoding: .utf8)
            extra = ["--then-copy", work + "/resolv.conf.after", "/etc/resolv.conf"]
            restore["/etc/resolv.conf"] = s.resolvConf
        }
        var env = s.env
        env["PATH"] = "/usr/bin:/bin"
        let scenarioJSON = String(decoding: try JSONSerialization.data(withJSONObject: s.raw, options: [.sortedKeys]), as: UTF8.self)
        let plan = DNSLabPlan(scenarioJSON: scenarioJSON,
                              probes: variants.compactMap { v in probes[v].map { .init(variant: v.rawValue, argv: [$0] + s.lookup.probeArguments + extra) } },
                              restore: restore, environment: env, probeTimeout: options.probeTimeout, port: options.port)
        try JSONCoding.line(plan).write(to: URL(fileURLWithPath: work + "/plan.json"))

        var sandbox = Sandbox(namespaces: [.mount, .pid, .net])
        sandbox.files = [
            .init("/etc/resolv.conf", s.resolvConf), .init("/etc/hosts", s.hosts),
            .init("/etc/nsswitch.conf", s.nsswitchConf), .init("/etc/host.conf", s.hostConf),
            .init("/etc/gai.conf", s.gaiConf), .init("/etc/services", s.services),
        ]
        let timeout = options.namespaceTimeout ?? Double(plan.probes.count) * (options.probeTimeout + 2) + 15
        let r = try Lab.run([server, "_dns-serve", "--plan", work + "/plan.json", "--out", work + "/runs.json"],
                            in: sandbox, timeout: timeout)
        guard r.succeeded, let data = FileManager.default.contents(atPath: work + "/runs.json") else {
            let why = r.timedOut ? "timed out after \(Self.seconds(timeout)) s"
                : r.exitStatus == 0 ? "wrote no results" : r.exitStatus.map { "ended with exit \($0)" } ?? "was killed by signal \(r.signal ?? 0)"
            throw LabRunFailure(what: why, stderr: r.stderr)
        }
        let runs: [DNSProbeRun]
        do { runs = try JSONCoding.decode([DNSProbeRun].self, from: data) } catch {
            throw LabRunFailure(what: "wrote unreadable results (\(error))", stderr: r.stderr)
        }
        return runs.map { result(from: $0, scenario: s.id, concurrent: s.lookup.isConcurrent) }
    }

    static func seconds(_ t: Double) -> String {
        t == t.rounded() ? String(Int(t)) : String(format: "%.1f", t)
    }

    // MARK: parsing probe output

    /// Parses the probe's line protocol (see Probes/programs/dns_probe.c).
    public static func parseLookups(_ stdout: String) -> [DNSLookupOutcome] {
        var out: [DNSLookupOutcome] = []
        var current: DNSLookupOutcome?
        for line in stdout.split(separator: "\n", omittingEmptySubsequences: true) {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            let key = parts[0], value = parts.count > 1 ? parts[1] : ""
            switch key {
            case "lookup": current = DNSLookupOutcome(status: "no-status", addresses: [], canonicalName: nil, rcode: nil, aliases: [])
            case "status": current?.status = value
            case "canon": current?.canonicalName = value
            case "addr": current?.addresses.append(value)
            case "alias": current?.aliases.append(value)
            case "rcode": current?.rcode = value
            case "end": if let c = current { out.append(c) }; current = nil
            default: break
            }
        }
        return out
    }

    /// `concurrent`: the probe ran one lookup per thread at once (one block
    /// each, in thread order). Then the status is the threads' common status
    /// (or each thread's, when they differ), the addresses are every
    /// thread's, prefixed "tN", and the queried names are a sorted set: the
    /// threads' queries interleave in no fixed order.
    static func result(from run: DNSProbeRun, scenario: String, concurrent: Bool = false) -> DNSResult {
        let lookups = parseLookups(run.stdout)
        var problem: String?
        if run.timedOut { problem = "probe-failed: timed out" }
        else if let sig = run.signal { problem = "probe-failed: signal \(sig)" }
        else if run.exitStatus != 0 { problem = "probe-failed: exit \(run.exitStatus ?? -1)" }
        else if lookups.isEmpty { problem = "probe-failed: no result printed" }
        var names = collapse(run.queries.map(\.name))
        var seen: Set<String> = []
        let retrans = run.queries.filter { !seen.insert("\($0.server) \($0.transport) \($0.type) \($0.name)").inserted }.count
        var status = lookups.map(\.status).joined(separator: " then ")
        var addresses = lookups.last?.addresses ?? []
        if concurrent {
            let statuses = Set(lookups.map(\.status))
            status = statuses.count == 1 ? lookups[0].status
                : lookups.enumerated().map { "thread \($0.offset) \($0.element.status)" }.joined(separator: ", ")
            addresses = lookups.enumerated().flatMap { i, l in l.addresses.map { "t\(i) \($0)" } }
            names = Set(run.queries.map(\.name)).sorted()
        }
        return DNSResult(scenario: scenario, variant: run.variant,
                         status: problem ?? status,
                         addresses: addresses, canonicalName: lookups.last?.canonicalName,
                         queries: run.queries, queriedNames: names, queryCount: run.queries.count,
                         retransmissions: retrans, elapsedMs: run.elapsedMs, lookups: lookups,
                         probeError: problem.map { _ in String(run.stderr.suffix(500)) })
    }

    static func collapse(_ names: [String]) -> [String] {
        names.reduce(into: []) { acc, n in if acc.last != n { acc.append(n) } }
    }

    // MARK: verdicts

    /// "same" when every variant has the same status, addresses and
    /// queried-name sequence; otherwise "differs: " and, per field, which
    /// variants saw what.
    public static func verdict(for s: DNSScenario, results: [DNSResult], variants: [DNSVariant]) -> DNSScenarioVerdict {
        let ordered = variants.filter(\.isBase).compactMap { v in results.first { $0.variant == v.rawValue } }
        // Compared in full (a difference past the abbreviation still counts), shown abbreviated.
        let fields: [(String, (DNSResult) -> String)] = [
            ("status", { $0.status }),
            ("addresses", { $0.addresses.joined(separator: ",") }),
            ("queried names", { $0.queriedNames.joined(separator: " → ") }),
        ]
        let shown: [String: (DNSResult) -> String] = [
            "status": { $0.status },
            "addresses": { abbreviate($0.addresses) },
            "queried names": { abbreviate($0.queriedNames, separator: " → ") },
        ]
        var parts: [String] = []
        // Every variant failed: no comparison to make, say why instead.
        let failed = !ordered.isEmpty && ordered.allSatisfy { $0.status.hasPrefix("probe-failed") }
        func show(_ label: String, _ r: DNSResult) -> String { shown[label].map { $0(r) } ?? "" }
        for (label, value) in fields where !failed {
            let groups = group(ordered, by: value)
            if groups.count > 1 {
                parts.append("\(label) " + groups.map { g in
                    "\(name(of: g.1)) \(ordered.first { $0.variant == g.1[0] }.map { show(label, $0) } ?? g.0)"
                }.joined(separator: " vs "))
            }
        }
        // Not compared, but reported: how the queries travelled.
        let observed: [(String, (DNSResult) -> String)] = [
            ("transports", { Set($0.queries.map(\.transport)).sorted().joined(separator: "+") }),
            ("query types", { Set($0.queries.map(\.type)).sorted().joined(separator: "+") }),
            ("edns", { Set($0.queries.map { $0.edns.map(String.init) ?? "none" }).sorted().joined(separator: "+") }),
            ("query flags", { Set($0.queries.flatMap(\.flags)).sorted().joined(separator: "+") }),
            ("queries", { "\($0.queryCount)" }),
        ]
        var observations: [String] = []
        for (label, value) in observed {
            let groups = group(ordered, by: value)
            if groups.count > 1 { observations.append("\(label) " + groups.map { "\(name(of: $0.1)) \($0.0.isEmpty ? "none" : $0.0)" }.joined(separator: " vs ")) }
        }
        var twinDiffs: [String] = []
        for r in ordered where !(DNSVariant(rawValue: r.variant)?.isSwift ?? true) {
            guard let v = DNSVariant(rawValue: r.variant), let t = results.first(where: { $0.variant == v.twin.rawValue }) else { continue }
            for (label, value) in fields where value(r) != value(t) {
                twinDiffs.append("\(v.rawValue)/\(v.twin.rawValue) \(label): \(show(label, r)) vs \(show(label, t))")
            }
        }
        var verdict = parts.isEmpty ? "same" : "differs: " + parts.joined(separator: "; ")
        if failed {
            let reasons = group(ordered) { String($0.status.dropFirst("probe-failed: ".count)) }
            verdict = "probe-failed: " + (reasons.count == 1 ? reasons[0].0 : reasons.map { "\(name(of: $0.1)) \($0.0)" }.joined(separator: " vs "))
        }
        // Each alternative's probes against glibc-dynamic on the same language.
        let alternatives = DNSAlternative.allCases.compactMap { a -> DNSAlternativeVerdict? in
            let runs = variants.filter { $0.alternative == a }.compactMap { v in results.first { $0.variant == v.rawValue }.map { (v, $0) } }
            guard !runs.isEmpty else { return nil }
            var diffs: [String] = []
            for (v, r) in runs {
                guard let b = results.first(where: { $0.variant == v.baseline.rawValue }) else {
                    diffs.append("\(v.rawValue): no \(v.baseline.rawValue) result to compare with"); continue
                }
                for (label, value) in fields where value(r) != value(b) {
                    diffs.append("\(v.rawValue) \(label) \(show(label, r)) vs \(show(label, b))")
                }
            }
            return DNSAlternativeVerdict(alternative: a.rawValue, agreesWithGlibc: diffs.isEmpty,
                                         difference: diffs.isEmpty ? nil : diffs.joined(separator: "; "))
        }
        return DNSScenarioVerdict(scenario: s.id, title: s.title, why: s.why,
                                  verdict: verdict,
                                  cSwiftAgree: twinDiffs.isEmpty, cSwiftDifference: twinDiffs.isEmpty ? nil : twinDiffs.joined(separator: "; "),
                                  observations: observations, alternatives: alternatives)
            .with(delayMs: s.delayMs > 0 ? s.delayMs : nil)
    }

    /// Variants grouped by a value, in first-seen order.
    static func group(_ results: [DNSResult], by value: (DNSResult) -> String) -> [(String, [String])] {
        var groups: [(String, [String])] = []
        for r in results {
            let v = value(r)
            if let i = groups.firstIndex(where: { $0.0 == v }) { groups[i].1.append(r.variant) } else { groups.append((v, [r.variant])) }
        }
        return groups
    }

    static func abbreviate(_ list: [String], separator: String = ",") -> String {
        if list.isEmpty { return "[]" }
        if list.count <= 6 { return "[" + list.joined(separator: separator) + "]" }
        return "[" + list.prefix(4).joined(separator: separator) + separator + "… (\(list.count))]"
    }

    /// "glibc" / "musl" when a group is exactly every run variant of one libc.
    static func name(of group: [String]) -> String {
        let vs = Set(group.compactMap(DNSVariant.init(rawValue:)))
        for libc in ["glibc", "musl"] where vs == Set(DNSVariant.base.filter { $0.libc == libc }) { return libc }
        return group.joined(separator: "+")
    }
}
