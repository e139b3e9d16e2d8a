import Foundation

/// What recipes compile with: the toolchain's clang for musl, the sysroot.
public struct MuslCCompiler: Sendable {
    public var clang: String
    public var sysroot: Sysroot
    public var resourceDirectory: String

    public init(clang: String, sysroot: Sysroot, resourceDirectory: String) {
        self.clang = clang
        self.sysroot = sysroot
        self.resourceDirectory = resourceDirectory
    }

    /// The flags every musl compile starts with: the target, the sysroot, and
    /// no header of the host (clang's own headers, then musl's).
    public var targetFlags: [String] {
        ["--target=\(HostTriple.musl)", "--sysroot=\(sysroot.path)", "-nostdinc",
         "-isystem", resourceDirectory + "/include", "-isystem", sysroot.includeDirectory]
    }

    public func compile(_ source: String, to object: String, flags: [String]) throws {
        try FileManager.default.createDirectory(atPath: (object as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let r = try ProcessRunner.run(clang, targetFlags + flags + ["-c", source, "-o", object], timeout: 600)
        guard r.succeeded else {
            throw LibraryError.compileFailed(source: source, error: LinkerDiagnostics.firstError(in: r.stderr) ?? r.stderr)
        }
    }

    /// Compiles `sources` into `objectDirectory` (one object per source, named
    /// after it), `jobs` at a time; returns the objects in the sources' order.
    public func compile(_ sources: [String], into objectDirectory: String, flags: [String], jobs: Int = 2) throws -> [String] {
        let objects = sources.map { objectDirectory + "/" + (($0 as NSString).lastPathComponent as NSString).deletingPathExtension + ".o" }
        guard Set(objects).count == objects.count else {
            throw LibraryError.compileFailed(source: objectDirectory, error: "two sources share a file name: \(sources)")
        }
        let failures = FailureList()
        let next = Counter()
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, sources.count))) { _ in
            while let i = next.take(below: sources.count), failures.isEmpty {
                do { try compile(sources[i], to: objects[i], flags: flags) } catch { failures.append(error) }
            }
        }
        if let first = failures.first { throw first }
        return objects
    }

    public func archive(_ objects: [String], into archive: String) throws {
        try FileManager.default.createDirectory(atPath: (archive as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let r = try ProcessRunner.run("ar", ["rcsD", archive] + objects, timeout: 300)
        guard r.succeeded else { throw LibraryError.compileFailed(source: archive, error: r.stderr) }
    }

    public func install(headers: [String], into folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for header in headers {
            let target = folder + "/" + (header as NSString).lastPathComponent
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.copyItem(atPath: header, toPath: target)
        }
    }

    /// Copies every `*.h` of `folder` (not its subfolders) into `target`.
    public func install(headersOf folder: String, into target: String) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".h") }.sorted()
        guard !names.isEmpty else { throw LibraryError.compileFailed(source: folder, error: "no headers to install") }
        try install(headers: names.map { folder + "/" + $0 }, into: target)
    }

    /// The host GCC's folder of crtbeginT.o, crtend.o, libgcc.a and
    /// libgcc_eh.a: the runtime objects the sysroot's musl-gcc links with.
    public func gccLibraryDirectory() throws -> String {
        let r = try ProcessRunner.run("gcc", ["-print-libgcc-file-name"], timeout: 60)
        let file = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard r.succeeded, file.hasPrefix("/") else {
            throw LibraryError.compileFailed(source: "gcc -print-libgcc-file-name", error: r.stderr)
        }
        return (file as NSString).deletingLastPathComponent
    }
}

/// The first errors of concurrent jobs.
private final class FailureList: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [Error] = []
    func append(_ error: Error) { lock.lock(); errors.append(error); lock.unlock() }
    var isEmpty: Bool { lock.lock(); defer { lock.unlock() }; return errors.isEmpty }
    var first: Error? { lock.lock(); defer { lock.unlock() }; return errors.first }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func take(below limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}
