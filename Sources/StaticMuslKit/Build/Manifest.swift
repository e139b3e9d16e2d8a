import Foundation

/// dist/manifest.json, written by the build engine (ManifestWriter). Field names
/// are snake_case in JSON; see docs/manifest.md.
public struct Manifest: Codable, Sendable {
    public static let currentSchema = 1

    public var schemaVersion: Int
    public var generated: String
    public var toolchain: ToolchainInfo
    public var products: [ProductEntry]

    public struct ToolchainInfo: Codable, Sendable, Equatable {
        public var swift: String
        public var root: String
        public var musl: String
        public var glibc: String
        public var gcc: String?
        public var clang: String?
        /// The musl sysroot the musl variants compiled and linked against.
        public var sysroot: SysrootInfo?
    }

    public struct SysrootInfo: Codable, Sendable, Equatable {
        public var path: String
        public var key: String
        public var musl: String
        public var source: String
    }

    public struct ProductEntry: Codable, Sendable {
        public var product: String
        public var packagePath: String
        public var variants: [VariantEntry]
        enum CodingKeys: String, CodingKey { case product, variants, packagePath = "package_path" }
    }

    public struct VariantEntry: Codable, Sendable {
        public var variant: String              // a Variant raw value
        public var status: String               // "ok", "skipped" or "failed"
        public var reason: String?
        public var path: String?                // relative to the manifest's folder
        public var size: Int?                   // bytes, as linked
        public var strippedSize: Int?
        public var isStatic: Bool?              // no PT_INTERP and no DT_NEEDED
        public var interpreter: String?
        public var needed: [String]?
        public var linkWarnings: [String]?
        public var linkMap: String?             // relative path of the -Wl,-Map file
        public var allocator: String?
        /// Which code answers getaddrinfo: "c-ares 1.18.1" for musl+c-ares; nil: the libc's own.
        public var resolver: String?
        public var unresolved: [UnresolvedSymbol]?
        /// Options (suites may add keys; unknown keys are preserved as strings).
        public var extra: [String: String]?
        /// build-static.sh --diet: what each size option saves.
        public var sizeOptions: [SizeOption]?
        /// build-static.sh --explain-size / --diet: what pulled each heavy archive in.
        public var heavyArchives: [SizeReport.HeavyArchive]?
        /// build-static.sh --image: the FROM scratch OCI image of this variant.
        public var image: ImageInfo?
        /// How the variant's C-family sources were compiled, and each flag of
        /// SwiftPM's compile commands that was dropped or replaced for musl.
        public var compiler: String?
        public var flagNotes: [FlagNote]?
        /// musl variants: the product's C-family sources compiled by this build and reused from the object cache.
        public var sources: SourceCounts?
        /// musl variants: C libraries built from Debian's sources for this link (zlib, …).
        public var libraries: [LibraryUse]?
        /// musl variants with C++ sources: their undefined symbols checked against the link's archives.
        public var cxxSymbols: UndefinedSymbolCheck?

        public init(variant: String, status: String, reason: String? = nil) {
            self.variant = variant
            self.status = status
            self.reason = reason
        }

        enum CodingKeys: String, CodingKey {
            case variant, status, reason, path, size, interpreter, needed, allocator, resolver, unresolved, extra, image, compiler
            case flagNotes = "flag_notes", sources, libraries, cxxSymbols = "cxx_symbols"
            case strippedSize = "stripped_size", isStatic = "static", linkWarnings = "link_warnings", linkMap = "link_map"
            case sizeOptions = "size_options", heavyArchives = "heavy_archives"
        }
    }

    /// One measured size option: sizes before and after, and whether the
    /// binary built with it still passes its smoke check.
    public struct SizeOption: Codable, Sendable, Equatable {
        public var option: String              // "gc-sections", "strip", "Osize", "diet"
        public var description: String
        public var status: String              // "ok" or "failed"
        public var reason: String?
        public var sizeBefore: Int?
        public var sizeAfter: Int?
        public var saved: Int?
        public var strippedBefore: Int?
        public var strippedAfter: Int?
        public var strippedSaved: Int?
        public var runs: Bool?                 // the smoke run exited 0
        public var exitStatus: Int?
        public var sameOutput: Bool?           // and printed what the unmodified binary printed

        public init(option: String, description: String, status: String) {
            self.option = option
            self.description = description
            self.status = status
        }

        enum CodingKeys: String, CodingKey {
            case option, description, status, reason, saved, runs
            case sizeBefore = "size_before", sizeAfter = "size_after", strippedBefore = "stripped_before"
            case strippedAfter = "stripped_after", strippedSaved = "stripped_saved", exitStatus = "exit_status"
            case sameOutput = "same_output"
        }
    }

    /// What `OCIImage.write` (`static-musl image`, `build --image`) reports about an image it wrote.
    public struct ImageInfo: Codable, Sendable, Equatable {
        public var image: String
        public var tag: String
        public var entrypoint: String
        public var with: [String]
        public var layerSize: Int              // compressed: what `docker images` users compare
        public var layerUncompressedSize: Int
        public var imageTarSize: Int
        public var layerDigest: String
        public var configDigest: String
        public var manifestDigest: String
        public var variant: String?
        public var stripped: Bool?
        public var diet: Bool?                 // built from the --diet binary

        enum CodingKeys: String, CodingKey {
            case image, tag, entrypoint, with, variant, stripped, diet
            case layerSize = "layer_size", layerUncompressedSize = "layer_uncompressed_size", imageTarSize = "image_tar_size"
            case layerDigest = "layer_digest", configDigest = "config_digest", manifestDigest = "manifest_digest"
        }
    }

    public struct LibraryUse: Codable, Sendable, Equatable {
        public var name: String
        public var version: String
        public var source: String
    }

    public struct SourceCounts: Codable, Sendable, Equatable {
        public var compiled: Int
        public var reused: Int
    }

    public struct UnresolvedSymbol: Codable, Sendable, Equatable {
        public var symbol: String
        public var wantedBy: String
        enum CodingKeys: String, CodingKey { case symbol, wantedBy = "wanted_by" }
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", generated, toolchain, products
    }
}

public enum BuildError: Error, CustomStringConvertible {
    case manifestMissing(String)
    case manifestInvalid(String, String)
    case artifactMissing(product: String, variant: String, reason: String)

    public var description: String {
        switch self {
        case .manifestMissing(let path): return "no manifest at \(path): run ./toolchain/build-static.sh (static-musl build) first"
        case .manifestInvalid(let path, let why): return "manifest \(path) is not valid: \(why)"
        case .artifactMissing(let product, let variant, let reason):
            return "no \(variant) build of \(product): \(reason)"
        }
    }
}

extension Manifest {
    public static func load(from path: String) throws -> Manifest {
        guard let data = FileManager.default.contents(atPath: path) else { throw BuildError.manifestMissing(path) }
        do { return try JSONCoding.decode(Manifest.self, from: data) }
        catch { throw BuildError.manifestInvalid(path, "\(error)") }
    }
}
