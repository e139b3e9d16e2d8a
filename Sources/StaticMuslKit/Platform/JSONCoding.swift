import Foundation

/// The project's JSON coder, in one place. Result files are pretty, with
/// sorted keys and slashes as they are (paths stay readable, diffs stay
/// stable); plans and JSON Lines logs are the same on one line. Every type
/// names its own keys (CodingKeys), so reading needs no strategy.
public enum JSONCoding {
    /// Result files: what the CLI prints and the report reads.
    public static func prettyEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// One value per line (JSON Lines), or a plan a child process reads.
    public static func lineEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func pretty<T: Encodable>(_ value: T) throws -> Data { try prettyEncoder().encode(value) }
    public static func line<T: Encodable>(_ value: T) throws -> Data { try lineEncoder().encode(value) }

    /// Reads what these encoders (or a suite's CLI) wrote.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try JSONDecoder().decode(type, from: data)
    }
}

/// Results that print as stable JSON (`JSONCoding.prettyEncoder`), the form
/// the CLI prints and the report reads.
public protocol PrettyJSONEncodable: Encodable {
    /// The JSON text; a type printed in bulk may write it itself (`PrettyJSONText`), in the same form.
    func jsonData() throws -> Data
}

extension PrettyJSONEncodable {
    public func jsonData() throws -> Data { try JSONCoding.pretty(self) }
}
