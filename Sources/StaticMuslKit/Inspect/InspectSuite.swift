import Foundation

/// `static-musl inspect`: classify ELF files and name their libc without
/// ever running or mapping them.
public enum InspectSuite {
    /// Inspects every path; unparseable files land in `errors` with a
    /// one-line reason, they never stop the others.
    /// - Parameter root: a root filesystem whose etc/nsswitch.conf is checked for NSS risk.
    public static func inspect(paths: [String], root: String? = nil) -> InspectReport {
        var files: [InspectedFile] = [], errors: [InspectFailure] = []
        for path in paths {
            do { files.append(try inspect(path: path, root: root)) }
            catch { errors.append(InspectFailure(path: path, reason: "\(error)")) }
        }
        return InspectReport(versions: ToolchainVersions.detect(), files: files, errors: errors)
    }

    /// Every built variant in a dist folder (build-static.sh output).
    public static func inspect(store: ArtifactStore, products: [String]? = nil) -> InspectReport {
        var files: [InspectedFile] = [], errors: [InspectFailure] = []
        for product in products ?? store.manifest.products.map(\.product) {
            for artifact in store.artifacts(product: product) {
                do {
                    var file = try inspect(path: artifact.path)
                    file.product = product; file.variant = artifact.variant.rawValue
                    files.append(file)
                } catch { errors.append(InspectFailure(path: artifact.path, reason: "\(error)")) }
            }
        }
        return InspectReport(versions: ToolchainVersions.detect(), files: files, errors: errors)
    }

    /// The CLI's `--dist DIR [--record]`: every artifact of a dist folder,
    /// optionally written into its manifest (see `ManifestRecording`).
    public static func inspectDist(_ distDirectory: String, record: Bool) throws -> InspectReport {
        let report = inspect(store: try ArtifactStore(distDirectory: distDirectory))
        if record { try ManifestRecording.record(distDirectory: distDirectory, inspect: report, readiness: nil) }
        return report
    }

    public static func inspect(path: String, root: String? = nil) throws -> InspectedFile {
        try inspect(try ELFFile(path: path), path: path, root: root)
    }

    /// The analysis proper, on an already parsed file (the fuzz test calls this).
    /// - Parameter searchEverything: search the data, symbols and relocations
    ///   even where the loader already names the libc (the tests compare the two).
    public static func inspect(_ elf: ELFFile, path: String, root: String? = nil, searchEverything: Bool = false) throws -> InspectedFile {
        let classification = try ELFClassifier.classify(elf)
        let evidence = searchEverything ? try ELFEvidence.gather(elf) : try ELFEvidence.gather(elf, for: classification.binaryClass)
        let libc = LibcFingerprint.detect(elf, evidence: evidence)
        let swift = SwiftFingerprint.detect(elf, evidence: evidence)
        let nss = NSSRiskCheck.check(elf, markers: evidence.markers, binaryClass: classification.binaryClass, libc: libc.libc, root: root)
        var warnings = elf.warnings + classification.warnings
        if let reason = libc.reason { warnings.append("libc \(libc.libc.rawValue): \(reason)") }
        if classification.binaryClass.isStatic, libc.libc == .glibc {
            if evidence.markers.contains(string: gconvMarker) {
                warnings.append("static glibc carries gconv: iconv and charset conversions beyond the built-in ones dlopen gconv modules at run time")
            }
            if nss.level == .present {
                warnings.append("static glibc with NSS: getpwnam/getaddrinfo dlopen libnss_*.so for any nsswitch.conf service other than files and dns")
            }
        }
        if nss.level == .high {
            warnings.append("nsswitch.conf names services a static glibc binary cannot load: \(nss.flagged.joined(separator: "; "))")
        }
        return InspectedFile(
            path: path, binaryClass: classification.binaryClass, libc: libc.libc, libcEvidence: libc.evidence,
            interpreter: elf.interpreter, needed: elf.needed, stripped: elf.isStripped,
            swiftRuntime: swift.runtime, embeddedSwift: swift.embedded, nssRisk: nss.level,
            size: elf.fileSize, arch: elf.arch, warnings: warnings,
            libcReason: libc.reason, buildID: elf.buildID, facts: classification.facts, swiftEvidence: swift.evidence,
            nssEvidence: nss.evidence, nssFlagged: nss.flagged, product: nil, variant: nil,
            resolver: resolver(elf, libc: libc.libc))
    }

    /// The string that says a static glibc carries gconv (iconv's modules).
    static let gconvMarker = "gconv-modules"

    /// The marker CShim/resolver leaves ("c-ares 1.18.1"), else the libc's own resolver.
    static func resolver(_ elf: ELFFile, libc: LibcName) -> String? {
        if let section = elf.section(named: ResolverShim.markerSection), let bytes = try? elf.bytes(of: section, limit: 4096) {
            let text = String(decoding: bytes.prefix { $0 != 0 }.prefix(64), as: UTF8.self)
            if !text.isEmpty { return text }
        }
        switch libc {
        case .musl, .glibc: return libc.rawValue
        case .none, .unknown: return nil
        }
    }
}
