import Foundation

/// Facts about the machine a measurement ran on, read once from /proc.
/// Every suite's "machine" block is built from these.
public enum HostMachine {
    public static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// The kernel release, e.g. "6.1.0-18-amd64".
    public static let kernelRelease: String = read("/proc/sys/kernel/osrelease")?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown"

    /// The CPU's "model name" from /proc/cpuinfo.
    public static let cpuModel: String = read("/proc/cpuinfo")?.split(separator: "\n")
        .first { $0.hasPrefix("model name") }
        .flatMap { $0.split(separator: ":", maxSplits: 1).last }
        .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"

    private static func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }
}
