import Foundation

/// What `static-musl size` finds: where every byte of one binary comes
/// from. Encodes to the JSON shape in docs/size.md (snake_case keys).
public struct SizeReport: Codable, Sendable {
    public static let currentSchema = 1

    public var schemaVersion = SizeReport.currentSchema
    public var suite = "size"
    public var versions: ToolchainVersions
    public var binary: String
    public var map: String?
    public var linker: String?                 // "gnu-ld" or "gold", from the map
    public var fileSize: Int
    /// Bytes placed in a bucket below (everything but `unexplained`).
    public var explainedBytes: Int
    public var explainedFraction: Double
    /// Bytes attributed to a named archive or object file (the inputs).
    public var inputBytes: Int
    /// inputBytes / fileSize: the share explained by archive or module.
    public var inputFraction: Double
    /// inputBytes / the bytes of the sections the link map describes.
    public var inputFractionOfMapped: Double
    public var buckets: [Bucket]
    public var sections: [Section]
    public var segments: [Segment]
    public var swiftMetadata: SwiftMetadata
    public var archives: [Archive]
    public var modules: [Module]
    public var members: [Member]
    public var membersTotal: Int
    public var heavyArchives: [HeavyArchive]

    /// Top-level explanation of the file: one row per archive or target,
    /// plus what the linker made and the ELF's own overhead.
    public struct Bucket: Codable, Sendable, Equatable {
        public var name: String
        public var kind: String   // "archive", "target", "object", "linker", "symbols", "headers", "unexplained"
        public var bytes: Int
    }

    public struct Section: Codable, Sendable, Equatable {
        public var name: String
        public var type: String
        public var size: Int
        public var fileSize: Int
        public var address: UInt64
        public var alloc: Bool
        /// Bytes the link map attributes to inputs in this section.
        public var mappedBytes: Int?
        enum CodingKeys: String, CodingKey {
            case name, type, size, address, alloc
            case fileSize = "file_size", mappedBytes = "mapped_bytes"
        }
    }

    public struct Segment: Codable, Sendable, Equatable {
        public var type: String
        public var offset: UInt64
        public var fileSize: Int
        public var memSize: Int
        public var flags: String
        enum CodingKeys: String, CodingKey { case type, offset, flags, fileSize = "file_size", memSize = "mem_size" }
    }

    public struct SwiftMetadata: Codable, Sendable, Equatable {
        public var total: Int
        public var sections: [NamedSize]
    }

    public struct NamedSize: Codable, Sendable, Equatable {
        public var name: String
        public var size: Int
    }

    public struct Archive: Codable, Sendable, Equatable {
        public var archive: String        // file name, e.g. lib_FoundationICU.a
        public var path: String
        public var bytes: Int
        public var members: Int
        public var sections: [NamedSize]  // largest output sections of its bytes
        /// The first chain of references that pulled this archive in.
        public var why: Chain?
    }

    public struct Member: Codable, Sendable, Equatable {
        public var archive: String
        public var member: String
        public var bytes: Int
    }

    public struct Module: Codable, Sendable, Equatable {
        public var module: String
        public var kind: String           // "swiftpm-target", "toolchain-archive", "system-archive", "recipe-archive", "object"
        public var bytes: Int
    }

    /// `lib_FoundationICU.a(x) ← libFoundationInternationalization.a(y) (sym) ← … ← main.swift.o (sym)`.
    public struct Chain: Codable, Sendable, Equatable {
        public var steps: [Step]
        public var text: String
        public struct Step: Codable, Sendable, Equatable {
            public var file: String
            public var module: String
            /// The symbol this file referenced that pulled the previous step in (nil for the first step).
            public var symbol: String?
        }
    }

    /// An archive whose presence a user may want to question.
    public struct HeavyArchive: Codable, Sendable, Equatable {
        public var archive: String
        public var bytes: Int
        public var members: Int
        /// References from outside the archive that pulled its members in.
        public var entryReferences: [Reference]
        /// The objects outside any archive (your code) at the top of the
        /// inclusion chains that end in this archive, with the bytes of
        /// everything that reference pulled in first (the first-reference tree).
        public var rootReferences: [RootReference]
        public var chain: Chain?

        public struct Reference: Codable, Sendable, Equatable {
            public var symbol: String
            public var from: String
            public var fromModule: String
            public var member: String
            enum CodingKeys: String, CodingKey { case symbol, from, member, fromModule = "from_module" }
        }
        public struct RootReference: Codable, Sendable, Equatable {
            public var object: String
            public var module: String
            public var symbol: String
            public var attributedBytes: Int
            enum CodingKeys: String, CodingKey { case object, module, symbol, attributedBytes = "attributed_bytes" }
        }
        enum CodingKeys: String, CodingKey {
            case archive, bytes, members, chain
            case entryReferences = "entry_references", rootReferences = "root_references"
        }
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", suite, versions, binary, map, linker
        case fileSize = "file_size", explainedBytes = "explained_bytes", explainedFraction = "explained_fraction"
        case inputBytes = "input_bytes", inputFraction = "input_fraction", inputFractionOfMapped = "input_fraction_of_mapped"
        case buckets, sections, segments, swiftMetadata = "swift_metadata", archives, modules, members
        case membersTotal = "members_total", heavyArchives = "heavy_archives"
    }

    public static var encoder: JSONEncoder { JSONCoding.prettyEncoder() }

    public func jsonData() throws -> Data { try Self.encoder.encode(self) }
}
