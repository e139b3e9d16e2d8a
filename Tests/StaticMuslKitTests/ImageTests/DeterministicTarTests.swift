import Foundation
import XCTest
@testable import StaticMuslKit

/// `DeterministicTar` against GNU tar: the same tree gives the same bytes as
/// `tar --format=gnu --mtime=@0 --owner=0 --group=0 --numeric-owner` over
/// the sorted file list, which is how the images' layers were first written.
final class DeterministicTarTests: XCTestCase {
    /// A tree with nested folders, an executable, an empty file, a file of
    /// exactly one block, one that spans several, and a symbolic link.
    func makeTree() throws -> String {
        let root = try temporaryDirectory("tar-tree") + "/tree"
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/etc/ssl/certs", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/usr/share/zoneinfo/Europe", withIntermediateDirectories: true)
        try Data(repeating: 0x7f, count: 12_345).write(to: URL(fileURLWithPath: root + "/app"))
        try Data().write(to: URL(fileURLWithPath: root + "/etc/empty"))
        try Data(repeating: 0x41, count: 512).write(to: URL(fileURLWithPath: root + "/etc/ssl/certs/block.crt"))
        try Data("Paris\n".utf8).write(to: URL(fileURLWithPath: root + "/usr/share/zoneinfo/Europe/Paris"))
        try fm.createSymbolicLink(atPath: root + "/usr/share/zoneinfo/Europe/Monaco", withDestinationPath: "Paris")
        try Data("a-b\n".utf8).write(to: URL(fileURLWithPath: root + "/usr/share/zoneinfo/Europe-x"))
        for dir in ["", "/etc", "/etc/ssl", "/etc/ssl/certs", "/usr", "/usr/share", "/usr/share/zoneinfo", "/usr/share/zoneinfo/Europe"] {
            try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root + dir)
        }
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root + "/app")
        for file in ["/etc/empty", "/etc/ssl/certs/block.crt", "/usr/share/zoneinfo/Europe/Paris", "/usr/share/zoneinfo/Europe-x"] {
            try fm.setAttributes([.posixPermissions: 0o644], ofItemAtPath: root + file)
        }
        return root
    }

    func testTheArchiveIsGNUTarsByteForByte() throws {
        let root = try makeTree()
        var tar = DeterministicTar()
        tar.add(.init(path: "app", content: .file(source: root + "/app"), executable: true))
        tar.add(.init(path: "etc/empty", content: .data(Data())))
        tar.add(.init(path: "etc/ssl/certs/block.crt", content: .file(source: root + "/etc/ssl/certs/block.crt")))
        try OCIImage.addTree(root + "/usr/share/zoneinfo", as: "usr/share/zoneinfo", to: &tar)
        tar.add(.init(path: "usr/share/zoneinfo-x", content: .directory))
        let ours = root + "/../ours.tar"
        let size = try tar.write(to: ours)
        try FileManager.default.createDirectory(atPath: root + "/usr/share/zoneinfo-x", withIntermediateDirectories: false)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root + "/usr/share/zoneinfo-x")

        // As the images' layers were first written: the tree copied with links
        // followed (`cp -R --dereference`), modes fixed, the sorted list tarred.
        let gnu = root + "/../gnu.tar"
        let script = """
            set -e
            cp -R --dereference "$1" "$1.copy" && cd "$1.copy"
            find . -type d -exec chmod 0755 {} + ; find . -type f -perm /u+x -exec chmod 0755 {} +
            find . -type f ! -perm /u+x -exec chmod 0644 {} +
            find . -mindepth 1 -printf '%P\\n' | LC_ALL=C sort > ../list
            tar --create --file "$2" --no-recursion --verbatim-files-from --files-from ../list \\
                --format=gnu --mtime=@0 --owner=0 --group=0 --numeric-owner
            """
        let r = try ProcessRunner.run("/bin/sh", ["-c", script, "sh", root, gnu], timeout: 60)
        XCTAssertTrue(r.succeeded, r.stderr)
        let expected = try XCTUnwrap(FileManager.default.contents(atPath: gnu))
        let written = try XCTUnwrap(FileManager.default.contents(atPath: ours))
        XCTAssertEqual(written.count, expected.count)
        XCTAssertEqual(written, expected, "the archive differs from GNU tar's at byte \(Array(zip(written, expected)).firstIndex { $0 != $1 } ?? -1)")
        XCTAssertEqual(written.count % 10_240, 0, "padded to a whole record")
        XCTAssertEqual(size, written.count, "write returns the archive's size")
    }

    func testEntriesAreSortedBytewiseWithTheirFoldersAndAddedOnce() {
        var tar = DeterministicTar()
        tar.add(.init(path: "usr/share/zoneinfo-x/b", content: .data(Data("1".utf8))))
        tar.add(.init(path: "usr/share/zoneinfo/a", content: .data(Data("2".utf8))))
        tar.add(.init(path: "usr/share/zoneinfo/a", content: .data(Data("3".utf8))))
        tar.add(.init(path: "Z", content: .data(Data()), executable: true))
        XCTAssertEqual(tar.sortedEntries.map(\.path), ["Z", "usr", "usr/share", "usr/share/zoneinfo", "usr/share/zoneinfo-x",
                                                        "usr/share/zoneinfo-x/b", "usr/share/zoneinfo/a"])
        XCTAssertEqual(tar.entries.first { $0.path == "usr/share/zoneinfo/a" }?.content, .data(Data("2".utf8)), "the first one stays")
        XCTAssertEqual(tar.sortedEntries.map(\.mode), [0o755, 0o755, 0o755, 0o755, 0o755, 0o644, 0o644])
    }

    func testANameTooLongOrAnUnreadableFileIsRefused() throws {
        let dir = try temporaryDirectory("tar-refused")
        let long = String(repeating: "n", count: 100)
        XCTAssertThrowsError(try DeterministicTar([.init(path: long, content: .data(Data()))]).write(to: dir + "/a.tar")) { e in
            XCTAssertEqual(e as? DeterministicTar.TarError, .nameTooLong(long))
        }
        XCTAssertNoThrow(try DeterministicTar([.init(path: String(long.dropFirst()), content: .data(Data()))]).write(to: dir + "/b.tar"))
        XCTAssertThrowsError(try DeterministicTar([.init(path: "x", content: .file(source: dir + "/missing"))]).write(to: dir + "/c.tar")) { e in
            XCTAssertEqual(e as? DeterministicTar.TarError, .unreadable(dir + "/missing"))
        }
    }
}
