import Foundation

/// Finds this project's checkout (where toolchain/build-static.sh lives),
/// so the CLI and the tests can run the script from anywhere inside it.
public enum ProjectLayout {
    public static func root(startingAt start: String = FileManager.default.currentDirectoryPath) -> String? {
        if let env = ProcessInfo.processInfo.environment["STATIC_MUSL_ROOT"] { return env }
        var candidates = [URL(fileURLWithPath: start)]
        // Also walk up from the running binary (.build/debug/static-musl).
        candidates.append(URL(fileURLWithPath: CommandLine.arguments.first ?? start).deletingLastPathComponent())
        for var url in candidates {
            for _ in 0..<12 {
                if FileManager.default.fileExists(atPath: url.appendingPathComponent("toolchain/build-static.sh").path) {
                    return url.standardizedFileURL.path
                }
                url.deleteLastPathComponent()
            }
        }
        return nil
    }
}

/// Runs toolchain/build-static.sh. The script owns all compiling and
/// linking; Swift code only calls it and reads the manifest it writes.
public enum BuildStatic {
    public struct Options: Sendable {
        public var packagePath: String?
        public var products: [String] = []
        public var variants: [String] = ["all"]
        public var out: String
        public var strip = false
        public var extraArguments: [String] = []
        public init(out: String) { self.out = out }
    }

    public static func run(_ options: Options, projectRoot: String, timeout: Double = 3600) throws -> ArtifactStore {
        var args = [projectRoot + "/toolchain/build-static.sh", "--out", options.out, "--no-report"]
        if let p = options.packagePath { args += ["--package-path", p] }
        for p in options.products { args += ["--product", p] }
        for v in options.variants { args += ["--variant", v] }
        if options.strip { args.append("--strip") }
        args += options.extraArguments
        let result = try ProcessRunner.run("/bin/bash", args, currentDirectory: projectRoot, timeout: timeout)
        guard result.succeeded else {
            let tail = (result.stdout + result.stderr).split(separator: "\n").suffix(40).joined(separator: "\n")
            throw BuildError.scriptFailed(result.exitStatus ?? -1, tail)
        }
        return try ArtifactStore(distDirectory: options.out)
    }
}
