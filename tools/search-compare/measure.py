"""Measures what a search downloads, in headless Chromium, for annals' own
index (search/) and for a Pagefind bundle (pagefind/) of the same built
site, and what each finds.

    python3 measure.py SITE_OUTPUT [LANG_FOLDER] QUERY [QUERY…]

The queries run one after another in one page, as a reader would type
them; for each: the bytes fetched for it (gzip, as served by serve.py), the
requests, how many events matched, the first results and the time taken.
Annals' side shows 20 results (their result files); Pagefind's loads the
data of its first 20 results, as its UI does for a page of results.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

COMMON = """
const out = document.getElementById("out");
const queries = new URLSearchParams(location.search).getAll("q");
const bytes = () => performance.getEntriesByType("resource").reduce((sum, e) => sum + e.encodedBodySize, 0);
const count = () => performance.getEntriesByType("resource").length;
const report = [];
const finish = () => { out.textContent = JSON.stringify({ before: BEFORE, report }); };
const BEFORE = { bytes: bytes(), requests: count() };
"""

ANNALS = """<!doctype html><html lang="LANG"><meta charset="utf-8"><pre id="out">running</pre>
<script src="SCRIPT"></script>
<script>
COMMON
(async () => {
  const search = window.annals.search("search/");
  const empty = { track: [], era: [], tag: [], q: "", highlights: false };
  for (const q of queries) {
    const [b, n, t] = [bytes(), count(), performance.now()];
    const found = await search.find({ ...empty, q });
    const events = await search.results(found.ids.slice(0, 20));
    report.push({ q, bytes: bytes() - b, requests: count() - n, ms: Math.round(performance.now() - t),
      matches: found.ids.length, top: events.slice(0, 5).map((e) => e.s) });
  }
  finish();
})().catch((e) => { out.textContent = "error " + e; });
</script>"""

PAGEFIND = """<!doctype html><html lang="LANG"><meta charset="utf-8"><pre id="out">running</pre>
<script type="module">
COMMON
(async () => {
  let pagefind = null;
  for (const q of queries) {
    const [b, n, t] = [bytes(), count(), performance.now()];
    if (!pagefind) {
      pagefind = await import("./PAGEFIND/pagefind.js");
      await pagefind.options({ baseUrl: "/" });
    }
    const found = await pagefind.search(q);
    const data = await Promise.all(found.results.slice(0, 20).map((r) => r.data()));
    report.push({ q, bytes: bytes() - b, requests: count() - n, ms: Math.round(performance.now() - t),
      matches: found.results.length, top: data.slice(0, 5).map((d) => d.url.split("#").pop()),
      excerpt: data.length ? data[0].excerpt.slice(0, 160) : "" });
  }
  finish();
})().catch((e) => { out.textContent = "error " + e; });
</script>"""


def run(site, folder, page, queries, port):
    url = f"http://127.0.0.1:{port}/{folder}{page}?" + urllib.parse.urlencode([("q", q) for q in queries])
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(
            ["chromium", *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=60000", "--dump-dom", url],
            capture_output=True, text=True, timeout=300,
        ).stdout
    start = dom.index('<pre id="out">') + len('<pre id="out">')
    text = dom[start:dom.index("</pre>", start)]
    text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    return json.loads(text) if text.startswith("{") else text


def main():
    site, rest = sys.argv[1], sys.argv[2:]
    folder = ""
    if rest and rest[0].endswith("/"):
        folder, rest = rest[0], rest[1:]
    queries = rest
    port = 8790 + os.getpid() % 100
    log = tempfile.mktemp()
    server = subprocess.Popen([sys.executable, os.path.join(HERE, "serve.py"), site, str(port), log])
    time.sleep(0.5)
    try:
        script = next(
            f"assets/annals/{name}" for name in os.listdir(os.path.join(site, folder, "assets/annals")) if name.startswith("search.")
        )
        pages = {"annals": ANNALS.replace("SCRIPT", script), "pagefind": PAGEFIND.replace("PAGEFIND", "../" * folder.count("/") + "pagefind")}
        for name, page in pages.items():
            path = os.path.join(site, folder, f"measure-{name}.html")
            with open(path, "w") as file:
                file.write(page.replace("COMMON", COMMON).replace("LANG", folder.strip("/") or "en"))
            if name == "pagefind" and not os.path.isdir(os.path.join(site, "pagefind")):
                continue
            print(f"== {name}")
            result = run(site, folder, f"measure-{name}.html", queries, port)
            print(json.dumps(result, ensure_ascii=False, indent=1))
            os.remove(path)
    finally:
        server.terminate()
        server.wait()
        os.remove(log) if os.path.exists(log) else None


main()
