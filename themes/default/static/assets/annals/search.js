/* annals default theme, full-text search over the site's index (search/,
   made by annals; docs/search.md describes it). Loaded by filters.js only
   when the reader first searches or filters, and nothing of the index is
   fetched before: then its small manifest, the chunks holding the query's
   terms, the filters' lists and one small file per result shown.

   Terms are cut as annals cuts them (src/render/search/words.rs): folded
   (NFKD, no accents, lower case); words are runs of letters and digits;
   Chinese and Japanese runs give their characters and bigrams. A query
   finds events holding every one of its terms, each exactly, as a prefix
   (from 3 letters) or with a small typo (from 5 letters), ranked by BM25.
   Adds `annals.search` to window.annals. */
(() => {
  "use strict";

  const annals = (window.annals = window.annals || {});

  const CJK = "\\u3040-\\u30ff\\u31f0-\\u31ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}";
  // A word (letters and digits, not CJK) or a CJK run, as the index cuts them.
  const RUNS = new RegExp(`((?:(?![${CJK}])[\\p{Alphabetic}\\p{N}])+)|((?:(?=[${CJK}])[\\p{Alphabetic}\\p{N}])+)`, "gu");
  // A word of the original text, its accents kept, for excerpts.
  const TEXT_WORDS = new RegExp(`(?:(?![${CJK}])[\\p{Alphabetic}\\p{N}\\p{M}])+`, "gu");
  const STARTS_CJK = new RegExp(`^[${CJK}]`, "u");
  const LAST = "\u{10ffff}";

  const fold = (text) => (text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

  // The terms a query asks for: its words, and the bigrams of a CJK run
  // (its one character when it has one). Each once.
  const queryTerms = (query) => {
    const terms = [];
    const add = (term) => terms.includes(term) || terms.push(term);
    for (const [, word, cjk] of fold(query).matchAll(RUNS)) {
      if (word) add(word);
      else {
        const chars = Array.from(cjk);
        if (chars.length === 1) add(chars[0]);
        for (let i = 1; i < chars.length; i++) add(chars[i - 1] + chars[i]);
      }
    }
    return terms;
  };

  // Strings in code point order, as annals sorts terms (JavaScript's own
  // order puts characters beyond U+FFFF before U+E000–U+FFFF).
  const unit = (code) => (code >= 0xe000 ? code - 0x800 : code >= 0xd800 ? code + 0x2000 : code);
  const compare = (a, b) => {
    for (let i = 0; i < a.length && i < b.length; i++) {
      const x = unit(a.charCodeAt(i));
      const y = unit(b.charCodeAt(i));
      if (x !== y) return x - y;
    }
    return a.length - b.length;
  };

  // At most `limit` edits (Damerau: a swap of neighbours is one) from a to b?
  const near = (a, b, limit) => {
    if (Math.abs(a.length - b.length) > limit) return false;
    let before = null;
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      let best = i;
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let value = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
        if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2] + 1);
        row.push(value);
        best = Math.min(best, value);
      }
      if (best > limit) return false;
      before = previous;
      previous = row;
    }
    return previous[b.length] <= limit;
  };

  // Postings as stored, [id delta, weight, …], as a Map id → weight.
  const postings = (list) => {
    const found = new Map();
    let id = 0;
    for (let i = 0; i < list.length; i += 2) {
      id += list[i];
      found.set(id, list[i + 1]);
    }
    return found;
  };
  const ids = (list) => {
    let id = 0;
    return list.map((delta) => (id += delta));
  };

  // The search of the index under `base` (…/search/).
  annals.search = (base) => {
    const files = new Map(); // path → promise of its JSON
    const load = (path) => {
      if (!files.has(path)) {
        files.set(
          path,
          fetch(base + path).then((response) => (response.ok ? response.json() : Promise.reject(new Error(response.status))))
        );
        // A failed fetch may be tried again later.
        files.get(path).catch(() => files.delete(path));
      }
      return files.get(path);
    };
    const manifest = () =>
      load("index.json").then((index) => {
        if (index.version !== 1) throw new Error("unknown search index version " + index.version);
        return index;
      });

    // The chunks that may hold terms from `from` to `to`, both included.
    const chunksFor = (index, from, to) => {
      const { chunks } = index;
      let low = 0;
      let high = chunks.length - 1;
      let first = -1;
      while (low <= high) {
        const middle = (low + high) >> 1;
        if (compare(chunks[middle][0], from) <= 0) {
          first = middle;
          low = middle + 1;
        } else high = middle - 1;
      }
      const paths = [];
      for (let i = Math.max(first, 0); i < chunks.length && compare(chunks[i][0], to) <= 0; i++) {
        if (i >= first) paths.push(chunks[i][1]);
      }
      return paths;
    };

    // What each query term matches: index term → how much it counts (1
    // exact, less for a prefix or a typo), and the chunks to read it from.
    const plan = (index, term) => {
      const cjk = STARTS_CJK.test(term);
      const length = Array.from(term).length;
      const prefix = !cjk && length >= 3;
      const typos = cjk || length < 5 ? 0 : length < 9 ? 1 : 2;
      let paths = chunksFor(index, term, prefix ? term + LAST : term);
      if (typos) {
        const stem = Array.from(term).slice(0, 3).join("");
        paths = paths.concat(chunksFor(index, stem, stem + LAST));
      }
      const weigh = (key) => {
        if (key === term) return 1;
        if (prefix && key.startsWith(term)) return 0.5 + (0.4 * length) / Array.from(key).length;
        if (typos && near(term, key, typos)) return 0.4;
        return 0;
      };
      return { paths: Array.from(new Set(paths)), weigh };
    };

    // The events of the filters chosen in `state` (null when none is).
    const filtered = (index, state) => {
      const groups = [];
      for (const facet of ["track", "era", "tag"]) {
        if (state[facet].length) groups.push(state[facet].map((value) => facet + "-" + value));
      }
      if (state.highlights) groups.push(["highlights"]);
      if (!groups.length) return Promise.resolve(null);
      const known = new Set(index.facets);
      const list = (name) => (known.has(name) ? load("f/" + encodeURIComponent(name) + ".json").then(ids) : Promise.resolve([]));
      return Promise.all(groups.map((names) => Promise.all(names.map(list)).then((lists) => new Set(lists.flat())))).then(
        (sets) => {
          const [first, ...rest] = sets;
          return new Set(Array.from(first).filter((id) => rest.every((set) => set.has(id))));
        }
      );
    };

    return {
      fold,
      queryTerms,

      // The events matching `state` (its query and filters), best first:
      // { ids, total, marks } where `marks` are the index terms the query
      // matched, for highlighting. With no query, the filtered events in
      // timeline order.
      find: (state) =>
        manifest().then((index) => {
          const terms = queryTerms(state.q);
          const plans = terms.map((term) => plan(index, term));
          const paths = Array.from(new Set(plans.flatMap((each) => each.paths)));
          return Promise.all([Promise.all(paths.map(load)), filtered(index, state)]).then(([chunks, allowed]) => {
            const marks = new Set();
            if (!terms.length) {
              const all = allowed ? Array.from(allowed).sort((a, b) => a - b) : Array.from({ length: index.docs }, (_, id) => id);
              return { ids: all, total: index.docs, marks };
            }
            let scores = null;
            for (const { weigh } of plans) {
              const best = new Map(); // id → this term's score
              for (const chunk of chunks) {
                for (const key in chunk) {
                  const factor = weigh(key);
                  if (!factor) continue;
                  marks.add(key);
                  const list = postings(chunk[key]);
                  const idf = Math.log(1 + (index.docs - list.size + 0.5) / (list.size + 0.5));
                  for (const [id, weight] of list) {
                    if (allowed && !allowed.has(id)) continue;
                    if (scores && !scores.has(id)) continue;
                    const score = factor * idf * weight;
                    if (!(best.get(id) >= score)) best.set(id, score);
                  }
                }
              }
              if (scores) for (const [id, score] of best) best.set(id, score + scores.get(id));
              scores = best;
            }
            const ranked = Array.from(scores.keys()).sort((a, b) => scores.get(b) - scores.get(a) || a - b);
            return { ids: ranked, total: index.docs, marks };
          });
        }),

      // The result files of `ids`: { d: date, s: slug, t: title, u: address, x: text }.
      results: (list) => Promise.all(list.map((id) => load("d/" + id + ".json"))),

      // `text` as nodes, the words `marks` holds (folded) in <mark>, cut to
      // about `size` characters around the best place when `size` is given.
      highlight: (text, marks, query, size) => {
        const ranges = [];
        for (const match of text.matchAll(TEXT_WORDS)) {
          if (marks.has(fold(match[0]))) ranges.push([match.index, match.index + match[0].length]);
        }
        // CJK: the query's runs where they occur whole, else their bigrams.
        for (const [, , cjk] of fold(query).matchAll(RUNS)) {
          if (!cjk) continue;
          const chars = Array.from(cjk);
          const pieces = text.includes(cjk) ? [cjk] : chars.length === 1 ? chars : chars.slice(1).map((c, i) => chars[i] + c);
          for (const piece of pieces) {
            for (let at = text.indexOf(piece); at >= 0; at = text.indexOf(piece, at + piece.length)) {
              ranges.push([at, at + piece.length]);
            }
          }
        }
        ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
        const merged = [];
        for (const range of ranges) {
          const last = merged[merged.length - 1];
          if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
          else merged.push(range.slice());
        }
        let start = 0;
        let end = text.length;
        if (size && text.length > size) {
          // The window of `size` characters holding the most marks.
          let bestAt = 0;
          let bestCount = -1;
          for (let i = 0; i < merged.length; i++) {
            let count = 0;
            while (i + count < merged.length && merged[i + count][1] - merged[i][0] <= size) count++;
            if (count > bestCount) {
              bestCount = count;
              bestAt = i;
            }
          }
          const first = merged.length ? merged[bestAt][0] : 0;
          start = Math.max(0, Math.min(first - Math.floor(size / 4), text.length - size));
          end = Math.min(text.length, start + size);
          // Whole words at both ends.
          if (start > 0) {
            const space = text.indexOf(" ", start);
            if (space >= 0 && space < first) start = space + 1;
          }
          if (end < text.length) {
            const space = text.lastIndexOf(" ", end);
            if (space > start + size / 2) end = space;
          }
        }
        const nodes = [];
        if (start > 0) nodes.push("… ");
        let at = start;
        for (const [from, to] of merged) {
          if (to <= start || from >= end) continue;
          if (from > at) nodes.push(text.slice(at, from));
          const mark = document.createElement("mark");
          mark.textContent = text.slice(Math.max(from, at), Math.min(to, end));
          nodes.push(mark);
          at = Math.min(to, end);
        }
        if (at < end) nodes.push(text.slice(at, end));
        if (end < text.length) nodes.push(" …");
        return nodes;
      },
    };
  };
})();
