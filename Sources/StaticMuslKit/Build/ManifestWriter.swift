import Foundation

/// The one writer of dist/manifest.json. A build replaces the entries of
/// the products it built (all of a product's variants when it comes from
/// another package, else the variants it rebuilt); entries whose binary is
/// gone are dropped; every other entry is kept as it was, unknown keys and
/// all. The file is replaced atomically.
public enum ManifestWriter {
    public struct ProductBuild: Sendable {
        public var product: String
        public var packagePath: String
        public var entries: [Manifest.VariantEntry]
    }

    public static func write(_ builds: [ProductBuild], toolchain: Manifest.ToolchainInfo, out: String,
                             generated: Date = Date()) throws {
        let path = out + "/manifest.json"
        var previous: [[String: Any]] = []
        if let data = FileManager.default.contents(atPath: path),
           let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
           let products = object["products"] as? [[String: Any]] {
            previous = products
        }
        let encoder = JSONCoding.lineEncoder()
        var products: [String: [String: Any]] = [:]
        for old in previous {
            guard let name = old["product"] as? String else { continue }
            var p = old
            let variants = (old["variants"] as? [[String: Any]] ?? []).filter { v in
                // An entry that says "ok" about a binary that is gone is stale.
                guard v["status"] as? String == "ok", let rel = v["path"] as? String else { return true }
                return FileManager.default.fileExists(atPath: rel.hasPrefix("/") ? rel : out + "/" + rel)
            }
            p["variants"] = variants
            products[name] = p
        }
        for build in builds {
            var p = products[build.product] ?? ["product": build.product]
            var variants = p["variants"] as? [[String: Any]] ?? []
            if (p["package_path"] as? String).map({ $0 != build.packagePath }) ?? false { variants = [] }
            let rebuilt = Set(build.entries.map(\.variant))
            variants.removeAll { rebuilt.contains($0["variant"] as? String ?? "") }
            for entry in build.entries {
                let data = try encoder.encode(entry)
                if let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] { variants.append(object) }
            }
            variants.sort { (Variant(rawValue: $0["variant"] as? String ?? "") ?? .sdk) < (Variant(rawValue: $1["variant"] as? String ?? "") ?? .sdk) }
            p["package_path"] = build.packagePath
            p["variants"] = variants
            products[build.product] = p
        }
        let toolchainObject = try JSONSerialization.jsonObject(with: try encoder.encode(toolchain))
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let manifest: [String: Any] = [
            "schema_version": Manifest.currentSchema,
            "generated": formatter.string(from: generated),
            "toolchain": toolchainObject,
            "products": products.keys.sorted().compactMap { products[$0] },
        ]
        let data = try JSONSerialization.data(withJSONObject: manifest, options: [.prettyPrinted, .sortedKeys])
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
