import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

// URLSession against a local server (the test starts it):
//   urlsession-client http http://127.0.0.1:PORT   GET, POST, a redirect, a 10 MB download
//   urlsession-client https https://127.0.0.1:PORT/hello.txt
// Every line is what glibc-dynamic must print too. A failure prints the
// URLError's code and exits 1; nothing may hang (timeouts are 20 s).

setvbuf(stdout, nil, _IOLBF, 0)
let configuration = URLSessionConfiguration.ephemeral
configuration.timeoutIntervalForRequest = 20
configuration.timeoutIntervalForResource = 60
let session = URLSession(configuration: configuration)

struct Failure: Error, CustomStringConvertible {
    var description: String
}

final class Answer: @unchecked Sendable {
    var result: Result<(Data, HTTPURLResponse), Failure> = .failure(Failure(description: "no answer"))
}

func send(_ request: URLRequest) -> Result<(Data, HTTPURLResponse), Failure> {
    let done = DispatchSemaphore(value: 0)
    let answer = Answer()
    session.dataTask(with: request) { data, response, error in
        if let error = error as? URLError {
            answer.result = .failure(Failure(description: "URLError \(error.code.rawValue)"))
        } else if let error {
            answer.result = .failure(Failure(description: "error \(error)"))
        } else if let data, let http = response as? HTTPURLResponse {
            answer.result = .success((data, http))
        }
        done.signal()
    }.resume()
    done.wait()
    return answer.result
}

func get(_ url: String) -> Result<(Data, HTTPURLResponse), Failure> {
    guard let u = URL(string: url) else { return .failure(Failure(description: "bad URL \(url)")) }
    return send(URLRequest(url: u))
}

func require<T>(_ result: Result<T, Failure>, _ what: String) -> T {
    switch result {
    case .success(let value): return value
    case .failure(let failure):
        print("\(what): failed: \(failure)")
        exit(1)
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 3, ["http", "https"].contains(arguments[1]) else {
    FileHandle.standardError.write(Data("usage: urlsession-client http BASE-URL | https URL\n".utf8))
    exit(2)
}
let base = arguments[2]

if arguments[1] == "https" {
    let (data, response) = require(get(base), "https GET")
    print("https GET: \(response.statusCode) \(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))")
    print("urlsession-client: ok")
    exit(0)
}

let (hello, helloResponse) = require(get(base + "/hello.txt"), "GET /hello.txt")
print("GET /hello.txt: \(helloResponse.statusCode) \(helloResponse.value(forHTTPHeaderField: "Content-Type") ?? "-") \(String(decoding: hello, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))")

var post = URLRequest(url: URL(string: base + "/echo")!)
post.httpMethod = "POST"
post.setValue("application/json", forHTTPHeaderField: "Content-Type")
post.httpBody = Data(#"{"greeting":"grüezi","numbers":[1,2,3]}"#.utf8)
let (echoed, echoResponse) = require(send(post), "POST /echo")
print("POST /echo: \(echoResponse.statusCode) \(String(decoding: echoed, as: UTF8.self))")

let (redirected, redirectResponse) = require(get(base + "/redirect"), "GET /redirect")
print("GET /redirect: \(redirectResponse.statusCode) landed on \(redirectResponse.url?.path ?? "?"): \(String(decoding: redirected, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))")

let (big, bigResponse) = require(get(base + "/big.bin"), "GET /big.bin")
var digest = SHA256()
digest.update(big)
print("GET /big.bin: \(bigResponse.statusCode) \(big.count) bytes sha256 \(digest.hexDigest())")

let (_, missingResponse) = require(get(base + "/missing"), "GET /missing")
print("GET /missing: \(missingResponse.statusCode)")
print("urlsession-client: ok")
