"""The judge's web server: serves FOLDER on 127.0.0.1 as a static host does,
gzipping text (HTML, CSS, JavaScript, JSON, SVG, XML) when the browser
accepts it.

    python3 static-server.py FOLDER [PORT]

PORT 0 (the default) lets the OS pick a free port. The first line on stdout
is http.server's own, "Serving HTTP on 127.0.0.1 port N ...", and every
request is logged to stderr in http.server's format ("GET /x HTTP/1.1" 404).

Why gzip: GitHub Pages, Netlify, Cloudflare Pages and GitLab Pages (from
pre-compressed files) send text compressed, and the issue's page budget is
written in gzipped bytes. Lighthouse's simulated mobile network (1.6 Mbit/s)
makes a page of 360 KB sent uncompressed cost about 1.5 s of first paint that
no reader of a real host pays; python's plain http.server never compresses.
"""
import gzip
import http.server
import io
import os
import sys

TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


class Handler(http.server.SimpleHTTPRequestHandler):
    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's address
            path = os.path.join(path, "index.html")
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (os.path.isfile(path) and path.endswith(TEXT) and accepts_gzip):
            return super().send_head()
        with open(path, "rb") as file:
            body = gzip.compress(file.read(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def main():
    folder = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0

    def handler(*args, **kwargs):
        return Handler(*args, directory=folder, **kwargs)

    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        host, port = server.server_address[:2]
        print(f"Serving HTTP on {host} port {port} (http://{host}:{port}/) ...", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
