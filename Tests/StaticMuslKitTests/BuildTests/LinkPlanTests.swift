import Foundation
import XCTest
@testable import StaticMuslKit

/// Golden tests of BuildDescription and LinkPlan on build descriptions that
/// SwiftPM wrote on this project's machine, trimmed and with placeholder
/// paths (Tests/Fixtures/build-description, see its README). Pure parsing:
/// no package is built and no file outside the fixture folder is read.
final class LinkPlanTests: XCTestCase {
    static let folder = Fixtures.projectRoot + "/Tests/Fixtures/build-description"
    static let triple = "x86_64-unknown-linux-gnu"
    static let release = "/SCRATCH/x86_64-unknown-linux-gnu/release"

    static func fixture(_ name: String) throws -> String {
        let path = folder + "/" + name
        let data = try XCTUnwrap(FileManager.default.contents(atPath: path), "golden input \(path) is missing")
        return String(decoding: data, as: UTF8.self)
    }

    static func description(_ name: String) throws -> BuildDescription {
        try BuildDescription(yaml: fixture(name), path: name)
    }

    /// LinkPlan's `readFile` seam: the object list SwiftPM would have at
    /// `/SCRATCH/…/release/<product>.product/Objects.LinkFileList` is served
    /// from the fixture `lists[product]`; any other path reads as missing.
    static func plan(_ yaml: String, product: String, lists: [String: String]) throws -> LinkPlan {
        let d = try description(yaml)
        var served: [String: String] = [:]
        for (p, file) in lists { served["\(release)/\(p).product/Objects.LinkFileList"] = try fixture(file) }
        return try LinkPlan(description: d, product: product, triple: triple, configuration: "release",
                            descriptionPath: yaml, readFile: { served[$0] })
    }

    static func checksumPlan() throws -> LinkPlan {
        try plan("externalcli-release.yaml", product: "checksum-cli",
                 lists: ["checksum-cli": "externalcli-checksum-cli.LinkFileList"])
    }

    // MARK: ExternalCLI (checksum-cli: CChecksum + swift-argument-parser)

    func testChecksumCLIPlanReadsTheLinkCommandAndObjectList() throws {
        let plan = try Self.checksumPlan()
        XCTAssertEqual(plan.product, "checksum-cli")
        XCTAssertEqual(plan.objectListPath, "\(Self.release)/checksum-cli.product/Objects.LinkFileList")
        XCTAssertEqual(plan.linkArguments.first, "/TOOLCHAIN/usr/bin/swiftc")
        XCTAssertEqual(plan.linkArguments.count, 21)
        XCTAssertTrue(plan.linkArguments.contains("@" + plan.objectListPath))
        XCTAssertEqual(plan.objects, [
            "\(Self.release)/ArgumentParser.build/Argument.swift.o",
            "\(Self.release)/ArgumentParser.build/CommandParser.swift.o",
            "\(Self.release)/ArgumentParser.build/ParsableCommand.swift.o",
            "\(Self.release)/ArgumentParserToolInfo.build/ToolInfo.swift.o",
            "\(Self.release)/CChecksum.build/adler32.c.o",
            "\(Self.release)/CChecksum.build/libc.c.o",
            "\(Self.release)/checksum_cli.build/main.swift.o",
        ])
        XCTAssertEqual(plan.objects.filter { $0.contains("/CChecksum.build/") }.count, 2)
        XCTAssertEqual(plan.entryPoint, "checksum_cli_main")
    }

    func testChecksumCLIReplaysExactlyTheTwoCChecksumCompiles() throws {
        let plan = try Self.checksumPlan()
        XCTAssertEqual(plan.compileCommands.map(\.source), ["/PKG/Sources/CChecksum/adler32.c", "/PKG/Sources/CChecksum/libc.c"])
        XCTAssertEqual(plan.compileCommands.map(\.object), ["\(Self.release)/CChecksum.build/adler32.c.o",
                                                            "\(Self.release)/CChecksum.build/libc.c.o"])
        for c in plan.compileCommands {
            XCTAssertEqual(c.target, "CChecksum", c.source)
            XCTAssertEqual(c.language, .c, c.source)
            XCTAssertTrue(c.arguments.contains("-DCCHECKSUM_MOD=65521"), c.source)
            XCTAssertTrue(c.arguments.contains("-fblocks"), c.source)
            let i = try XCTUnwrap(c.arguments.firstIndex(of: "-I"), c.source)
            XCTAssertEqual(c.arguments[i + 1], "/PKG/Sources/CChecksum/include", c.source)
            XCTAssertFalse(c.arguments.contains("/TOOLCHAIN/usr/bin/clang"), "arguments are argv[1...], without the compiler")
        }
        // The whole argv of one compile, as SwiftPM wrote it (compiler left out).
        XCTAssertEqual(plan.compileCommands.first?.arguments, [
            "-target", "x86_64-unknown-linux-gnu", "-O2", "-DSWIFT_PACKAGE=1", "-fblocks",
            "-I", "/PKG/Sources/CChecksum/include", "-DCCHECKSUM_MOD=65521", "-fPIC", "-g", "-fno-omit-frame-pointer",
            "-MD", "-MT", "dependencies", "-MF", "\(Self.release)/CChecksum.build/adler32.c.d",
            "-c", "/PKG/Sources/CChecksum/adler32.c", "-o", "\(Self.release)/CChecksum.build/adler32.c.o",
        ])
    }

    func testSwiftPMsOwnLinkFlagsAreNotLinkerSettings() throws {
        let plan = try Self.checksumPlan()
        // The link line holds -L <build folder>, --gc-sections, --defsym main=…, -rpath=$ORIGIN: all SwiftPM's.
        XCTAssertTrue(plan.linkArguments.contains("--gc-sections"))
        XCTAssertTrue(plan.linkArguments.contains("-rpath=$ORIGIN"))
        XCTAssertEqual(plan.linkerSettings, [])
    }

    func testPackageLinkerSettingsAreKept() throws {
        // The real checksum-cli link command plus -lz, -Xlinker --as-needed, -L/PKG/vendor/lib (README).
        let plan = try Self.plan("linker-settings-release.yaml", product: "checksum-cli",
                                 lists: ["checksum-cli": "externalcli-checksum-cli.LinkFileList"])
        XCTAssertEqual(plan.linkerSettings, ["-lz", "-Wl,--as-needed", "-L/PKG/vendor/lib"])
        XCTAssertEqual(plan.entryPoint, "checksum_cli_main")
        XCTAssertEqual(plan.compileCommands, [], "this description holds no clang command")
    }

    func testProductWithoutLinkCommandNamesTheExecutableProducts() throws {
        let d = try Self.description("externalcli-release.yaml")
        XCTAssertEqual(d.executableProducts(triple: Self.triple, configuration: "release"), ["checksum-cli", "generate-manual"])
        for product in ["checksum", "generate-manual-tool"] {   // a typo, and the host-tool build of generate-manual
            XCTAssertThrowsError(try LinkPlan(description: d, product: product, triple: Self.triple, configuration: "release",
                                              descriptionPath: "externalcli-release.yaml", readFile: { _ in
                XCTFail("no object list may be read without a link command"); return nil
            })) { error in
                XCTAssertEqual(error as? BuildPlanError, .noLinkCommand(product: product, description: "externalcli-release.yaml",
                                                                        executables: ["checksum-cli", "generate-manual"]))
                XCTAssertEqual("\(error)", "no link command for product '\(product)' in externalcli-release.yaml "
                               + "(its executable products: checksum-cli, generate-manual)")
            }
        }
        // A debug description asked for release: nothing matches.
        XCTAssertThrowsError(try LinkPlan(description: d, product: "checksum-cli", triple: Self.triple, configuration: "debug",
                                          descriptionPath: "debug.yaml", readFile: { _ in nil })) { error in
            XCTAssertEqual(error as? BuildPlanError, .noLinkCommand(product: "checksum-cli", description: "debug.yaml", executables: []))
            XCTAssertTrue("\(error)".contains("it has no executable products"), "\(error)")
        }
    }

    func testMissingObjectListIsReported() throws {
        let d = try Self.description("externalcli-release.yaml")
        var asked: [String] = []
        XCTAssertThrowsError(try LinkPlan(description: d, product: "checksum-cli", triple: Self.triple, configuration: "release",
                                          descriptionPath: "externalcli-release.yaml", readFile: { asked.append($0); return nil })) { error in
            let list = "\(Self.release)/checksum-cli.product/Objects.LinkFileList"
            XCTAssertEqual(error as? BuildPlanError, .missingObjectList(product: "checksum-cli", path: list))
            XCTAssertTrue("\(error)".contains(list), "\(error)")
        }
        XCTAssertEqual(asked, ["\(Self.release)/checksum-cli.product/Objects.LinkFileList"])
    }

    func testUnreadableDescriptionIsReported() throws {
        // Cut in the middle of a command's args (a build killed while SwiftPM wrote it).
        let golden = try Self.fixture("externalcli-release.yaml")
        let cut = try XCTUnwrap(golden.range(of: "\"-DCCHECKSUM_MOD="))
        let truncated = String(golden[..<cut.upperBound])
        for (yaml, name) in [(truncated, "truncated.yaml"), ("commands:\n  - not\n  - a map\n", "list.yaml")] {
            XCTAssertThrowsError(try BuildDescription(yaml: yaml, path: name), name) { error in
                guard case .unreadableDescription(let path, let why)? = error as? BuildPlanError else {
                    return XCTFail("\(name): \(error)")
                }
                XCTAssertEqual(path, name)
                XCTAssertFalse(why.isEmpty)
                XCTAssertTrue("\(error)".hasPrefix("cannot read SwiftPM's build description \(name): "), "\(error)")
            }
        }
        // Through LinkPlan.load: the path named is the scratch folder's release.yaml.
        let scratch = try temporaryDirectory("linkplan")
        XCTAssertThrowsError(try LinkPlan.load(scratch: scratch, product: "checksum-cli")) { error in
            XCTAssertEqual(error as? BuildPlanError, .missingDescription(scratch + "/release.yaml"))
        }
        try truncated.write(toFile: scratch + "/release.yaml", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try LinkPlan.load(scratch: scratch, product: "checksum-cli")) { error in
            guard case .unreadableDescription(let path, _)? = error as? BuildPlanError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, scratch + "/release.yaml")
        }
    }

    func testCommandsAreReadWithTheirToolsAndShapes() throws {
        let d = try Self.description("externalcli-release.yaml")
        XCTAssertEqual(d.commands.count, 7)
        let module = try XCTUnwrap(d.commands["C.checksum-cli-x86_64-unknown-linux-gnu-release.module"])
        XCTAssertEqual(module.tool, "shell")
        XCTAssertEqual(module.description, "Compiling Swift Module 'checksum_cli' (1 sources)")
        XCTAssertEqual(module.outputs, ["\(Self.release)/checksum_cli.build/main.swift.o", "\(Self.release)/Modules/checksum_cli.swiftmodule"])
        let aux = try XCTUnwrap(d.commands["\(Self.release)/checksum-cli.product/Objects.LinkFileList"])
        XCTAssertEqual(aux.tool, "write-auxiliary-file")
        XCTAssertEqual(aux.arguments, [], "write-auxiliary-file has no args")
        XCTAssertEqual(aux.inputs.first, "<link-file-list>")
        let compile = try XCTUnwrap(d.commands["\(Self.release)/CChecksum.build/libc.c.o"])
        XCTAssertEqual(compile.tool, "clang")
        XCTAssertEqual(compile.inputs, ["/PKG/Sources/CChecksum/libc.c"])
        XCTAssertEqual(compile.arguments.first, "/TOOLCHAIN/usr/bin/clang")
    }

    // MARK: RealPackages (nio-echo on swift-nio, nullability-c)

    static func nioPlan(_ product: String) throws -> LinkPlan {
        try plan("nio-release.yaml", product: product,
                 lists: ["nio-echo": "nio-nio-echo.LinkFileList", "nullability-c": "nio-nullability-c.LinkFileList"])
    }

    func testNIOEchoReplaysOnlyItsOwnCompiles() throws {
        let d = try Self.description("nio-release.yaml")
        // The description holds compiles that are in no link of nio-echo: they must be left out.
        XCTAssertEqual(d.commands["\(Self.release)/CNIOLLHTTP.build/c_nio_api.c.o"]?.tool, "clang")
        XCTAssertEqual(d.commands["\(Self.release)/CNullability.build/cnullability.c.o"]?.tool, "clang")

        let plan = try Self.nioPlan("nio-echo")
        XCTAssertEqual(plan.entryPoint, "NIOEcho_main")
        XCTAssertEqual(plan.linkerSettings, [])
        let nio = "/SCRATCH/checkouts/swift-nio/Sources"
        XCTAssertEqual(plan.compileCommands.map(\.source), [
            "\(nio)/CNIOAtomics/src/c-atomics.c", "\(nio)/CNIOAtomics/src/c-nioatomics.c",
            "\(nio)/CNIOLinux/liburing_shims.c", "\(nio)/CNIOLinux/shim.c",
        ])
        XCTAssertEqual(plan.compileCommands.map(\.target), ["CNIOAtomics", "CNIOAtomics", "CNIOLinux", "CNIOLinux"])
        XCTAssertFalse(plan.compileCommands.contains { $0.target == "CNullability" || $0.source.hasSuffix("cnullability.c") })
        XCTAssertFalse(plan.compileCommands.contains { $0.target == "CNIOLLHTTP" })
        for c in plan.compileCommands {
            XCTAssertTrue(c.arguments.contains("-D_GNU_SOURCE"), c.source)
            XCTAssertTrue(c.arguments.contains("-w"), c.source)
            XCTAssertEqual(c.language, .c)
        }
    }

    func testNIOEchoObjectListUnquotesPathsWithSpaces() throws {
        let plan = try Self.nioPlan("nio-echo")
        XCTAssertEqual(plan.objects.count, 16)
        XCTAssertEqual(plan.objects.first, "\(Self.release)/Atomics.build/Unmanaged extensions.swift.o")
        XCTAssertFalse(plan.objects.contains { $0.contains("'") || $0.contains("\"") })
        XCTAssertTrue(plan.objects.contains("\(Self.release)/NIOEcho.build/main.swift.o"))
        XCTAssertEqual(plan.objects.filter { $0.hasSuffix(".c.o") }.count, 12)
    }

    func testNullabilityCReplaysOnlyCNullability() throws {
        let plan = try Self.nioPlan("nullability-c")
        XCTAssertEqual(plan.entryPoint, "NullabilityC_main")
        XCTAssertEqual(plan.objects, ["\(Self.release)/CNullability.build/cnullability.c.o", "\(Self.release)/NullabilityC.build/main.swift.o"])
        XCTAssertEqual(plan.compileCommands.map(\.target), ["CNullability"])
        XCTAssertEqual(plan.compileCommands.map(\.source), ["/PKG/Sources/CNullability/cnullability.c"])
        XCTAssertFalse(plan.compileCommands[0].arguments.contains("-D_GNU_SOURCE"))
        XCTAssertEqual(try Self.description("nio-release.yaml").executableProducts(triple: Self.triple, configuration: "release"),
                       ["nio-echo", "nullability-c"])
    }

    // MARK: small parsers

    func testObjectListParsing() {
        XCTAssertEqual(LinkPlan.parseObjectList("/a/x.o\n'/a/with space.o'\n\"/a/dq.o\"\n\n  /a/y.o  \n"),
                       ["/a/x.o", "/a/with space.o", "/a/dq.o", "/a/y.o"])
        XCTAssertEqual(LinkPlan.parseObjectList(""), [])
    }

    func testCompileCommandLanguageAndTargetFallback() throws {
        let d = try Self.description("cshim-debug.yaml")
        let real = try XCTUnwrap(d.commands["/SCRATCH/x86_64-unknown-linux-gnu/debug/CShim.build/src/dns_append.c.o"])
        XCTAssertEqual(LinkPlan.compileCommand(real)?.target, "CShim")
        // Without a description the target is the `X.build` folder of the object.
        var bare = real
        bare.description = nil
        XCTAssertEqual(LinkPlan.compileCommand(bare)?.target, "CShim")
        for (ext, language) in [("S", SourceLanguage.assembly), ("s", .assembly), ("cpp", .cxx), ("cc", .cxx), ("m", .objc)] {
            var c = real
            c.arguments = c.arguments.map { $0 == "/PKG/CShim/src/dns_append.c" ? "/PKG/CShim/src/x.\(ext)" : $0 }
            XCTAssertEqual(LinkPlan.compileCommand(c)?.language, language, ext)
        }
        var swift = real
        swift.arguments = swift.arguments.map { $0 == "/PKG/CShim/src/dns_append.c" ? "/PKG/x.swift" : $0 }
        XCTAssertNil(LinkPlan.compileCommand(swift), "only C-family sources are compiles to replay")
        var noObject = real
        noObject.arguments = Array(real.arguments.prefix { $0 != "-o" })
        XCTAssertNil(LinkPlan.compileCommand(noObject))
    }
}
