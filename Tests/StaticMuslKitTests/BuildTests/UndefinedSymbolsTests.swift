import Foundation
import XCTest
@testable import StaticMuslKit

/// The C++ objects' undefined symbols against what a musl link offers:
/// nm's output read from checked-in captures, then a real object compiled
/// for musl and checked against the project's sysroot.
final class UndefinedSymbolsTests: XCTestCase {
    static let fixtures = Fixtures.projectRoot + "/Tests/Fixtures/symbols"

    func fixture(_ name: String) throws -> String {
        try String(contentsOfFile: Self.fixtures + "/" + name, encoding: .utf8)
    }

    func testNMLinesAreReadWithTheirArchiveMembers() throws {
        let offered = UndefinedSymbolCheck.parse(try fixture("nm-offered.txt"))
        XCTAssertEqual(offered.count, 7)
        XCTAssertEqual(offered[0].name, "memcpy")
        XCTAssertEqual(offered[0].type, "T")
        XCTAssertEqual(offered[0].shortFile, "memcpy.lo")
        XCTAssertTrue(offered[4].isUndefined)
        XCTAssertTrue(offered[6].isDefined, "a weak definition (W) defines")
        let checked = UndefinedSymbolCheck.parse(try fixture("nm-cxx-objects.txt"))
        XCTAssertEqual(checked.first?.shortFile, "ssl_lib.cc.o")
        XCTAssertFalse(checked[5].isUndefined || checked[5].isDefined, "an undefined weak reference (w) is neither")
    }

    /// Defined by another checked object, by libc.a, by libstdc++.a, or by
    /// the compat archive through --wrap: resolved. The rest by name.
    func testMissingSymbolsAreNamedWithTheObjectThatWantsThem() throws {
        let checked = UndefinedSymbolCheck.parse(try fixture("nm-cxx-objects.txt"))
        let offered = Set(UndefinedSymbolCheck.parse(try fixture("nm-offered.txt")).filter(\.isDefined).map(\.name))
        let result = UndefinedSymbolCheck.evaluate(checked: checked, offered: offered, objectCount: 2, wrapped: ["__newlocale"])
        XCTAssertEqual(result.objects, 2)
        XCTAssertEqual(result.undefined, 7)
        XCTAssertEqual(result.missing, [.init(symbol: "__isoc23_strtol", wantedBy: "handshake.cc.o"),
                                        .init(symbol: "gnu_get_libc_version", wantedBy: "handshake.cc.o")])
        XCTAssertTrue(result.summary.contains("gnu_get_libc_version (wanted by handshake.cc.o)"), result.summary)
        // Without its wrap flag, __newlocale is a glibc-only name musl lacks.
        let unwrapped = UndefinedSymbolCheck.evaluate(checked: checked, offered: offered, objectCount: 2)
        XCTAssertEqual(unwrapped.missing.map(\.symbol), ["__isoc23_strtol", "__newlocale", "gnu_get_libc_version"])
    }

    func testEncodesAsTheManifestDocumentsIt() throws {
        let check = UndefinedSymbolCheck(objects: 1, undefined: 2, missing: [.init(symbol: "f", wantedBy: "a.o")])
        let text = String(decoding: try JSONEncoder().encode(check), as: UTF8.self)
        XCTAssertTrue(text.contains("\"wanted_by\":\"a.o\""), text)
        XCTAssertEqual(try JSONDecoder().decode(UndefinedSymbolCheck.self, from: Data(text.utf8)), check)
    }

    /// A C++ object compiled by clang for musl with the sysroot's libstdc++
    /// headers: std::string, iostream and locale symbols resolve against the
    /// sysroot's archives; a glibc-only function is named.
    func testRealObjectAgainstTheSysroot() throws {
        let sysroot = try SysrootTests.defaultSysroot()
        let toolchain = ToolchainPaths(root: ToolchainVersions.detect().root)
        let dir = try temporaryDirectory("cxx-symbols")
        try """
        #include <iostream>
        #include <locale>
        #include <string>
        extern "C" const char *gnu_get_libc_version(void);
        int probe(const char *s) {
            std::string text(s);
            std::cout << std::use_facet<std::ctype<char>>(std::locale()).toupper('a') << text << gnu_get_libc_version();
            return (int)text.size();
        }
        """.write(toFile: dir + "/probe.cc", atomically: true, encoding: .utf8)
        var args = ["--target=\(HostTriple.musl)", "--sysroot=\(sysroot.path)", "-nostdinc", "-nostdinc++"]
        for include in sysroot.cxxIncludeDirectories { args += ["-isystem", include] }
        args += ["-isystem", try toolchain.clangResourceDirectory() + "/include", "-isystem", sysroot.includeDirectory,
                 "-O2", "-c", dir + "/probe.cc", "-o", dir + "/probe.o"]
        let compile = try ProcessRunner.run(toolchain.clang, args, timeout: 120)
        XCTAssertTrue(compile.succeeded, compile.stderr)
        let gcc = try ProcessRunner.run("gcc", ["-print-libgcc-file-name"], timeout: 60)
        let gccDir = (gcc.stdout.trimmingCharacters(in: .whitespacesAndNewlines) as NSString).deletingLastPathComponent
        let result = try UndefinedSymbolCheck.run(
            objects: [dir + "/probe.o"],
            offeredBy: [sysroot.libDirectory + "/libc.a", sysroot.compatArchive, gccDir + "/libstdc++.a", gccDir + "/libgcc_eh.a",
                        gccDir + "/crtbeginT.o"],
            wrapFlags: sysroot.compatLinkFlags)
        XCTAssertEqual(result.objects, 1)
        XCTAssertGreaterThan(result.undefined, 5, "std::cout, the locale and operator<< leave symbols to resolve")
        XCTAssertEqual(result.missing, [.init(symbol: "gnu_get_libc_version", wantedBy: "probe.o")])
    }
}
