/// Bytes as lowercase hexadecimal text ("7ebc65…"), for build IDs and
/// digests. A lookup table, not `String(format:)`: formatting goes through
/// CoreFoundation, which cost inspect an eighth of its time on build IDs.
public enum HexText {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func lowercase(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes { append(byte, to: &text) }
        return String(decoding: text, as: UTF8.self)
    }

    /// One byte's two lowercase digits, appended to UTF-8 text being built
    /// (PrettyJSONText's `\u00XX` escapes).
    static func append(_ byte: UInt8, to text: inout [UInt8]) {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0x0f)])
    }
}
