import Foundation
import XCTest
@testable import StaticMuslKit

/// Static glibc NSS risk, with and without a root's nsswitch.conf.
final class InspectNSSTests: XCTestCase {
    func probe(_ variant: CVariant) throws -> String {
        try CProgramBuilder(projectRoot: Fixtures.projectRoot)
            .build(name: "scratch_probe", sources: ["Probes/programs/scratch_probe.c"], variant: variant)
    }

    func testRiskLevelsFollowTheRootsNsswitch() throws {
        let glibc = try probe(.glibcStatic)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("inspect-nss-\(UUID())").path
        try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }

        var file = try InspectSuite.inspect(path: glibc)
        XCTAssertEqual(file.nssRisk, .present)
        XCTAssertTrue(file.nssEvidence.contains("string \"libnss_%s.so\""), "\(file.nssEvidence)")

        file = try InspectSuite.inspect(path: glibc, root: root)
        XCTAssertEqual(file.nssRisk, .low, "no nsswitch.conf: glibc's defaults are files and dns")

        try "passwd: files\ngroup: files\nhosts: files dns\n".write(toFile: root + "/etc/nsswitch.conf", atomically: true, encoding: .utf8)
        XCTAssertEqual(try InspectSuite.inspect(path: glibc, root: root).nssRisk, .low)

        try "# comment\npasswd:   compat\ngroup: files systemd\nhosts: files mdns4_minimal [NOTFOUND=return] dns\nnetgroup: nis\n"
            .write(toFile: root + "/etc/nsswitch.conf", atomically: true, encoding: .utf8)
        file = try InspectSuite.inspect(path: glibc, root: root)
        XCTAssertEqual(file.nssRisk, .high)
        XCTAssertEqual(file.nssFlagged, ["passwd: compat", "group: systemd", "hosts: mdns4_minimal", "netgroup: nis"])
        XCTAssertTrue(file.warnings.contains { $0.contains("passwd: compat") }, "\(file.warnings)")

        XCTAssertEqual(try InspectSuite.inspect(path: probe(.muslStatic), root: root).nssRisk, .none, "musl has no NSS")
        XCTAssertEqual(try InspectSuite.inspect(path: probe(.glibcDynamic), root: root).nssRisk, .notApplicable)
        // Stripped static glibc keeps the NSS strings.
        let stripped = try CProgramBuilder(projectRoot: Fixtures.projectRoot)
            .build(name: "scratch_probe", sources: ["Probes/programs/scratch_probe.c"], variant: .glibcStaticPie, strip: true)
        XCTAssertEqual(try InspectSuite.inspect(path: stripped).nssRisk, .present)
    }
}
