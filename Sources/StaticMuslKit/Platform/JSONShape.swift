import Foundation

/// What a JSONSerialization value is, in words, for messages that say what
/// was found where something else was expected.
enum JSONShape {
    static func kind(_ value: Any) -> String {
        switch value {
        case is NSNull: return "null"
        case is String: return "a string"
        case is [Any]: return "an array"
        case is [String: Any]: return "an object"
        case let n as NSNumber:
            if isBoolean(n) { return "a boolean" }
            if integer(n) != nil { return "the integer \(n)" }
            return "the number \(n)"
        default: return "\(type(of: value))"
        }
    }

    /// An integer that fits in Int, or nil (a string, a boolean, a fraction, 10^30).
    static func integer(_ value: Any) -> Int? {
        guard let n = value as? NSNumber, !isBoolean(n) else { return nil }
        let d = n.doubleValue
        guard d.rounded() == d, abs(d) < 9.0e18 else { return nil }
        return n.intValue
    }

    /// JSON true/false (JSONSerialization gives a boolean NSNumber, objCType "c").
    static func isBoolean(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }

    /// The value a decoding path points at, if it is there.
    static func value(at path: [CodingKey], in document: Any) -> Any? {
        var current: Any = document
        for key in path {
            if let i = key.intValue, let array = current as? [Any] {
                guard i >= 0, i < array.count else { return nil }
                current = array[i]
            } else if let object = current as? [String: Any], let next = object[key.stringValue] {
                current = next
            } else {
                return nil
            }
        }
        return current
    }

    /// JSONSerialization's reason, in one line.
    static func syntaxError(_ error: Error) -> String {
        let ns = error as NSError
        let text = (ns.userInfo["NSDebugDescription"] as? String) ?? ns.localizedDescription
        return text.replacingOccurrences(of: "\n", with: " ")
    }
}
