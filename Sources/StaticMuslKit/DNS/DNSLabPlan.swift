import Foundation

/// What runs inside one namespace: the scripted server for one scenario,
/// then each variant's probe in turn. Between probes the server hands over
/// the queries it saw, so each probe gets exactly its own log, and files a
/// probe rewrote are restored. Written by `DNSSuite`, read by
/// `static-musl _dns-serve --plan` inside the namespace.
public struct DNSLabPlan: Codable, Sendable {
    public struct Probe: Codable, Sendable {
        public var variant: String
        public var argv: [String]
    }
    public var scenarioJSON: String
    public var probes: [Probe]
    /// Files written before each probe (the probe may rewrite them).
    public var restore: [String: String]
    public var environment: [String: String]
    public var probeTimeout: Double
    public var port: Int

    enum CodingKeys: String, CodingKey {
        case scenarioJSON = "scenario_json", probes, restore, environment
        case probeTimeout = "probe_timeout", port
    }
}

/// One probe's run inside the namespace, with the queries it caused.
public struct DNSProbeRun: Codable, Sendable {
    public var variant: String
    public var exitStatus: Int32?
    public var signal: Int32?
    public var timedOut: Bool
    public var stdout: String
    public var stderr: String
    public var elapsedMs: Double
    public var queries: [DNSQueryRecord]

    enum CodingKeys: String, CodingKey {
        case variant, signal, stdout, stderr, queries
        case exitStatus = "exit_status", timedOut = "timed_out", elapsedMs = "elapsed_ms"
    }
}

/// The entry points of the hidden `_dns-serve` command.
public enum DNSLab {
    /// Runs a plan (inside the namespace) and writes `[DNSProbeRun]` as JSON to `outPath`.
    public static func runPlan(planPath: String, outPath: String) throws {
        let plan: DNSLabPlan
        do { plan = try JSONCoding.decode(DNSLabPlan.self, from: Data(contentsOf: URL(fileURLWithPath: planPath))) } catch {
            throw DNSError.serverFailed("cannot read plan \(planPath): \(error)")
        }
        guard let raw = try JSONSerialization.jsonObject(with: Data(plan.scenarioJSON.utf8)) as? [String: Any] else {
            throw DNSError.serverFailed("plan \(planPath) holds no scenario object")
        }
        let scenario = try DNSScenarioParser.scenario(raw, at: "plan")
        let server = try DNSServer(scenario: scenario, port: plan.port)
        server.start()
        var runs: [DNSProbeRun] = []
        for probe in plan.probes {
            for (path, content) in plan.restore.sorted(by: { $0.key < $1.key }) {
                try content.write(toFile: path, atomically: false, encoding: .utf8)
            }
            _ = server.collect()   // forget anything before this probe
            let r: ProcessResult
            do {
                r = try ProcessRunner.run(probe.argv[0], Array(probe.argv.dropFirst()), environment: plan.environment,
                                          timeout: plan.probeTimeout)
            } catch {
                r = ProcessResult(exitStatus: 127, signal: nil, stdout: "", stderr: "\(error)", timedOut: false, elapsedMs: 0)
            }
            runs.append(DNSProbeRun(variant: probe.variant, exitStatus: r.exitStatus, signal: r.signal, timedOut: r.timedOut,
                                    stdout: r.stdout, stderr: r.stderr, elapsedMs: r.elapsedMs, queries: server.collect()))
        }
        server.stop()
        try JSONCoding.line(runs).write(to: URL(fileURLWithPath: outPath))
    }

    /// Service mode, for poking at a scenario by hand inside a namespace:
    /// serves until killed, appending one JSON line per query to `logPath`
    /// (stdout when nil), and creates `readyFile` once listening.
    public static func serve(scenariosPath: String, id: String, port: Int, readyFile: String?, logPath: String?) throws -> Never {
        let all = try DNSScenarioParser.load(path: scenariosPath)
        guard let scenario = all.first(where: { $0.id == id }) else { throw DNSError.unknownScenario(id, known: all.count) }
        let server = try DNSServer(scenario: scenario, port: port)
        let out = logPath.flatMap { path -> FileHandle? in
            FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path)
        } ?? FileHandle.standardOutput
        let encoder = JSONCoding.lineEncoder()
        server.onQuery = { record in
            if let line = try? encoder.encode(record) { out.write(line + Data("\n".utf8)) }
        }
        server.start()
        if let readyFile { FileManager.default.createFile(atPath: readyFile, contents: Data()) }
        while true { sleep(3600) }
    }
}
