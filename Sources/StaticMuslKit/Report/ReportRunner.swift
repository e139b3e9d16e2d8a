import Foundation

/// `static-musl report`: builds the variants, runs every suite, keeps each
/// suite's JSON under <out>/suites/ and renders matrix.json, MATRIX.md and
/// index.html. A suite that is not available or fails becomes an explicit
/// "not run"/"failed" section; it never stops the report.
public enum ReportRunner {
    public enum Mode: String, Sendable { case quick, full }

    public struct Options: Sendable {
        public var out: String = "report"
        public var mode: Mode = .quick
        public var packagePath: String?
        public var product: String?
        /// Reuse this dist folder (a manifest.json and binaries) instead of building.
        public var distDirectory: String?
        /// How many non-exclusive suites run side by side (the DNS lab mostly
        /// waits on timeouts); 1 runs everything in order.
        public var parallel = 2
        /// Build what the dist lacks: the probes (dns-probe, malloc-bench, …) into
        /// .build-static/dist, the server bench's vapor-hello into .build-static/bench-server.
        /// Tests turn this off so nothing links.
        public var buildMissingProbes = true
        public init() {}
    }

    /// What a suite closure gets: the built artifacts, never a build of its own.
    public struct Context: Sendable {
        public var projectRoot: String
        /// The probes (Sample, dns-probe, conformance-probe, malloc-bench) in every variant.
        public var probes: ArtifactStore
        /// The product the static/size/scratch rows are about, in every variant.
        public var product: String
        public var productArtifacts: [Artifact]
        public var mode: Mode
        /// A scratch folder the suite may write into.
        public var workDirectory: String

        /// The product's musl variant on each other musl (`musl-1.2.5`), for
        /// the static and size rows of that column (`Built.otherMusl`).
        public var otherMuslProductArtifacts: [Artifact] = []
        /// The probes on each other musl (dns-probe, conformance-probe, malloc-bench), built before any suite runs.
        public var otherMuslProbes: [Artifact] = []
        /// The measuring suites' probes, found or compiled before any suite runs (`SuiteProbes`).
        public var dnsProbes = SuiteProbes.DNSProbes()
        public var mallocProbes: [MallocVariant: Artifact] = [:]
        /// The scratch battery's C probes, or why they did not compile.
        public var scratchCProbes: Result<[ScratchReadiness.CProbe], any Error> = .success([])
        /// The server bench's product in each variant, or why there is none.
        public var serverArtifacts: Result<[Artifact], any Error> = .success([])
    }

    /// One suite of the report: it returns the suite's documented JSON.
    public struct ReportSuite: Sendable {
        public var id: SuiteID
        /// A benchmark: it runs alone, after the others, so nothing competes for the cores.
        public var exclusive: Bool
        public var run: @Sendable (Context) throws -> Data
        public init(_ id: SuiteID, exclusive: Bool = false, run: @escaping @Sendable (Context) throws -> Data) {
            self.id = id; self.exclusive = exclusive; self.run = run
        }
    }

    /// Thrown by a suite closure that has nothing to run in this build.
    public struct SuiteUnavailable: Error, CustomStringConvertible {
        public var reason: String
        public init(_ reason: String = "suite not available in this build") { self.reason = reason }
        public var description: String { reason }
    }

    public struct Outcome: Sendable {
        public var report: MatrixReport
        public var files: [String]               // matrix.json, MATRIX.md, index.html
    }

    // MARK: the suites, in report order (build is done before them)

    static func encode<T: Encodable>(_ value: T) throws -> Data { try JSONCoding.line(value) }

    /// The suites, in report order (`ReportSections.registered`, less the build,
    /// which the report does itself). Each runs one suite's public entry point
    /// and returns its JSON. One that throws `SuiteUnavailable` is reported as
    /// "not run: suite not available in this build".
    public static var suites: [ReportSuite] { ReportSections.registered.compactMap { $0.suite } }

    // MARK: running

    public static func run(_ options: Options, projectRoot: String, suites: [ReportSuite] = suites) throws -> Outcome {
        let progress = Progress(suite: "report")
        let total = suites.count + 1
        let product = options.product ?? "Sample"
        let suitesDir = options.out + "/suites"
        try makeDirectory(suitesDir)
        // A suite JSON left by an earlier run must not pass for this run's (in --from-json).
        for name in SuiteID.allCases.map(\.fileName) + ["header.json", "status.json"] {
            try? FileManager.default.removeItem(atPath: suitesDir + "/" + name)
        }
        let header = ReportHeader.detect(mode: options.mode.rawValue, product: product, projectRoot: projectRoot)
        try write(encodePretty(header), to: suitesDir + "/header.json")

        var outputs: [SuiteID: SuiteOutput] = [:]
        var reasons: [String: String] = [:]
        progress.step(1, of: total, options.distDirectory.map { "build: reusing \($0)" } ?? "build: toolchain/build-static.sh")
        let started = Date()
        let built: SuiteArtifacts?
        do {
            built = try SuiteArtifacts.build(options, projectRoot: projectRoot, product: product, suites: Set(suites.map(\.id)),
                                             progress: progress)
        } catch {
            built = nil
            outputs[.build] = .failed("\(error)")
            reasons[SuiteID.build.rawValue] = "failed: \(error)"
        }
        if let built {
            let data = try encode(built.manifest)
            try write(data, to: suitesDir + "/" + SuiteID.build.fileName)
            outputs[.build] = .json(data, elapsedMs: Date().timeIntervalSince(started) * 1000)
        }

        let results = SuiteResults()
        if let built {
            let started = LockedCounter()
            let runOne = { (suite: ReportSuite) in
                progress.step(started.next() + 1, of: total, suite.id.rawValue)
                let outcome = runSuite(suite, built: built, product: product, options: options, projectRoot: projectRoot,
                                       suitesDir: suitesDir)
                results.set(suite.id, outcome)
                progress.note("\(suite.id.rawValue): " + (outcome.reason ?? "done"))
            }
            SuiteSchedule(suites, parallel: options.parallel).run(runOne)
        } else {
            for suite in suites {
                results.set(suite.id, (.notRun("the build failed, so there was nothing to run it on"),
                                       "not run: the build failed, so there was nothing to run it on"))
            }
        }
        for (id, outcome) in results.all {
            outputs[id] = outcome.output
            if let reason = outcome.reason { reasons[id.rawValue] = reason }
        }
        for id in SuiteID.allCases where outputs[id] == nil {
            outputs[id] = .notRun("not in this report's suite list")
            reasons[id.rawValue] = "not run: not in this report's suite list"
        }
        try write(encodePretty(reasons), to: suitesDir + "/status.json")
        let report = ReportBuilder.build(header: header, outputs: outputs)
        let files = try writeReport(report, to: options.out)
        progress.note("wrote " + files.joined(separator: ", "))
        return Outcome(report: report, files: files)
    }

    /// Runs one suite in its own work folder; keeps its JSON under suites/.
    static func runSuite(_ suite: ReportSuite, built: SuiteArtifacts, product: String, options: Options, projectRoot: String,
                         suitesDir: String) -> (output: SuiteOutput, reason: String?) {
        let work = NSTemporaryDirectory() + "static-musl-report-\(suite.id.rawValue)-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let t0 = Date()
        do {
            try makeDirectory(work)
            let ctx = Context(projectRoot: projectRoot, probes: built.probes, product: product,
                              productArtifacts: built.productArtifacts(product), mode: options.mode, workDirectory: work,
                              otherMuslProductArtifacts: built.otherMusl,
                              otherMuslProbes: built.otherMuslProbes, dnsProbes: built.dnsProbes,
                              mallocProbes: built.mallocProbes, scratchCProbes: built.scratchCProbes,
                              serverArtifacts: built.serverArtifacts)
            let data = try suite.run(ctx)
            try write(data, to: suitesDir + "/" + suite.id.fileName)
            return (.json(data, elapsedMs: Date().timeIntervalSince(t0) * 1000), nil)
        } catch let e as SuiteUnavailable {
            return (.notRun(e.reason), "not run: " + e.reason)
        } catch {
            return (.failed("\(error)"), "failed: \(error)")
        }
    }

    // MARK: rendering saved suite JSON

    /// Renders a report from a folder of saved suite JSON files (manifest.json,
    /// inspect.json, scratch.json, dns.json, malloc.json, server.json,
    /// conformance.json, abi.json, size.json; header.json and status.json when present, as
    /// `report` keeps them under <out>/suites/). A file that is absent becomes
    /// "not run" with the recorded reason, or "no <file> in <dir>".
    public static func render(fromJSON dir: String, out: String, product: String? = nil,
                              projectRoot: String? = nil) throws -> Outcome {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw ReportError.notADirectory(dir)
        }
        var header: ReportHeader
        if let data = FileManager.default.contents(atPath: dir + "/header.json") {
            do { header = try JSONCoding.decode(ReportHeader.self, from: data) }
            catch { throw ReportError.invalidJSON(path: dir + "/header.json", why: ReportError.describe(error)) }
        } else {
            header = ReportHeader.detect(mode: "from-json", product: product ?? "Sample", projectRoot: projectRoot)
        }
        if let product { header.product = product }
        var reasons: [String: String] = [:]
        if let data = FileManager.default.contents(atPath: dir + "/status.json") {
            do { reasons = try JSONCoding.decode([String: String].self, from: data) }
            catch { throw ReportError.invalidJSON(path: dir + "/status.json", why: ReportError.describe(error)) }
        }
        var outputs: [SuiteID: SuiteOutput] = [:]
        for id in SuiteID.allCases {
            let path = dir + "/" + id.fileName
            if let data = FileManager.default.contents(atPath: path) {
                guard (try? JSONSerialization.jsonObject(with: data)) != nil else {
                    throw ReportError.invalidJSON(path: path, why: "not JSON")
                }
                outputs[id] = .json(data, elapsedMs: nil)
            } else if let recorded = reasons[id.rawValue] {
                outputs[id] = recorded.hasPrefix("failed: ") ? .failed(String(recorded.dropFirst(8)))
                    : .notRun(recorded.hasPrefix("not run: ") ? String(recorded.dropFirst(9)) : recorded)
            } else {
                outputs[id] = .notRun("no \(id.fileName) in \(dir)")
            }
        }
        let report = ReportBuilder.build(header: header, outputs: outputs)
        return Outcome(report: report, files: try writeReport(report, to: out))
    }

    // MARK: files

    public static func writeReport(_ report: MatrixReport, to out: String) throws -> [String] {
        try makeDirectory(out)
        let json = out + "/matrix.json", md = out + "/MATRIX.md", html = out + "/index.html"
        try write(encodePretty(report), to: json)
        try write(Data(MarkdownRenderer.render(report).utf8), to: md)
        try write(Data(HTMLRenderer.render(report).utf8), to: html)
        return [json, md, html]
    }

    public static func encodePretty<T: Encodable>(_ value: T) throws -> Data { try JSONCoding.pretty(value) + Data("\n".utf8) }

    static func makeDirectory(_ path: String) throws {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        catch { throw ReportError.writeFailed(path: path, why: "\(error.localizedDescription)") }
    }

    static func write(_ data: Data, to path: String) throws {
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) }
        catch { throw ReportError.writeFailed(path: path, why: "\(error.localizedDescription)") }
    }
}
