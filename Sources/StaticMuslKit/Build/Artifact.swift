import Foundation

/// One built binary: every suite takes `[Artifact]` and builds nothing itself.
public struct Artifact: Sendable {
    public var product: String
    public var variant: Variant
    public var path: String          // absolute
    public var entry: Manifest.VariantEntry
    public var linkMap: String?      // absolute, when the build kept one

    public var libc: String { variant.libc }
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
                            linkMap: v.linkMap.map(absolute))
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
