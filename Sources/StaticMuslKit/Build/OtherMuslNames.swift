import Foundation

/// The names every suite gives a build on a musl other than the default, in
/// one place: the DNS lab's probes (`c-musl-1.2.3-static`,
/// `swift-musl-1.2.3-static`) and alternative ("musl 1.2.3"), the malloc
/// bench's variant (`musl-1.2.3-static`), the scratch battery's C probe and
/// the report's column (`musl-1.2.3`).
public struct OtherMuslNames: Sendable, Equatable {
    public var version: String

    public init(_ version: String) { self.version = version }

    /// The names of `MuslSource.otherVersion`.
    public static var current: OtherMuslNames { OtherMuslNames(MuslSource.otherVersion) }

    /// The version an alternative's name ("musl 1.2.3") stands for; nil for
    /// any other name ("musl+c-ares").
    public init?(alternative name: String) {
        guard name.hasPrefix("musl "), name.count > "musl ".count else { return nil }
        self.init(String(name.dropFirst("musl ".count)))
    }

    public var cProbe: String { ProbeVariant(.c, .musl, muslVersion: version).name }
    public var swiftProbe: String { ProbeVariant(.swift, .musl, muslVersion: version).name }
    public var malloc: String { ProbeVariant(nil, .musl, muslVersion: version).name }
    public var column: String { "musl-" + version }
    public var alternative: String { "musl \(version)" }
}

/// Cases whose raw values are computed (some carry the other musl's
/// version), so the compiler cannot derive `init?(rawValue:)`: it finds the
/// case whose `rawValue` matches.
public protocol ComputedRawValueCases: CaseIterable, RawRepresentable where RawValue == String {}

extension ComputedRawValueCases {
    public init?(rawValue: String) {
        guard let match = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = match
    }
}
