import Foundation

/// What a finished child process left behind.
public struct ProcessResult: Codable, Sendable, Equatable {
    public var exitStatus: Int32?      // nil when killed by a signal
    public var signal: Int32?          // the terminating signal, if any
    public var stdout: String
    public var stderr: String
    public var timedOut: Bool
    public var elapsedMs: Double

    public var succeeded: Bool { exitStatus == 0 && !timedOut }
}

public enum ProcessError: Error, CustomStringConvertible {
    case executableNotFound(String)
    case launchFailed(String, String)

    public var description: String {
        switch self {
        case .executableNotFound(let name):
            return "executable not found: \(name) (is the package that provides it installed?)"
        case .launchFailed(let path, let why):
            return "could not start \(path): \(why)"
        }
    }
}

/// Runs a child with a hard timeout. Output goes to temporary files, not
/// pipes, so a chatty child can never deadlock against us.
public enum ProcessRunner {
    /// Looks a command up on PATH (plus the sbin folders, which root's
    /// non-login shells sometimes lack).
    public static func which(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
            + ":/usr/local/sbin:/usr/sbin:/sbin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    public static func run(_ executable: String, _ arguments: [String] = [],
                           environment: [String: String]? = nil,
                           currentDirectory: String? = nil,
                           stdin: String? = nil,
                           timeout: Double = 60) throws -> ProcessResult {
        guard let path = which(executable) else { throw ProcessError.executableNotFound(executable) }
        let tmp = FileManager.default.temporaryDirectory
            .appendingPathComponent("static-musl-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let outURL = tmp.appendingPathComponent("stdout"), errURL = tmp.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        process.standardOutput = outHandle
        process.standardError = errHandle
        let inPipe = Pipe()
        process.standardInput = stdin == nil ? FileHandle.nullDevice : inPipe

        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        let start = DispatchTime.now()
        do { try process.run() } catch {
            throw ProcessError.launchFailed(path, "\(error)")
        }
        if let stdin {
            inPipe.fileHandleForWriting.write(stdin.data(using: .utf8) ?? Data())
            try? inPipe.fileHandleForWriting.close()
        }
        var timedOut = false
        if done.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            done.wait()
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
        try? outHandle.close(); try? errHandle.close()
        let out = (try? String(contentsOf: outURL, encoding: .utf8)) ?? String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self)
        let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
        let signaled = process.terminationReason == .uncaughtSignal
        return ProcessResult(exitStatus: signaled ? nil : process.terminationStatus,
                             signal: signaled ? process.terminationStatus : nil,
                             stdout: out, stderr: err, timedOut: timedOut, elapsedMs: elapsed)
    }
}
