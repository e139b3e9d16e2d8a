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
    /// The DNS lab's probes, per variant (the C ones compiled here), and why any is missing.
    var dnsProbes = SuiteProbes.DNSProbes()
    /// malloc-bench per malloc variant (each other musl's among them).
    var mallocProbes: [MallocVariant: Artifact] = [:]
    /// The scratch battery's C probes, or why they did not compile (the battery's suite then fails with it).
    var scratchCProbes: Result<[ScratchReadiness.CProbe], any Error> = .success([])
    /// The server bench's product in each of its variants, or why there is none.
    var serverArtifacts: Result<[Artifact], any Error> = .success([])

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
    static func build(_ options: ReportRunner.Options, projectRoot: String, product: String, suites: Set<SuiteID>,
                      progress: Progress) throws -> SuiteArtifacts {
        var built = try buildDefaultMusl(options, projectRoot: projectRoot, product: product, progress: progress)
        if options.packagePath == nil {
            built.otherMusl = otherMuslBuilds([product], options, projectRoot: projectRoot, besides: built.product.root, progress: progress)
        }
        built.otherMuslProbes = otherMuslBuilds(otherMuslProbeProducts, options, projectRoot: projectRoot, besides: built.probes.root,
                                                progress: progress)
        // The probes of the suites that measure per variant, found in the stores
        // just built, and the C ones (Probes/programs) compiled per libc, cached by content.
        if suites.contains(.dns) {
            progress.note("the DNS lab's probes (the C ones compiled per libc)")
            let dist = built.probes.root
            built.dnsProbes = SuiteProbes.dns(DNSVariant.allCases,
                                              from: built.probes.artifacts(product: DNSSuite.swiftProbeProduct) + built.otherMuslProbes,
                                              whyMissing: { SuiteProbes.notInDist($0, dist: dist) }, projectRoot: projectRoot,
                                              progress: progress)
        }
        if suites.contains(.malloc) {
            built.mallocProbes = SuiteProbes.malloc(MallocVariant.allCases,
                                                    from: built.probes.artifacts(product: MallocBench.product) + built.otherMuslProbes)
        }
        if suites.contains(.server) {
            built.serverArtifacts = Result { try serverArtifacts(options, probes: built.probes, projectRoot: projectRoot, progress: progress) }
        }
        if suites.contains(.scratch) {
            progress.note("compiling the scratch battery's C probes")
            built.scratchCProbes = Result {
                try SuiteProbes.scratch(otherMuslVersions: MuslSource.otherVersions, projectRoot: projectRoot)
            }
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

    /// The Vapor fixture the server bench serves: the probes' dist's when it
    /// has every variant, otherwise built (when building is on).
    static func serverArtifacts(_ options: ReportRunner.Options, probes: ArtifactStore, projectRoot: String,
                                progress: Progress) throws -> [Artifact] {
        let bench = ServerBench.Options()
        let found = probes.artifacts(product: bench.product)
        if bench.variants.allSatisfy({ v in found.contains { $0.variant == v } }) { return found }
        guard options.buildMissingProbes else {
            throw ServerBench.BenchError.noBinary("no \(bench.product) build of every variant in \(probes.root), and building is off")
        }
        return try SuiteProbes.server(product: bench.product, variants: bench.variants, projectRoot: projectRoot, progress: progress)
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
