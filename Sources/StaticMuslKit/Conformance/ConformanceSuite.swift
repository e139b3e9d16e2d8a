import Foundation

public enum ConformanceError: Error, CustomStringConvertible {
    case noArtifacts(String)
    case unknownVariant(String)
    case probeUnusable(path: String, why: String)
    case scratchRootMissing(String)

    public var description: String {
        switch self {
        case .noArtifacts(let why): return "no conformance-probe builds to run: \(why)"
        case .unknownVariant(let name):
            return "unknown variant '\(name)' (known: \(Variant.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .probeUnusable(let path, let why): return "conformance-probe at \(path) is unusable: \(why)"
        case .scratchRootMissing(let path): return "scratch root \(path) does not exist or is not a folder"
        }
    }
}

/// Runs the conformance probe in every variant and compares the values
/// check by check. The probe prints `id<TAB>value` lines; a probe that dies
/// outside a deliberate crash check is recorded as a crash of the check it
/// was running and resumed with `--after <id>`.
public enum ConformanceSuite {
    public static let product = "conformance-probe"

    public struct Options: Sendable {
        /// The probe builds (e.g. `ArtifactStore.artifacts(product: "conformance-probe")`).
        public var artifacts: [Artifact]
        /// Also run the time.* checks with /usr/share/zoneinfo hidden (needs
        /// the namespace lab; recorded as a skipped scenario when absent).
        public var withoutZoneinfo = true
        /// Hook for the scratch root: when set, every variant also
        /// runs chrooted into this folder (a copy of the binary is placed at
        /// its top), with results under "<label>@scratch".
        public var scratchRoot: String?
        /// Extra environment for the probe (the rest is fixed, see `environment`).
        public var environment: [String: String] = [:]
        public var timeout: Double = 120
        public init(artifacts: [Artifact]) { self.artifacts = artifacts }
    }

    static let embeddedReason = "not applicable: Embedded Swift has no Foundation, Dispatch, Synchronization or Process, which most checks exercise; build-static.sh builds the separate embedded-probe for that variant"

    /// The label the issue uses for a variant's column.
    public static func label(_ v: Variant) -> String {
        switch v {
        case .musl: return "swift-musl-static"
        case .muslMimalloc: return "swift-musl-static+mimalloc"
        case .muslCAres: return "swift-musl-static+c-ares"
        default: return "swift-\(v.rawValue)"
        }
    }

    /// A build on another musl than the default has the version in its
    /// label: "swift-musl-1.2.3-static".
    public static func label(_ a: Artifact) -> String {
        guard a.isOtherMuslVersion, let version = a.muslVersion else { return label(a.variant) }
        return label(a.variant).replacingOccurrences(of: "swift-musl-", with: "swift-musl-\(version)-")
    }

    public static func run(_ options: Options) throws -> ConformanceReport {
        let artifacts = options.artifacts.filter { $0.variant != .embeddedMusl }.sorted { rank($0) < rank($1) }
        guard !artifacts.isEmpty else {
            throw ConformanceError.noArtifacts("the list is empty (embedded-musl is \(embeddedReason))")
        }
        if let root = options.scratchRoot {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
                throw ConformanceError.scratchRootMissing(root)
            }
        }
        let progress = Progress(suite: "conformance")
        var runs: [ConformanceReport.VariantRun] = []
        var outputs: [String: [String: String]] = [:]
        var order: [String] = []
        var scenarios: [ConformanceReport.Scenario] = []
        var labAvailable: String?  // nil when available, else why not
        if options.withoutZoneinfo || options.scratchRoot != nil {
            do { try Lab.checkAvailable([.mount, .pid]) } catch { labAvailable = "\(error)" }
        }
        let places = options.scratchRoot == nil ? ["host"] : ["host", "scratch"]
        var step = 0
        let total = artifacts.count * places.count
        for artifact in artifacts {
            let ids = try listChecks(artifact.path, environment: environment(options))
            if order.isEmpty { order = ids }
            for place in places {
                step += 1
                let label = label(artifact) + (place == "scratch" ? "@scratch" : "")
                progress.step(step, of: total, "\(label): \(artifact.path)")
                let start = Date()
                var invoke: ([String]) throws -> ProcessResult = { args in
                    try ProcessRunner.run(artifact.path, args, environment: environment(options), timeout: options.timeout)
                }
                if place == "scratch", let root = options.scratchRoot {
                    if let why = labAvailable { throw LabError.namespaceUnavailable(why) }
                    invoke = try scratchInvoker(artifact, root: root, options: options)
                }
                let run = try runProbe(ids: ids, invoke: invoke)
                var values = run.values
                if options.withoutZoneinfo, place == "host", labAvailable == nil {
                    var sandbox = Sandbox(namespaces: [.mount, .pid])
                    sandbox.hiddenFolders = ["/usr/share/zoneinfo"]
                    sandbox.environment = environment(options)
                    let timeIds = ids.filter { $0.hasPrefix("time.") }
                    let nozi = try runProbe(ids: timeIds, prefix: ["--only", "time."]) { args in
                        try Lab.run([artifact.path] + args, in: sandbox, timeout: options.timeout)
                    }
                    for (id, v) in nozi.values where id != "probe.libc" { values["nozoneinfo." + id] = v }
                }
                outputs[label] = values
                runs.append(.init(label: label, variant: artifact.variant.rawValue, path: artifact.path, place: place,
                                  probeLibc: values["probe.libc"] ?? "unknown", crashes: run.crashes,
                                  elapsedMs: Date().timeIntervalSince(start) * 1000))
            }
        }
        if options.withoutZoneinfo {
            scenarios.append(.init(id: "nozoneinfo", description: "time.* checks rerun with /usr/share/zoneinfo hidden (empty tmpfs), which also leaves /etc/localtime dangling",
                                   status: labAvailable == nil ? "ran" : "skipped", reason: labAvailable))
            if labAvailable == nil { order += order.filter { $0.hasPrefix("time.") }.map { "nozoneinfo." + $0 } }
        }
        if let why = labAvailable, options.withoutZoneinfo {
            progress.note("SKIP nozoneinfo scenario: \(why)")
        }
        let checks = compare(order: order, labels: runs.map(\.label), outputs: outputs)
        let notRun = [ConformanceReport.NotRun(variant: Variant.embeddedMusl.rawValue, reason: embeddedReason)]
        return ConformanceReport(versions: ToolchainVersions.detect(), variants: runs, scenarios: scenarios, notRun: notRun,
                                 checks: checks, summary: summarize(checks, runs: runs))
    }

    /// Baseline first: the issue's three Swift variants, then the rest.
    static func rank(_ v: Variant) -> Int {
        [Variant.glibcDynamic, .glibcStatic, .musl, .muslMimalloc, .muslCAres, .sdk, .embeddedMusl].firstIndex(of: v) ?? 99
    }

    /// Another musl version's build right after the default musl's.
    static func rank(_ a: Artifact) -> Double { Double(rank(a.variant)) + (a.isOtherMuslVersion ? 0.5 : 0) }

    /// A fixed environment, so values do not depend on the caller's shell.
    static func environment(_ options: Options) -> [String: String] {
        // sbin: the lab's script needs chroot and mount from there.
        var env = ["PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "CONFORMANCE_MARK": "conformance",
                   "HOME": ProcessInfo.processInfo.environment["HOME"] ?? "/root"]
        for (k, v) in options.environment { env[k] = v }
        return env
    }

    static func listChecks(_ path: String, environment: [String: String]) throws -> [String] {
        let r = try ProcessRunner.run(path, ["--list"], environment: environment, timeout: 30)
        guard r.succeeded else {
            throw ConformanceError.probeUnusable(path: path, why: "--list exited with \(r.exitStatus.map { "status \($0)" } ?? "signal \(r.signal ?? 0)"): \(r.stderr.prefix(300))")
        }
        let ids = r.stdout.split(separator: "\n").map(String.init)
        guard ids.count >= 1 else { throw ConformanceError.probeUnusable(path: path, why: "--list printed no checks") }
        return ["probe.libc"] + ids
    }

    struct ProbeRun { var values: [String: String]; var crashes: Int }

    /// Runs the probe to the end, resuming after each check that killed it.
    static func runProbe(ids: [String], prefix: [String] = [],
                         invoke: ([String]) throws -> ProcessResult) throws -> ProbeRun {
        var values: [String: String] = [:]
        var crashes = 0
        var args = prefix
        for _ in 0..<ids.count + 1 {
            let r = try invoke(args)
            var last: String?
            for line in r.stdout.split(separator: "\n", omittingEmptySubsequences: true) {
                guard let tab = line.firstIndex(of: "\t") else { continue }
                let id = String(line[..<tab])
                values[id] = String(line[line.index(after: tab)...])
                last = id
            }
            if r.succeeded { break }
            if last == nil, r.exitStatus == 126 || r.exitStatus == 127 {
                throw ConformanceError.probeUnusable(path: ids.first ?? "probe", why: "it could not be started (exit status \(r.exitStatus!)): \(r.stderr.prefix(300))")
            }
            // Died: blame the first expected check after the last one printed.
            let remaining = ids.filter { values[$0] == nil && ($0 != "probe.libc" || last == nil) }
            let resumeFrom: String
            if let last, let i = ids.firstIndex(of: last), i + 1 < ids.count {
                resumeFrom = ids[i + 1]
            } else if last == nil, let first = remaining.first(where: { $0 != "probe.libc" }) {
                resumeFrom = first
            } else { break }
            crashes += 1
            values[resumeFrom] = "crash: " + crashText(r)
            args = prefix + ["--after", resumeFrom]
        }
        return ProbeRun(values: values, crashes: crashes)
    }

    static func crashText(_ r: ProcessResult) -> String {
        let how = r.timedOut ? "timed out" : (r.signal.map { "signal \($0) (\(signalName($0)))" } ?? "exit status \(r.exitStatus ?? -1)")
        let tail = r.stderr.split(separator: "\n").suffix(3).joined(separator: " / ")
            .replacingOccurrences(of: #"0x[0-9a-f]{6,}"#, with: "ADDR", options: .regularExpression)
        return tail.isEmpty ? how : "\(how): \(tail)"
    }

    static func signalName(_ s: Int32) -> String {
        [4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV", 15: "SIGTERM"][s] ?? "signal"
    }

    /// Places a copy of the binary at the top of the scratch root and runs
    /// it chrooted there through the lab.
    static func scratchInvoker(_ artifact: Artifact, root: String, options: Options) throws -> ([String]) throws -> ProcessResult {
        let name = "conformance-probe-\(artifact.variant.rawValue)"
        let target = root + "/" + name
        try? FileManager.default.removeItem(atPath: target)
        try FileManager.default.copyItem(atPath: artifact.path, toPath: target)
        var sandbox = Sandbox(namespaces: [.mount, .pid])
        sandbox.root = root
        sandbox.environment = environment(options)
        return { args in try Lab.run(["/" + name] + args, in: sandbox, timeout: options.timeout) }
    }

    /// Check-by-check comparison; pure, so tests can feed it values.
    public static func compare(order: [String], labels: [String], outputs: [String: [String: String]],
                               explanations: [String: String] = ConformanceExplanations.table) -> [ConformanceReport.CheckResult] {
        var ids = order
        for label in labels { for id in (outputs[label] ?? [:]).keys.sorted() where !ids.contains(id) { ids.append(id) } }
        return ids.filter { $0 != "probe.libc" }.map { id in
            var results: [String: String] = [:]
            for label in labels { results[label] = outputs[label]?[id] ?? "missing: the probe printed no value" }
            let values = labels.map { results[$0]! }
            let verdict: ConformanceReport.Verdict = values.contains { $0.hasPrefix("crash: ") } ? .crash
                : (Set(values).count == 1 ? .same : .differs)
            if verdict == .same { return .init(id: id, results: results, verdict: .same, explanation: nil, explained: true) }
            if let why = ConformanceExplanations.lookup(id, in: explanations) {
                return .init(id: id, results: results, verdict: verdict, explanation: why, explained: true)
            }
            return .init(id: id, results: results, verdict: verdict,
                         explanation: "UNEXPLAINED: no entry in ConformanceExplanations.table for this check", explained: false)
        }
    }

    static func summarize(_ checks: [ConformanceReport.CheckResult], runs: [ConformanceReport.VariantRun]) -> ConformanceReport.Summary {
        let muslLabels = runs.filter { Variant(rawValue: $0.variant)?.libc == "musl" }.map(\.label)
        let muslCrashes = checks.filter { c in !c.explained && muslLabels.contains { c.results[$0]?.hasPrefix("crash: ") == true } }.count
        return .init(checks: checks.count, same: checks.filter { $0.verdict == .same }.count,
                     differs: checks.filter { $0.verdict == .differs }.count,
                     crash: checks.filter { $0.verdict == .crash }.count,
                     unexplained: checks.filter { !$0.explained }.count, muslCrashes: muslCrashes)
    }
}

extension ConformanceSuite {
    /// The CLI's entry: loads the probe builds from a dist folder (default
    /// `<project>/.build-static/dist`), keeps the requested variants, runs.
    public static func runFromDist(_ dist: String?, variants: [String], scratchRoot: String? = nil,
                                   withoutZoneinfo: Bool = true) throws -> ConformanceReport {
        let folder = dist ?? ((ProjectLayout.root() ?? FileManager.default.currentDirectoryPath) + "/.build-static/dist")
        let store = try ArtifactStore(distDirectory: folder)
        var artifacts = store.artifacts(product: product)
        if !variants.isEmpty {
            let wanted = try variants.flatMap { $0.split(separator: ",").map(String.init) }.map { name -> Variant in
                guard let v = Variant(rawValue: name) else { throw ConformanceError.unknownVariant(name) }
                return v
            }
            for v in wanted where !artifacts.contains(where: { $0.variant == v }) {
                _ = try store.artifact(product: product, variant: v)  // throws with the manifest's reason
            }
            artifacts = artifacts.filter { wanted.contains($0.variant) }
        }
        if artifacts.isEmpty { throw ConformanceError.noArtifacts("\(folder)/manifest.json lists no ok build of \(product)") }
        var options = Options(artifacts: artifacts)
        options.scratchRoot = scratchRoot
        options.withoutZoneinfo = withoutZoneinfo
        return try run(options)
    }
}
