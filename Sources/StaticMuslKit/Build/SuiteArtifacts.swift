import Foundation

/// What the report's suites run on: the probes and the product in every
/// variant, built by the engine (or taken from a `--dist` folder) before any
/// suite runs, and the manifest the report keeps (both stores merged, paths
/// absolute where they differ). Suites receive these; they never build the
/// product themselves.
struct SuiteArtifacts {
    var probes: ArtifactStore
    var product: ArtifactStore
    var manifest: Manifest
    /// The product's musl variant on each other musl (`OtherMuslBuild`, beside the product's dist).
    var otherMusl: [Artifact] = []
    /// The probes on each other musl that the suites comparing musl versions run (DNS, malloc, conformance).
    var otherMuslProbes: [Artifact] = []
    /// The DNS lab's C probes, per C variant.
    var dnsCProbes: [DNSVariant: String] = [:]
    /// The scratch battery's C probes; nil when they did not build (the battery then builds them and says why not).
    var scratchCProbes: [ScratchReadiness.CProbe]?

    /// The product's variants, plus embedded-probe's embedded-musl build when the
    /// product has none (build-static.sh builds that variant as embedded-probe).
    func productArtifacts(_ name: String) -> [Artifact] {
        var found = product.artifacts(product: name)
        if !found.contains(where: { $0.variant == .embeddedMusl }) {
            let standIn = product.artifacts(product: Self.embeddedStandIn) + probes.artifacts(product: Self.embeddedStandIn)
            found += standIn.filter { $0.variant == .embeddedMusl }.prefix(1)
        }
        return found.sorted { $0.variant < $1.variant }
    }

    /// The scratch battery as the report runs it (`ScratchReadinessReport.suite`).
    static func scratchOptions(projectRoot: String, store: ArtifactStore) -> ScratchReadiness.Options {
        var o = ScratchReadiness.Options(projectRoot: projectRoot, store: store)
        o.products = [embeddedStandIn]
        o.otherMuslVersions = MuslSource.otherVersions
        return o
    }

    /// Products this project builds for the suites.
    static let probeProducts = ["Sample", "dns-probe", "conformance-probe", "malloc-bench"]
    /// The probes the suites also run on each other musl.
    static let otherMuslProbeProducts = ["dns-probe", "conformance-probe", "malloc-bench"]

    /// Where the report builds: the probes share the test fixtures' dist
    /// (.build-static/dist), a --package-path product gets its own.
    static func probeDistDirectory(_ root: String) -> String { root + "/.build-static/dist" }
    static func userDistDirectory(_ root: String) -> String { root + "/.build-static/report-user-dist" }

    /// No --dist: build the probes and the product (this package's, or the
    /// --package-path one separately). With --dist: its binaries are the
    /// product's; probes it lacks are built beside the test fixtures'.
    static func build(_ options: ReportRunner.Options, projectRoot: String, product: String, progress: Progress) throws -> SuiteArtifacts {
        var built = try buildDefaultMusl(options, projectRoot: projectRoot, product: product, progress: progress)
        if options.packagePath == nil {
            built.otherMusl = otherMuslBuilds([product], options, projectRoot: projectRoot, besides: built.product.root, progress: progress)
        }
        built.otherMuslProbes = otherMuslBuilds(otherMuslProbeProducts, options, projectRoot: projectRoot, besides: built.probes.root,
                                                progress: progress)
        // The C probes (Probes/programs), compiled per libc when building is on. One
        // that fails is left to its suite, which builds it again and records why it could not.
        if options.buildMissingProbes {
            progress.note("compiling the C probes (DNS lab, scratch battery)")
            for v in DNSVariant.allCases where v.cVariant != nil {
                built.dnsCProbes[v] = try? DNSSuite.buildCProbe(v, projectRoot: projectRoot)
            }
            built.scratchCProbes = try? ScratchReadiness.buildCProbes(scratchOptions(projectRoot: projectRoot, store: built.probes))
        }
        // The build section shows each as a row of its own column (`musl-1.2.5`), path made absolute.
        for other in built.otherMusl {
            guard let index = built.manifest.products.firstIndex(where: { $0.product == other.product }) else { continue }
            var entry = other.entry
            entry.variant = other.reportColumn
            entry.path = other.path
            built.manifest.products[index].variants.removeAll { $0.variant == entry.variant }
            built.manifest.products[index].variants.append(entry)
        }
        return built
    }

    /// The musl variant of `products` on each other musl, built before the
    /// suites run (they run side by side and must not build into one folder
    /// at once), only when building is on (otherwise an earlier build is used
    /// when there is one). A build that fails leaves its cells and suites to
    /// say there is no such binary.
    static func otherMuslBuilds(_ products: [String], _ options: ReportRunner.Options, projectRoot: String, besides dist: String,
                                progress: Progress) -> [Artifact] {
        MuslSource.otherVersions.flatMap { version in
            products.compactMap { product in
                guard options.buildMissingProbes else { return OtherMuslBuild.existing(product: product, version: version, besides: dist) }
                do {
                    return try OtherMuslBuild.artifact(product: product, version: version, besides: dist, projectRoot: projectRoot,
                                                       progress: progress)
                } catch {
                    progress.note("no \(product) on musl \(version): \(error)")
                    return nil
                }
            }
        }
    }

    static func buildDefaultMusl(_ options: ReportRunner.Options, projectRoot: String, product: String, progress: Progress) throws -> SuiteArtifacts {
        // Every build adds musl+mimalloc and musl+c-ares: both are always
        // available (their recipes fetch Debian's sources when they need them).
        func build(_ products: [String], packagePath: String?, out: String) throws -> ArtifactStore {
            progress.note("build " + products.joined(separator: " ") + " → " + out)
            var o = BuildStatic.Options(out: out)
            o.products = products
            o.packagePath = packagePath
            o.allocator = .mimalloc
            o.resolver = .cAres
            return try BuildStatic.run(o, projectRoot: projectRoot)
        }
        var productStore: ArtifactStore?
        if let dist = options.distDirectory {
            productStore = try ArtifactStore(distDirectory: dist)
        } else if let packagePath = options.packagePath {
            productStore = try build([product], packagePath: packagePath, out: userDistDirectory(projectRoot))
        }
        guard let productStore else {
            let products = probeProducts + (probeProducts.contains(product) ? [] : [product])
            let store = try build(products, packagePath: nil, out: probeDistDirectory(projectRoot))
            return SuiteArtifacts(probes: store, product: store, manifest: store.manifest)
        }
        // malloc-bench is only complete with its mimalloc and c-ares variants.
        let missing = probeProducts.filter { p in
            let found = productStore.artifacts(product: p)
            return found.isEmpty || (p == "malloc-bench" && !(found.contains { $0.variant == .muslMimalloc } && found.contains { $0.variant == .muslCAres }))
        }
        if missing.isEmpty || !options.buildMissingProbes {
            if !missing.isEmpty { progress.note("not building the missing probes: " + missing.joined(separator: " ")) }
            return SuiteArtifacts(probes: productStore, product: productStore, manifest: productStore.manifest)
        }
        let probes = try build(missing, packagePath: nil, out: probeDistDirectory(projectRoot))
        var merged = productStore.manifest
        merged.products = absolutePaths(merged.products, productStore)
        let have = Set(merged.products.map(\.product))
        merged.products += absolutePaths(probes.manifest.products.filter { !have.contains($0.product) && missing.contains($0.product) }, probes)
        return SuiteArtifacts(probes: probes, product: productStore, manifest: merged)
    }

    /// Manifest entries with their paths made absolute, so entries from two dist folders can share one manifest.
    static func absolutePaths(_ products: [Manifest.ProductEntry], _ store: ArtifactStore) -> [Manifest.ProductEntry] {
        products.map { p in
            var p = p
            p.variants = p.variants.map { v in
                var v = v
                v.path = v.path.map { store.absolute($0) }
                v.linkMap = v.linkMap.map { store.absolute($0) }
                return v
            }
            return p
        }
    }

    /// The product build-static.sh builds for the embedded-musl variant.
    static let embeddedStandIn = "embedded-probe"
}
