import ArgumentParser
import Foundation

/// Every subcommand's exit status, in one place (docs/exit-codes.md says the
/// same for users):
///
/// | status | meaning |
/// |---|---|
/// | 0 | ok: the check passed (for `scratch` and `run`: the program ran and exited 0) |
/// | 1 | a check failed: a build variant failed, a regression, a mismatch; for `scratch` and `run`: the program ran and exited non-zero, crashed or timed out (the JSON and the last stderr line say which, with the program's own status) |
/// | 2 | usage or input error: a bad option or value, a missing or unreadable input file |
/// | 3 | this machine could not do it: a sandbox or container runtime that could not be set up, a tool that is missing and cannot be installed |
///
/// Each failure prints one line, `static-musl SUBCOMMAND: what and why`,
/// on stderr before exiting.
enum ExitStatus: Int32 {
    case ok = 0
    case checkFailed = 1
    case usage = 2
    case environment = 3

    var code: ExitCode { ExitCode(rawValue) }

    /// Prints `static-musl <command>: <message>` on stderr and returns the
    /// ExitCode to throw.
    static func fail(_ command: String, _ message: String, _ status: ExitStatus) -> ExitCode {
        FileHandle.standardError.write(Data("static-musl \(command): \(message)\n".utf8))
        return status.code
    }
}
