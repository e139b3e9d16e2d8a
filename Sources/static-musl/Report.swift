import ArgumentParser
import Foundation
import StaticMuslKit

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Run every suite and write matrix.json, MATRIX.md and index.html.",
        discussion: """
        static-musl report [--out DIR] [--quick|--full] [--package-path P --product X]
        static-musl report --from-json DIR [--out OUT]     render saved suite JSON (DIR/suites of a report)
        static-musl report --compare OLD.json NEW.json     exit status 1 on a regression
        static-musl report --compare --column musl-1.2.3=musl A.json B.json
          A's column musl-1.2.3 against B's column musl (give one file twice to
          compare two columns of one report)
        """)

    enum Depth: String, EnumerableFlag { case quick, full }

    @Option(help: "Folder for matrix.json, MATRIX.md, index.html and suites/.") var out = "report"
    @Flag(help: "quick (the default, the suites' short modes) or full.") var depth: Depth = .quick
    @Option(help: "Package that holds --product (default: this project).") var packagePath: String?
    @Option(help: "Product for the static, size and scratch rows (default: Sample).") var product: String?
    @Option(help: "Reuse an existing dist folder instead of building.") var dist: String?
    @Option(name: .customLong("from-json"), help: "Render from a folder of saved suite JSON files.") var fromJSON: String?
    @Flag(help: "Compare two matrix.json files given as arguments.") var compare = false
    @Option(help: ArgumentHelp("With --compare: OLD's column against NEW's (rows match by id, the same rules).",
                               valueName: "OLD=NEW")) var column: String?
    @Argument(help: "With --compare: OLD.json NEW.json.") var files: [String] = []

    func validate() throws {
        if compare && files.count != 2 { throw ValidationError("--compare needs exactly two files: OLD.json NEW.json") }
        if !compare && !files.isEmpty { throw ValidationError("unexpected arguments \(files); did you mean --compare?") }
        if !compare && column != nil { throw ValidationError("--column needs --compare OLD.json NEW.json") }
        if packagePath != nil && product == nil { throw ValidationError("--package-path needs --product NAME") }
    }

    func run() throws {
        do {
            if compare {
                let columns = try column.map { spec throws(ReportError) in try ColumnPair(parsing: spec) }
                let result = try ReportCompare.compare(oldPath: files[0], newPath: files[1], columns: columns)
                print(result.text, terminator: "")
                if result.hasRegression {
                    throw ExitStatus.fail("report", "\(result.regressions.count) regression(s) from \(files[0]) to \(files[1])", .checkFailed)
                }
                return
            }
            let outcome: ReportRunner.Outcome
            if let fromJSON {
                outcome = try ReportRunner.render(fromJSON: fromJSON, out: out, product: product,
                                                  projectRoot: ProjectLayout.root())
            } else {
                guard let root = ProjectLayout.root() else {
                    throw ValidationError("cannot find this project's checkout (toolchain/build-static.sh); run inside it or set STATIC_MUSL_ROOT")
                }
                var options = ReportRunner.Options()
                options.out = out
                options.mode = depth == .full ? .full : .quick
                options.packagePath = packagePath
                options.product = product
                options.distDirectory = dist
                outcome = try ReportRunner.run(options, projectRoot: root)
            }
            for (name, missing) in outcome.report.sections.statuses {
                if let missing { print("\(name): \(missing)") }
            }
            print("report: " + outcome.files.joined(separator: " "))
        } catch let e as ExitCode {
            throw e
        } catch let e as ValidationError {
            throw e
        } catch let e as ReportError {
            // A file or folder that cannot be read, or that is not a report input.
            throw ExitStatus.fail("report", "\(e)", .usage)
        } catch {
            throw ExitStatus.fail("report", CLIFailure.describe(error), ExitStatus.of(error))
        }
    }
}
