import ArgumentParser
import StaticMuslKit

struct Scratch: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scratch", abstract: "Run a binary in an empty, container-like root.")
    func run() throws {
        throw ValidationError("'scratch' is not implemented yet")
    }
}
