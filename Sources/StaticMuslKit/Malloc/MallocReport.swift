import Foundation

/// The builds the malloc suite compares. Raw values are the variant names
/// in the JSON; `buildVariant` is the dist folder build-static.sh uses, in
/// the dist of `muslVersion` (the other musl's builds go to a folder of their own).
public enum MallocVariant: ComputedRawValueCases, Codable, Sendable {
    case glibcStatic
    case glibcDynamic
    case muslStatic
    /// mallocng as the other musl version ships it (`MuslSource.otherVersion`;
    /// 1.2.4 stopped calling madvise on free): "musl-1.2.3-static".
    case muslOtherStatic
    case muslMimalloc
    /// `--resolver c-ares`: the allocator is musl's own; a control column.
    case muslCAres

    /// The build, in the suites' one vocabulary (no language: malloc-bench
    /// is the one probe); `rawValue` is its name.
    public var probe: ProbeVariant {
        switch self {
        case .glibcStatic: return ProbeVariant(nil, .glibcStatic)
        case .glibcDynamic: return ProbeVariant(nil, .glibcDynamic)
        case .muslStatic: return ProbeVariant(nil, .musl)
        case .muslOtherStatic: return ProbeVariant(nil, .musl, muslVersion: MuslSource.otherVersion)
        case .muslMimalloc: return ProbeVariant(nil, .muslMimalloc)
        case .muslCAres: return ProbeVariant(nil, .muslCAres)
        }
    }

    public var rawValue: String { probe.name }
    public var buildVariant: Variant { probe.build }

    /// The musl its build links, when it is not the default one.
    public var muslVersion: String? { probe.muslVersion }

    /// The allocator this build must carry: "ptmalloc", "mallocng" or "mimalloc".
    public var claimedAllocator: String {
        switch self {
        case .glibcStatic, .glibcDynamic: return "ptmalloc"
        case .muslStatic, .muslOtherStatic, .muslCAres: return "mallocng"
        case .muslMimalloc: return "mimalloc"
        }
    }
}

/// The workloads, in CShim/probe/malloc_wl_*.c. Raw values are the names in
/// the JSON and on the command line.
public enum MallocWorkload: String, Codable, CaseIterable, Sendable {
    case threadLocal = "thread-local"
    case smallChurn = "small-churn"
    case producerConsumer = "producer-consumer"
    case crossThread = "cross-thread"
    case medium = "medium"
    case falseSharing = "false-sharing"

    /// What the workload exposes, for reports.
    public var exposes: String {
        switch self {
        case .threadLocal: return "thread-local malloc/free of 4–32768 bytes (inverse-square sizes, 1024 slots per thread): the global-lock cost of each call"
        case .smallChurn: return "64 slots of 16–512 bytes allocated then all freed, repeatedly: allocators that release and re-map whole groups on every cycle"
        case .producerConsumer: return "64-byte objects allocated by half the threads and freed by the other half: remote frees"
        case .crossThread: return "larson-style: blocks outlive the thread that allocated them and are freed by its successor; threads exit and respawn"
        case .medium: return "4–128 KiB blocks with realloc, one byte written per page: madvise/munmap on free and page faults"
        case .falseSharing: return "cache-scratch: tiny objects written repeatedly by each thread: allocators that put different threads' objects on one cache line"
        }
    }
}

/// `static-musl bench malloc` results. Encodes to the JSON shape:
/// {"schema_version", "suite", "generated", "machine", "versions", "settings",
///  "variants": [...allocator checks...], "results": [...]}.
public struct MallocReport: Codable, Sendable {
    public static let schemaVersion = 1

    public var schemaVersion = MallocReport.schemaVersion
    public var suite = "malloc"
    public var generated: String
    public var machine: Machine
    public var versions: ToolchainVersions
    public var settings: Settings
    public var variants: [VariantInfo]
    public var results: [Result]
    public var notes: [String]

    public struct Settings: Codable, Sendable {
        public var quick: Bool
        public var durationS: Double
        public var warmupS: Double
        public var repetitions: Int
        public var workloads: [String]
        public var threads: [Int]
        public var variants: [String]
        enum CodingKeys: String, CodingKey {
            case quick, repetitions, workloads, threads, variants
            case durationS = "duration_s", warmupS = "warmup_s"
        }
    }

    /// One benchmarked binary and the allocator found in it.
    public struct VariantInfo: Codable, Sendable {
        public var variant: String
        public var path: String
        public var libc: String
        public var libcVersion: String
        public var allocator: AllocatorCheck
        enum CodingKeys: String, CodingKey { case variant, path, libc, allocator, libcVersion = "libc_version" }
    }

    public struct Stats: Codable, Sendable, Equatable {
        public var median: Double
        public var min: Double
        public var max: Double

        public init(_ values: [Double]) {
            let s = values.sorted()
            median = s.isEmpty ? 0 : s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
            min = s.first ?? 0
            max = s.last ?? 0
        }
    }

    /// One (workload, variant, threads) cell. With threads == 1 there are
    /// two cells: `spawned` false (on the main thread, before any
    /// pthread_create: musl skips its malloc lock) and true.
    public struct Result: Codable, Sendable {
        public var workload: String
        public var variant: String
        public var threads: Int
        public var spawned: Bool
        public var repetitions: Int
        public var opsPerSec: Stats
        /// Wall nanoseconds per operation per thread: threads × 1e9 / median ops/s.
        public var nsPerOp: Double
        /// median ops/s ÷ (threads × median ops/s of the spawned 1-thread run); nil without one.
        public var efficiency: Double?
        /// CPU time and peak RSS of the median repetition's process.
        public var userS: Double
        public var sysS: Double
        public var peakRssKb: Int64

        enum CodingKeys: String, CodingKey {
            case workload, variant, threads, spawned, repetitions, efficiency
            case opsPerSec = "ops_per_sec", nsPerOp = "ns_per_op", userS = "user_s", sysS = "sys_s", peakRssKb = "peak_rss_kb"
        }

        /// As synthesized, but `efficiency` is written as null rather than left out.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(workload, forKey: .workload)
            try c.encode(variant, forKey: .variant)
            try c.encode(threads, forKey: .threads)
            try c.encode(spawned, forKey: .spawned)
            try c.encode(repetitions, forKey: .repetitions)
            try c.encode(opsPerSec, forKey: .opsPerSec)
            try c.encode(nsPerOp, forKey: .nsPerOp)
            try c.encode(efficiency, forKey: .efficiency)
            try c.encode(userS, forKey: .userS)
            try c.encode(sysS, forKey: .sysS)
            try c.encode(peakRssKb, forKey: .peakRssKb)
        }
    }

    enum CodingKeys: String, CodingKey {
        case suite, generated, machine, versions, settings, variants, results, notes
        case schemaVersion = "schema_version"
    }

    /// The cell for (workload, variant, threads); threads == 1 gives the spawned one unless `spawned` says otherwise.
    public func result(_ workload: String, _ variant: String, threads: Int, spawned: Bool = true) -> Result? {
        results.first { $0.workload == workload && $0.variant == variant && $0.threads == threads
            && ($0.spawned == spawned || threads > 1) }
    }

    public func jsonData() throws -> Data { try JSONCoding.pretty(self) }
}
