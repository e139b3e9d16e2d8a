import XCTest
@testable import StaticMuslKit

/// The Swift version is read from the toolchain's Swift.swiftinterface
/// instead of starting the compiler; it must say what `swift --version` says.
final class ToolchainVersionsTests: XCTestCase {
    func testCompilerVersionIsFoundInEitherText() {
        XCTAssertEqual(ToolchainVersions.compilerVersion(in: "Swift version 6.3.1 (swift-6.3.1-RELEASE)\nTarget: x86_64"), "6.3.1")
        XCTAssertEqual(ToolchainVersions.compilerVersion(in: "// swift-compiler-version: Swift version 6.2-dev (LLVM abc)"), "6.2-dev")
        XCTAssertNil(ToolchainVersions.compilerVersion(in: "Swift version (none)"))
        XCTAssertNil(ToolchainVersions.compilerVersion(in: ""))
    }

    func testTheInterfaceSaysWhatTheCompilerSays() throws {
        let versions = ToolchainVersions.detect()
        let fromInterface = try XCTUnwrap(ToolchainVersions.interfaceCompilerVersion(toolchainRoot: versions.root),
                                          "no Swift.swiftinterface under \(versions.root)")
        let swift = try XCTUnwrap(ProcessRunner.which("swift"))
        let r = try ProcessRunner.run(swift, ["--version"], timeout: 60)
        XCTAssertEqual(fromInterface, ToolchainVersions.compilerVersion(in: r.stdout), r.stdout)
        XCTAssertEqual(versions.swift, fromInterface)
        XCTAssertNil(ToolchainVersions.interfaceCompilerVersion(toolchainRoot: "/nonexistent"))
    }
}
