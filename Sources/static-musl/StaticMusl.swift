import ArgumentParser
import Foundation
import StaticMuslKit

/// The CLI is argument parsing only: every command calls one StaticMuslKit
/// function and prints what it returns. One file per command.
@main
struct StaticMusl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "static-musl",
        abstract: "Fully static Swift binaries on musl, and how they compare with glibc.",
        subcommands: [
            Build.self, Inspect.self, Scratch.self, Run.self, DNS.self, Bench.self, Conformance.self, ABI.self,
            Size.self, Report.self, Versions.self,
            SysrootCommand.self,
            DNSServe.self,
        ])

    /// Exit codes in one place: 0 ok, 1 a check failed (commands throw
    /// ExitCode(1)), 2 usage or input error. ArgumentParser's own usage
    /// errors (unknown option, missing value: its 64) become 2.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                exit(withError: ExitCode(2))
            }
            exit(withError: error)
        }
    }
}

/// Turns a library error into "static-musl: <what and why>" and exit 2.
struct CLIFailure: Error, CustomStringConvertible {
    var description: String
    init(_ error: Error) { description = "\(error)" }
}
