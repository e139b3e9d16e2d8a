import Foundation
import XCTest
@testable import StaticMuslKit

/// Which Debian -dev package a failed SwiftPM build asks for, read from the
/// lines the linkers and clang print.
final class SystemPackagesTests: XCTestCase {
    func testDevelopmentPackagesFromBuildLogs() {
        let gold = "/usr/bin/ld.gold: error: cannot find -lcurl\nclang: error: linker command failed with exit code 1"
        XCTAssertEqual(SystemPackages.developmentPackages(wantedBy: gold), ["libcurl4-openssl-dev"])
        let bfd = "/usr/bin/ld: cannot find -lxml2: No such file or directory"
        XCTAssertEqual(SystemPackages.developmentPackages(wantedBy: bfd), ["libxml2-dev"])
        let lld = "ld.lld: error: unable to find library -lsqlite3"
        XCTAssertEqual(SystemPackages.developmentPackages(wantedBy: lld), ["libsqlite3-dev"])
        let header = """
        /pkg/Sources/CSQLite/shim.h:1:10: error: 'sqlite3.h' file not found
        #include <sqlite3.h>
        """
        XCTAssertEqual(SystemPackages.developmentPackages(wantedBy: header), ["libsqlite3-dev"])
        XCTAssertEqual(SystemPackages.developmentPackages(wantedBy: gold + "\n" + header + "\n" + gold),
                       ["libcurl4-openssl-dev", "libsqlite3-dev"])
    }

    /// Libraries the map does not know, and near misses, ask for nothing.
    func testUnknownLibrariesAskForNothing() {
        XCTAssertEqual(SystemPackages.developmentPackages(wantedBy: "/usr/bin/ld: cannot find -lfrob"), [])
        XCTAssertEqual(SystemPackages.developmentPackages(wantedBy: "/usr/bin/ld: cannot find -lcurlpp"), [])
        XCTAssertEqual(SystemPackages.developmentPackages(wantedBy: "warning: 'zlib.h' is deprecated"), [])
    }
}
