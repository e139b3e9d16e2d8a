import ArgumentParser
import StaticMuslKit

struct Conformance: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "conformance", abstract: "Run the Swift runtime conformance probe in every variant and compare.")
    func run() throws {
        throw ValidationError("'conformance' is not implemented yet")
    }
}
