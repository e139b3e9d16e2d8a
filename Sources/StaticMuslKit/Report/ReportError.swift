import Foundation

/// What can go wrong while making, reading or comparing a report. Each case
/// names the file or field the user has to look at.
public enum ReportError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, why: String)
    case invalidJSON(path: String, why: String)
    case unsupportedSchema(path: String, found: Int, supported: Int)
    case notADirectory(String)
    case writeFailed(path: String, why: String)
    case badOption(String)

    public var description: String {
        switch self {
        case .unreadable(let path, let why): return "cannot read \(path): \(why)"
        case .invalidJSON(let path, let why): return "\(path) is not a valid report input: \(why)"
        case .unsupportedSchema(let path, let found, let supported):
            return "\(path) has schema_version \(found); this static-musl reads schema_version \(supported)"
        case .notADirectory(let path): return "\(path) is not a directory of suite JSON files"
        case .writeFailed(let path, let why): return "cannot write \(path): \(why)"
        case .badOption(let why): return why
        }
    }

    /// "results[3].status: key not found" from a DecodingError.
    static func describe(_ error: Error) -> String {
        func path(_ keys: [CodingKey]) -> String {
            var out = ""
            for k in keys {
                if let i = k.intValue { out += "[\(i)]" } else { out += (out.isEmpty ? "" : ".") + k.stringValue }
            }
            return out.isEmpty ? "top level" : out
        }
        guard let e = error as? DecodingError else { return "\(error)" }
        switch e {
        case .keyNotFound(let key, let ctx):
            return "\(path(ctx.codingPath + [key])): required field is missing"
        case .typeMismatch(let type, let ctx):
            return "\(path(ctx.codingPath)): expected \(type)"
        case .valueNotFound(let type, let ctx):
            return "\(path(ctx.codingPath)): expected \(type), found null"
        case .dataCorrupted(let ctx):
            let under = (ctx.underlyingError as NSError?)?.userInfo["NSDebugDescription"] as? String
            return "\(path(ctx.codingPath)): \(under ?? ctx.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
