import Foundation

/// One named check. `body` returns the value printed after the id; it must
/// be the same on every run of the same build (no times, PIDs, temp names).
struct Check {
    let id: String
    let body: () async throws -> String
    init(_ id: String, _ body: @escaping () async throws -> String) { self.id = id; self.body = body }
}

let allChecks: [Check] = foundationChecks + timeChecks + textChecks + processChecks
    + concurrencyChecks + libcChecks + crashChecks

/// Tabs and newlines escaped so a value is always one line.
func oneLine(_ s: String) -> String {
    s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\t", with: "\\t")
        .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
}

/// An error as domain/code, without paths or addresses.
func describe(_ error: Error) -> String {
    let ns = error as NSError
    var text = "\(ns.domain) \(ns.code)"
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError {
        text += " (\(underlying.domain) \(underlying.code))"
    }
    return text
}

func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

func cString(_ p: UnsafePointer<CChar>?) -> String { p.map { String(cString: $0) } ?? "nil" }

struct ProbeError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// A fresh private folder; its name never appears in a value.
func withScratchFolder<T>(_ body: (URL) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("conformance-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url)
}

/// This binary's path, for re-executing itself.
func selfPath() -> String {
    if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return p }
    return CommandLine.arguments[0]
}

struct ChildResult {
    var status: Int32
    var signaled: Bool
    var stdout: String
    var stderr: String
}

/// Runs `executable` and collects its output. Pipes are drained on other
/// threads so a chatty child cannot block.
func spawn(_ executable: String, _ args: [String], environment: [String: String]? = nil,
           stdin: String? = nil, cwd: String? = nil) throws -> ChildResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = args
    if let environment { p.environment = environment }
    if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    let out = Pipe(), err = Pipe(), input = Pipe()
    p.standardOutput = out; p.standardError = err
    p.standardInput = stdin == nil ? FileHandle.nullDevice : input
    try p.run()
    if let stdin {
        input.fileHandleForWriting.write(stdin.data(using: .utf8)!)
        try? input.fileHandleForWriting.close()
    }
    let errData = DataBox()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { errData.data = err.fileHandleForReading.readDataToEndOfFile() }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    p.waitUntilExit()
    return ChildResult(status: p.terminationStatus, signaled: p.terminationReason == .uncaughtSignal,
                       stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData.data, as: UTF8.self))
}

/// Re-executes this probe in a helper mode with an environment of its own.
func child(_ mode: String, _ extra: [String] = [], environment: [String: String]? = nil) throws -> ChildResult {
    try spawn(selfPath(), ["--child", mode] + extra, environment: environment)
}

/// The environment the runner gave us, with changes.
func environment(setting: [String: String] = [:], removing: [String] = []) -> [String: String] {
    var env = ProcessInfo.processInfo.environment
    for key in removing { env[key] = nil }
    for (k, v) in setting { env[k] = v }
    return env
}

func signalName(_ s: Int32) -> String {
    switch s {
    case SIGILL: return "SIGILL"
    case SIGTRAP: return "SIGTRAP"
    case SIGABRT: return "SIGABRT"
    case SIGSEGV: return "SIGSEGV"
    case SIGBUS: return "SIGBUS"
    case SIGFPE: return "SIGFPE"
    case SIGKILL: return "SIGKILL"
    case SIGTERM: return "SIGTERM"
    default: return "signal \(s)"
    }
}

private final class DataBox: @unchecked Sendable { var data = Data() }
