import ArgumentParser
import StaticMuslKit

/// The CLI is argument parsing only: every command calls one StaticMuslKit
/// function and prints what it returns. One file per command.
@main
struct StaticMusl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "static-musl",
        abstract: "Fully static Swift binaries on musl, and how they compare with glibc.",
        subcommands: [
            Inspect.self, Scratch.self, DNS.self, Bench.self, Conformance.self, ABI.self,
            Size.self, Report.self, Versions.self,
            DNSServe.self,
        ])
}

/// Turns a library error into "static-musl: <what and why>" and exit 2.
struct CLIFailure: Error, CustomStringConvertible {
    var description: String
    init(_ error: Error) { description = "\(error)" }
}
