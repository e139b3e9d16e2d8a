import Foundation

/// Plain words for Foundation's file errors, so a message names the path and
/// the reason ("no such file") instead of "The file “x” couldn’t be opened
/// because there is no such file." or an NSCocoaErrorDomain dump.
public enum FileFailure {
    /// Why a file operation failed, in a few lowercase words.
    public static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return posix(Int32(ns.code)) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return posix(Int32(underlying.code))
        }
        if ns.domain == NSCocoaErrorDomain {
            // A generic code (256, "could not be completed"): what the path itself is says more.
            let path = ns.userInfo[NSFilePathErrorKey] as? String ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
            if let path, let why = problem(with: path) { return why }
            switch CocoaError.Code(rawValue: ns.code) {
            case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file"
            case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
            case .fileReadInapplicableStringEncoding, .fileReadUnknownStringEncoding: return "not UTF-8 text"
            case .fileReadTooLarge: return "too large to read"
            case .fileWriteOutOfSpace: return "no space left on the device"
            case .fileWriteVolumeReadOnly: return "the file system is read-only"
            case .fileWriteFileExists: return "it already exists"
            case .fileReadCorruptFile: return "its contents are not in the expected format"
            default: return "file error \(ns.code)"
            }
        }
        if let decoding = error as? DecodingError { return JSONProblem.describe(decoding) }
        return "\(error)"
    }

    /// Why `path` cannot be read as a file, if it plainly cannot: missing, a folder, no permission.
    public static func problem(with path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return posix(errno) }
        if info.st_mode & S_IFMT == S_IFDIR { return "it is a folder" }
        if access(path, R_OK) != 0 { return "permission denied" }
        return nil
    }

    static func posix(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file"
        case EISDIR: return "it is a folder"
        case ENOTDIR: return "a part of the path is not a folder"
        case EACCES, EPERM: return "permission denied"
        default: return String(cString: strerror(code)).lowercased()
        }
    }
}

/// A JSON decoding failure in plain words: which key, which value, what was expected.
public enum JSONProblem {
    public static func describe(_ error: DecodingError) -> String {
        func at(_ path: [CodingKey]) -> String {
            path.isEmpty ? "the top level" : path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(at(context.codingPath)) is not \(article(type)): \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            return "\(at(context.codingPath)) is null, expected \(article(type))"
        case .keyNotFound(let key, let context):
            return "\(at(context.codingPath + [key])) is missing"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "\(at(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    static func article(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a \(name)"
        }
    }
}
