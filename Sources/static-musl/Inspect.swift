import ArgumentParser
import StaticMuslKit

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Classify ELF files (static, static-pie, dynamic) and name their libc, without running them.")
    func run() throws {
        throw ValidationError("'inspect' is not implemented yet")
    }
}
