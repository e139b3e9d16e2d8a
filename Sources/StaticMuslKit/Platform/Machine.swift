import Foundation

/// The machine a measurement ran on: the report's header and every suite's
/// machine block use this one type, read once from /proc.
public struct Machine: Codable, Sendable, Equatable {
    public var hostname: String
    /// The kernel release, e.g. "6.1.0-18-amd64".
    public var kernel: String
    /// The CPU's "model name" from /proc/cpuinfo.
    public var cpuModel: String
    public var cores: Int
    public var memoryMb: Int?
    public var arch: String

    public init(hostname: String, kernel: String, cpuModel: String, cores: Int, memoryMb: Int?, arch: String) {
        self.hostname = hostname; self.kernel = kernel; self.cpuModel = cpuModel; self.cores = cores
        self.memoryMb = memoryMb; self.arch = arch
    }

    enum CodingKeys: String, CodingKey {
        case hostname, kernel, cores, arch, cpuModel = "cpu_model", memoryMb = "memory_mb"
        /// The DNS suite's name for cores before there was one machine type.
        case cpus
    }

    /// Also reads the machine blocks written before there was one type (the
    /// DNS suite's `{cpus, kernel}`, the malloc bench's `{cores, cpu_model,
    /// kernel, musl, glibc}`): what they lack is "unknown".
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hostname = try c.decodeIfPresent(String.self, forKey: .hostname) ?? "unknown"
        kernel = try c.decodeIfPresent(String.self, forKey: .kernel) ?? "unknown"
        cpuModel = try c.decodeIfPresent(String.self, forKey: .cpuModel) ?? "unknown"
        guard let cores = try c.decodeIfPresent(Int.self, forKey: .cores) ?? c.decodeIfPresent(Int.self, forKey: .cpus) else {
            throw DecodingError.keyNotFound(CodingKeys.cores, .init(codingPath: c.codingPath, debugDescription: "no cores (or cpus)"))
        }
        self.cores = cores
        memoryMb = try c.decodeIfPresent(Int.self, forKey: .memoryMb)
        arch = try c.decodeIfPresent(String.self, forKey: .arch) ?? "unknown"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(hostname, forKey: .hostname); try c.encode(kernel, forKey: .kernel)
        try c.encode(cpuModel, forKey: .cpuModel); try c.encode(cores, forKey: .cores)
        try c.encodeIfPresent(memoryMb, forKey: .memoryMb); try c.encode(arch, forKey: .arch)
    }

    /// This machine, now.
    public static func current() -> Machine {
        #if arch(x86_64)
        let arch = "x86_64"
        #elseif arch(arm64)
        let arch = "aarch64"
        #else
        let arch = "unknown"
        #endif
        return Machine(hostname: ProcessInfo.processInfo.hostName, kernel: kernelRelease, cpuModel: cpuModelName, cores: cores,
                       memoryMb: Int(ProcessInfo.processInfo.physicalMemory / 1_048_576), arch: arch)
    }

    public static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }

    static let kernelRelease: String = read("/proc/sys/kernel/osrelease")?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown"

    static let cpuModelName: String = read("/proc/cpuinfo")?.split(separator: "\n")
        .first { $0.hasPrefix("model name") }
        .flatMap { $0.split(separator: ":", maxSplits: 1).last }
        .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"

    private static func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }
}
