#!/usr/bin/env python3
"""The URLSession fixture's peer: a small HTTP(S) server on 127.0.0.1.

    test-server.py [--tls CERT KEY]

Prints "PORT SHA256-OF-BIG" on its first line once it listens, then serves
  GET  /hello.txt   "hello from the test server"
  POST /echo        the request body back, as application/json
  GET  /redirect    302 to /hello.txt
  GET  /big.bin     10 MiB of deterministic bytes
  anything else     404
until it is killed.
"""
import hashlib
import http.server
import socketserver
import ssl
import sys

BIG = bytes((i * 7 + (i >> 11)) & 0xFF for i in range(10 * 1024 * 1024))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="text/plain", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/hello.txt":
            self.reply(200, b"hello from the test server\n")
        elif self.path == "/redirect":
            self.reply(302, b"", headers=[("Location", "/hello.txt")])
        elif self.path == "/big.bin":
            self.reply(200, BIG, "application/octet-stream")
        else:
            self.reply(404, b"not found\n")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path == "/echo":
            self.reply(200, body, "application/json")
        else:
            self.reply(404, b"not found\n")


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def main():
    server = Server(("127.0.0.1", 0), Handler)
    if len(sys.argv) == 4 and sys.argv[1] == "--tls":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[2], sys.argv[3])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    elif len(sys.argv) != 1:
        print("usage: test-server.py [--tls CERT KEY]", file=sys.stderr)
        sys.exit(2)
    print(server.server_address[1], hashlib.sha256(BIG).hexdigest(), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
