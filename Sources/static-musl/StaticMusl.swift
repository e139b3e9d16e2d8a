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
        discussion: "Exit status: 0 ok, 1 a check failed, 2 usage or input error, 3 this machine could not do it (docs/exit-codes.md).",
        subcommands: [
            Build.self, Inspect.self, Scratch.self, Run.self, DNS.self, Bench.self, Conformance.self, ABI.self,
            Size.self, Image.self, Report.self, Versions.self,
            SysrootCommand.self,
            DNSServe.self,
        ])

    /// Exit statuses in one place (ExitStatus): every failure is one stderr
    /// line, `static-musl SUBCOMMAND: what and why`. A usage error (unknown
    /// option, missing value, a value validate() refuses) exits 2 and prints
    /// the subcommand's own usage on stdout. An error a command throws is
    /// classified by `ExitStatus.of`.
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let path = commandPath(arguments)
        let name = path.map { $0._commandName }.joined(separator: " ")
        var laterFiles: [String] = []
        if path.count == 1, path[0] == Inspect.self {
            let split = BulkOperands.split(Array(arguments.dropFirst()), optionsWithValues: Inspect.optionsWithValues)
            arguments = [arguments[0]] + split.parsed
            laterFiles = split.later
        }
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
            if var inspect = command as? Inspect, !laterFiles.isEmpty {
                inspect.files += laterFiles
                command = inspect
            }
        } catch {
            let code = exitCode(for: error)
            guard code == .validationFailure else { exit(withError: error) }   // --help, --version: their text, exit 0
            let subcommand = path.last ?? StaticMusl.self
            fail(name, oneLine(message(for: error)), .usage, usage: usageString(for: subcommand))
        }
        do {
            try command.run()
        } catch let code as ExitCode {
            // The command printed its one line already.
            exit(withError: code)
        } catch let error as ValidationError {
            fail(name, oneLine(error.message), .usage, usage: usageString(for: path.last ?? StaticMusl.self))
        } catch let failure as CLIFailure {
            fail(name, failure.description, failure.status, usage: nil)
        } catch {
            // --help and --version run as commands that throw ArgumentParser's clean exits.
            if exitCode(for: error) == .success { exit(withError: error) }
            fail(name, CLIFailure.describe(error), ExitStatus.of(error), usage: nil)
        }
    }

    static func fail(_ name: String, _ message: String, _ status: ExitStatus, usage: String?) -> Never {
        let code = name.isEmpty ? ExitStatus.failRoot(message, status) : ExitStatus.fail(name, message, status)
        if let usage { print("Usage: " + usage) }
        exit(withError: code)
    }

    /// ArgumentParser's messages may span lines ("Error: …\nHelp: …"): one line.
    static func oneLine(_ text: String) -> String {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("Usage:") }
            .joined(separator: "; ")
            .replacingOccurrences(of: "Error: ", with: "")
    }

    /// The subcommands named by the leading words of `arguments` ("bench inspect").
    static func commandPath(_ arguments: [String]) -> [ParsableCommand.Type] {
        var path: [ParsableCommand.Type] = []
        var current: ParsableCommand.Type = StaticMusl.self
        for word in arguments {
            guard let next = current.configuration.subcommands.first(where: { $0._commandName == word }) else { break }
            path.append(next)
            current = next
        }
        return path
    }
}

/// A library error the CLI reports as `static-musl SUBCOMMAND: <what and
/// why>` with an ExitStatus (by default the one `ExitStatus.of` gives it:
/// 2 for bad input, 3 when this machine could not do it). `StaticMusl.main`
/// prints it and exits; ArgumentParser never sees it.
struct CLIFailure: Error, CustomStringConvertible {
    var description: String
    var status: ExitStatus
    init(_ error: Error, status: ExitStatus? = nil) {
        description = CLIFailure.describe(error)
        self.status = status ?? ExitStatus.of(error)
    }

    /// The error in plain words: Foundation's file errors become
    /// "PATH: no such file", never "The file “x” couldn’t be opened…".
    static func describe(_ error: Error) -> String {
        if !isBridgedFoundationError(error) { return "\(error)" }
        let ns = error as NSError
        if let path = ns.userInfo[NSFilePathErrorKey] as? String ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path {
            return "\(path): \(FileFailure.reason(error))"
        }
        return FileFailure.reason(error)
    }

    static func isBridgedFoundationError(_ error: Error) -> Bool {
        error is CocoaError || error is DecodingError || error is EncodingError || (error as NSError).domain == NSCocoaErrorDomain
            || (error as NSError).domain == NSPOSIXErrorDomain
    }
}
