import Foundation

/// A `FROM scratch` OCI image layout written as one tar (an "oci-archive"):
/// a static binary as the entrypoint and only what `with` adds. No Docker:
/// the tar is `DeterministicTar`, the digests are SHA-256, and `gzip -n -9`
/// compresses the layer. The same inputs give a byte-identical archive:
/// entries sorted, mtimes 0, owner 0:0, fixed modes, no name or time in the
/// gzip header and the epoch as the config's dates.
public struct OCIImage: Sendable {
    /// What `--with` can add to the root file system, each from this machine.
    public enum Addition: String, CaseIterable, Sendable {
        /// /etc/ssl/certs/ca-certificates.crt
        case certs
        /// /etc/passwd and /etc/group with root, nobody and nonroot (65532)
        case passwd
        /// /usr/share/zoneinfo
        case tzdata

        /// Where it comes from, and the Debian package that installs it.
        var source: (path: String, package: String)? {
            switch self {
            case .certs: return (ScratchItem.caBundlePath, "ca-certificates")
            case .tzdata: return (ScratchRunner.hostZoneinfo, "tzdata")
            case .passwd: return nil
            }
        }

        /// Parses "certs,passwd,tzdata" (empty: nothing).
        public static func parseList(_ text: String) throws -> [Addition] {
            try text.split(separator: ",").map { item in
                guard let a = Addition(rawValue: String(item)) else { throw OCIImageError.unknownAddition(String(item)) }
                return a
            }
        }
    }

    public var binary: String
    /// The binary's name in the image, `/NAME` the entrypoint.
    public var name: String
    public var tag: String
    public var with: [Addition]

    /// Checks the input: `binary` an executable static ELF file, `name` a plain file name.
    public init(binary: String, name: String? = nil, tag: String = "latest", with: [Addition] = []) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: binary, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw OCIImageError.notAFile(binary)
        }
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw OCIImageError.notExecutable(binary) }
        if (try? ELFFile(path: binary))?.hasProgramInterpreter == true { throw OCIImageError.dynamic(binary) }
        let name = name ?? (binary as NSString).lastPathComponent
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else { throw OCIImageError.badName(name) }
        guard !tag.isEmpty, !tag.contains("/") else { throw OCIImageError.badTag(tag) }
        for addition in with {
            if let (path, package) = addition.source, !FileManager.default.fileExists(atPath: path) {
                throw OCIImageError.sourceMissing(addition.rawValue, path: path, package: package)
            }
        }
        self.binary = binary
        self.name = name
        self.tag = tag
        self.with = with
    }

    /// The layer's root file system: the binary at /NAME, then what `with` adds.
    public func rootFileSystem() throws -> DeterministicTar {
        var tar = DeterministicTar([.init(path: name, content: .file(source: binary), executable: true)])
        for addition in with {
            switch addition {
            case .certs:
                tar.add(.init(path: String(ScratchItem.caBundlePath.dropFirst()), content: .file(source: ScratchItem.caBundlePath)))
            case .passwd:
                tar.add(.init(path: "etc/passwd", content: .data(Data(Self.passwd.utf8))))
                tar.add(.init(path: "etc/group", content: .data(Data(Self.group.utf8))))
                tar.add(.init(path: "home/nonroot", content: .directory))
            case .tzdata:
                try Self.addTree(ScratchRunner.hostZoneinfo, as: String(ScratchRunner.hostZoneinfo.dropFirst()), to: &tar)
            }
        }
        return tar
    }

    static let passwd = """
        root:x:0:0:root:/root:/sbin/nologin
        nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
        nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin

        """
    static let group = "root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n"

    /// A folder's tree, symbolic links followed (zoneinfo's `posix/` links
    /// to its siblings); executables keep 0755, other files get 0644.
    static func addTree(_ source: String, as path: String, to tar: inout DeterministicTar, visiting: Set<String> = []) throws {
        let real = (source as NSString).resolvingSymlinksInPath
        guard !visiting.contains(real) else { throw OCIImageError.symlinkLoop(source) }
        tar.add(.init(path: path, content: .directory))
        for name in try FileManager.default.contentsOfDirectory(atPath: source) {
            let child = source + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: child, isDirectory: &isDirectory) else { continue }  // a dangling link
            if isDirectory.boolValue {
                try addTree(child, as: path + "/" + name, to: &tar, visiting: visiting.union([real]))
            } else {
                tar.add(.init(path: path + "/" + name, content: .file(source: child),
                              executable: FileManager.default.isExecutableFile(atPath: child)))
            }
        }
    }

    /// Writes the image to `out` (replaced atomically) and says what it holds.
    public func write(to out: String) throws -> Manifest.ImageInfo {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), isDirectory.boolValue {
            throw OCIImageError.outputIsAFolder(out)
        }
        let work = NSTemporaryDirectory() + "static-musl-image-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work + "/layout/blobs/sha256", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }

        let layerTar = work + "/layer.tar", layerGzip = work + "/layer.tar.gz"
        let uncompressed = try rootFileSystem().write(to: layerTar)
        let gzip = try ProcessRunner.run("/bin/sh", ["-c", "gzip -n -9 -c \"$1\" > \"$2\"", "sh", layerTar, layerGzip], timeout: 600)
        guard gzip.succeeded else { throw OCIImageError.writeFailed("gzip: " + gzip.stderr) }
        let diffID = try SysrootSHA256.hex(fileAt: layerTar)
        let layer = try SysrootSHA256.hex(fileAt: layerGzip)
        let layerSize = try Self.size(layerGzip)
        try FileManager.default.moveItem(atPath: layerGzip, toPath: work + "/layout/blobs/sha256/" + layer)

        let history = "static-musl image --with " + (with.isEmpty ? "(nothing)" : with.map(\.rawValue).joined(separator: ","))
        let config = try Self.json([
            "architecture": Self.architecture, "os": "linux", "created": "1970-01-01T00:00:00Z",
            "config": ["Entrypoint": ["/" + name], "Env": ["PATH=/"], "WorkingDir": "/"],
            "rootfs": ["type": "layers", "diff_ids": ["sha256:" + diffID]],
            "history": [["created": "1970-01-01T00:00:00Z", "created_by": history]],
        ])
        let configDigest = try blob(config, in: work)
        let manifest = try Self.json([
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": ["mediaType": "application/vnd.oci.image.config.v1+json", "digest": "sha256:" + configDigest, "size": config.count],
            "layers": [["mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "sha256:" + layer, "size": layerSize]],
        ])
        let manifestDigest = try blob(manifest, in: work)
        let index = try Self.json([
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": [["mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:" + manifestDigest,
                           "size": manifest.count, "annotations": ["org.opencontainers.image.ref.name": tag]]],
        ])

        var archive = DeterministicTar()
        for name in try FileManager.default.contentsOfDirectory(atPath: work + "/layout/blobs/sha256") {
            archive.add(.init(path: "blobs/sha256/" + name, content: .file(source: work + "/layout/blobs/sha256/" + name)))
        }
        archive.add(.init(path: "index.json", content: .data(index)))
        archive.add(.init(path: "oci-layout", content: .data(Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8))))
        let folder = (out as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let temporary = out + ".tmp"
        let imageSize = try archive.write(to: temporary)
        guard rename(temporary, out) == 0 else {
            let why = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw OCIImageError.writeFailed("\(out): \(why)")
        }

        return Manifest.ImageInfo(image: out, tag: tag, entrypoint: "/" + name, with: with.map(\.rawValue), layerSize: layerSize,
                                  layerUncompressedSize: uncompressed, imageTarSize: imageSize, layerDigest: "sha256:" + layer,
                                  configDigest: "sha256:" + configDigest, manifestDigest: "sha256:" + manifestDigest)
    }

    /// A JSON document stored under its digest; returns the digest.
    private func blob(_ data: Data, in work: String) throws -> String {
        let digest = SysrootSHA256.hex(data)
        try data.write(to: URL(fileURLWithPath: work + "/layout/blobs/sha256/" + digest))
        return digest
    }

    /// Compact, keys sorted, slashes as they are, one newline after.
    static func json(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) + Data("\n".utf8)
    }

    static func size(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    /// The OCI name of this machine's architecture.
    static var architecture: String {
        var info = utsname()
        uname(&info)
        let machine = withUnsafeBytes(of: &info.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        switch machine {
        case "x86_64": return "amd64"
        case "aarch64": return "arm64"
        default: return machine
        }
    }
}

public enum OCIImageError: Error, CustomStringConvertible, Equatable {
    case notAFile(String)
    case notExecutable(String)
    case dynamic(String)
    case badName(String)
    case badTag(String)
    case outputIsAFolder(String)
    case unknownAddition(String)
    case sourceMissing(String, path: String, package: String)
    case symlinkLoop(String)
    case writeFailed(String)

    /// Bad input (exit 2), as opposed to this machine failing to write it.
    public var isInputError: Bool {
        switch self {
        case .notAFile, .notExecutable, .dynamic, .badName, .badTag, .outputIsAFolder, .unknownAddition: return true
        case .sourceMissing, .symlinkLoop, .writeFailed: return false
        }
    }

    public var description: String {
        switch self {
        case .notAFile(let path): return "\(path) is not a file"
        case .notExecutable(let path): return "\(path) is not executable"
        case .dynamic(let path):
            return "\(path) is dynamically linked (it has a PT_INTERP); a FROM scratch image needs a static binary"
        case .badName(let name): return "--name '\(name)' must be a plain file name"
        case .badTag(let tag): return "--tag '\(tag)' must be a plain name"
        case .outputIsAFolder(let path): return "--out \(path) is a folder: name the image's file"
        case .unknownAddition(let item): return "unknown --with item '\(item)' (\(OCIImage.Addition.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .sourceMissing(let item, let path, let package): return "--with \(item) needs \(path) (Debian package \(package))"
        case .symlinkLoop(let path): return "\(path): a symbolic link loops back to a folder above it"
        case .writeFailed(let why): return "writing the image failed: \(why)"
        }
    }
}
