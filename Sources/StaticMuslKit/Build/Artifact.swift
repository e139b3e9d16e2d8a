import Foundation

/// One built binary: every suite takes `[Artifact]` and builds nothing itself.
public struct Artifact: Sendable {
    public var product: String
    public var variant: Variant
    public var path: String          // absolute
    public var entry: Manifest.VariantEntry
    public var linkMap: String?      // absolute, when the build kept one
    /// The musl a musl variant linked (its dist's sysroot); nil for glibc.
    public var muslVersion: String? = nil

    public var libc: String { variant.libc }

    /// True for a musl variant linked against another musl than the default
    /// one: suites give it a column of its own ("swift-musl-1.2.5-static").
    public var isOtherMuslVersion: Bool { muslVersion.map { $0 != MuslSource.defaultVersion } ?? false }

    /// The report's column: the variant, or `musl-1.2.5` for a build on another musl.
    public var reportColumn: String {
        guard isOtherMuslVersion, let muslVersion else { return variant.rawValue }
        return VariantColumns.otherMuslColumn(muslVersion)
    }
}

/// A product built against another musl version than the default, into a
/// dist folder of its own beside the suite's: the engine builds the other-musl
/// binaries of the suites that compare musl versions (DNS, malloc,
/// conformance) this way, before they run.
public enum OtherMuslBuild {
    public static func folder(besides dist: String, version: String) -> String { dist + "-musl-" + version }

    /// Built with the engine every time, as build-static.sh builds the default
    /// musl's dist: a binary left by an earlier checkout must not stand for
    /// this one's. The engine makes that cheap (SwiftPM's objects, the musl
    /// objects and the sysroot are cached: a relink).
    public static func artifact(product: String, variant: Variant = .musl, version: String, besides dist: String,
                                projectRoot: String, progress: Progress? = nil) throws -> Artifact {
        let out = folder(besides: dist, version: version)
        var options = BuildStatic.Options(out: out)
        options.products = [product]
        options.variants = [variant.rawValue]
        options.muslVersion = version
        progress?.note("building \(product) (\(variant.rawValue), musl \(version)) into \(out)")
        return try BuildStatic.run(options, projectRoot: projectRoot).artifact(product: product, variant: variant)
    }

    /// An earlier build, without building anything (when building is off).
    public static func existing(product: String, variant: Variant = .musl, version: String, besides dist: String) -> Artifact? {
        guard let store = try? ArtifactStore(distDirectory: folder(besides: dist, version: version)),
              store.manifest.toolchain.musl == version else { return nil }
        return try? store.artifact(product: product, variant: variant)
    }
}

/// A dist folder: a manifest plus the binaries beside it.
public struct ArtifactStore: Sendable {
    public let root: String
    public let manifest: Manifest

    public init(distDirectory: String) throws {
        root = URL(fileURLWithPath: distDirectory).standardizedFileURL.path
        manifest = try Manifest.load(from: root + "/manifest.json")
    }

    /// Every variant of `product` that built successfully.
    public func artifacts(product: String) -> [Artifact] {
        guard let entry = manifest.products.first(where: { $0.product == product }) else { return [] }
        return entry.variants.compactMap { v in
            guard v.status == "ok", let rel = v.path, let variant = Variant(rawValue: v.variant) else { return nil }
            return Artifact(product: product, variant: variant, path: absolute(rel), entry: v,
                            linkMap: v.linkMap.map(absolute),
                            muslVersion: variant.libc == "musl" ? manifest.toolchain.sysroot?.musl ?? manifest.toolchain.musl : nil)
        }.sorted { $0.variant < $1.variant }
    }

    public func artifact(product: String, variant: Variant) throws -> Artifact {
        if let a = artifacts(product: product).first(where: { $0.variant == variant }) { return a }
        let reason = manifest.products.first(where: { $0.product == product })?
            .variants.first(where: { $0.variant == variant.rawValue })?.reason ?? "not built"
        throw BuildError.artifactMissing(product: product, variant: variant.rawValue, reason: reason)
    }

    func absolute(_ rel: String) -> String { rel.hasPrefix("/") ? rel : root + "/" + rel }
}
