import ArgumentParser
import StaticMuslKit

/// Runs inside the lab's namespace: either a plan (server + probes, what
/// `dns` uses) or the bare server for one scenario, for manual poking.
struct DNSServe: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "_dns-serve", abstract: "Internal: the scripted DNS server the lab starts inside a namespace.", shouldDisplay: false)

    @Option(help: "Plan written by the dns suite: serve, run each probe, write the runs to --out.")
    var plan: String?
    @Option(help: "Where the plan's runs go (JSON).")
    var out: String?
    @Option(help: "Service mode: the scenario file.")
    var scenarios: String?
    @Option(help: "Service mode: the scenario id.")
    var id: String?
    @Option(help: "UDP/TCP port.")
    var port = 53
    @Option(help: "Service mode: file created once the server listens.")
    var ready: String?
    @Option(help: "Service mode: query log (JSON lines); default stdout.")
    var log: String?

    func run() throws {
        do {
            if let plan {
                guard let out else { throw ValidationError("--plan needs --out") }
                try DNSLab.runPlan(planPath: plan, outPath: out)
            } else if let scenarios, let id {
                try DNSLab.serve(scenariosPath: scenarios, id: id, port: port, readyFile: ready, logPath: log)
            } else {
                throw ValidationError("give --plan and --out, or --scenarios and --id")
            }
        } catch let e as ValidationError {
            throw e
        } catch {
            throw CLIFailure(error)
        }
    }
}
