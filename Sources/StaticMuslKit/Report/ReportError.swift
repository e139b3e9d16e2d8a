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
    /// `--column` given something that is not `OLD=NEW`.
    case malformedColumnSpec(String)
    /// `--column` names a column the report's verdict table does not have.
    case unknownColumn(String, path: String, columns: [String])

    public var description: String {
        switch self {
        case .unreadable(let path, let why): return "cannot read \(path): \(why)"
        case .invalidJSON(let path, let why): return "\(path) is not a valid report input: \(why)"
        case .unsupportedSchema(let path, let found, let supported):
            return "\(path) has schema_version \(found); this static-musl reads schema_version \(supported)"
        case .notADirectory(let path): return "\(path) is not a directory of suite JSON files"
        case .writeFailed(let path, let why): return "cannot write \(path): \(why)"
        case .badOption(let why): return why
        case .malformedColumnSpec(let spec):
            return "--column \"\(spec)\" is not OLD=NEW (a column of OLD.json, then one of NEW.json, e.g. musl-1.2.3=musl)"
        case .unknownColumn(let column, let path, let columns):
            return "\(path) has no column \"\(column)\"; its columns are \(columns.joined(separator: ", "))"
        }
    }

    /// "results[3].status: key not found" from a DecodingError; with the
    /// parsed document, a type mismatch also says what the value is
    /// ("header.date is a number, expected a string").
    static func describe(_ error: Error, in document: Any) -> String {
        if case .typeMismatch(let type, let ctx)? = error as? DecodingError,
           let value = JSONShape.value(at: ctx.codingPath, in: document) {
            let path = ctx.codingPath.reduce("") { out, k in k.intValue.map { out + "[\($0)]" } ?? out + (out.isEmpty ? "" : ".") + k.stringValue }
            return "\(path.isEmpty ? "the top level" : path) is \(JSONShape.kind(value)), expected \(JSONProblem.article(type))"
        }
        if case .dataCorrupted(let ctx)? = error as? DecodingError, let value = JSONShape.value(at: ctx.codingPath, in: document),
           value is NSNumber {
            let path = ctx.codingPath.reduce("") { out, k in k.intValue.map { out + "[\($0)]" } ?? out + (out.isEmpty ? "" : ".") + k.stringValue }
            return "\(path) is \(JSONShape.kind(value)), which does not fit the expected type"
        }
        return describe(error)
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
