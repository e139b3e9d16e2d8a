import Foundation
import XCTest
@testable import StaticMuslKit

/// Golden tests of MuslCompileFlags on SwiftPM's real compile commands
/// (Tests/Fixtures/build-description, see its README). Pure argument
/// rewriting: nothing is compiled.
final class MuslCompileFlagsTests: XCTestCase {
    static let folder = Fixtures.projectRoot + "/Tests/Fixtures/build-description"
    static let headers = MuslHeaderPaths(sysroot: "/SYSROOT", include: "/SYSROOT/include",
                                         clangResource: "/TOOLCHAIN/usr/lib/clang/17", moduleCache: "/OBJ/module-cache")
    static var muslPrefix: [String] {
        ["--target=\(HostTriple.musl)", "--sysroot=/SYSROOT", "-nostdinc",
         "-isystem", "/TOOLCHAIN/usr/lib/clang/17/include", "-isystem", "/SYSROOT/include"]
    }

    /// Every clang compile of a golden description, by object path.
    static func compiles(_ yaml: String) throws -> [String: CompileCommand] {
        let path = folder + "/" + yaml
        let data = try XCTUnwrap(FileManager.default.contents(atPath: path), "golden input \(path) is missing")
        let d = try BuildDescription(yaml: String(decoding: data, as: UTF8.self), path: yaml)
        var out: [String: CompileCommand] = [:]
        for c in d.commands.values where c.tool == "clang" {
            let cc = try XCTUnwrap(LinkPlan.compileCommand(c), c.name)
            out[cc.object] = cc
        }
        return out
    }

    static func compile(_ yaml: String, _ object: String) throws -> CompileCommand {
        try XCTUnwrap(try compiles(yaml)[object], "\(object) in \(yaml)")
    }

    static func adler32() throws -> CompileCommand {
        try compile("externalcli-release.yaml", "/SCRATCH/x86_64-unknown-linux-gnu/release/CChecksum.build/adler32.c.o")
    }

    static func dnsAppend() throws -> CompileCommand {
        try compile("cshim-debug.yaml", "/SCRATCH/x86_64-unknown-linux-gnu/debug/CShim.build/src/dns_append.c.o")
    }

    /// `extra` inserted just before SwiftPM's `-c SRC`.
    static func inserting(_ extra: [String], into c: CompileCommand) throws -> CompileCommand {
        var c = c
        let i = try XCTUnwrap(c.arguments.firstIndex(of: "-c"))
        c.arguments.insert(contentsOf: extra, at: i)
        return c
    }

    /// The flags a musl compile must keep, in order: defines, include
    /// paths (with their folder), language standard, -f, -O, -g, -w.
    static func targetFlags(_ args: [String]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < args.count {
            let a = args[i]
            if ["-I", "-D", "-isystem", "-iquote"].contains(a), i + 1 < args.count {
                out += [a, args[i + 1]]; i += 2; continue
            }
            if ["-D", "-I", "-std=", "-f", "-O", "-g", "-w", "-U"].contains(where: { a.hasPrefix($0) }) { out.append(a) }
            i += 1
        }
        return out
    }

    static func notes(_ n: [FlagNote]) -> [String] { n.map { "\($0.action) \($0.flag)" } }

    // MARK: clang (the packages' C targets)

    func testClangOnCChecksumCompile() throws {
        let c = try Self.adler32()
        let (args, notes) = MuslCompileFlags.clang(c, output: "/OBJ/adler32.c.o", headers: Self.headers)
        XCTAssertTrue(HostTriple.musl.hasSuffix("-unknown-linux-musl"))
        XCTAssertEqual(Array(args.prefix(7)), Self.muslPrefix)
        XCTAssertEqual(Array(args.suffix(4)), ["-c", "/PKG/Sources/CChecksum/adler32.c", "-o", "/OBJ/adler32.c.o"])
        // The target's own flags, exactly and in SwiftPM's order.
        XCTAssertEqual(Array(args.dropFirst(7).dropLast(4)), [
            "-O2", "-DSWIFT_PACKAGE=1", "-fblocks", "-I", "/PKG/Sources/CChecksum/include", "-DCCHECKSUM_MOD=65521",
            "-fPIC", "-g", "-fno-omit-frame-pointer",
        ])
        for gone in ["-target", "x86_64-unknown-linux-gnu", "-MD", "-MF", "-MT", "dependencies",
                     "/SCRATCH/x86_64-unknown-linux-gnu/release/CChecksum.build/adler32.c.d",
                     "/SCRATCH/x86_64-unknown-linux-gnu/release/CChecksum.build/adler32.c.o"] {
            XCTAssertFalse(args.contains(gone), gone)
        }
        XCTAssertEqual(args.filter { $0 == "-c" }.count, 1)
        XCTAssertEqual(args.filter { $0 == "-o" }.count, 1)
        XCTAssertEqual(Self.notes(notes), ["replaced -target x86_64-unknown-linux-gnu", "dropped -MD -MT -MF"])
        XCTAssertEqual(notes.first?.reason, "--target=\(HostTriple.musl)")
        XCTAssertFalse(notes.contains { $0.reason.isEmpty })
    }

    func testClangKeepsEveryTargetFlagOfEveryGoldenCompileInOrder() throws {
        var seen = 0
        for yaml in ["externalcli-release.yaml", "nio-release.yaml", "cshim-debug.yaml"] {
            for (object, c0) in try Self.compiles(yaml) {
                let c = try Self.inserting(["-std=gnu11", "-UNDEBUG", "-iquote", "/PKG/quoted"], into: c0)
                let (args, _) = MuslCompileFlags.clang(c, output: "/OBJ/x.o", headers: Self.headers)
                XCTAssertEqual(Array(args.prefix(7)), Self.muslPrefix, object)
                XCTAssertEqual(Array(args.suffix(4)), ["-c", c.source, "-o", "/OBJ/x.o"], object)
                XCTAssertEqual(Self.targetFlags(Array(args.dropFirst(7))), Self.targetFlags(c.arguments), object)
                XCTAssertFalse(args.contains("x86_64-unknown-linux-gnu"), object)
                XCTAssertFalse(args.contains { ["-MD", "-MMD", "-MF", "-MT"].contains($0) || $0.hasSuffix(".c.d") }, object)
                seen += 1
            }
        }
        XCTAssertEqual(seen, 10, "2 CChecksum + 6 nio/CNullability + 2 CShim/CYaml compiles")
        // The nio compiles keep -D_GNU_SOURCE (glibc's and musl's feature macro alike).
        let linux = try Self.compile("nio-release.yaml", "/SCRATCH/x86_64-unknown-linux-gnu/release/CNIOLinux.build/shim.c.o")
        XCTAssertTrue(MuslCompileFlags.clang(linux, output: "/OBJ/shim.c.o", headers: Self.headers).arguments.contains("-D_GNU_SOURCE"))
    }

    func testClangDropsTheIndexStoreOfADebugBuild() throws {
        let c = try Self.dnsAppend()
        XCTAssertTrue(c.arguments.contains("-index-store-path"), "the golden is a debug compile")
        let (args, notes) = MuslCompileFlags.clang(c, output: "/OBJ/dns_append.c.o", headers: Self.headers)
        XCTAssertFalse(args.contains("-index-store-path"))
        XCTAssertFalse(args.contains("/SCRATCH/x86_64-unknown-linux-gnu/debug/index/store"))
        XCTAssertEqual(Self.notes(notes), ["replaced -target x86_64-unknown-linux-gnu", "dropped -index-store-path", "dropped -MD -MT -MF"])
        XCTAssertEqual(Array(args.dropFirst(7).dropLast(4)), [
            "-O0", "-DSWIFT_PACKAGE=1", "-DDEBUG=1", "-fblocks", "-I", "/PKG/CShim/include", "-fPIC", "-g", "-fno-omit-frame-pointer",
        ])
    }

    func testClangDropsTheHostsGlibcHeaderFolders() throws {
        // A package that adds the host's header folders (Debian's multiarch one included).
        let c = try Self.inserting(["-I", "/usr/include", "-isystem", "/usr/include/x86_64-linux-gnu",
                                    "-I/usr/local/include/", "-idirafter", "/usr/include/"], into: try Self.adler32())
        let (args, notes) = MuslCompileFlags.clang(c, output: "/OBJ/adler32.c.o", headers: Self.headers)
        for gone in ["/usr/include", "/usr/include/x86_64-linux-gnu", "-I/usr/local/include/", "/usr/include/"] {
            XCTAssertFalse(args.contains(gone), gone)
        }
        XCTAssertEqual(Self.notes(notes).filter { $0.contains("/usr/") }, [
            "dropped -I /usr/include", "dropped -isystem /usr/include/x86_64-linux-gnu",
            "dropped -I/usr/local/include/", "dropped -idirafter /usr/include/",
        ])
        // The package's own include folder and the musl ones stay.
        XCTAssertTrue(args.contains("/PKG/Sources/CChecksum/include"))
        XCTAssertEqual(Array(args.prefix(7)), Self.muslPrefix)
    }

    func testClangRedirectsTheModuleCacheAndReplacesTargetAndSysroot() throws {
        let c = try Self.inserting(["-fmodules", "-fmodules-cache-path=/SCRATCH/x86_64-unknown-linux-gnu/release/ModuleCache",
                                    "--target=x86_64-unknown-linux-gnu", "--sysroot=/", "-isysroot", "/host"], into: try Self.adler32())
        let (args, notes) = MuslCompileFlags.clang(c, output: "/OBJ/adler32.c.o", headers: Self.headers)
        XCTAssertTrue(args.contains("-fmodules"))
        XCTAssertEqual(args.filter { $0.hasPrefix("-fmodules-cache-path=") }, ["-fmodules-cache-path=/OBJ/module-cache"])
        XCTAssertEqual(args.filter { $0.hasPrefix("--target=") }, ["--target=\(HostTriple.musl)"])
        XCTAssertEqual(args.filter { $0.hasPrefix("--sysroot") }, ["--sysroot=/SYSROOT"])
        XCTAssertFalse(args.contains("-isysroot") || args.contains("/host"))
        XCTAssertEqual(Self.notes(notes), ["replaced -target x86_64-unknown-linux-gnu", "replaced --target=x86_64-unknown-linux-gnu",
                                           "replaced --sysroot=/", "replaced -isysroot /host", "dropped -MD -MT -MF"])
    }

    // MARK: musl-gcc (CShim)

    func testGccOnCShimCompile() throws {
        let c = try Self.inserting(["-std=gnu11"], into: try Self.dnsAppend())
        let (args, notes) = MuslCompileFlags.gcc(c, output: "/OBJ/dns_append.c.o", muslVersion: "1.2.3")
        XCTAssertEqual(Array(args.suffix(5)), ["-DCSHIM_MUSL_VERSION=\"1.2.3\"", "-c", "/PKG/CShim/src/dns_append.c", "-o", "/OBJ/dns_append.c.o"])
        XCTAssertEqual(args.filter { $0.hasPrefix("-DCSHIM_MUSL_VERSION=") }.count, 1)
        // -I/-D/-std/-O/-fPIC kept, in SwiftPM's order.
        XCTAssertEqual(Self.targetFlags(Array(args.dropLast(5))).filter { $0 != "-O2" }, [
            "-O0", "-DSWIFT_PACKAGE=1", "-DDEBUG=1", "-I", "/PKG/CShim/include", "-fPIC", "-g", "-fno-omit-frame-pointer", "-std=gnu11",
        ])
        XCTAssertFalse(args.contains("-fblocks"), "GCC has no blocks")
        XCTAssertTrue(notes.contains { $0.flag == "-fblocks" && $0.action == "dropped" && !$0.reason.isEmpty }, "\(notes)")
        for gone in ["-target", "x86_64-unknown-linux-gnu", "-index-store-path", "/SCRATCH/x86_64-unknown-linux-gnu/debug/index/store",
                     "-MD", "-MT", "-MF", "dependencies", "/SCRATCH/x86_64-unknown-linux-gnu/debug/CShim.build/src/dns_append.c.d",
                     "/SCRATCH/x86_64-unknown-linux-gnu/debug/CShim.build/src/dns_append.c.o"] {
            XCTAssertFalse(args.contains(gone), gone)
        }
        XCTAssertFalse(notes.contains { ["-std=gnu11", "-fPIC", "-O0", "-I"].contains($0.flag) }, "\(notes)")
    }
}
