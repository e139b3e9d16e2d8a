import Foundation
import XCTest
@testable import StaticMuslKit

/// The suites' variant names are what every JSON file and column holds:
/// the one vocabulary (`ProbeVariant`) must spell each exactly as written here.
final class ProbeVariantTests: XCTestCase {
    let other = MuslSource.otherVersion

    func testEachSuitesNamesAreSpelledAsBefore() {
        XCTAssertEqual(DNSVariant.allCases.map(\.rawValue), [
            "c-glibc-dynamic", "c-glibc-static", "c-musl-static", "swift-glibc-dynamic", "swift-glibc-static", "swift-musl-static",
            "c-musl-static+c-ares", "swift-musl-static+c-ares", "c-musl-\(other)-static", "swift-musl-\(other)-static",
        ])
        XCTAssertEqual(MallocVariant.allCases.map(\.rawValue), [
            "glibc-static", "glibc-dynamic", "musl-static", "musl-\(other)-static", "musl-static+mimalloc", "musl-static+c-ares",
        ])
        XCTAssertEqual(CVariant.allCases.map(\.rawValue),
                       ["c-glibc-dynamic", "c-glibc-static", "c-musl-static", "c-musl-static-pie", "c-glibc-static-pie"])
        XCTAssertEqual(CVariant(rawValue: "c-musl-static-pie"), .muslStaticPie)
        XCTAssertNil(CVariant(rawValue: "c-musl-dynamic"))
    }

    func testColumnsNameTheirProbesInTheSameVocabulary() {
        let names = Dictionary(uniqueKeysWithValues: Variant.allCases.map { ($0, VariantColumns.names(of: $0)) })
        XCTAssertEqual(names[.musl], .init(column: "musl", swiftProbe: "swift-musl-static", cProbe: "c-musl-static", malloc: "musl-static"))
        XCTAssertEqual(names[.glibcDynamic]?.cProbe, "c-glibc-dynamic")
        XCTAssertEqual(names[.embeddedMusl], .init(column: "embedded-musl", swiftProbe: "swift-embedded-musl"))
        XCTAssertEqual(names[.sdk], .init(column: "sdk"))
        XCTAssertEqual(names[.muslMimalloc], .init(column: "musl+mimalloc", swiftProbe: "swift-musl-static+mimalloc", malloc: "musl-static+mimalloc"))
        XCTAssertEqual(names[.muslCAres], .init(column: "musl+c-ares", swiftProbe: "swift-musl-static+c-ares",
                                                cProbe: "c-musl-static+c-ares", malloc: "musl-static+c-ares"))
        let otherNames = OtherMuslNames("1.2.4")
        XCTAssertEqual([otherNames.cProbe, otherNames.swiftProbe, otherNames.malloc, otherNames.column],
                       ["c-musl-1.2.4-static", "swift-musl-1.2.4-static", "musl-1.2.4-static", "musl-1.2.4"])
    }

    /// What each suite's case stands for is read off its probe, not a table of its own.
    func testSuiteCasesReadTheirBuildOffTheirProbe() {
        XCTAssertEqual(DNSVariant.cMuslOther.muslVersion, other)
        XCTAssertEqual(DNSVariant.cMuslOther.cVariant, .muslStatic)
        XCTAssertEqual(DNSVariant.cGlibcStatic.cVariant, .glibcStatic)
        XCTAssertNil(DNSVariant.swiftMuslStatic.cVariant)
        XCTAssertEqual(DNSVariant.swiftMuslCAres.buildVariant, .muslCAres)
        XCTAssertEqual(DNSVariant.swiftMuslCAres.alternative, .cAres)
        XCTAssertEqual(DNSVariant.swiftMuslOther.alternative, .otherMusl)
        XCTAssertNil(DNSVariant.cMuslStatic.alternative)
        XCTAssertEqual(DNSVariant.allCases.map(\.twin.twin), DNSVariant.allCases)
        XCTAssertEqual(DNSVariant.cMuslOther.twin, .swiftMuslOther)
        XCTAssertEqual(MallocVariant.muslOtherStatic.buildVariant, .musl)
        XCTAssertEqual(MallocVariant.muslOtherStatic.muslVersion, other)
        XCTAssertNil(MallocVariant.muslMimalloc.muslVersion)
    }
}
