import ArgumentParser
import Foundation
import StaticMuslKit

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Classify ELF files (static, static-pie, dynamic) and name their libc, without running them.",
        discussion: "Exits 2, with one line per file on stderr (static-musl inspect: PATH: why), when a file cannot be parsed.")

    @Flag(name: .long, help: "Print JSON: {\"files\": [...], \"errors\": [...]}.")
    var json = false

    @Option(name: .long, help: "A root filesystem whose etc/nsswitch.conf is checked for static glibc NSS risk.")
    var root: String?

    @Option(name: .long, help: "Inspect every built variant in this dist folder (build-static.sh --out).")
    var dist: String?

    @Flag(name: .long, help: "With --dist: record the results in its manifest.json and write inspect.json beside it.")
    var record = false

    @Argument(help: "ELF files to inspect.")
    var files: [String] = []

    /// The options above that take a value (`BulkOperands` must not take their values for files).
    static let optionsWithValues: Set<String> = ["--root", "--dist"]

    func validate() throws {
        if files.isEmpty, dist == nil { throw ValidationError("name at least one file, or --dist DIR") }
        if record, dist == nil { throw ValidationError("--record needs --dist") }
        // A root that is not there would quietly read no nsswitch.conf and lower the NSS risk.
        var isDirectory: ObjCBool = false
        if let root, !(FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw ValidationError("--root \(root): no such folder")
        }
    }

    func run() throws {
        let report: InspectReport
        if let dist {
            do { report = try InspectSuite.inspectDist(dist, record: record) } catch {
                throw ExitStatus.fail("inspect", CLIFailure.describe(error), ExitStatus.of(error))
            }
        } else {
            report = InspectSuite.inspect(paths: files, root: root)
        }
        if json {
            FileHandle.standardOutput.write(try report.jsonData() + Data("\n".utf8))
        } else if !report.files.isEmpty {
            print(report.text)
        }
        for failure in report.errors {
            FileHandle.standardError.write(Data("static-musl inspect: \(failure.path): \(failure.reason)\n".utf8))
        }
        if !report.errors.isEmpty { throw ExitStatus.usage.code }
    }
}
