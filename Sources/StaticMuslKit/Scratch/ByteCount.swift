import Foundation

/// A size as users write it for the scratch limits: "268435456", "512k",
/// "256M", "1G" (powers of 1024; a trailing "iB" or "B" is accepted).
public enum ByteCount {
    /// The bytes `text` names, or nil when it is not a whole number above 0
    /// with an optional K, M, G or T suffix, or overflows.
    public static func parse(_ text: String) -> UInt64? {
        var digits = text.trimmingCharacters(in: .whitespaces).uppercased()
        for suffix in ["IB", "B"] where digits.hasSuffix(suffix) && digits.count > suffix.count {
            digits.removeLast(suffix.count)
            break
        }
        let shifts: [Character: UInt64] = ["K": 10, "M": 20, "G": 30, "T": 40]
        var shift: UInt64 = 0
        if let last = digits.last, let s = shifts[last] { shift = s; digits.removeLast() }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let value = UInt64(digits), value > 0 else { return nil }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: 1 << shift)
        return overflow ? nil : bytes
    }
}
