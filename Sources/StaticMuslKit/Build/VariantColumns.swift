import Foundation

/// How the suites' variant names map onto the verdict table's columns. A
/// column is a build variant, or the musl variant linked against another
/// musl than the default (`musl-1.2.3`). The DNS and conformance suites name
/// probes by language and libc, the malloc suite by libc and allocator, the
/// scratch-readiness battery by C probe; names that already are build
/// variants map to themselves.
public enum VariantColumns {
    /// One column's names in the suites' JSON; nil where a suite has none.
    public struct Names: Sendable, Equatable {
        /// The verdict table's column: a `Variant` raw value or `musl-<version>`.
        public var column: String
        /// The Swift DNS probe, also the conformance suite's label for the column.
        public var swiftProbe: String?
        /// The C probe of the DNS lab and the scratch-readiness battery. It
        /// stands for the column only where the column has no row of its own
        /// (scratch) and when two reports are compared column against column.
        public var cProbe: String?
        /// The malloc suite's variant.
        public var malloc: String?
        /// The musl version of a column that is "musl, linked against another musl"; nil otherwise.
        public var otherMuslVersion: String?

        /// The names every suite gives a build on musl `version` (other than the default):
        /// `swift-musl-1.2.5-static`, `c-musl-1.2.5-static`, `musl-1.2.5-static`.
        static func otherMusl(_ version: String) -> Names {
            let names = OtherMuslNames(version)
            return Names(column: names.column, swiftProbe: names.swiftProbe, cProbe: names.cProbe, malloc: names.malloc,
                         otherMuslVersion: version)
        }

        /// Every name of the column, the column's own first.
        var suiteNames: [String] { [column] + [swiftProbe, cProbe, malloc].compactMap { $0 } }
    }

    /// `musl-1.2.5`: the column of the musl variant linked against musl `version`.
    public static func otherMuslColumn(_ version: String) -> String { OtherMuslNames(version).column }

    /// Every known column with its names, in the verdict table's order: the
    /// build variants, with a `musl-<version>` column for every version
    /// `--musl` knows right after `musl`. A report shows such a column only
    /// where a suite measured that musl (`ReportBuilder.otherMuslColumns`), so
    /// a report made while the other default was in force (its other musl
    /// being today's default) still renders and compares column for column.
    public static let all: [Names] = Variant.allCases.flatMap { v -> [Names] in
        let own = names(of: v)
        return v == .musl ? [own] + MuslSource.versions.map(Names.otherMusl) : [own]
    }

    /// A build variant's names in the suites' one vocabulary (`ProbeVariant`):
    /// a Swift probe where dns-probe or conformance-probe is built in it, a C
    /// probe where `CProgramBuilder` links one, a malloc build where
    /// malloc-bench is.
    static func names(of v: Variant) -> Names {
        let hasCProbe: Set<Variant> = [.musl, .glibcStatic, .glibcDynamic, .muslCAres]
        let hasSwiftProbe = v != .sdk
        let hasMalloc = v != .sdk && v != .embeddedMusl
        return Names(column: v.rawValue,
                     swiftProbe: hasSwiftProbe ? ProbeVariant(.swift, v).name : nil,
                     cProbe: hasCProbe.contains(v) ? ProbeVariant(.c, v).name : nil,
                     malloc: hasMalloc ? ProbeVariant(nil, v).name : nil)
    }

    /// The names of a column, or nil for a column this table does not know.
    public static func names(ofColumn column: String) -> Names? { all.first { $0.column == column } }

    /// The column a suite's variant name stands for: the column itself, its
    /// Swift probe or its malloc variant. C probes stand for no column here.
    public static func columnName(for suiteVariant: String) -> String? {
        all.first { $0.column == suiteVariant || $0.swiftProbe == suiteVariant || $0.malloc == suiteVariant }?.column
    }

    /// As `columnName(for:)`, for the names that stand for a build variant.
    public static func column(for suiteVariant: String) -> Variant? {
        columnName(for: suiteVariant).flatMap(Variant.init(rawValue:))
    }

    /// The verdict table's order: known columns as `all` lists them, then the others by name.
    static func precedes(_ a: String, _ b: String) -> Bool {
        let rank = { (c: String) in all.firstIndex { $0.column == c } ?? Int.max }
        let (x, y) = (rank(a), rank(b))
        return x != y ? x < y : a < b
    }

    /// The suite variant that stands for the baseline column, in preference order.
    static let dnsBaselines = ["swift-glibc-dynamic", "c-glibc-dynamic"]
    static let conformanceBaselines = ["swift-glibc-dynamic", "glibc-dynamic", "swift-glibc-static", "glibc-static"]
    static let mallocBaselines = ["glibc-dynamic", "glibc-static"]
}
