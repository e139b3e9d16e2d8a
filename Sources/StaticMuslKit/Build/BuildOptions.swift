import Foundation

/// The allocator a musl variant links first.
public enum Allocator: String, Codable, Sendable, CaseIterable {
    case mallocng, mimalloc

    /// The `--allocator` values: `mimalloc` is `MimallocVersion.default`
    /// (2.0.9 for now); `mimalloc@2` and `mimalloc@3` name a release.
    public static var choices: [String] { ["mallocng", "mimalloc"] + MimallocVersion.allCases.map(\.allocatorName) }

    /// An `--allocator` value: the allocator, and which mimalloc (the default
    /// one for `mallocng` and `mimalloc`); nil when it is none of `choices`.
    public static func parse(_ value: String) -> (allocator: Allocator, mimalloc: MimallocVersion)? {
        if value == "mallocng" { return (.mallocng, .default) }
        if value == "mimalloc" { return (.mimalloc, .default) }
        guard let version = MimallocVersion.allCases.first(where: { $0.allocatorName == value }) else { return nil }
        return (.mimalloc, version)
    }
}

/// Everything `static-musl build` (and `toolchain/build-static.sh`) takes.
public struct BuildOptions: Sendable {
    public var packagePath: String
    public var products: [String]
    public var variants: [Variant]
    public var out: String
    public var strip = false
    public var allocator: Allocator = .mallocng
    /// Which mimalloc the musl+mimalloc variant links (`--allocator mimalloc@N`).
    public var mimallocVersion: MimallocVersion = .default
    /// `--resolver c-ares`: also link the musl+c-ares variant.
    public var resolver: Resolver = .musl
    public var scratchPath: String?
    public var extraLinkerFlags: [String] = []
    public var diet = false
    public var explainSize = false
    public var swiftOptimization: String?
    public var smokeArguments: [String] = []
    public var image: String?
    public var imageWith: [String] = []
    public var imageVariant: Variant?
    /// `--lib NAME` / `--lib NAME=PATH`: recipes forced into, or the user's archives linked by, the musl links.
    public var libraries: [LibraryRequest] = []
    /// `--musl VERSION`: the musl of the musl variants' sysroot (`MuslSource.versions`; default `MuslSource.defaultVersion`, 1.2.5).
    public var muslVersion: String = MuslSource.defaultVersion
    /// No arguments at all: the README's main job (Sample, every variant,
    /// musl+mimalloc, then the report).
    public var isDefaultRun = false

    public init(packagePath: String, products: [String], variants: [Variant], out: String) {
        self.packagePath = packagePath
        self.products = products
        self.variants = variants
        self.out = out
    }

    /// The variants SwiftPM's objects are linked into (the others build on their own).
    var needsSwiftPM: Bool { variants.contains { [.musl, .glibcStatic, .glibcDynamic, .muslMimalloc, .muslCAres].contains($0) } }

    /// Turns the spelled-out variant names (`all` included) into variants,
    /// in the standard order, without repeats.
    public static func expandVariants(_ names: [String]) throws -> [Variant] {
        var result: [Variant] = []
        for name in names.isEmpty ? ["all"] : names {
            let expanded: [Variant]
            if name == "all" { expanded = Variant.standard }
            else if let v = Variant(rawValue: name), v != .muslMimalloc, v != .muslCAres { expanded = [v] }
            else { throw BuildOptionError.unknownVariant(name) }
            for v in expanded where !result.contains(v) { result.append(v) }
        }
        return result
    }

    /// The scratch folder of SwiftPM's release build: this package's own, or
    /// one per external package (by name and path) under .build-static.
    func resolvedScratch(projectRoot: String) -> String {
        let base: String
        if let scratchPath { base = scratchPath.hasPrefix("/") ? scratchPath : FileManager.default.currentDirectoryPath + "/" + scratchPath }
        else if packagePath == projectRoot { base = projectRoot + "/.build-static/swiftpm" }
        else {
            let name = (packagePath as NSString).lastPathComponent
            base = projectRoot + "/.build-static/pkg-\(name)-\(Self.shortHash(packagePath))"
        }
        return swiftOptimization.map { base + "-" + $0 } ?? base
    }

    /// 8 hex digits to tell two packages of the same name apart.
    static func shortHash(_ text: String) -> String {
        var hash = Hasher.Stable()
        hash.add(text)
        return String(hash.hex.suffix(8))
    }
}

/// Bad input to the build: one line, exit status 2.
public enum BuildOptionError: Error, Equatable, CustomStringConvertible {
    case unknownVariant(String)
    case unknownAllocator(String)
    case badSwiftOptimization(String)
    case noPackage(String)
    case imageFolderMissing(String)
    case withNeedsImage
    case unknownMusl(String)
    case unknownResolver(String)
    case badLibrary(String, why: String)

    public var description: String {
        switch self {
        case .unknownVariant(let v):
            return "unknown variant '\(v)' (musl, glibc-static, glibc-dynamic, embedded-musl, sdk, all)"
        case .unknownAllocator(let a): return "--allocator must be one of \(Allocator.choices.joined(separator: ", ")), not '\(a)'"
        case .badSwiftOptimization(let o): return "--swift-opt must be Osize, O or Onone, not '\(o)'"
        case .noPackage(let path): return "\(path) has no Package.swift"
        case .imageFolderMissing(let dir): return "--image: the folder \(dir) does not exist"
        case .withNeedsImage: return "--with only applies to --image"
        case .unknownMusl(let v): return "--musl must be one of \(MuslSource.versions.joined(separator: ", ")), not '\(v)'"
        case .badLibrary(let value, let why): return "--lib \(value): \(why)"
        case .unknownResolver(let r): return "--resolver must be one of \(Resolver.allCases.map(\.rawValue).joined(separator: ", ")), not '\(r)'"
        }
    }
}

/// How the engine is asked for a set of variants: musl+mimalloc and
/// musl+c-ares are not listed but switched on (the allocator, the resolver),
/// and they bring the musl variant, whose SwiftPM build they share. The one
/// translation the suites' builds use (`SuiteProbes`).
public struct VariantSelection: Sendable, Equatable {
    public var listed: [Variant]
    public var allocator: Allocator
    public var resolver: Resolver

    public init(_ wanted: some Sequence<Variant>) {
        let wanted = Set(wanted)
        listed = Set(wanted.map { $0 == .muslMimalloc || $0 == .muslCAres ? .musl : $0 }).sorted()
        allocator = wanted.contains(.muslMimalloc) ? .mimalloc : .mallocng
        resolver = wanted.contains(.muslCAres) ? .cAres : .musl
    }
}

extension BuildOptions {
    /// Builds exactly `selection`'s variants.
    public mutating func select(_ selection: VariantSelection) {
        variants = selection.listed
        allocator = selection.allocator
        resolver = selection.resolver
    }
}

extension BuildStatic.Options {
    /// Builds exactly `selection`'s variants.
    public mutating func select(_ selection: VariantSelection) {
        variants = selection.listed.map(\.rawValue)
        allocator = selection.allocator
        resolver = selection.resolver
    }
}
