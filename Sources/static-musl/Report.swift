import ArgumentParser
import StaticMuslKit

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Run every suite and write matrix.json, MATRIX.md and index.html.")
    func run() throws {
        throw ValidationError("'report' is not implemented yet")
    }
}
