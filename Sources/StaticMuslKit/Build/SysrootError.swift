import Foundation

/// Why a sysroot could not be prepared or opened. Each case carries what a
/// user needs to act on it: the package to install, the path, the command.
public enum SysrootError: Error, CustomStringConvertible, Equatable {
    /// A file or tool from a Debian package is missing and could not be installed here.
    case missingPackage(package: String, needed: String, reason: String)
    /// `dpkg-query` could not name the installed version of a package.
    case packageVersionUnknown(package: String, reason: String)
    /// The project root has no CShim/compat folder (or it holds no C files).
    case compatSourcesMissing(path: String)
    case unreadable(path: String, reason: String)
    case unwritable(path: String, reason: String)
    /// A tool the recipe runs (gcc, ar, nm) failed.
    case toolFailed(command: String, output: String)
    /// The sysroot's musl-gcc could not compile a CShim/compat source.
    case compileFailed(source: String, command: String, output: String)
    /// libcshim_compat.a does not hold exactly the members the recipe built.
    case archiveMismatch(archive: String, expected: [String], found: [String])
    case lockFailed(path: String, reason: String)
    case renameFailed(from: String, to: String, reason: String)
    /// A folder that should be a sysroot has no (or an unreadable) sysroot.json.
    case notASysroot(path: String, reason: String)
    /// sysroot.json was written by another recipe schema version.
    case schemaMismatch(path: String, found: Int, expected: Int)
    /// The requested musl source cannot be used on this machine.
    case unsupportedMuslSource(String, reason: String)
    /// `--musl VERSION` names no musl this project can provide.
    case unknownMuslVersion(String, choices: [String])
    /// `DebianSource` could not fetch the musl source package.
    case muslSourceUnavailable(package: String, suite: String, reason: String)
    /// A step of the musl build from source failed (configure, make, …).
    case muslBuildFailed(step: String, command: String, output: String)

    public var description: String {
        switch self {
        case .missingPackage(let package, let needed, let reason):
            return "\(needed) is missing: install the Debian package '\(package)' (apt-get install -y \(package)), or run as root to have it installed (\(reason))"
        case .packageVersionUnknown(let package, let reason):
            return "cannot read the installed version of the Debian package '\(package)' with dpkg-query: \(reason)"
        case .compatSourcesMissing(let path):
            return "no CShim compat sources at \(path): is the project root right? (pass the folder that holds CShim/compat)"
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .unwritable(let path, let reason):
            return "cannot write \(path): \(reason) (set STATIC_MUSL_SYSROOT_CACHE to a writable folder)"
        case .toolFailed(let command, let output):
            return "\(command) failed: \(Self.tail(output))"
        case .compileFailed(let source, let command, let output):
            return "the sysroot's musl-gcc could not compile \(source): \(Self.tail(output)) (command: \(command))"
        case .archiveMismatch(let archive, let expected, let found):
            return "\(archive) holds \(found.joined(separator: " ")) but the recipe built \(expected.joined(separator: " "))"
        case .lockFailed(let path, let reason):
            return "cannot lock \(path): \(reason)"
        case .renameFailed(let from, let to, let reason):
            return "cannot move the finished sysroot \(from) to \(to): \(reason)"
        case .notASysroot(let path, let reason):
            return "\(path) is not a sysroot: \(reason) (run `static-musl sysroot --print-path` for the current one)"
        case .schemaMismatch(let path, let found, let expected):
            return "\(path)/sysroot.json has recipe schema \(found), this build reads \(expected): prepare a new sysroot"
        case .unsupportedMuslSource(let source, let reason):
            return "musl source \(source) cannot be used: \(reason)"
        case .unknownMuslVersion(let version, let choices):
            return "unknown musl version '\(version)' (choices: \(choices.joined(separator: ", ")))"
        case .muslSourceUnavailable(let package, let suite, let reason):
            return "cannot fetch Debian's source package \(package) from \(suite): \(reason)"
        case .muslBuildFailed(let step, let command, let output):
            return "building musl from source failed at \(step): \(Self.tail(output)) (command: \(command))"
        }
    }

    /// The last lines of a tool's output: enough to act on, never a wall.
    static func tail(_ output: String, lines: Int = 8) -> String {
        let kept = output.split(separator: "\n").suffix(lines).joined(separator: "\n")
        return kept.isEmpty ? "(no output)" : kept
    }
}
