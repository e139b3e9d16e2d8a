import Foundation
import XCTest
@testable import StaticMuslKit

final class ConformanceABITests: XCTestCase {
    func options() -> ABIAudit.Options {
        ABIAudit.Options(projectRoot: Fixtures.projectRoot, toolchainRoot: ToolchainVersions.detect().root)
    }

    /// The comparison can fail: a struct and a constant defined differently
    /// under __GLIBC__ are flagged, an identical struct is not.
    func testPlantedDifferenceUnderGlibcIsCaught() throws {
        var o = options()
        o.extraHeaders = [Fixtures.projectRoot + "/Tests/Fixtures/abi/planted.h"]
        o.extraConstantPattern = "^CSHIM_PLANTED_"
        o.onlyExtraHeaders = true
        let report = try ABIAudit.run(o)
        let planted = try XCTUnwrap(report.items.first { $0.name == "struct cshim_planted" })
        XCTAssertFalse(planted.match)
        XCTAssertEqual(planted.status, "mismatch")
        XCTAssertTrue(planted.differences.contains("count offset 0 vs 8"), "\(planted.differences)")
        XCTAssertTrue(planted.differences.contains("value offset 8 vs 0"), "\(planted.differences)")
        XCTAssertNotNil(planted.risk)
        let same = try XCTUnwrap(report.items.first { $0.name == "struct cshim_same" })
        XCTAssertTrue(same.match, "\(same.differences)")
        XCTAssertEqual(same.glibc, .layout(.init(size: 16, align: 8, fields: ["tag": .init(offset: 0, size: 1), "number": .init(offset: 8, size: 8)])))
        let flag = try XCTUnwrap(report.items.first { $0.name == "CSHIM_PLANTED_FLAG" })
        XCTAssertEqual(flag.glibc, .value(0x10)); XCTAssertEqual(flag.musl, .value(0x20)); XCTAssertFalse(flag.match)
        XCTAssertEqual(report.items.first { $0.name == "CSHIM_PLANTED_SAME" }?.match, true)
    }

    /// The musl side on musl 1.2.5's headers (its sysroot's musl-gcc):
    /// statvfs gains f_type and the DT_RELR constants appear, and
    /// muslChanges names them; the same audit against itself changes nothing.
    func testMusl125HeadersAreAuditedAndTheirChangesNamed() throws {
        var o123 = options()
        o123.muslSysroot = try Sysroot.prepare(projectRoot: Fixtures.projectRoot, musl: try MuslSource.named("1.2.3"))
        let old = try ABIAudit.run(o123)
        var o = options()
        o.muslSysroot = try Sysroot.prepare(projectRoot: Fixtures.projectRoot, musl: try MuslSource.named("1.2.5"))
        let new = try ABIAudit.run(o)
        XCTAssertEqual(ABIAudit.muslChanges(from: old, to: old), [])
        let changes = ABIAudit.muslChanges(from: old, to: new)
        print("musl 1.2.5 against 1.2.3, ABI: \(changes.count) of \(new.items.count) items change on the musl side" + changes.map { "\n  " + $0 }.joined())
        XCTAssertTrue(changes.contains { $0.hasPrefix("struct statvfs:") && $0.contains("f_type absent → @") }, "\(changes)")
        XCTAssertTrue(changes.contains { $0.hasPrefix("DT_RELR: glibc-only (absent) → match") }, "\(changes)")
        XCTAssertEqual(new.items.first { $0.name == "regex_t" }?.status, "mismatch", "1.2.5 keeps musl's regex_t")
    }

    /// The real audit: >= 150 items in both libcs, derived from the module
    /// map, with the known regex and fts mismatches flagged.
    func testAuditOfTheGlibcModuleCoversAtLeast150ItemsAndFlagsKnownMismatches() throws {
        let report = try ABIAudit.run(options())
        XCTAssertGreaterThanOrEqual(report.summary.compared, 150)
        XCTAssertTrue(report.derivation.glibcModuleHeaders.contains("regex.h"))
        XCTAssertTrue(report.derivation.foundationShimHeaders.contains("fts.h"))
        XCTAssertTrue(report.derivation.headersMissingInMusl.contains("execinfo.h"))
        for name in ["regex_t", "regmatch_t", "FTSENT", "glob_t", "BUFSIZ", "O_ACCMODE"] {
            let item = try XCTUnwrap(report.items.first { $0.name == name }, name)
            XCTAssertFalse(item.match, name)
            XCTAssertNotNil(item.risk, name)
        }
        for name in ["struct stat", "struct addrinfo", "pthread_mutex_t", "struct sigaction", "jmp_buf", "O_RDONLY", "EAI_NONAME"] {
            let item = try XCTUnwrap(report.items.first { $0.name == name }, name)
            XCTAssertTrue(item.match, "\(name): \(item.differences)")
        }
        let regex = try XCTUnwrap(report.items.first { $0.name == "regex_t" })
        XCTAssertTrue(regex.differences.contains("re_nsub offset 48 vs 0"), "\(regex.differences)")
        // The JSON has the issue's shape.
        let json = try JSONSerialization.jsonObject(with: report.json()) as? [String: Any]
        let first = (json?["items"] as? [[String: Any]])?.first
        for key in ["name", "kind", "glibc", "musl", "match"] { XCTAssertNotNil(first?[key], key) }
        XCTAssertEqual(json?["schema_version"] as? Int, 1)
        let glibcOnly = (json?["items"] as? [[String: Any]])?.first { $0["name"] as? String == "GLOB_BRACE" }
        XCTAssertTrue(glibcOnly?["musl"] is NSNull, "a glibc-only item has \"musl\": null")
        XCTAssertNotNil((json?["versions"] as? [String: Any])?["musl"])
    }

    func testParserFindsFieldsOfNestedAndAnonymousMembers() {
        let c = """
        # 1 "/usr/include/x.h"
        typedef struct { int a; union { long b; char c[4]; }; struct { short d; } named; unsigned e : 3; void (*f)(int); } demo_t;
        struct _hidden { int x; };
        enum { DEMO_ONE = 1, DEMO_TWO };
        static inline int helper(int x) { return x; }
        """
        let inv = ABIInventory.parse(preprocessed: c, macros: "#define O_DEMO 4\n#define O_FN(x) x\n", extraConstantPattern: "^DEMO_")
        XCTAssertEqual(inv.types["demo_t"]?.fields, ["a", "b", "c", "named", "named.d", "f"])
        XCTAssertNil(inv.types["struct _hidden"])
        XCTAssertNotNil(inv.constants["DEMO_TWO"]); XCTAssertNotNil(inv.constants["O_DEMO"]); XCTAssertNil(inv.constants["O_FN"])
    }
}
