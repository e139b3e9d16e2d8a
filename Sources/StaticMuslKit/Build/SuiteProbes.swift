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

    /// The probes of `variants`: the C ones compiled (`CProgramBuilder`, cached
    /// by content), the Swift ones taken from `artifacts` (the report's probes,
    /// each other musl's among them): no Swift probe is built. A variant whose
    /// probe cannot be had is listed in `unavailable`, with `whyMissing`'s
    /// reason; an alternative whose source did not download is too.
    public static func dns(_ variants: [DNSVariant], from artifacts: [Artifact], whyMissing: (DNSVariant) -> String,
                           projectRoot root: String, progress: Progress) -> DNSProbes {
        var found = DNSProbes()
        for v in variants {
            do {
                if v.cVariant != nil {
                    progress.note("building the C probe for \(v.rawValue)")
                    found.paths[v] = try CProgramBuilder(projectRoot: root).build(name: "dns_probe", sources: [DNSSuite.cProbeSource],
                                                                                  probe: v.probe)
                } else if let artifact = artifacts.first(where: { $0.product == DNSSuite.swiftProbeProduct && v.probe.isBuilt(by: $0) }) {
                    found.paths[v] = artifact.path
                } else {
                    found.unavailable.append(DNSSkippedVariant(variant: v.rawValue, reason: whyMissing(v)))
                }
            } catch {
                // A base variant's compile failure says so; an alternative that cannot be
                // built (its source did not download) is skipped the same way, with why.
                found.unavailable.append(DNSSkippedVariant(variant: v.rawValue, reason: "\(error)"))
            }
        }
        return found
    }

    /// The probes of `variants` for a dist folder `dist`: the Swift ones
    /// from it, each other musl's from its folder beside it
    /// (`OtherMuslBuild`). With `buildSwiftProbes`, the engine builds them
    /// first (a relink when cached): a probe left by an earlier checkout
    /// must not stand for this one's. A build that fails leaves its
    /// variants unavailable with the failure; the C variants still run.
    public static func dns(_ variants: [DNSVariant], dist: String, buildSwiftProbes: Bool, projectRoot root: String,
                           progress: Progress) -> DNSProbes {
        let product = DNSSuite.swiftProbeProduct
        let swift = variants.filter(\.isSwift)
        var artifacts: [Artifact] = []
        var failures: [DNSVariant: String] = [:]
        let here = swift.filter { $0.muslVersion == nil }
        if buildSwiftProbes && !here.isEmpty {
            var o = BuildStatic.Options(out: dist)
            o.products = [product]
            o.select(VariantSelection(here.compactMap(\.buildVariant)))
            progress.note("building \(product) (\(here.map(\.rawValue).joined(separator: ", "))) with the build engine into \(dist)")
            do { artifacts += try BuildStatic.run(o, projectRoot: root).artifacts(product: product) } catch {
                for v in here { failures[v] = "the build of \(product) failed: \(error)" }
            }
        } else if let store = try? ArtifactStore(distDirectory: dist) {
            artifacts += store.artifacts(product: product)
        }
        for v in swift {
            guard let version = v.muslVersion, let variant = v.buildVariant else { continue }
            if buildSwiftProbes {
                do {
                    artifacts.append(try OtherMuslBuild.artifact(product: product, variant: variant, version: version, besides: dist,
                                                                 projectRoot: root, progress: progress))
                } catch { failures[v] = "the build of \(product) on musl \(version) failed: \(error)" }
            } else if let found = OtherMuslBuild.existing(product: product, variant: variant, version: version, besides: dist) {
                artifacts.append(found)
            }
        }
        for (v, why) in failures.sorted(by: { $0.key.rawValue < $1.key.rawValue }) { progress.note("\(v.rawValue): \(why)") }
        return dns(variants, from: artifacts,
                   whyMissing: { failures[$0] ?? notInDist($0, dist: dist) + (buildSwiftProbes ? "" : " (building is off)") },
                   projectRoot: root, progress: progress)
    }

    /// Why a Swift probe is missing from a dist: the folder it was looked for in.
    public static func notInDist(_ v: DNSVariant, dist: String) -> String {
        let folder = v.muslVersion.map { OtherMuslBuild.folder(besides: dist, version: $0) } ?? dist
        return "no \(DNSSuite.swiftProbeProduct) build of \(v.rawValue) in \(folder)"
    }

    // MARK: malloc bench

    /// malloc-bench for each of `variants`, taken from `artifacts` (the
    /// report's probes, each other musl's among them): nothing is built.
    /// A variant missing here is missing from the result.
    public static func malloc(_ variants: [MallocVariant], from artifacts: [Artifact]) -> [MallocVariant: Artifact] {
        var found: [MallocVariant: Artifact] = [:]
        for v in variants {
            found[v] = artifacts.first { $0.product == MallocBench.product && v.probe.isBuilt(by: $0) }
        }
        return found
    }

    /// malloc-bench for each of `variants` from the dist folder `dist`, built
    /// there first when `build` is on (a relink when cached: a binary left by
    /// an earlier checkout must not stand for this one's); a variant on
    /// another musl version (musl 1.2.3's mallocng) from its own dist beside
    /// it, likewise. Throws when a build fails; a variant still missing is
    /// missing from the result (the bench says which, and how to build it).
    public static func malloc(_ variants: [MallocVariant], dist: String, build: Bool, projectRoot root: String,
                              progress: Progress?) throws -> [MallocVariant: Artifact] {
        let product = MallocBench.product
        let here = variants.filter { $0.muslVersion == nil }
        var artifacts: [Artifact] = []
        if build && !here.isEmpty {
            var b = BuildStatic.Options(out: dist)
            b.products = [product]
            b.select(VariantSelection(here.map(\.buildVariant)))
            progress?.note("building malloc-bench (\(b.variants.joined(separator: ", "))) into \(dist)")
            artifacts = try BuildStatic.run(b, projectRoot: root).artifacts(product: product)
        } else if let store = try? ArtifactStore(distDirectory: dist) {
            artifacts = store.artifacts(product: product)
        }
        let other: [MallocVariant: Artifact]
        if build {
            other = try otherMuslMalloc(variants, besides: dist, projectRoot: root, progress: progress)
        } else {
            other = Dictionary(uniqueKeysWithValues: variants.compactMap { v in
                v.muslVersion.flatMap { OtherMuslBuild.existing(product: product, variant: v.buildVariant, version: $0, besides: dist) }
                    .map { (v, $0) }
            })
        }
        return malloc(here, from: artifacts).merging(other) { a, _ in a }
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
                                 variants: [], out: projectRoot + "/.build-static/bench-server")
        build.select(VariantSelection(variants))
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
        let probes = cVariants.map(\.probe) + otherMuslVersions.map { ProbeVariant(.c, .musl, muslVersion: $0) }
        return try probes.map { probe in
            ScratchReadiness.CProbe(label: probe.name, libc: probe.libc,
                                    path: try builder.build(name: "scratch_probe", sources: ["Probes/programs/scratch_probe.c"], probe: probe))
        }
    }
}
