import Foundation
import XCTest
@testable import StaticMuslKit

/// The scratch-readiness battery: what each libc does in an empty root.
/// The assertions pin the behaviour this project documents, so a libc
/// upgrade that changes it fails here instead of silently changing the docs.
final class ScratchReadinessTests: XCTestCase {
    func testCBatteryRecordsWhatEachLibcDoes() throws {
        try Fixtures.requireLab([.mount, .pid, .uts, .net])
        let report = try ScratchReadiness.run(ScratchReadiness.Options(cProbes: try SuiteProbes.scratch(projectRoot: Fixtures.projectRoot)))
        print(report.text)
        let statics = CVariant.allCases.filter { $0 != .glibcDynamic }.map(\.rawValue)
        let glibcStatics = ["c-glibc-static", "c-glibc-static-pie"], musls = ["c-musl-static", "c-musl-static-pie"]
        func check(_ binary: String, _ config: String, _ key: String) -> String {
            report.run(binary, config)?.checks[key] ?? "(no run or no line)"
        }
        XCTAssertEqual(report.runs.count, CVariant.allCases.count * ScratchReadiness.Config.standard.count)
        for config in ScratchReadiness.Config.standard.map(\.name) {
            XCTAssertEqual(report.run("c-glibc-dynamic", config)?.verdict, .missingLoader, config)
            for b in statics {
                XCTAssertEqual(report.run(b, config)?.verdict, .ok, "\(b) in \(config): \(report.run(b, config)?.reason ?? "")")
                XCTAssertEqual(check(b, config, "libc").split(separator: " ").first.map(String.init),
                               b.contains("musl") ? "musl" : "glibc")
            }
        }
        for b in statics {
            // Empty root: no passwd, no /tmp, no CA bundle, for every libc.
            XCTAssertTrue(check(b, "empty", "getpwnam-root").hasPrefix("NULL"), "\(b): \(check(b, "empty", "getpwnam-root"))")
            XCTAssertEqual(check(b, "empty", "tmpfile"), "NULL errno=2 (No such file or directory)", b)
            XCTAssertEqual(check(b, "empty", "certs"), "none found", b)
            // Everything added: users, tmpfile and the zone work everywhere.
            XCTAssertEqual(check(b, "with-all", "getpwnam-root"), "found uid=0 dir=/root", b)
            XCTAssertEqual(check(b, "with-all", "getpwnam-nobody"), "found uid=65534 dir=/nonexistent", b)
            XCTAssertEqual(check(b, "with-all", "tmpfile"), "ok", b)
            XCTAssertEqual(check(b, "with-all", "tz"), "TZ=America/New_York -> 17:13 EST -0500", b)
            XCTAssertEqual(check(b, "with-all", "certs"), "/etc/ssl/certs/ca-certificates.crt", b)
            // Docker's /etc/hosts makes localhost resolve.
            XCTAssertEqual(check(b, "docker", "dns-localhost"), "127.0.0.1", b)
        }
        for b in glibcStatics {
            // No zoneinfo: glibc silently uses UTC but labels it with the zone's first word.
            XCTAssertEqual(check(b, "docker", "tz"), "TZ=America/New_York -> 22:13 America +0000", b)
            // passwd: compat needs libnss_compat.so, which a static binary cannot load.
            // … and says nothing: errno stays 0, as for a user that does not exist.
            XCTAssertEqual(check(b, "nss-compat", "getpwnam-root"), "NULL errno=0", b)
            XCTAssertTrue(check(b, "with-all", "iconv").hasPrefix("iconv_open failed"), "\(b): \(check(b, "with-all", "iconv"))")
            // No resolv.conf: glibc fails at once.
            XCTAssertTrue(check(b, "empty", "dns-example.com").hasPrefix("error"), "\(b): \(check(b, "empty", "dns-example.com"))")
        }
        for b in musls {
            XCTAssertEqual(check(b, "docker", "tz"), "TZ=America/New_York -> 22:13 UTC +0000", b)
            // musl never reads nsswitch.conf.
            XCTAssertEqual(check(b, "nss-compat", "getpwnam-root"), "found uid=0 dir=/root", b)
            XCTAssertEqual(check(b, "empty", "iconv"), "iconv: ok e900".replacingOccurrences(of: "iconv: ", with: ""), b)
            XCTAssertTrue(check(b, "empty", "setlocale").hasPrefix("\"\" -> en_US.UTF-8"), "\(b): \(check(b, "empty", "setlocale"))")
            // No resolv.conf: musl queries 127.0.0.1 and waits for its full timeout (5 s).
            XCTAssertTrue(check(b, "empty", "dns-example.com").hasPrefix("no answer within"), "\(b): \(check(b, "empty", "dns-example.com"))")
        }
        XCTAssertTrue(report.findings.contains { $0.hasPrefix("tz (docker)") }, report.findings.joined(separator: "\n"))
        XCTAssertEqual(report.versions.musl.isEmpty, false)
    }

    /// The C probe on the default musl beside the other one (1.2.5 and
    /// 1.2.3), in the empty and Docker roots: each says its version, runs,
    /// and answers what the other answers; each check where they differ is printed.
    func testMusl125ProbeRunsBesideMusl123() throws {
        try Fixtures.requireLab([.mount, .pid, .uts, .net])
        var options = ScratchReadiness.Options(cProbes: try SuiteProbes.scratch(cVariants: [.muslStatic], otherMuslVersions: MuslSource.otherVersions,
                                                                              projectRoot: Fixtures.projectRoot))
        options.configs = ScratchReadiness.Config.standard.filter { ["docker", "with-all"].contains($0.name) }
        let report = try ScratchReadiness.run(options)
        XCTAssertEqual(report.runs.count, 4)
        let other = DNSVariant.cMuslOther.rawValue
        for config in ["docker", "with-all"] {
            let main = try XCTUnwrap(report.run("c-musl-static", config)), beside = try XCTUnwrap(report.run(other, config))
            XCTAssertEqual(main.verdict, .ok, "\(config): \(main.reason)")
            XCTAssertEqual(beside.verdict, .ok, "\(config): \(beside.reason)")
            XCTAssertEqual(main.checks["libc"], "musl \(MuslSource.defaultVersion)", config)
            XCTAssertEqual(beside.checks["libc"]?.hasPrefix("musl \(MuslSource.otherVersion)"), true, config)
            let changed = Set(main.checks.keys).union(beside.checks.keys).subtracting(["libc"]).sorted().filter { main.checks[$0] != beside.checks[$0] }
            print("scratch readiness, \(config): musl \(MuslSource.otherVersion) answers differently from \(MuslSource.defaultVersion) on \(changed.count) checks" +
                  changed.map { "\n  \($0): \(MuslSource.defaultVersion) \(main.checks[$0] ?? "-") | \(MuslSource.otherVersion) \(beside.checks[$0] ?? "-")" }.joined())
            XCTAssertEqual(beside.checks["tz"], main.checks["tz"], config)
            XCTAssertEqual(beside.checks["getpwnam-root"], main.checks["getpwnam-root"], config)
        }
    }

    /// `docker run` of each Swift variant FROM scratch: the dynamic one
    /// fails with a missing loader, every static one runs (/proc mounted),
    /// and the full-runtime ones abort without /proc.
    func testSwiftVariantsFromScratch() throws {
        try Fixtures.requireLab([.mount, .pid, .uts, .net])
        let store = try Fixtures.store()
        let artifacts = store.artifacts(product: "Sample") + store.artifacts(product: "embedded-probe")
        XCTAssertFalse(artifacts.isEmpty, "no Sample artifacts in \(store.root)")
        for a in artifacts {
            let r = try ScratchRunner.run(ScratchRunner.Options(binary: a.path))
            let what = "\(a.product) \(a.variant.rawValue)"
            print("scratch \(what): \(r.verdict.rawValue) (\(r.reason)) \(String(format: "%.0f", r.elapsedMs)) ms")
            if a.variant == .glibcDynamic {
                XCTAssertEqual(r.verdict, .missingLoader, what)
                XCTAssertEqual(r.reason, "missing loader /lib64/ld-linux-x86-64.so.2", what)
            } else {
                XCTAssertEqual(r.verdict, .ok, "\(what): \(r.reason)\n\(r.stderr)")
                XCTAssertFalse(r.stdout.isEmpty, what)
            }
            // Without /proc the full Swift runtime cannot find itself and aborts
            // (as PID 1, abort() ends in SIGSEGV); Embedded Swift does not care.
            if a.variant != .glibcDynamic {
                var o = ScratchRunner.Options(binary: a.path)
                o.mountProc = false
                let noProc = try ScratchRunner.run(o)
                if a.variant == .embeddedMusl {
                    XCTAssertEqual(noProc.verdict, .ok, "\(what) without /proc: \(noProc.reason)")
                } else {
                    XCTAssertEqual(noProc.verdict, .crashed, "\(what) without /proc: \(noProc.reason)")
                    XCTAssertTrue(noProc.stderr.contains("Unable to obtain Swift runtime path"), "\(what): \(noProc.stderr)")
                }
            }
        }
    }
}
