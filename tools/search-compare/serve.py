"""A static server for measuring what a search downloads: serves FOLDER on
127.0.0.1:PORT, gzips text (HTML, CSS, JavaScript, JSON) as web hosts do,
and appends one line per request to LOG: path, status, body bytes sent.

    python3 serve.py FOLDER PORT LOG
"""
import gzip
import http.server
import os
import sys

FOLDER, PORT, LOG = sys.argv[1], int(sys.argv[2]), sys.argv[3]
TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml")


class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=FOLDER, **kwargs)

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            self.send_error(404)
            self.record(404, 0)
            return
        with open(path, "rb") as file:
            body = file.read()
        encoding = None
        if path.endswith(TEXT) and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, 6, mtime=0)
            encoding = "gzip"
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)
        self.record(200, len(body))

    def record(self, status, size):
        with open(LOG, "a") as log:
            log.write(f"{self.path}\t{status}\t{size}\n")


http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
