import ArgumentParser
import Foundation
import StaticMuslKit

struct Conformance: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Run the Swift runtime conformance probe in every variant and compare.",
        discussion: "Reads the conformance-probe builds from DIST/manifest.json (toolchain/build-static.sh --product conformance-probe). Prints a Markdown table of every check that is not the same.")

    @Option(name: .long, parsing: .upToNextOption, help: "Variants to run (default: every built one), e.g. glibc-dynamic glibc-static musl.")
    var variants: [String] = []
    @Option(name: .long, help: "Write the JSON report here.")
    var json: String?
    @Option(name: .long, help: "The dist folder (default: <project>/.build-static/dist).")
    var dist: String?
    @Option(name: .long, help: "Also run every variant chrooted into this scratch root.")
    var scratchRoot: String?
    @Flag(name: .long, help: "Skip the run with /usr/share/zoneinfo hidden.")
    var noZoneinfoScenario = false

    func run() throws {
        do {
            let report = try ConformanceSuite.runFromDist(dist, variants: variants, scratchRoot: scratchRoot,
                                                          withoutZoneinfo: !noZoneinfoScenario)
            if let json { try report.json().write(to: URL(fileURLWithPath: json)) }
            print(report.markdown(), terminator: "")
            if report.summary.unexplained > 0 || report.summary.muslCrashes > 0 {
                throw ExitStatus.fail("conformance", "\(report.summary.unexplained) unexplained difference(s), \(report.summary.muslCrashes) musl crash(es)", .checkFailed)
            }
        } catch let e as ExitCode { throw e } catch { throw CLIFailure(error) }
    }
}
