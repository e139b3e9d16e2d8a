import Foundation
import XCTest
@testable import StaticMuslKit

final class CProgramBuilderTests: XCTestCase {
    func testEveryCVariantBuildsAndNamesItsLibc() throws {
        let builder = CProgramBuilder(projectRoot: Fixtures.projectRoot)
        for variant in CVariant.allCases {
            let binary = try builder.build(name: "hello", sources: ["Probes/programs/hello.c"], variant: variant)
            let r = try ProcessRunner.run(binary, timeout: 10)
            XCTAssertEqual(r.stdout, "hello from \(variant.libc)\n", variant.rawValue)
        }
    }
}
