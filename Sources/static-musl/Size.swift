import ArgumentParser
import Foundation
import StaticMuslKit

struct Size: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "size",
        abstract: "Attribute every byte of a static binary to sections, archives and modules.",
        discussion: """
        Reads the ELF's sections and segments, and the GNU ld or gold link map
        (-Wl,-Map) beside it (<binary>.map, as build-static.sh keeps one per
        variant) for bytes per archive, member and SwiftPM target, and the chain
        of references that pulled each large archive in.
        """)

    @Argument(help: "The binary to explain.") var file: String
    @Option(help: "The link map (default: <file>.map when it exists).") var map: String?
    @Flag(help: "Print the report as JSON.") var json = false
    @Option(help: "Also write a bar chart of the largest contributors to this SVG file.") var svg: String?
    @Flag(name: .customLong("heavy-archives-json"), help: .hidden) var heavyOnly = false

    func run() throws {
        let report: SizeReport
        do { report = try SizeAttribution.analyze(binary: file, map: map) } catch { throw CLIFailure(error) }
        if let svg {
            do { try SizeRender.svg(report).write(toFile: svg, atomically: true, encoding: .utf8) }
            catch { throw CLIFailure(SizeError.unwritable(path: svg, reason: FileFailure.reason(error))) }
        }
        if heavyOnly {
            print(String(decoding: try SizeReport.encoder.encode(report.heavyArchives), as: UTF8.self))
        } else if json {
            print(String(decoding: try report.jsonData(), as: UTF8.self))
        } else {
            print(SizeRender.table(report), terminator: "")
        }
    }
}
