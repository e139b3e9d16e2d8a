import Foundation
import XCTest
@testable import StaticMuslKit

/// The engine's side of "suites take artefacts": what it hands a suite,
/// and why a probe is missing when it cannot hand one over.
final class SuiteProbesTests: XCTestCase {
    /// Building off and no dist: the C probe is compiled (cached by content),
    /// the Swift one is unavailable with where it was looked for; nothing is built.
    func testDNSWithoutBuildingSaysWhereTheSwiftProbeWasLookedFor() throws {
        let dist = try temporaryDirectory("no-dist") + "/dist"
        let probes = SuiteProbes.dns([.cGlibcDynamic, .swiftMuslStatic], dist: dist, buildSwiftProbes: false,
                                     projectRoot: Fixtures.projectRoot, progress: Progress(suite: "test"))
        let c = try XCTUnwrap(probes.paths[.cGlibcDynamic], "\(probes.unavailable)")
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: c))
        XCTAssertNil(probes.paths[.swiftMuslStatic])
        XCTAssertEqual(probes.unavailable.map(\.variant), ["swift-musl-static"])
        XCTAssertEqual(probes.unavailable.first?.reason, "no dns-probe build of swift-musl-static in \(dist) (building is off)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dist), "nothing was built into the dist")
    }

    /// Building off: malloc-bench comes from the dist folders or not at
    /// all; the other musl's is not built either.
    func testMallocWithoutBuildingBuildsNothing() throws {
        let dist = try temporaryDirectory("no-malloc-dist") + "/dist"
        let found = try SuiteProbes.malloc(MallocVariant.allCases, dist: dist, build: false, projectRoot: Fixtures.projectRoot,
                                           progress: nil)
        XCTAssertTrue(found.isEmpty, "\(found)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dist))
        XCTAssertFalse(FileManager.default.fileExists(atPath: OtherMuslBuild.folder(besides: dist, version: MuslSource.otherVersion)))
    }

    /// From the report's artefacts: each Swift variant takes the build of its
    /// own variant and musl; the default musl's never stands for the other
    /// musl's, and a variant left without one gets the caller's reason.
    func testDNSProbesFromArtifactsAreMatchedByVariantAndMusl() throws {
        let entry = Manifest.VariantEntry(variant: "musl", status: "ok")
        func artifact(_ variant: Variant, musl: String?) -> Artifact {
            Artifact(product: "dns-probe", variant: variant, path: "/bin/\(variant.rawValue)-\(musl ?? "none")", entry: entry,
                     linkMap: nil, muslVersion: musl)
        }
        let given = [artifact(.musl, musl: MuslSource.defaultVersion), artifact(.glibcStatic, musl: nil),
                     artifact(.muslCAres, musl: MuslSource.defaultVersion)]
        let probes = SuiteProbes.dns([.swiftMuslStatic, .swiftGlibcStatic, .swiftMuslOther, .swiftGlibcDynamic], from: given,
                                     whyMissing: { "planted: \($0.rawValue)" }, projectRoot: Fixtures.projectRoot,
                                     progress: Progress(suite: "test"))
        XCTAssertEqual(probes.paths, [.swiftMuslStatic: "/bin/musl-\(MuslSource.defaultVersion)", .swiftGlibcStatic: "/bin/glibc-static-none"])
        XCTAssertEqual(probes.unavailable.map(\.variant), [DNSVariant.swiftMuslOther.rawValue, "swift-glibc-dynamic"])
        XCTAssertEqual(probes.unavailable.map(\.reason), ["planted: \(DNSVariant.swiftMuslOther.rawValue)", "planted: swift-glibc-dynamic"])
    }

    /// Each C probe is built as its variant says: the other musl's against
    /// that musl's sysroot, c-ares's with the resolver shim linked first.
    /// A build no C probe has is refused by name.
    func testCProbesAreBuiltAsTheirVariantSays() throws {
        let builder = CProgramBuilder(projectRoot: Fixtures.projectRoot)
        let source = [DNSSuite.cProbeSource]
        let plain = try builder.build(name: "dns_probe", sources: source, probe: DNSVariant.cMuslStatic.probe)
        let other = try builder.build(name: "dns_probe", sources: source, probe: DNSVariant.cMuslOther.probe)
        let cAres = try builder.build(name: "dns_probe", sources: source, probe: DNSVariant.cMuslCAres.probe)
        XCTAssertEqual(Set([plain, other, cAres]).count, 3, "three builds: \([plain, other, cAres])")
        // A numeric host: the probe says which libc it runs on, with no lookup sent anywhere.
        func firstLine(_ path: String) throws -> String {
            let r = try ProcessRunner.run(path, ["--name", "127.0.0.1", "--flags", "AI_NUMERICHOST"], timeout: 30)
            return r.stdout.split(separator: "\n").first.map(String.init) ?? r.stderr
        }
        XCTAssertEqual(try firstLine(plain), "probe c musl \(MuslSource.defaultVersion)")
        XCTAssertEqual(try firstLine(other), "probe c musl \(MuslSource.otherVersion)")
        XCTAssertEqual(try firstLine(cAres), "probe c musl \(MuslSource.defaultVersion)")
        let symbols = try ProcessRunner.run("nm", [cAres], timeout: 60).stdout
        XCTAssertTrue(symbols.contains(" ares_init"), "c-ares is linked into \(cAres)")
        XCTAssertFalse(try ProcessRunner.run("nm", [plain], timeout: 60).stdout.contains(" ares_init"))
        XCTAssertNil(CVariant(ProbeVariant(.c, .muslMimalloc)))
        XCTAssertEqual(CVariant(DNSVariant.cMuslOther.probe), .muslStatic)
        XCTAssertEqual(CVariant(ProbeVariant(.c, .glibcStatic, staticPIE: true)), .glibcStaticPie)
        XCTAssertThrowsError(try builder.build(name: "dns_probe", sources: source, probe: ProbeVariant(.c, .muslMimalloc))) { e in
            XCTAssertTrue("\(e)".hasPrefix("no C probe is built as c-musl-static+mimalloc"), "\(e)")
        }
    }

    /// The DNS suite runs what it is given and skips the rest with the
    /// engine's reason; a given path that is not executable is refused.
    func testDNSSuiteSkipsAVariantWithoutAProbeWithTheEnginesReason() throws {
        var o = DNSSuite.Options()
        o.variants = [.cGlibcDynamic, .swiftMuslStatic, .swiftGlibcStatic]
        o.probes = [.cGlibcDynamic: "/bin/true"]
        o.unavailable = [DNSSkippedVariant(variant: "swift-musl-static", reason: "the build of dns-probe failed: planted")]
        let (probes, skipped) = try DNSSuite.checkProbes(o)
        XCTAssertEqual(probes, [.cGlibcDynamic: "/bin/true"])
        XCTAssertEqual(skipped.map(\.variant), ["swift-musl-static", "swift-glibc-static"])
        XCTAssertEqual(skipped.map(\.reason), ["the build of dns-probe failed: planted", "no probe was given for it"])
        o.probes[.swiftGlibcStatic] = Fixtures.projectRoot + "/README.md"
        XCTAssertThrowsError(try DNSSuite.checkProbes(o)) { e in
            XCTAssertTrue("\(e)".contains("README.md is not an executable file"), "\(e)")
        }
    }
}
