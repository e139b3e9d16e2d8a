import Foundation

/// Finds this project's checkout (where toolchain/build-static.sh lives),
/// so the CLI and the tests find CShim, the probes and the scripts from
/// anywhere inside it.
public enum ProjectLayout {
    public static func root(startingAt start: String = FileManager.default.currentDirectoryPath) -> String? {
        if let env = ProcessInfo.processInfo.environment["STATIC_MUSL_ROOT"] { return env }
        var candidates = [URL(fileURLWithPath: start)]
        // Also walk up from the running binary (.build/debug/static-musl).
        candidates.append(URL(fileURLWithPath: CommandLine.arguments.first ?? start).deletingLastPathComponent())
        for var url in candidates {
            for _ in 0..<12 {
                if FileManager.default.fileExists(atPath: url.appendingPathComponent("toolchain/build-static.sh").path) {
                    return url.standardizedFileURL.path
                }
                url.deleteLastPathComponent()
            }
        }
        return nil
    }
}

/// The build as the suites and tests ask for it: products and variants
/// into one dist folder, through the in-process engine (BuildEngine).
/// Variant failures are in the manifest; only bad input or a failed
/// SwiftPM build throws.
public enum BuildStatic {
    public struct Options: Sendable {
        public var packagePath: String?
        public var products: [String] = []
        public var variants: [String] = ["all"]
        public var out: String
        public var strip = false
        public var allocator: Allocator = .mallocng
        /// With `.mimalloc`: which release (`--allocator mimalloc@N`).
        public var mimallocVersion: MimallocVersion = .default
        public var diet = false
        public var image: String?
        public var imageWith: [String] = []
        /// `--musl`: "1.2.5" (the default) or "1.2.3" (`MuslSource.versions`).
        public var muslVersion: String = MuslSource.defaultVersion
        /// `--lib` values (see `LibraryRequest`).
        public var libraries: [LibraryRequest] = []
        /// `--resolver c-ares`: also the musl+c-ares variant.
        public var resolver: Resolver = .musl
        public init(out: String) { self.out = out }
    }

    public static func run(_ options: Options, projectRoot: String) throws -> ArtifactStore {
        try BuildEngine(projectRoot: projectRoot).run(engineOptions(options, projectRoot: projectRoot)).store
    }

    public static func engineOptions(_ options: Options, projectRoot: String) throws -> BuildOptions {
        var o = BuildOptions(packagePath: options.packagePath ?? projectRoot,
                             products: options.products.isEmpty ? ["Sample"] : options.products,
                             variants: try BuildOptions.expandVariants(options.variants), out: options.out)
        o.strip = options.strip
        o.allocator = options.allocator
        o.mimallocVersion = options.mimallocVersion
        o.diet = options.diet
        o.explainSize = options.diet
        o.image = options.image
        o.imageWith = options.imageWith
        guard MuslSource(version: options.muslVersion) != nil else { throw BuildOptionError.unknownMusl(options.muslVersion) }
        o.muslVersion = options.muslVersion
        o.libraries = options.libraries
        o.resolver = options.resolver
        return o
    }
}
