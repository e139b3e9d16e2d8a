import Foundation

/// JSON text written byte for byte as Foundation's `JSONEncoder` writes it
/// with `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]` (the
/// project's `PrettyJSONEncodable` form), for results printed in bulk.
/// `JSONEncoder` boxes every value and looks up every conformance at run
/// time: it was a quarter of `inspect --json`'s time over a thousand files.
/// `PrettyJSONTextTests` holds the two writers to the same bytes.
public enum PrettyJSONText: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([PrettyJSONText])
    /// Fields in any order: they are written sorted by key, as `.sortedKeys` does.
    case object([(String, PrettyJSONText)])

    public static func == (a: PrettyJSONText, b: PrettyJSONText) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)): return x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
        default: return false
        }
    }

    public static func strings(_ values: [String]) -> PrettyJSONText { .array(values.map { .string($0) }) }
    public static func string(_ value: String?) -> PrettyJSONText { value.map { .string($0) } ?? .null }

    public var data: Data {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(into: &out, depth: 0)
        return Data(out)
    }

    private func write(into out: inout [UInt8], depth: Int) {
        func indent(_ level: Int) { out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level)) }
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .int(let value): out.append(contentsOf: String(value).utf8)
        case .string(let value): Self.writeString(value, into: &out)
        case .array(let values):
            out.append(contentsOf: "[\n".utf8)
            for (i, value) in values.enumerated() {
                if i > 0 { out.append(contentsOf: ",\n".utf8) }
                indent(depth + 1)
                value.write(into: &out, depth: depth + 1)
            }
            out.append(UInt8(ascii: "\n")); indent(depth); out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(contentsOf: "{\n".utf8)
            let sorted = fields.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            for (i, field) in sorted.enumerated() {
                if i > 0 { out.append(contentsOf: ",\n".utf8) }
                indent(depth + 1)
                Self.writeString(field.0, into: &out)
                out.append(contentsOf: " : ".utf8)
                field.1.write(into: &out, depth: depth + 1)
            }
            out.append(UInt8(ascii: "\n")); indent(depth); out.append(UInt8(ascii: "}"))
        }
    }

    /// Quotes, backslashes and control characters escaped; "/" and every
    /// other character, ASCII or not, as it is.
    private static func writeString(_ value: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings need no escape: copied whole.
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(contentsOf: value.utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case 0x08: out.append(contentsOf: "\\b".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0x0a: out.append(contentsOf: "\\n".utf8)
            case 0x0c: out.append(contentsOf: "\\f".utf8)
            case 0x0d: out.append(contentsOf: "\\r".utf8)
            case 0x00..<0x20:
                out.append(contentsOf: "\\u00".utf8)
                HexText.append(byte, to: &out)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
