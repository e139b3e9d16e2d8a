import Foundation

public enum MallocError: Error, CustomStringConvertible, Equatable {
    case unknownWorkload(String, valid: [String])
    case unknownVariant(String, valid: [String])
    case badThreads(String)
    case badDuration(Double)
    case badRepetitions(Int)
    case variantMissing(variant: String, reason: String, buildCommand: String)
    case runFailed(variant: String, workload: String, threads: Int, status: String, stderr: String)
    case badOutput(variant: String, command: String, output: String)
    case allocatorMismatch(variant: String, claimed: String, found: String, evidence: [String])
    case writeFailed(path: String, reason: String)
    case readFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .unknownWorkload(let w, let valid): return "unknown workload '\(w)' (valid: \(valid.joined(separator: ", ")))"
        case .unknownVariant(let v, let valid): return "unknown variant '\(v)' (valid: \(valid.joined(separator: ", ")))"
        case .badThreads(let why): return "bad --threads: \(why)"
        case .badDuration(let d): return "--duration must be a number of seconds between 0.001 and 3600, not \(d)"
        case .badRepetitions(let n): return "repetitions must be at least 1, not \(n)"
        case .variantMissing(let v, let reason, let cmd): return "no \(v) build of malloc-bench (\(reason)); build it with: \(cmd)"
        case .runFailed(let v, let w, let t, let status, let err):
            return "malloc-bench (\(v)) failed on \(w) with \(t) threads: \(status)\n\(err)"
        case .badOutput(let v, let cmd, let out): return "malloc-bench (\(v)) printed no valid result for `\(cmd)`: \(out.prefix(300))"
        case .allocatorMismatch(let v, let claimed, let found, let evidence):
            return "\(v) should carry \(claimed) but carries \(found): \(evidence.joined(separator: "; "))"
        case .writeFailed(let path, let why): return "cannot write \(path): \(why)"
        case .readFailed(let path, let why): return "cannot read \(path): \(why)"
        }
    }
}
