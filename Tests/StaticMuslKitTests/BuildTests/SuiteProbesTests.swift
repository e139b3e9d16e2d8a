import Foundation
import XCTest
@testable import StaticMuslKit

/// The engine's side of "suites take artefacts": what it hands a suite,
/// and why a probe is missing when it cannot hand one over.
final class SuiteProbesTests: XCTestCase {
    /// Building off and no dist: the C probe is compiled (cached by content),
    /// the Swift one is unavailable with where it was looked for; nothing is built.
    func testDNSWithoutBuildingSaysWhereTheSwiftProbeWasLookedFor() throws {
        let dist = FileManager.default.temporaryDirectory.appendingPathComponent("no-dist-\(UUID().uuidString)").path
        let probes = SuiteProbes.dns([.cGlibcDynamic, .swiftMuslStatic], dist: dist, buildSwiftProbes: false,
                                     projectRoot: Fixtures.projectRoot, progress: Progress(suite: "test"))
        let c = try XCTUnwrap(probes.paths[.cGlibcDynamic], "\(probes.unavailable)")
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: c))
        XCTAssertNil(probes.paths[.swiftMuslStatic])
        XCTAssertEqual(probes.unavailable.map(\.variant), ["swift-musl-static"])
        XCTAssertTrue(probes.unavailable.first?.reason.contains("no manifest in \(dist)") == true, "\(probes.unavailable)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dist), "nothing was built into the dist")
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
