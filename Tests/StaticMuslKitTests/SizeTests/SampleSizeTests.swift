import Foundation
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import StaticMuslKit

/// `static-musl size` on the real Sample binaries from the shared fixture
/// build (no relinking here): at least 95 % of the bytes explained by
/// archive or module, and the ICU archive's reference chain named.
final class SampleSizeTests: XCTestCase {
    static let icu = "lib_FoundationICU.a"

    /// Parsing a 26 MB map takes seconds in a debug build: once per variant.
    private static let lock = NSLock()
    nonisolated(unsafe) private static var reports: [Variant: SizeReport] = [:]

    func report(_ variant: Variant) throws -> SizeReport {
        Self.lock.lock(); defer { Self.lock.unlock() }
        if let known = Self.reports[variant] { return known }
        let artifact = try Fixtures.store().artifact(product: "Sample", variant: variant)
        let map = try XCTUnwrap(artifact.linkMap, "build-static.sh kept no link map for Sample (\(variant.rawValue))")
        let report = try SizeAttribution.analyze(binary: artifact.path, map: map)
        print("size: Sample \(variant.rawValue): \(report.fileSize) bytes, explained \(report.explainedFraction), "
              + "by archive or module \(report.inputFraction) (musl \(report.versions.musl), glibc \(report.versions.glibc))")
        Self.reports[variant] = report
        return report
    }

    /// The README's "stdlib-only probe": dns-probe links neither Foundation
    /// nor _StringProcessing (String.replacing would pull in about 2 MB).
    func testDNSProbeLinksOnlyTheStandardLibrary() throws {
        let artifact = try Fixtures.store().artifact(product: "dns-probe", variant: .musl)
        let map = try XCTUnwrap(artifact.linkMap, "no link map for dns-probe (musl)")
        let r = try SizeAttribution.analyze(binary: artifact.path, map: map)
        let archives = r.archives.map(\.archive)
        XCTAssertTrue(archives.contains("libswiftCore.a"), "\(archives)")
        for heavy in ["libswift_StringProcessing.a", "libFoundationEssentials.a", "libFoundation.a", "lib_FoundationICU.a"] {
            XCTAssertFalse(archives.contains(heavy), "dns-probe links \(heavy)")
        }
    }

    func testMuslSampleIsExplainedByArchiveOrModule() throws {
        let r = try report(.musl)
        XCTAssertEqual(r.linker, "gnu-ld")
        XCTAssertGreaterThanOrEqual(r.inputFraction, 0.95, "archives and modules explain too little: \(r.buckets.prefix(8))")
        XCTAssertGreaterThanOrEqual(r.explainedFraction, 0.95)
        // Every byte is in exactly one bucket.
        XCTAssertEqual(r.buckets.reduce(0) { $0 + $1.bytes }, r.fileSize)
        XCTAssertEqual(r.modules.first { $0.module == "Sample" }?.kind, "swiftpm-target")
        XCTAssertGreaterThan(r.swiftMetadata.total, 0)
        XCTAssertTrue(r.swiftMetadata.sections.contains { $0.name == "swift5_typeref" })
        XCTAssertTrue(r.segments.contains { $0.type == "LOAD" && $0.flags == "R-X" })
    }

    func testMuslSampleNamesTheChainThatPullsICUIn() throws {
        let r = try report(.musl)
        let icu = try XCTUnwrap(r.archives.first { $0.archive == Self.icu }, "the Sample formats dates: ICU should be linked")
        let chain = try XCTUnwrap(icu.why)
        XCTAssertTrue(chain.steps.first?.file.hasPrefix(Self.icu + "(") ?? false, chain.text)
        // The chain ends in the Sample's own code, through Foundation.
        XCTAssertEqual(chain.steps.last?.module, "Sample", chain.text)
        XCTAssertTrue(chain.steps.contains { $0.module == "FoundationInternationalization" }, chain.text)
        XCTAssertTrue(chain.steps.dropFirst().allSatisfy { $0.symbol?.isEmpty == false }, chain.text)
        let heavy = try XCTUnwrap(r.heavyArchives.first { $0.archive == Self.icu })
        XCTAssertEqual(heavy.bytes, icu.bytes)
        XCTAssertFalse(heavy.entryReferences.isEmpty)
        XCTAssertTrue(heavy.rootReferences.contains { $0.module == "Sample" })
    }

    func testGlibcStaticSampleFromGoldMap() throws {
        let r = try report(.glibcStatic)
        XCTAssertEqual(r.linker, "gold")
        XCTAssertGreaterThanOrEqual(r.explainedFraction, 0.95)
        XCTAssertEqual(r.buckets.reduce(0) { $0 + $1.bytes }, r.fileSize)
        XCTAssertNotNil(r.archives.first { $0.archive == Self.icu }?.why)
    }

    func testTableAndSVGAreSelfContained() throws {
        let r = try report(.musl)
        let table = SizeRender.table(r)
        XCTAssertTrue(table.contains(Self.icu))
        XCTAssertTrue(table.contains("musl \(r.versions.musl)"))
        let svg = SizeRender.svg(r)
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertFalse(svg.contains("href"), "the SVG must not load anything")
        // Well-formed XML.
        let parser = XMLParser(data: Data(svg.utf8))
        XCTAssertTrue(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
    }

    func testBinaryWithoutMapStillGetsSectionsAndAMissingFileIsAnError() throws {
        let hello = try CProgramBuilder(projectRoot: Fixtures.projectRoot)
            .build(name: "hello", sources: ["Probes/programs/hello.c"], variant: .muslStatic)
        let r = try SizeAttribution.analyze(binary: hello, map: nil)
        XCTAssertNil(r.map)
        XCTAssertTrue(r.sections.contains { $0.name == ".text" })
        XCTAssertTrue(r.archives.isEmpty)
        XCTAssertThrowsError(try SizeAttribution.analyze(binary: "/nonexistent/binary")) { error in
            XCTAssertEqual(error as? SizeError, .unreadable(path: "/nonexistent/binary"))
        }
        XCTAssertThrowsError(try SizeAttribution.analyze(binary: hello, map: "/etc/hostname")) { error in
            XCTAssertEqual(error as? SizeError, .notALinkMap(path: "/etc/hostname"))
        }
    }
}
