/// Bytes as lowercase hexadecimal text ("7ebc65…"), for build IDs and
/// digests. A lookup table, not `String(format:)`: formatting goes through
/// CoreFoundation, which cost inspect an eighth of its time on build IDs.
public enum HexText {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func lowercase(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
