import Foundation
import XCTest
@testable import StaticMuslKit

/// How the suites ask the engine for a set of variants.
final class VariantSelectionTests: XCTestCase {
    func testMimallocAndCAresAreSwitchesThatBringMusl() {
        let all = VariantSelection([.glibcDynamic, .muslCAres, .glibcStatic, .musl, .muslMimalloc])
        XCTAssertEqual(all.listed, [.musl, .glibcStatic, .glibcDynamic].sorted())
        XCTAssertEqual(all.allocator, .mimalloc)
        XCTAssertEqual(all.resolver, .cAres)
        let cAresOnly = VariantSelection([.muslCAres])
        XCTAssertEqual(cAresOnly.listed, [.musl], "never an empty list, which the build would read as every variant")
        XCTAssertEqual(cAresOnly.allocator, .mallocng)
        XCTAssertEqual(cAresOnly.resolver, .cAres)
        var options = BuildStatic.Options(out: "/x")
        options.select(VariantSelection([.glibcStatic]))
        XCTAssertEqual(options.variants, ["glibc-static"])
        XCTAssertEqual(options.allocator, .mallocng)
        XCTAssertEqual(options.resolver, .musl)
    }
}
