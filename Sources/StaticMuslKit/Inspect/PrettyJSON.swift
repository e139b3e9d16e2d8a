import Foundation

/// Results that print as stable JSON (sorted keys, unescaped slashes), the
/// form the CLI prints and the report reads.
public protocol PrettyJSONEncodable: Encodable {
    /// The JSON text; a type printed in bulk may write it itself (`PrettyJSONText`), in the same form.
    func jsonData() throws -> Data
}

extension PrettyJSONEncodable {
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
