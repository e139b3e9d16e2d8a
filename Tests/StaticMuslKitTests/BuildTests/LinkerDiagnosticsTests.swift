import Foundation
import XCTest
@testable import StaticMuslKit

/// Golden tests of LinkerDiagnostics on real failing links of GNU ld (bfd),
/// gold and lld (Tests/Fixtures/build-description/*.log; the README says
/// how each was produced), and on small inline lld messages.
final class LinkerDiagnosticsTests: XCTestCase {
    static let folder = Fixtures.projectRoot + "/Tests/Fixtures/build-description"

    static func log(_ name: String) throws -> String {
        let path = folder + "/" + name
        let data = try XCTUnwrap(FileManager.default.contents(atPath: path), "golden input \(path) is missing")
        return String(decoding: data, as: UTF8.self)
    }

    /// [symbol, wanted_by] pairs, the manifest's `unresolved` in order.
    static func unresolved(_ text: String) -> [[String]] {
        LinkerDiagnostics.unresolvedSymbols(in: text).map { [$0.symbol, $0.wantedBy] }
    }

    /// What every undefined-in-archive log must yield: main.o's reference,
    /// then each archive member's (x.o references curl_easy_init twice: once).
    static let archiveMembers: [[String]] = [
        ["inflate_init", "main.o"],
        ["curl_easy_init", "libfoo.a(x.o)"],
        ["curl_easy_perform", "libfoo.a(x.o)"],
        ["curl_easy_init", "libfoo.a(y.o)"],
        ["sqlite3_open", "libfoo.a(y.o)"],
        ["curl_global_init", "libfoo.a(z.o)"],
    ]

    // MARK: GNU ld (bfd)

    func testBfdUndefinedInArchive() throws {
        let text = try Self.log("bfd-undefined-in-archive.log")
        XCTAssertEqual(Self.unresolved(text), Self.archiveMembers)
    }

    func testBfdMissingLibrary() throws {
        let text = try Self.log("bfd-missing-library.log")
        XCTAssertEqual(Self.unresolved(text), [["(library -lsqlite3)", "link line"]])
    }

    func testBfdManyReferencesAndObjectsWithoutSourceNames() throws {
        // v.o and libbar.a(w.o) come from assembly without a .file symbol: "(.text+0x1): undefined reference …".
        let text = try Self.log("bfd-many-references.log")
        XCTAssertEqual(Self.unresolved(text), [
            ["zlib_version", "v.o"],
            ["curl_easy_init", "libbar.a(many.o)"],
            ["sqlite3_close", "libbar.a(w.o)"],
        ])
    }

    /// The first line that states an error, not collect2's summary
    /// ("collect2: error: ld returned 1 exit status"), which every failed
    /// GCC-driven link prints last and which names nothing to fix.
    func testBfdFirstErrorIsTheLinkersOwnLineWithoutItsPath() throws {
        XCTAssertEqual(LinkerDiagnostics.firstError(in: try Self.log("bfd-missing-library.log")),
                       "cannot find -lsqlite3: No such file or directory")
        XCTAssertEqual(LinkerDiagnostics.firstError(in: try Self.log("bfd-undefined-in-archive.log")),
                       "main.c:(.text+0x16): undefined reference to `inflate_init'")
    }

    // MARK: gold

    func testGoldUndefinedInArchive() throws {
        let text = try Self.log("gold-undefined-in-archive.log")
        // gold prints z.o's data reference first; the set is the same as bfd's.
        XCTAssertEqual(Self.unresolved(text), [Self.archiveMembers[5]] + Self.archiveMembers[0..<5])
        XCTAssertEqual(LinkerDiagnostics.firstError(in: text),
                       "/WORK/libfoo.a(z.o):z.c:init_hook: error: undefined reference to 'curl_global_init'")
    }

    func testGoldMissingLibrary() throws {
        let text = try Self.log("gold-missing-library.log")
        XCTAssertEqual(Self.unresolved(text), [
            ["(library -lsqlite3)", "link line"],
            ["fetch", "main.o"], ["db", "main.o"], ["inflate_init", "main.o"],
        ])
        XCTAssertEqual(LinkerDiagnostics.firstError(in: text), "error: cannot find -lsqlite3")
    }

    func testGoldManyReferencesAndObjectsWithoutSourceNames() throws {
        let text = try Self.log("gold-many-references.log")
        XCTAssertEqual(Self.unresolved(text), [
            ["zlib_version", "v.o"],
            ["sqlite3_close", "libbar.a(w.o)"],
            ["curl_easy_init", "libbar.a(many.o)"],
        ])
    }

    func testGoldInlineCxxFunction() {
        // The object ends at the first ":" outside an archive member's parentheses.
        let text = "/a/main.o:main.cpp:function foo(int): error: undefined reference to 'bar(long)'\n"
        XCTAssertEqual(Self.unresolved(text), [["bar(long)", "main.o"]])
    }

    // MARK: lld

    func testLldUndefinedInArchive() throws {
        let text = try Self.log("lld-undefined-in-archive.log")
        XCTAssertEqual(Self.unresolved(text), [
            ["inflate_init", "main.o"],
            ["curl_easy_init", "libfoo.a(x.o)"],
            ["curl_easy_init", "libfoo.a(y.o)"],
            ["curl_easy_perform", "libfoo.a(x.o)"],
            ["sqlite3_open", "libfoo.a(y.o)"],
            ["curl_global_init", "libfoo.a(z.o)"],
        ])
        XCTAssertEqual(LinkerDiagnostics.firstError(in: text), "error: undefined symbol: inflate_init")
    }

    func testLldMissingLibrary() throws {
        let text = try Self.log("lld-missing-library.log")
        XCTAssertEqual(Self.unresolved(text), [["(library -lsqlite3)", "link line"]])
        XCTAssertEqual(LinkerDiagnostics.firstError(in: text), "error: unable to find library -lsqlite3")
    }

    /// lld's one-line form (">>> referenced by w.o:(.text+0x1) in archive …",
    /// for objects without a source name) and its elision
    /// (">>> referenced 2 more times").
    func testLldManyReferencesAndObjectsWithoutSourceNames() throws {
        let text = try Self.log("lld-many-references.log")
        XCTAssertEqual(Self.unresolved(text), [
            ["sqlite3_close", "libbar.a(w.o)"],
            ["curl_easy_init", "libbar.a(many.o)"],
            ["zlib_version", "v.o"],
        ])
    }

    func testLldInlineForms() {
        let twoLine = """
        ld.lld: error: undefined symbol: foo
        >>> referenced by bar.c
        >>>               x.o:(bar) in archive /p/libq.a
        """
        XCTAssertEqual(Self.unresolved(twoLine), [["foo", "libq.a(x.o)"]])

        let plainObject = """
        /usr/bin/ld.lld: error: undefined symbol: swift_task_create
        >>> referenced by main.swift:3 (/src/main.swift:3)
        >>>               /build/release/App.build/main.swift.o:(App_main)
        """
        XCTAssertEqual(Self.unresolved(plainObject), [["swift_task_create", "main.swift.o"]])
        XCTAssertEqual(LinkerDiagnostics.firstError(in: plainObject), "error: undefined symbol: swift_task_create")

        let oneLine = """
        ld.lld: error: undefined symbol: foo
        >>> referenced by x.o:(bar) in archive /p/libq.a

        ld.lld: error: undefined symbol: baz
        >>> referenced by /o/y.o:(.text+0x4)

        ld.lld: error: undefined symbol: qux
        >>> referenced by q.c
        >>>               q.o:(f) in archive /p/libq.a
        """
        XCTAssertEqual(Self.unresolved(oneLine), [["foo", "libq.a(x.o)"], ["baz", "y.o"], ["qux", "libq.a(q.o)"]])

        // Every reference elided (--error-limit): the symbol still counts.
        XCTAssertEqual(Self.unresolved("ld.lld: error: undefined symbol: lonely\n"), [["lonely", "unknown object"]])
    }

    // MARK: small cases

    func testDeduplicatesAndKeepsOrder() {
        let text = """
        /usr/bin/ld: /a/libz.a(inflate.o): in function `go':
        inflate.c:(.text+0x5): undefined reference to `b'
        /usr/bin/ld: inflate.c:(.text+0x9): undefined reference to `a'
        /usr/bin/ld: inflate.c:(.text+0xd): undefined reference to `b'
        /usr/bin/ld: /a/libz.a(deflate.o): in function `go':
        deflate.c:(.text+0x5): undefined reference to `b'
        """
        XCTAssertEqual(Self.unresolved(text), [["b", "libz.a(inflate.o)"], ["a", "libz.a(inflate.o)"], ["b", "libz.a(deflate.o)"]])
    }

    func testNothingUnresolvedInACleanOrUnrelatedLog() {
        XCTAssertEqual(Self.unresolved(""), [])
        XCTAssertNil(LinkerDiagnostics.firstError(in: ""))
        let warningsOnly = "/usr/bin/ld: warning: w.o: missing .note.GNU-stack section implies executable stack\n"
        XCTAssertEqual(Self.unresolved(warningsOnly), [])
        XCTAssertNil(LinkerDiagnostics.firstError(in: warningsOnly))
    }

    func testFirstErrorOfACompilerKeepsTheFileName() {
        let clang = "/PKG/Sources/C/x.c:3:10: fatal error: 'curl/curl.h' file not found\n    3 | #include <curl/curl.h>\n1 error generated.\n"
        XCTAssertEqual(LinkerDiagnostics.firstError(in: clang), "/PKG/Sources/C/x.c:3:10: fatal error: 'curl/curl.h' file not found")
    }

    func testLinkerPrefixIsStrippedOnlyFromLinkers() {
        XCTAssertEqual(LinkerDiagnostics.stripLinkerPrefix("/usr/bin/ld: cannot find -lz"), "cannot find -lz")
        XCTAssertEqual(LinkerDiagnostics.stripLinkerPrefix("/usr/bin/ld.gold: error: cannot find -lz"), "error: cannot find -lz")
        XCTAssertEqual(LinkerDiagnostics.stripLinkerPrefix("ld.lld: error: undefined symbol: f"), "error: undefined symbol: f")
        XCTAssertEqual(LinkerDiagnostics.stripLinkerPrefix("/usr/bin/x86_64-linux-gnu-ld.bfd: cannot find -lz"), "cannot find -lz")
        XCTAssertEqual(LinkerDiagnostics.stripLinkerPrefix("x.c:(.text+0x5): undefined reference to `f'"), "x.c:(.text+0x5): undefined reference to `f'")
        XCTAssertEqual(LinkerDiagnostics.stripLinkerPrefix("collect2: error: ld returned 1 exit status"), "collect2: error: ld returned 1 exit status")
    }
}
