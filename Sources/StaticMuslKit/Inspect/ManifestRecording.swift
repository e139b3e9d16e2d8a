import Foundation

public enum ManifestRecordError: Error, CustomStringConvertible {
    case unreadable(String, String)
    public var description: String {
        switch self { case .unreadable(let path, let why): return "cannot update \(path): \(why)" }
    }
}

/// Writes inspect and scratch results into dist/manifest.json (as string
/// keys under each variant's "extra", so the manifest schema is unchanged)
/// and the full reports beside it (inspect.json, scratch-readiness.json).
/// The manifest is edited as plain JSON so keys this code does not model
/// survive untouched.
public enum ManifestRecording {
    public static func record(distDirectory: String, inspect: InspectReport?, readiness: ScratchReadinessReport?) throws {
        let path = distDirectory + "/manifest.json"
        guard let data = FileManager.default.contents(atPath: path),
              var manifest = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              var products = manifest["products"] as? [[String: Any]] else {
            throw ManifestRecordError.unreadable(path, "missing or not a manifest")
        }
        for p in products.indices {
            guard let product = products[p]["product"] as? String, var variants = products[p]["variants"] as? [[String: Any]] else { continue }
            for v in variants.indices {
                guard let variant = variants[v]["variant"] as? String else { continue }
                var extra = variants[v]["extra"] as? [String: Any] ?? [:]
                if let f = inspect?.files.first(where: { $0.product == product && $0.variant == variant }) {
                    extra["inspect.class"] = f.binaryClass.rawValue
                    extra["inspect.libc"] = f.libc.rawValue
                    extra["inspect.stripped"] = String(f.stripped)
                    extra["inspect.swift_runtime"] = String(f.swiftRuntime)
                    extra["inspect.embedded_swift"] = String(f.embeddedSwift)
                    extra["inspect.nss_risk"] = f.nssRisk.rawValue
                }
                for r in readiness?.runs ?? [] where r.product == product && r.variant == variant {
                    extra["scratch.\(r.config)"] = "\(r.verdict.rawValue): \(r.reason)"
                }
                variants[v]["extra"] = extra
            }
            products[p]["variants"] = variants
        }
        manifest["products"] = products
        let out = try JSONSerialization.data(withJSONObject: manifest, options: [.prettyPrinted, .sortedKeys])
        try out.write(to: URL(fileURLWithPath: path), options: .atomic)
        if let inspect { try inspect.jsonData().write(to: URL(fileURLWithPath: distDirectory + "/inspect.json"), options: .atomic) }
        if let readiness {
            try readiness.jsonData().write(to: URL(fileURLWithPath: distDirectory + "/scratch-readiness.json"), options: .atomic)
        }
    }
}
