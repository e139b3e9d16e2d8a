import Foundation

/// The engine's side of "suites take artefacts": it finds, or builds, the
/// probe binaries each measuring suite runs, and the suites only run what
/// they are handed. The report does this in its build step, before any
/// suite runs (`SuiteArtifacts`); the standalone commands (`static-musl
/// dns`, `bench malloc`, `bench server`, `scratch --battery`) call it
/// before their suite.
public enum SuiteProbes {
    // MARK: DNS lab

    /// Each DNS variant's probe, or why there is none.
    public struct DNSProbes: Sendable {
        public var paths: [DNSVariant: String] = [:]
        /// The variants left without a probe, and why: the suite reports them skipped.
        public var unavailable: [DNSSkippedVariant] = []
        public init() {}
    }

    /// The probes of `variants`: the C ones compiled (`dnsCProbe`, cached by
    /// content), the Swift ones from `dist` (each other musl's in its folder
    /// beside it), built into it with the build engine when `buildSwiftProbes`.
    /// A variant whose probe cannot be had is listed in `unavailable`, with
    /// why; an alternative whose source did not download is too.
    public static func dns(_ variants: [DNSVariant], dist: String, buildSwiftProbes: Bool, projectRoot root: String,
                           progress: Progress) -> DNSProbes {
        var found = DNSProbes()
        var stores: [String: ArtifactStore?] = [:]
        var buildFailures: [String: String] = [:]
        func swiftProbe(_ v: DNSVariant, _ b: Variant) throws -> String {
            let version = v.muslVersion ?? MuslSource.defaultVersion
            let folder = v.muslVersion.map { OtherMuslBuild.folder(besides: dist, version: $0) } ?? dist
            if stores[version] == nil { stores[version] = try? ArtifactStore(distDirectory: folder) }
            if (try? stores[version]??.artifact(product: "dns-probe", variant: b)) == nil, buildSwiftProbes, buildFailures[version] == nil {
                let wanted = variants.filter { $0.buildVariant != nil && ($0.muslVersion ?? MuslSource.defaultVersion) == version }
                progress.note("building dns-probe (\(wanted.map(\.rawValue).joined(separator: ", "))) with the build engine into \(folder)")
                var o = BuildStatic.Options(out: folder)
                o.products = ["dns-probe"]
                o.variants = Array(Set(wanted.compactMap(\.buildVariant).filter { $0 != .muslCAres })).sorted().map(\.rawValue)
                if wanted.contains(where: { $0.buildVariant == .muslCAres }) { o.resolver = .cAres }
                if version != MuslSource.defaultVersion { o.muslVersion = version }
                do { stores[version] = try BuildStatic.run(o, projectRoot: root) } catch {
                    // The C variants still run; these Swift ones are reported skipped with this reason.
                    buildFailures[version] = "the build of dns-probe failed: \(error)"
                    progress.note(buildFailures[version] ?? "")
                }
            }
            if let failure = buildFailures[version], (try? stores[version]??.artifact(product: "dns-probe", variant: b)) == nil {
                throw DNSError.probeUnavailable(variant: v.rawValue, why: failure)
            }
            guard let store = stores[version] ?? nil else { throw DNSError.probeUnavailable(variant: v.rawValue, why: "no manifest in \(folder)") }
            return try store.artifact(product: "dns-probe", variant: b).path
        }
        for v in variants {
            do {
                if v.cVariant != nil {
                    progress.note("building the C probe for \(v.rawValue)")
                    found.paths[v] = try dnsCProbe(v, projectRoot: root)
                } else if let b = v.buildVariant {
                    found.paths[v] = try swiftProbe(v, b)
                }
            } catch let error as DNSError {
                found.unavailable.append(DNSSkippedVariant(variant: v.rawValue, reason: error.description))
            } catch {
                // A base variant's compile failure says so; an alternative that cannot be
                // built (its source did not download) is skipped the same way, with why.
                found.unavailable.append(DNSSkippedVariant(variant: v.rawValue, reason: "\(error)"))
            }
        }
        return found
    }

    /// The C probe of a C variant: the default musl's, the other musl's (its
    /// sysroot's musl-gcc), or musl with CShim/resolver and c-ares linked first.
    static func dnsCProbe(_ v: DNSVariant, projectRoot root: String) throws -> String {
        guard let c = v.cVariant else { throw DNSError.probeUnavailable(variant: v.rawValue, why: "not a C probe") }
        let builder = CProgramBuilder(projectRoot: root)
        let source = ["Probes/programs/dns_probe.c"]
        switch v {
        case .cMuslCAres:
            let sysroot = try Sysroot.prepare(projectRoot: root, musl: try MuslSource.named(MuslSource.defaultVersion))
            let shim = try ResolverShim.prepare(sysroot: sysroot, toolchain: ToolchainPaths(root: ToolchainVersions.detect().root), projectRoot: root)
            return try builder.build(name: "dns_probe", sources: source, variant: c, extraFlags: shim.linkFlags)
        case .cMuslOther:
            let sysroot = try Sysroot.prepare(projectRoot: root, musl: try MuslSource.named(MuslSource.otherVersion))
            return try builder.build(name: "dns_probe", sources: source, variant: c, muslSysroot: sysroot)
        default:
            return try builder.build(name: "dns_probe", sources: source, variant: c)
        }
    }

    // MARK: malloc bench

    /// malloc-bench for each of `variants`, taken from `artifacts` (the
    /// report's probes, each other musl's among them): nothing is built.
    /// A variant missing here is missing from the result.
    public static func malloc(_ variants: [MallocVariant], from artifacts: [Artifact]) -> [MallocVariant: Artifact] {
        var found: [MallocVariant: Artifact] = [:]
        for v in variants {
            found[v] = artifacts.first { a in
                guard a.product == MallocBench.product, a.variant == v.buildVariant else { return false }
                return v.muslVersion.map { a.muslVersion == $0 } ?? !a.isOtherMuslVersion
            }
        }
        return found
    }

    /// malloc-bench for each of `variants` from the dist folder `dist`, built
    /// there when `build` is on; a variant on another musl version (musl
    /// 1.2.3's mallocng) comes from its own dist beside it, built when
    /// missing. Throws when a build fails; a variant still missing is missing
    /// from the result (the bench says which, and how to build it).
    public static func malloc(_ variants: [MallocVariant], dist: String, build: Bool, projectRoot root: String,
                              progress: Progress?) throws -> [MallocVariant: Artifact] {
        let product = MallocBench.product
        var found: [MallocVariant: Artifact] = [:]
        let here = variants.filter { $0.muslVersion == nil }
        let store = try? ArtifactStore(distDirectory: dist)
        for v in here { found[v] = try? store?.artifact(product: product, variant: v.buildVariant) }
        let missing = here.filter { found[$0] == nil }
        if !missing.isEmpty && build {
            var b = BuildStatic.Options(out: dist)
            b.products = [product]
            b.variants = Array(Set(here.map { $0.buildVariant.libc == "musl" ? Variant.musl : $0.buildVariant })).map(\.rawValue).sorted()
            if here.contains(.muslMimalloc) { b.allocator = .mimalloc }
            if here.contains(.muslCAres) { b.resolver = .cAres }
            progress?.note("building malloc-bench (\(b.variants.joined(separator: ", "))) into \(dist)")
            let built = try BuildStatic.run(b, projectRoot: root)
            for v in here { found[v] = try? built.artifact(product: product, variant: v.buildVariant) }
        }
        return found.merging(try otherMuslMalloc(variants, besides: dist, projectRoot: root, progress: progress)) { a, _ in a }
    }

    /// malloc-bench for each of `variants` on another musl version, from its
    /// own dist beside `dist`, built there when missing.
    public static func otherMuslMalloc(_ variants: [MallocVariant], besides dist: String, projectRoot root: String,
                                       progress: Progress?) throws -> [MallocVariant: Artifact] {
        var found: [MallocVariant: Artifact] = [:]
        for v in variants {
            guard let version = v.muslVersion else { continue }
            do {
                found[v] = try OtherMuslBuild.artifact(product: MallocBench.product, variant: v.buildVariant, version: version,
                                                       besides: dist, projectRoot: root, progress: progress)
            } catch {
                throw MallocError.variantMissing(variant: v.rawValue, reason: "building it beside \(dist) failed: \(error)",
                                                 buildCommand: MallocBench.buildCommand([v]))
            }
        }
        return found
    }

    // MARK: server bench

    /// `product` of the package at `packagePath` (default: the RealPackages
    /// fixture, whose vapor-hello the bench serves) in each of `variants`,
    /// from `dist` when it holds them all, otherwise built into
    /// .build-static/bench-server (cached: a rerun only relinks).
    public static func server(product: String, variants: [Variant], dist: String? = nil, packagePath: String? = nil,
                              projectRoot: String, progress: Progress) throws -> [Artifact] {
        if let dist {
            let store = try ArtifactStore(distDirectory: dist)
            return store.artifacts(product: product)
        }
        var build = BuildOptions(packagePath: packagePath ?? projectRoot + "/Tests/Fixtures/RealPackages", products: [product],
                                 variants: variants.filter { $0 != .muslMimalloc && $0 != .muslCAres },
                                 out: projectRoot + "/.build-static/bench-server")
        if variants.contains(.muslMimalloc) { build.allocator = .mimalloc }
        if variants.contains(.muslCAres) { build.resolver = .cAres }
        progress.note("building \(product) (\(variants.map(\.rawValue).joined(separator: ", ")))")
        return try BuildEngine(projectRoot: projectRoot).run(build).store.artifacts(product: product)
    }

    // MARK: scratch battery

    /// The battery's C probe (Probes/programs/scratch_probe.c) for each of
    /// `cVariants`, and for each of `otherMuslVersions` against that musl's
    /// sysroot (labelled "c-musl-VERSION-static").
    public static func scratch(cVariants: [CVariant] = CVariant.allCases, otherMuslVersions: [String] = [],
                               projectRoot: String) throws -> [ScratchReadiness.CProbe] {
        let builder = CProgramBuilder(projectRoot: projectRoot)
        let source = ["Probes/programs/scratch_probe.c"]
        var probes = try cVariants.map { variant in
            ScratchReadiness.CProbe(label: variant.rawValue, libc: variant.libc,
                                    path: try builder.build(name: "scratch_probe", sources: source, variant: variant))
        }
        for version in otherMuslVersions {
            let sysroot = try Sysroot.prepare(projectRoot: projectRoot, musl: try MuslSource.named(version))
            probes.append(ScratchReadiness.CProbe(label: OtherMuslNames(version).cProbe, libc: "musl",
                                                  path: try builder.build(name: "scratch_probe", sources: source, variant: .muslStatic,
                                                                          muslSysroot: sysroot)))
        }
        return probes
    }
}
