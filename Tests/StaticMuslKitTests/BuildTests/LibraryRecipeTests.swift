import Foundation
import XCTest
@testable import StaticMuslKit

/// The library recipes: the order they link in, the configure `CC`, the
/// failure summaries, and each library built for real (through
/// `LibraryRecipes.prepareWithDependencies`, cached under
/// .build-static/libraries after the first run: a cold run builds them all,
/// about 4 minutes on 2 cores, OpenSSL 1.5 of them) and used by a small C program that the
/// sysroot's musl-gcc links statically against the archives and that runs.
final class LibraryRecipeTests: XCTestCase {
    // MARK: order and names (nothing is built)

    /// c-ares 1.18.1 builds without configure: its source list comes from
    /// src/lib/Makefile.inc, and only a recorded version skips configure.
    func testCAresSourceListAndRecordedConfiguration() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("Makefile-\(UUID()).inc").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "# comment\nCSOURCES = ares__close_sockets.c\tares_init.c \\\n  ares_process.c \\\n  windows_port.c\n\nHHEADERS = ares.h\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try CAresRecipe.librarySources(makefileInc: file),
                       ["ares__close_sockets.c", "ares_init.c", "ares_process.c", "windows_port.c"])
        XCTAssertEqual(CAresRecipe.upstreamVersion(tree: "/x/sources/c-ares-1.18.1-3"), "1.18.1")
        XCTAssertEqual(CAresRecipe.upstreamVersion(tree: "/x/sources/c-ares-1.34.9-1~deb13u1"), "1.34.9")
        XCTAssertNil(CAresRecipe.upstreamVersion(tree: "/x/sources/zlib-1.2.13"))
        let recorded = Fixtures.projectRoot + "/CShim/resolver/c-ares-1.18.1"
        for header in ["ares_config.h", "ares_build.h"] {
            let text = try String(contentsOfFile: recorded + "/" + header, encoding: .utf8)
            XCTAssertTrue(text.contains("Generated from") || text.contains("CARES_TYPEOF_ARES_SOCKLEN_T"), header)
        }
        XCTAssertEqual(CAresRecipe().dataFiles.map { Fixtures.projectRoot + "/" + $0 }, ["ares_config.h", "ares_build.h"].map { recorded + "/" + $0 })
    }

    /// The recorded headers are part of the c-ares key: editing one changes
    /// the key (and so rebuilds); a recipe without data files keeps its key.
    func testDataFilesAreHashedIntoTheCacheKey() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("recipe-key-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let recipe = CAresRecipe()
        for file in recipe.dataFiles {
            try FileManager.default.createDirectory(atPath: root + "/" + (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try "/* recorded */\n".write(toFile: root + "/" + file, atomically: true, encoding: .utf8)
        }
        func key(_ r: LibraryRecipe) -> String {
            LibraryRecipes.cacheKey(r, version: "1.18.1-3", sysrootKey: "s", clang: "c", dependencies: [], projectRoot: root)
        }
        let before = key(recipe)
        XCTAssertEqual(key(recipe), before, "the key is a function of its inputs")
        try "/* edited */\n".write(toFile: root + "/" + recipe.dataFiles[0], atomically: true, encoding: .utf8)
        XCTAssertNotEqual(key(recipe), before)
        let zlib = try XCTUnwrap(LibraryRecipes.recipe(named: "zlib"))
        XCTAssertEqual(zlib.dataFiles, [])
        XCTAssertEqual(key(zlib), SysrootSHA256.hex(["zlib", String(zlib.recipeVersion), "1.18.1-3", "s", "c"].joined(separator: "\n")))
    }

    func testLinkOrderPutsEveryLibraryBeforeWhatItNeeds() throws {
        let curl = try XCTUnwrap(LibraryRecipes.recipe(forLinkName: "curl"))
        XCTAssertEqual(try LibraryRecipes.linkOrder([curl]).map(\.name), ["curl", "nghttp2", "openssl", "zlib"])

        let xml = try XCTUnwrap(LibraryRecipes.recipe(forLinkName: "xml2"))
        let both = try LibraryRecipes.linkOrder([xml, curl]).map(\.name)
        XCTAssertEqual(Set(both), ["libxml2", "curl", "nghttp2", "openssl", "zlib"])
        XCTAssertEqual(both.count, 5, "each library once: \(both)")
        for recipe in LibraryRecipes.all {
            guard let at = both.firstIndex(of: recipe.name) else { continue }
            for dependency in recipe.dependencies {
                XCTAssertLessThan(at, try XCTUnwrap(both.firstIndex(of: dependency)), "\(recipe.name) links before \(dependency): \(both)")
            }
        }
        let flags = LibraryRecipes.linkFlags(try LibraryRecipes.linkOrder([curl]).map {
            BuiltLibrary(name: $0.name, version: "v", source: "s", path: "/p", key: "k", archives: [], linkNames: $0.linkNames)
        })
        XCTAssertEqual(flags, ["-lcurl", "-lnghttp2", "-lssl", "-lcrypto", "-lz"])
    }

    func testEveryLinkNameAndDependencyNamesARecipe() throws {
        for recipe in LibraryRecipes.all {
            for link in recipe.linkNames {
                XCTAssertEqual(LibraryRecipes.recipe(forLinkName: link)?.name, recipe.name, "-l\(link)")
            }
            for dependency in recipe.dependencies {
                XCTAssertNotNil(LibraryRecipes.recipe(named: dependency), "\(recipe.name) depends on \(dependency)")
            }
        }
        for link in ["z", "curl", "ssl", "crypto", "mbedtls", "mbedx509", "mbedcrypto", "nghttp2", "xml2", "sqlite3"] {
            XCTAssertNotNil(LibraryRecipes.recipe(forLinkName: link), "-l\(link) has no recipe")
        }
    }

    func testOldLibraryRecordsStillDecode() throws {
        let old = #"{"archives":["libz.a"],"key":"k","name":"zlib","path":"/p","source":"s","version":"1"}"#
        let record = try JSONDecoder().decode(BuiltLibrary.self, from: Data(old.utf8))
        XCTAssertEqual(record.linkNames, [])
        XCTAssertEqual(LibraryRecipes.linkFlags([record]), ["-lz"], "the recipe's names stand in")
    }

    // MARK: the configure CC and the failure summaries

    /// What configure does with `CC`: compile and link a test program in one
    /// command, and run it. The result must be a static musl executable.
    func testConfigureCCLinksStaticProgramsThatRun() throws {
        let compiler = try Self.compiler()
        let dir = try temporaryDirectory("cc")
        try FileManager.default.createDirectory(atPath: dir + "/tree", withIntermediateDirectories: true)
        try "int main(void) { return 0; }\n".write(toFile: dir + "/tree/t.c", atomically: true, encoding: .utf8)
        let build = try AutotoolsBuild(compiler: compiler, tree: dir + "/tree", workDirectory: dir + "/work", dependencies: [])
        try """
        #include <pthread.h>
        #include <stdio.h>
        static void *twice(void *p) { *(__int128 *)p *= 2; return p; }
        int main(void) { __int128 v = (__int128)3 << 70; pthread_t t; pthread_create(&t, 0, twice, &v); pthread_join(t, 0);
                         printf("%d\\n", (int)(v / ((__int128)1 << 70))); return 0; }
        """.write(toFile: build.path("conftest.c"), atomically: true, encoding: .utf8)
        try build.run(build.cc, ["-O2", "-o", "conftest", "conftest.c"], what: "link conftest")
        let run = try ProcessRunner.run(build.path("conftest"), timeout: 10)
        XCTAssertEqual(run.stdout, "6\n", run.stderr)
        try assertStatic(build.path("conftest"))
        // Compile-only commands get no link flags (clang would warn that -L is unused).
        let compileOnly = try build.run(build.cc, ["-c", "conftest.c", "-o", "conftest.o"], what: "compile conftest")
        XCTAssertFalse(compileOnly.stderr.contains("unused"), compileOnly.stderr)
        XCTAssertEqual(build.environment["PKG_CONFIG_LIBDIR"], dir + "/work/pkgconfig", "the host's .pc files are hidden")
    }

    func testConfigureFailureIsSummarized() throws {
        let compiler = try Self.compiler()
        let dir = try temporaryDirectory("configure")
        try FileManager.default.createDirectory(atPath: dir + "/tree", withIntermediateDirectories: true)
        try """
        #!/bin/sh
        { echo "configure:100: checking for frobnicate"
          echo "configure:101: cc -o conftest conftest.c -lfrob"
          echo "ld: cannot find -lfrob"
          echo "| #define PACKAGE_NAME \\"x\\""
          echo "## ---------------- ##"
          echo "## Cache variables. ##"
          for i in $(seq 1 500); do echo "ac_cv_var_$i=yes"; done; } > config.log
        echo "checking for frobnicate... no"
        echo "configure: error: frobnicate is required" >&2
        exit 1
        """.write(toFile: dir + "/tree/configure", atomically: true, encoding: .utf8)
        let build = try AutotoolsBuild(compiler: compiler, tree: dir + "/tree", workDirectory: dir + "/work", dependencies: [])
        XCTAssertThrowsError(try build.configure(["--enable-frob"])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("configure: error: frobnicate is required"), text)
            XCTAssertTrue(text.contains("cannot find -lfrob"), text)
            XCTAssertFalse(text.contains("ac_cv_var_"), "no cache-variable dump: \(text)")
            XCTAssertFalse(text.contains("#define PACKAGE_NAME"), text)
            XCTAssertLessThan(text.count, 3000)
        }
    }

    func testMakeFailureKeepsTheFirstErrors() {
        let noise = (1...2000).map { "  CC       file\($0).lo" }
        let output = (noise.prefix(1000) + ["x.c:3:1: error: unknown type name 'frob'", "make[1]: *** [Makefile:9: x.lo] Error 1"]
                      + noise.suffix(1000) + ["make: *** [Makefile:2: all] Error 2"]).joined(separator: "\n")
        let summary = BuildLogSummary.toolFailure(output: output, timedOut: false)
        XCTAssertTrue(summary.hasPrefix("x.c:3:1: error: unknown type name 'frob'"), summary)
        XCTAssertTrue(summary.contains("make: *** [Makefile:2: all] Error 2"), summary)
        XCTAssertLessThan(summary.count, 2000)
    }

    // MARK: each library, built and used

    func testOpenSSLHashesAndOffersTLS13() throws {
        XCTAssertNoThrow(try OpenSSLRecipe.ensurePerl(), "Configure's perl, with IPC::Cmd")
        let libraries = try Self.prepared("openssl")
        XCTAssertEqual(libraries.map(\.name), ["openssl"])
        XCTAssertEqual(libraries[0].archives, ["libcrypto.a", "libssl.a"])
        XCTAssertEqual(libraries[0].linkNames, ["ssl", "crypto"])
        let out = try runProgram("openssl", libraries: libraries, source: """
        #include <openssl/crypto.h>
        #include <openssl/evp.h>
        #include <openssl/ssl.h>
        #include <stdio.h>
        #if !defined(OPENSSL_NO_ASYNC) || !defined(OPENSSL_NO_ENGINE) || !defined(OPENSSL_NO_DSO)
        #error "the recipe configures no-async no-engine no-dso"
        #endif
        int main(void) {
            unsigned char d[EVP_MAX_MD_SIZE]; unsigned int n = 0;
            if (!EVP_Digest("abc", 3, d, &n, EVP_sha256(), NULL)) return 2;
            for (unsigned int i = 0; i < n; i++) printf("%02x", d[i]);
            EVP_CIPHER *chacha = EVP_CIPHER_fetch(NULL, "ChaCha20-Poly1305", NULL), *gcm = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
            SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
            int tls13 = ctx && SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) && SSL_CTX_get_max_proto_version(ctx) == 0;
            printf(" %s chacha20-poly1305=%d aes-256-gcm=%d tls1.3=%d\\n", OpenSSL_version(OPENSSL_VERSION_STRING),
                   chacha != NULL, gcm != NULL, tls13);
            printf("%s\\n%s\\n", OpenSSL_version(OPENSSL_DIR), OpenSSL_version(OPENSSL_CFLAGS));
            return 0;
        }
        """)
        let lines = out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, out)
        guard lines.count == 3 else { return }
        XCTAssertTrue(lines[0].hasPrefix("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad 3.0."), lines[0])
        XCTAssertTrue(lines[0].hasSuffix(" chacha20-poly1305=1 aes-256-gcm=1 tls1.3=1"), lines[0])
        XCTAssertEqual(lines[1], "OPENSSLDIR: \"\(OpenSSLRecipe.openSSLDirectory)\"", "Debian's, not the build folder")
        // The compiler command is recorded in the library: no build folder in it.
        XCTAssertTrue(lines[2].hasPrefix("compiler: musl-cc "), lines[2])
        XCTAssertFalse(lines[2].contains("/"), lines[2])
    }

    func testMbedTLSHashesAndPassesItsSelfTests() throws {
        let libraries = try Self.prepared("mbedtls")
        XCTAssertEqual(libraries.map(\.name), ["mbedtls"])
        XCTAssertEqual(libraries[0].archives, ["libmbedcrypto.a", "libmbedtls.a", "libmbedx509.a"])
        let out = try runProgram("mbedtls", libraries: libraries, source: """
        #include <mbedtls/config.h>
        #include <mbedtls/sha256.h>
        #include <mbedtls/aes.h>
        #include <mbedtls/version.h>
        #include <stdio.h>
        #if !defined(MBEDTLS_THREADING_C) || !defined(MBEDTLS_THREADING_PTHREAD)
        #error "the recipe enables MBEDTLS_THREADING_PTHREAD"
        #endif
        int main(void) {
            unsigned char d[32]; char v[32];
            if (mbedtls_sha256_ret((const unsigned char *)"abc", 3, d, 0) != 0) return 2;
            for (int i = 0; i < 32; i++) printf("%02x", d[i]);
            mbedtls_version_get_string(v);
            printf(" %s self-tests=%d\\n", v, mbedtls_sha256_self_test(0) | mbedtls_aes_self_test(0));
            return 0;
        }
        """)
        XCTAssertTrue(out.hasPrefix("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad 2.28."), out)
        XCTAssertTrue(out.hasSuffix(" self-tests=0\n"), out)
    }

    func testSQLite3CreatesInsertsAndSums() throws {
        let libraries = try Self.prepared("sqlite3")
        let out = try runProgram("sqlite3", libraries: libraries, source: """
        #include <sqlite3.h>
        #include <stdio.h>
        static int row(void *u, int n, char **v, char **c) { printf("sum=%s ", v[0]); return 0; }
        int main(void) {
            sqlite3 *db; char *err = 0;
            if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 2;
            const char *sql = "CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (1), (2), (3);"
                              "CREATE VIRTUAL TABLE f USING fts5(body); INSERT INTO f VALUES ('static musl binaries');"
                              "SELECT sum(x) + (SELECT count(*) FROM f WHERE f MATCH 'musl') FROM t;";
            if (sqlite3_exec(db, sql, row, 0, &err) != SQLITE_OK) { printf("error: %s\\n", err); return 3; }
            printf("version=%s threadsafe=%d load_extension_omitted=%d\\n", sqlite3_libversion(), sqlite3_threadsafe(),
                   sqlite3_compileoption_used("OMIT_LOAD_EXTENSION"));
            return sqlite3_close(db);
        }
        """)
        XCTAssertEqual(out, "sum=7 version=3.40.1 threadsafe=1 load_extension_omitted=1\n")
    }

    func testLibXML2ParsesNamespacesAndConvertsThroughIconv() throws {
        let libraries = try Self.prepared("libxml2")
        XCTAssertEqual(libraries.map(\.name), ["libxml2", "zlib"])
        let xml = try XCTUnwrap(libraries.first)
        XCTAssertTrue(FileManager.default.fileExists(atPath: xml.includeDirectory + "/libxml2/libxml/parser.h"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: xml.includeDirectory + "/libxml/xmlversion.h"), "include/libxml resolves")
        // windows-1252 is not one of libxml2's built-in encodings: 0x80 (€) goes through musl's iconv.
        let out = try runProgram("libxml2", libraries: libraries, source: """
        #include <libxml/parser.h>
        #include <libxml/tree.h>
        #include <stdio.h>
        #include <string.h>
        int main(void) {
            LIBXML_TEST_VERSION
            const char *doc1 = "<r xmlns='urn:example'><a:item xmlns:a='urn:a'>42</a:item></r>";
            xmlDocPtr d = xmlReadMemory(doc1, (int)strlen(doc1), "n.xml", NULL, 0);
            if (!d) return 2;
            xmlNodePtr root = xmlDocGetRootElement(d), item = xmlFirstElementChild(root);
            xmlChar *text = xmlNodeGetContent(item);
            printf("%s {%s} %s {%s} %s\\n", root->name, root->ns->href, item->name, item->ns->href, text);
            xmlFree(text); xmlFreeDoc(d);
            const char *doc2 = "<?xml version='1.0' encoding='windows-1252'?><p>\\x80</p>";
            d = xmlReadMemory(doc2, (int)strlen(doc2), "e.xml", NULL, 0);
            if (!d) return 3;
            text = xmlNodeGetContent(xmlDocGetRootElement(d));
            for (const xmlChar *c = text; *c; c++) printf("%02x", *c);
            printf(" %s\\n", LIBXML_DOTTED_VERSION);
            xmlFree(text); xmlFreeDoc(d); xmlCleanupParser();
            return 0;
        }
        """)
        XCTAssertEqual(out, "r {urn:example} item {urn:a} 42\ne282ac 2.9.14\n")
    }

    func testCurlUsesOpenSSLAndFetchesOverHTTPAndHTTPS() throws {
        let libraries = try Self.prepared("curl")
        XCTAssertEqual(libraries.map(\.name), ["curl", "nghttp2", "openssl", "zlib"])
        XCTAssertEqual(libraries[0].dependencies, ["nghttp2", "openssl", "zlib"])
        let dir = try temporaryDirectory("curl")
        // `curl URL [CAFILE|-] [CAPATH]`: the body, then rc, status and the
        // TLS version that OpenSSL negotiated (read during the transfer, while
        // the SSL pointer is valid).
        let binary = try linkProgram("curl", libraries: libraries, in: dir, source: """
        #include <curl/curl.h>
        #include <openssl/ssl.h>
        #include <stdio.h>
        #include <string.h>
        static const char *tls = "-";
        static size_t sink(char *p, size_t s, size_t n, void *h) {
            struct curl_tlssessioninfo *info = NULL;
            if (curl_easy_getinfo(h, CURLINFO_TLS_SSL_PTR, &info) == CURLE_OK && info
                && info->backend == CURLSSLBACKEND_OPENSSL && info->internals)
                tls = SSL_get_version((SSL *)info->internals);
            fwrite(p, s, n, stdout); return s * n;
        }
        int main(int argc, char **argv) {
            if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return 2;
            curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
            if (argc < 2) {
                printf("%s\\n", curl_version());
                printf("http2=%d ipv6=%d asynchdns=%d ssl=%d libz=%d\\n", !!(v->features & CURL_VERSION_HTTP2),
                       !!(v->features & CURL_VERSION_IPV6), !!(v->features & CURL_VERSION_ASYNCHDNS),
                       !!(v->features & CURL_VERSION_SSL), !!(v->features & CURL_VERSION_LIBZ));
                printf("cainfo=%s capath=%s\\n", v->cainfo ? v->cainfo : "-", v->capath ? v->capath : "-");
                for (const char *const *p = v->protocols; *p; p++) printf("%s ", *p);
                printf("\\n");
                return 0;
            }
            CURL *h = curl_easy_init(); long code = 0;
            curl_easy_setopt(h, CURLOPT_URL, argv[1]);
            curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
            curl_easy_setopt(h, CURLOPT_WRITEDATA, h);
            curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
            if (argc > 2 && strcmp(argv[2], "-") != 0) curl_easy_setopt(h, CURLOPT_CAINFO, argv[2]);
            if (argc > 3) curl_easy_setopt(h, CURLOPT_CAPATH, argv[3]);
            CURLcode rc = curl_easy_perform(h);
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
            printf("\\nrc=%d status=%ld tls=%s %s\\n", rc, code, tls, rc ? curl_easy_strerror(rc) : "");
            curl_easy_cleanup(h);
            return rc == CURLE_OK && code == 200 ? 0 : 1;
        }
        """)
        let info = try ProcessRunner.run(binary, timeout: 30)
        XCTAssertTrue(info.succeeded, info.stderr)
        let lines = info.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 4, info.stdout)
        guard lines.count == 4 else { return }
        XCTAssertTrue(lines[0].hasPrefix("libcurl/7.88.1 OpenSSL/3.0."), lines[0])
        XCTAssertTrue(lines[0].contains(" zlib/1.2.13") && lines[0].contains(" nghttp2/1.52.0"), lines[0])
        XCTAssertEqual(lines[1], "http2=1 ipv6=1 asynchdns=1 ssl=1 libz=1")
        XCTAssertEqual(lines[2], "cainfo=/etc/ssl/certs/ca-certificates.crt capath=/etc/ssl/certs", "Debian's libcurl paths")
        XCTAssertEqual(lines[3], "http https ")

        // GETs against python3's http.server: plain, then over TLS 1.3 only
        // (the server's minimum) with a private CA, so each success also
        // proves TLS 1.3.
        let body = "static musl says hello \(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/www", withIntermediateDirectories: true)
        try body.write(toFile: dir + "/www/hello.txt", atomically: true, encoding: .utf8)
        try Self.serverScript.write(toFile: dir + "/server.py", atomically: true, encoding: .utf8)
        let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
        let plain = try fetch(binary, python: python, dir: dir, tls: nil)
        XCTAssertTrue(plain.succeeded, plain.stdout + plain.stderr)
        XCTAssertEqual(plain.stdout, body + "\nrc=0 status=200 tls=- \n")

        let certificates = try TestCertificates.make()
        defer { try? FileManager.default.removeItem(atPath: certificates.directory) }
        let ca = certificates.directory + "/ca.pem"
        // An IP address: the certificate's IP SAN 127.0.0.1 must match. This
        // is what mbedTLS 2.28 could not do (BADCERT_CN_MISMATCH).
        let byAddress = try fetch(binary, python: python, dir: dir, tls: certificates.directory, host: "127.0.0.1", caFile: ca)
        XCTAssertTrue(byAddress.succeeded, byAddress.stdout + byAddress.stderr)
        XCTAssertEqual(byAddress.stdout, body + "\nrc=0 status=200 tls=TLSv1.3 \n")
        // A name: the DNS SAN localhost.
        let byName = try fetch(binary, python: python, dir: dir, tls: certificates.directory, host: "localhost", caFile: ca)
        XCTAssertTrue(byName.succeeded, byName.stdout + byName.stderr)
        XCTAssertEqual(byName.stdout, body + "\nrc=0 status=200 tls=TLSv1.3 \n")
        // The CA only in a CA folder, as `<subject hash>.0` (what
        // update-ca-certificates links in /etc/ssl/certs), with the
        // compiled-in bundle as the CA file: OpenSSL finds it by its hash.
        let folder = dir + "/capath"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let hash = try ProcessRunner.run("openssl", ["x509", "-noout", "-subject_hash", "-in", ca], timeout: 60)
        XCTAssertTrue(hash.succeeded, hash.stderr)
        try FileManager.default.createSymbolicLink(atPath: folder + "/" + hash.stdout.trimmingCharacters(in: .whitespacesAndNewlines) + ".0",
                                                   withDestinationPath: ca)
        let byFolder = try fetch(binary, python: python, dir: dir, tls: certificates.directory, host: "127.0.0.1", caPath: folder)
        if FileManager.default.fileExists(atPath: CurlRecipe.caBundle) {
            XCTAssertTrue(byFolder.succeeded, byFolder.stdout + byFolder.stderr)
            XCTAssertEqual(byFolder.stdout, body + "\nrc=0 status=200 tls=TLSv1.3 \n")
        }
        // Without the private CA (only the compiled-in bundle and folder) the peer is refused.
        let untrusted = try fetch(binary, python: python, dir: dir, tls: certificates.directory, host: "127.0.0.1")
        XCTAssertFalse(untrusted.succeeded)
        // 60: CURLE_PEER_FAILED_VERIFICATION; 77: CURLE_SSL_CACERT_BADFILE (no bundle on this machine).
        XCTAssertTrue(untrusted.stdout.contains("rc=60 ") || untrusted.stdout.contains("rc=77 "), untrusted.stdout)
    }

    func testSecondPrepareReusesTheCache() throws {
        let first = try Self.prepared("curl")
        let start = Date()
        let again = try LibraryRecipes.prepareWithDependencies(try XCTUnwrap(LibraryRecipes.recipe(named: "curl")),
                                                               sysroot: try SysrootTests.defaultSysroot(),
                                                               toolchain: Self.toolchain, projectRoot: Fixtures.projectRoot)
        XCTAssertEqual(again, first)
        XCTAssertLessThan(Date().timeIntervalSince(start), 30, "nothing is rebuilt")
        for library in again {
            if library.name != "zlib" {   // zlib's record may predate build_seconds
                XCTAssertNotNil(library.buildSeconds, "\(library.name) records its build time")
            }
            XCTAssertTrue(library.path.hasSuffix(String(library.key.prefix(16))), library.path)
        }
    }

    // MARK: helpers

    static let toolchain = ToolchainPaths(root: ToolchainVersions.detect().root)

    static func compiler() throws -> MuslCCompiler {
        MuslCCompiler(clang: toolchain.clang, sysroot: try SysrootTests.defaultSysroot(),
                      resourceDirectory: try toolchain.clangResourceDirectory())
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var built: [String: Result<[BuiltLibrary], Error>] = [:]

    /// The recipe's libraries in link order, built once per test process.
    static func prepared(_ name: String) throws -> [BuiltLibrary] {
        lock.lock(); defer { lock.unlock() }
        if let done = built[name] { return try done.get() }
        let result = Result {
            guard let recipe = LibraryRecipes.recipe(named: name) else { throw LibraryError.unknownRecipe(name, wantedBy: "the test") }
            let libraries = try LibraryRecipes.prepareWithDependencies(recipe, sysroot: try SysrootTests.defaultSysroot(),
                                                                       toolchain: toolchain, projectRoot: Fixtures.projectRoot)
            for library in libraries {
                let sizes = library.archives.map { archive -> String in
                    let size = (try? FileManager.default.attributesOfItem(atPath: library.libDirectory + "/" + archive)[.size] as? Int) ?? 0
                    return "\(archive) \(size)"
                }
                print("library \(library.name) \(library.version): built in \(library.buildSeconds.map { "\($0) s" } ?? "?"), \(sizes.joined(separator: ", "))")
            }
            return libraries
        }
        built[name] = result
        return try result.get()
    }


    /// Links `source` with the sysroot's musl-gcc, statically, against the
    /// libraries in the order given (no link group: the order must be right).
    func linkProgram(_ name: String, libraries: [BuiltLibrary], in dir: String, source: String) throws -> String {
        let sysroot = try SysrootTests.defaultSysroot()
        try source.write(toFile: dir + "/\(name).c", atomically: true, encoding: .utf8)
        var args = ["-static", "-O2", "-o", dir + "/\(name)", dir + "/\(name).c"]
        args += libraries.flatMap { ["-I", $0.includeDirectory] } + libraries.flatMap { ["-L", $0.libDirectory] }
        args += LibraryRecipes.linkFlags(libraries)
        let link = try ProcessRunner.run(sysroot.muslGCC, args, timeout: 300)
        XCTAssertTrue(link.succeeded, "musl-gcc \(args.joined(separator: " ")): \(link.stderr)")
        try assertStatic(dir + "/\(name)")
        return dir + "/\(name)"
    }

    func runProgram(_ name: String, libraries: [BuiltLibrary], source: String) throws -> String {
        let binary = try linkProgram(name, libraries: libraries, in: try temporaryDirectory(name), source: source)
        let r = try ProcessRunner.run(binary, timeout: 60)
        XCTAssertTrue(r.succeeded, "\(name) exited \(String(describing: r.exitStatus)): \(r.stdout) \(r.stderr)")
        return r.stdout
    }

    func assertStatic(_ binary: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let headers = try ProcessRunner.run("readelf", ["-lW", binary], timeout: 30)
        XCTAssertTrue(headers.succeeded, headers.stderr, file: file, line: line)
        XCTAssertFalse(headers.stdout.contains("INTERP"), "\(binary) asks for a program interpreter", file: file, line: line)
        XCTAssertFalse(headers.stdout.contains("DYNAMIC"), "\(binary) has a dynamic section", file: file, line: line)
        let described = try ProcessRunner.run("file", ["-b", binary], timeout: 30)
        XCTAssertTrue(described.stdout.contains("statically linked"), described.stdout, file: file, line: line)
    }

    /// Serves `dir/www` on 127.0.0.1 (a free port, written to the port file),
    /// over TLS 1.3 (and nothing older) when given a certificate and key.
    static let serverScript = """
    import functools, http.server, os, ssl, sys
    www, portfile = sys.argv[1], sys.argv[2]
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args): pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=www))
    if len(sys.argv) > 4:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_3
        context.load_cert_chain(sys.argv[3], sys.argv[4])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    with open(portfile + ".tmp", "w") as f: f.write(str(server.server_address[1]))
    os.rename(portfile + ".tmp", portfile)
    server.serve_forever()
    """

    /// Starts the server, fetches hello.txt from `host` with the curl program
    /// (with `caFile` and `caPath` when given), stops the server (one process
    /// group: nothing outlives the call).
    func fetch(_ binary: String, python: String, dir: String, tls certificates: String?, host: String = "localhost",
               caFile: String? = nil, caPath: String? = nil) throws -> ProcessResult {
        let portFile = dir + "/port-\(UUID().uuidString)"
        let scheme = certificates == nil ? "http" : "https"
        let serverArgs = certificates.map { " '\($0)/server.pem' '\($0)/server.key'" } ?? ""
        var caArgs = caFile.map { " '\($0)'" } ?? (caPath == nil ? "" : " -")
        if let caPath { caArgs += " '\(caPath)'" }
        let script = """
        '\(python)' '\(dir)/server.py' '\(dir)/www' '\(portFile)'\(serverArgs) & server=$!
        i=0; while [ ! -s '\(portFile)' ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done
        '\(binary)' "\(scheme)://\(host):$(cat '\(portFile)')/hello.txt"\(caArgs); rc=$?
        kill $server; exit $rc
        """
        return try ProcessRunner.run("/bin/sh", ["-c", script], timeout: 120)
    }
}
