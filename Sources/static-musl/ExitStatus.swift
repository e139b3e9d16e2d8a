import ArgumentParser
import Foundation
import StaticMuslKit

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
    /// The same for errors before any subcommand is known: `static-musl: <message>`.
    static func failRoot(_ message: String, _ status: ExitStatus) -> ExitCode {
        FileHandle.standardError.write(Data("static-musl: \(message.split(separator: "\n").joined(separator: " | "))\n".utf8))
        return status.code
    }

    static func fail(_ command: String, _ message: String, _ status: ExitStatus) -> ExitCode {
        let folded = message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        FileHandle.standardError.write(Data("static-musl \(command): \(folded.isEmpty ? "failed" : folded.joined(separator: " | "))\n".utf8))
        return status.code
    }
}

extension ExitStatus {
    /// The status for an error a command did not classify itself: bad input
    /// (a file that is missing, unreadable or not what it should be, a bad
    /// value) is 2; anything else means this machine could not do it, 3.
    static func of(_ error: Error) -> ExitStatus {
        switch error {
        case is ValidationError, is DecodingError, is ELFError, is ReportError, is SizeError, is BuildOptionError, is ClassifyError:
            return .usage
        case let e as DNSError: return e.isInputError ? .usage : .environment
        case let e as BuildError:
            if case .artifactMissing = e { return .environment }
            return .usage
        case let e as ABIError:
            if case .headerMissing = e { return .usage }
            return .environment
        case let e as ConformanceError:
            if case .probeUnusable = e { return .environment }
            return .usage
        case let e as MallocError:
            switch e {
            case .unknownWorkload, .unknownVariant, .badThreads, .badDuration, .badRepetitions, .readFailed, .writeFailed: return .usage
            case .allocatorMismatch: return .checkFailed
            case .variantMissing, .runFailed, .badOutput: return .environment
            }
        case let e as OCIImageError: return e.isInputError ? .usage : .environment
        case let e as SysrootError:
            if case .unknownMuslVersion = e { return .usage }
            return .environment
        default:
            let ns = error as NSError
            if ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain { return .usage }
            return .environment
        }
    }
}
