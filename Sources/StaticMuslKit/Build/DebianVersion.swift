import Foundation

/// A Debian package version (`[epoch:]upstream[-revision]`), ordered as
/// dpkg orders them (deb-version(7)): a `~` sorts before anything, even the
/// end of the string, so 1.2.5-3.1~deb13u1 comes before 1.2.5-3.1.
public struct DebianVersion: Comparable, Hashable, Sendable, CustomStringConvertible {
    public let text: String
    public let epoch: Int
    public let upstream: String
    public let revision: String

    public init(_ text: String) {
        self.text = text
        var rest = Substring(text)
        if let colon = rest.firstIndex(of: ":"), let e = Int(rest[..<colon]) {
            epoch = e
            rest = rest[rest.index(after: colon)...]
        } else {
            epoch = 0
        }
        if let dash = rest.lastIndex(of: "-") {
            upstream = String(rest[..<dash])
            revision = String(rest[rest.index(after: dash)...])
        } else {
            upstream = String(rest)
            revision = ""
        }
    }

    public var description: String { text }

    /// Without the epoch: how dpkg-source and apt name files and folders.
    public var withoutEpoch: String {
        guard let colon = text.firstIndex(of: ":") else { return text }
        return String(text[text.index(after: colon)...])
    }

    public static func < (a: DebianVersion, b: DebianVersion) -> Bool {
        if a.epoch != b.epoch { return a.epoch < b.epoch }
        let upstream = compare(a.upstream, b.upstream)
        if upstream != 0 { return upstream < 0 }
        return compare(a.revision, b.revision) < 0
    }

    public static func == (a: DebianVersion, b: DebianVersion) -> Bool {
        a.epoch == b.epoch && compare(a.upstream, b.upstream) == 0 && compare(a.revision, b.revision) == 0
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    /// dpkg's verrevcmp: alternating non-digit and digit runs; in the
    /// non-digit runs `~` < end < letters < other characters.
    static func compare(_ a: String, _ b: String) -> Int {
        let x = Array(a.utf8), y = Array(b.utf8)
        var i = 0, j = 0
        func order(_ c: UInt8?) -> Int {
            guard let c else { return 0 }
            if c == UInt8(ascii: "~") { return -1 }
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) { return 0 }
            if (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c) { return Int(c) }
            return Int(c) + 256
        }
        func isDigit(_ c: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) }
        while i < x.count || j < y.count {
            var firstDifference = 0
            while (i < x.count && !isDigit(x[i])) || (j < y.count && !isDigit(y[j])) {
                let ac = order(i < x.count ? x[i] : nil), bc = order(j < y.count ? y[j] : nil)
                if ac != bc { return ac - bc }
                i += 1; j += 1
            }
            while i < x.count && x[i] == UInt8(ascii: "0") { i += 1 }
            while j < y.count && y[j] == UInt8(ascii: "0") { j += 1 }
            while i < x.count && isDigit(x[i]) && j < y.count && isDigit(y[j]) {
                if firstDifference == 0 { firstDifference = Int(x[i]) - Int(y[j]) }
                i += 1; j += 1
            }
            if i < x.count && isDigit(x[i]) { return 1 }
            if j < y.count && isDigit(y[j]) { return -1 }
            if firstDifference != 0 { return firstDifference }
        }
        return 0
    }
}
