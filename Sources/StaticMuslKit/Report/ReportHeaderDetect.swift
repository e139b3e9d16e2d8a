import Foundation

extension ReportHeader {
    /// Reads the machine, the toolchain and the project's commit now.
    public static func detect(mode: String, product: String, projectRoot: String?) -> ReportHeader {
        let v = ToolchainVersions.detect()
        var gcc: String?
        if let r = try? ProcessRunner.run("gcc", ["-dumpfullversion"], timeout: 10), r.succeeded {
            gcc = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return ReportHeader(generated: isoNow(), mode: mode, product: product, machine: .current(),
                            toolchain: Toolchain(swift: v.swift, root: v.root, musl: v.musl, glibc: v.glibc, gcc: gcc),
                            project: .detect(projectRoot))
    }

    static func isoNow() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }
}

extension ReportHeader.Project {
    /// The commit of the checkout at `root`, and whether it has uncommitted changes.
    public static func detect(_ root: String?) -> ReportHeader.Project {
        guard let root,
              let head = try? ProcessRunner.run("git", ["-C", root, "rev-parse", "HEAD"], timeout: 10), head.succeeded else {
            return ReportHeader.Project(gitCommit: "unknown (not a git checkout)", gitDirty: nil)
        }
        let status = try? ProcessRunner.run("git", ["-C", root, "status", "--porcelain", "--untracked-files=no"], timeout: 30)
        return ReportHeader.Project(gitCommit: head.stdout.trimmingCharacters(in: .whitespacesAndNewlines),
                                    gitDirty: status.map { !$0.stdout.isEmpty })
    }
}
