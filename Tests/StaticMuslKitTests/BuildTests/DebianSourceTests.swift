import Foundation
import XCTest
@testable import StaticMuslKit

/// `DebianSource`'s parsers and the deb-src files it writes, on checked-in
/// fixtures (no apt, no network); the fetch itself runs whenever a sysroot
/// or a library is built from source (Musl125Tests, LibraryRecipeTests).
final class DebianSourceTests: XCTestCase {
    static let fixtures = Fixtures.projectRoot + "/Tests/Fixtures/debian"

    func testVersionsAreOrderedAsDpkgOrdersThem() {
        // Each pair: the first sorts before the second (dpkg --compare-versions a lt b).
        let ascending = [("1.2.3-1", "1.2.5-3.1~deb13u1"), ("1.2.5-3.1~deb13u1", "1.2.5-3.1"), ("1.0~rc1", "1.0"),
                         ("1.0", "1.0.1"), ("1.0", "1.0a"), ("1.0a", "1.0+b1"), ("9", "10"), ("1:0.1", "2:0.0"),
                         ("0.9-1", "1:0.1-1"), ("2.0.9+ds-2", "3.0.1+ds-2.1"), ("1.18.1-3", "1.34.9-1~deb13u1"), ("1.0-1", "1.0-1.1"),
                         ("1.0~~", "1.0~"), ("1.01", "1.2")]
        for (a, b) in ascending {
            XCTAssertLessThan(DebianVersion(a), DebianVersion(b), "\(a) < \(b)")
            XCTAssertFalse(DebianVersion(b) < DebianVersion(a), "not \(b) < \(a)")
        }
        XCTAssertEqual(DebianVersion("1.001-1"), DebianVersion("1.1-1"), "leading zeros do not count")
        XCTAssertEqual(DebianVersion("2:1.0-1").withoutEpoch, "1.0-1")
        XCTAssertEqual(DebianVersion("2:1.0-1").epoch, 2)
        XCTAssertEqual(DebianVersion("1.2.5-3.1~deb13u1").upstream, "1.2.5")
        XCTAssertEqual(DebianVersion("1.2.5-3.1~deb13u1").revision, "3.1~deb13u1")
    }

    func testMadisonListsEachReleasesSourcesNewestFirst() throws {
        let text = try String(contentsOfFile: Self.fixtures + "/madison.txt", encoding: .utf8)
        let lines = AptMadison.parse(text)
        XCTAssertEqual(lines.count, 8, "\(lines)")
        XCTAssertEqual(lines.first, AptMadison.Line(package: "musl", version: "1.2.3-1", dist: "bookworm", isSource: false))
        XCTAssertEqual(AptMadison.sources(of: "musl", in: lines, suite: "bookworm").map(\.text), ["1.2.3-1"])
        XCTAssertEqual(AptMadison.sources(of: "musl", in: lines, suite: "trixie").map(\.text), ["1.2.5-3.1~deb13u1"])
        XCTAssertEqual(AptMadison.sources(of: "musl", in: lines, suite: nil).map(\.text), ["1.2.5-3.1~deb13u1", "1.2.3-1"])
        // trixie-security counts as trixie, and a version both list is named once.
        XCTAssertEqual(AptMadison.sources(of: "c-ares", in: lines, suite: "trixie").map(\.text), ["1.34.9-1~deb13u1"])
        XCTAssertEqual(lines.first { $0.dist == "trixie-security" }?.release, "trixie")
        XCTAssertEqual(AptMadison.sources(of: "mimalloc", in: lines, suite: nil).map(\.text), ["3.0.1+ds-2.1", "2.0.9+ds-2"])
        XCTAssertEqual(AptMadison.sources(of: "musl", in: lines, suite: "sid"), [])
        XCTAssertEqual(AptMadison.parse("garbage\n  x | y\n"), [])
    }

    func testTheDebSrcFilesMirrorTheSystemsEntriesOrNameTheRelease() throws {
        let keyring = "/usr/share/keyrings/debian-archive-keyring.gpg"
        let system = try String(contentsOfFile: Self.fixtures + "/system-debian.sources", encoding: .utf8)
        let mirrored = AptSourceLists.systemMirror([system, "Types: deb\nURIs: http://example.org/other\nSuites: x\n"], suite: "bookworm",
                                                   keyring: keyring)
        XCTAssertEqual(mirrored, system.replacingOccurrences(of: "Types: deb\n", with: "Types: deb-src\n") + "\n",
                       "the Debian entries, as deb-src; the other mirror is left out")
        XCTAssertEqual(AptSourceLists.systemMirror([], suite: "bookworm", keyring: keyring), """
            Types: deb-src
            URIs: http://deb.debian.org/debian
            Suites: bookworm
            Components: main
            Signed-By: \(keyring)

            """)
        XCTAssertEqual(AptSourceLists.release("trixie", suites: ["trixie", "trixie-updates"], security: true, keyring: keyring), """
            Types: deb-src
            URIs: http://deb.debian.org/debian
            Suites: trixie trixie-updates
            Components: main
            Signed-By: \(keyring)

            Types: deb-src
            URIs: http://deb.debian.org/debian-security
            Suites: trixie-security
            Components: main
            Signed-By: \(keyring)

            """)
    }

    func testARequestIsCheckedAndReadsTheSystemsRelease() throws {
        XCTAssertEqual(try DebianSource("musl=1.2.5-3.1~deb13u1", suite: "trixie"),
                       try DebianSource("musl=1.2.5-3.1~deb13u1", suite: "trixie"))
        let plain = try DebianSource("c-ares")
        XCTAssertNil(plain.version)
        XCTAssertEqual(plain.matchSuite, DebianSource.systemSuite, "a plain request reads the system's release only")
        XCTAssertNil(try DebianSource("musl=1.2.3-1").matchSuite, "an exact version may come from any release")
        XCTAssertThrowsError(try DebianSource("Musl")) { XCTAssertEqual($0 as? DebianSourceError, .badPackage("Musl")) }
        XCTAssertThrowsError(try DebianSource("musl=")) { XCTAssertEqual($0 as? DebianSourceError, .emptyVersion("musl=")) }
        XCTAssertThrowsError(try DebianSource("musl", suite: "../x")) { XCTAssertEqual($0 as? DebianSourceError, .badSuite("../x")) }
        XCTAssertEqual(OSRelease.value("VERSION_CODENAME", in: "NAME=\"Debian GNU/Linux\"\nVERSION_CODENAME=trixie\n"), "trixie")
        XCTAssertEqual(OSRelease.value("NAME", in: "NAME=\"Debian GNU/Linux\"\n"), "Debian GNU/Linux")
    }

    /// An unpacked tree is found without asking apt: the exact version's, or
    /// the newest whose note names the wanted release.
    func testAnUnpackedTreeIsReusedForItsRelease() throws {
        let dir = try temporaryDirectory("debian-trees")
        for (name, suite) in [("demo-1.0-1", nil), ("demo-2.0-1", "trixie"), ("demo-1.5-1", nil)] as [(String, String?)] {
            try FileManager.default.createDirectory(atPath: dir + "/" + name + "/debian", withIntermediateDirectories: true)
            if let suite { try suite.write(toFile: dir + "/.suite-" + name, atomically: true, encoding: .utf8) }
        }
        XCTAssertEqual(try DebianSource("demo").unpackedTree(in: dir), dir + "/demo-1.5-1", "the system's newest")
        XCTAssertEqual(try DebianSource("demo", suite: "trixie").unpackedTree(in: dir), dir + "/demo-2.0-1")
        XCTAssertEqual(try DebianSource("demo=1.0-1").unpackedTree(in: dir), dir + "/demo-1.0-1")
        XCTAssertNil(try DebianSource("demo=3.0-1").unpackedTree(in: dir))
        XCTAssertNil(try DebianSource("demo", suite: "sid").unpackedTree(in: dir))
    }
}
