import ArgumentParser
import Foundation
import StaticMuslKit

struct DNS: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dns",
        abstract: "Run the hermetic DNS lab: musl vs glibc stub resolvers, measured on the wire.",
        discussion: "Each scenario runs in its own network namespace with a scripted DNS server on 127.0.0.1-3. "
            + "Variants: \(DNSVariant.allCases.map(\.rawValue).joined(separator: ", ")).")

    @Option(help: "Scenario file (default: dns/scenarios.json in the project).")
    var scenarios: String?
    @Option(help: "Variants to run: all, or a comma list.")
    var variants = "all"
    @Option(help: "Write the JSON report here.")
    var json: String?
    @Option(help: "Write a Markdown table here: each scenario where a musl build differs from glibc, and how each musl version and musl+c-ares answer.")
    var markdown: String?
    @Option(name: .customLong("scenario-table"), help: ArgumentHelp("Write every scenario as a Markdown table here: glibc's and the default musl's answer, and the verdict.", valueName: "FILE"))
    var scenarioTable: String?
    @Option(parsing: .upToNextOption, help: "Run only these scenario ids.")
    var only: [String] = []
    @Option(name: .customLong("probe"), help: "Use this probe binary for a variant: VARIANT=PATH (repeatable).")
    var probeOverrides: [String] = []
    @Flag(help: "Do not build the Swift probes: take those in .build-static/dns-dist (and its other-musl folder), and skip the variants they lack.")
    var noBuild = false
    @Option(name: .customLong("from-json"), help: ArgumentHelp("Render a saved report (--json's output, or a report's suites/dns.json) instead of running the lab: its summary, --markdown and --scenario-table.", valueName: "FILE"))
    var fromJSON: String?

    func run() throws {
        var options = DNSSuite.Options()
        options.scenariosFile = scenarios
        options.only = only
        do {
            options.variants = try DNSVariant.parseList(variants)
            var given: [DNSVariant: String] = [:]
            for o in probeOverrides {
                let parts = o.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let v = DNSVariant(rawValue: parts[0]) else {
                    throw ValidationError("--probe \(o): expected VARIANT=PATH with VARIANT one of \(DNSVariant.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                given[v] = parts[1]
            }
            let report: DNSReport
            if let fromJSON {
                report = try DNSReport.read(path: fromJSON)
            } else {
                // The engine finds or builds the probes the --probe options do not give.
                guard let root = ProjectLayout.root() else { throw DNSError.noProjectRoot }
                try DNSSuite.preflight(options, root: root)
                let found = SuiteProbes.dns(options.variants.filter { given[$0] == nil }, dist: root + "/.build-static/dns-dist",
                                            buildSwiftProbes: !noBuild, projectRoot: root, progress: Progress(suite: "dns"))
                options.projectRoot = root
                options.probes = found.paths.merging(given) { _, own in own }
                options.unavailable = found.unavailable
                report = try DNSSuite.run(options)
            }
            if let json, fromJSON == nil { try report.json().write(to: URL(fileURLWithPath: json)) }
            if let markdown { try (report.alternativesMarkdown() + "\n").write(toFile: markdown, atomically: true, encoding: .utf8) }
            if let scenarioTable { try (report.scenarioTable() + "\n").write(toFile: scenarioTable, atomically: true, encoding: .utf8) }
            print(report.summary())
            // Scenarios the lab could not measure fail the check (exit 1), after the JSON is written.
            let unmeasured = report.verdicts.filter { $0.verdict.hasPrefix("probe-failed") }.count
            if unmeasured > 0 {
                throw ExitStatus.fail("dns", "\(unmeasured) scenario(s) probe-failed: the lab could not measure them", .checkFailed)
            }
        } catch let e as ValidationError {
            throw e
        } catch let e as ExitCode {
            throw e
        } catch let e as DNSError where e.isInputError {
            // A scenario file, --only or --variants refused: one line, exit 2.
            throw ExitStatus.fail("dns", "\(e)", .usage)
        } catch {
            throw CLIFailure(error)
        }
    }
}
