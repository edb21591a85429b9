/* annals default theme, filters and search: their state kept in the query
   string, what an event is compared with (the page's entries, then the
   site's search index, through assets/annals/search.js), and the filter
   panel that drives it all. Adds `address`, `searchIndex` and `filters` to
   window.annals; assets/annals.js sets them up. */
(() => {
  "use strict";

  const annals = (window.annals = window.annals || {});

  /* ---- The state in the query string:
     ?track=research&era=nyu&tag=meta&q=lenet&highlights=1, a parameter
     repeated for several values, so a filtered view can be shared or
     bookmarked, and back and forward restore it. ---- */
  const facets = ["track", "era", "tag"];
  const empty = () => ({ track: [], era: [], tag: [], q: "", highlights: false });

  annals.address = {
    facets,
    empty,

    // The state in the page's address.
    read: () => {
      const params = new URLSearchParams(location.search);
      const read = empty();
      for (const name of facets) {
        for (const value of params.getAll(name).flatMap((value) => annals.words(value.replace(/,/g, " ")))) {
          if (!read[name].includes(value)) read[name].push(value);
        }
      }
      read.q = (params.get("q") || "").trim();
      read.highlights = params.get("highlights") === "1";
      return read;
    },

    // Puts `state` in the address: a new history entry when `push`, else in
    // place of the current one. Other parameters and the #fragment stay.
    write: (state, push) => {
      const params = new URLSearchParams(location.search);
      for (const name of facets.concat(["q", "highlights"])) params.delete(name);
      for (const name of facets) state[name].forEach((value) => params.append(name, value));
      if (state.q) params.set("q", state.q);
      if (state.highlights) params.set("highlights", "1");
      const query = params.toString();
      const url = location.pathname + (query ? "?" + query : "") + location.hash;
      if (url === location.pathname + location.search + location.hash) return;
      try {
        history[push ? "pushState" : "replaceState"](null, "", url);
      } catch (error) {
        // Some browsers refuse history changes on file://; the filters still work.
      }
    },
  };

  /* ---- What the filters and the search compare. The filters compare an
     event entry's track, eras, tags and importance (its data attributes).
     A query goes to the site's search index (assets/annals/search.js,
     loaded on the first search, and the index files it needs), which
     searches every event's full text. Opened from disk, where the index
     cannot be fetched, a query looks for its words in the page's titles,
     summaries and tags instead. ---- */
  // `panel` names the script (data-search-script) and the index
  // (data-search-index).
  annals.searchIndex = (list, panel) => {
    const { doc, fold, words } = annals;
    const texts = {}; // slug → the entry's text, folded, for the fallback
    list.entries.forEach((entry) => {
      const parts = [".event-title", ".event-summary", ".tag-list"].map((selector) => (annals.$(selector, entry) || {}).textContent);
      texts[entry.id] = fold(parts.join(" "));
    });
    let engine = null;

    return {
      // An event entry of the page, as the filters compare it.
      describe: (entry) => ({
        track: entry.getAttribute("data-track") || "",
        eras: words(entry.getAttribute("data-eras")),
        tags: words(entry.getAttribute("data-tags")),
        importance: Number(entry.getAttribute("data-importance")),
        text: texts[entry.id],
      }),

      // Whether an entry passes the filters, and (without the index) the query.
      matches: (state, event, withQuery) =>
        (!state.track.length || state.track.includes(event.track)) &&
        (!state.era.length || event.eras.some((era) => state.era.includes(era))) &&
        (!state.tag.length || event.tags.some((tag) => state.tag.includes(tag))) &&
        (!state.highlights || event.importance >= 4) &&
        (!withQuery || words(fold(state.q)).every((term) => event.text.includes(term))),

      // The search of the site's index, loaded once; rejects where it
      // cannot be had (a page opened from disk).
      engine: () => {
        if (!engine) {
          const script = panel.getAttribute("data-search-script");
          const base = panel.getAttribute("data-search-index");
          engine = new Promise((resolve, reject) => {
            if (!script || !base) return reject(new Error("no search index"));
            if (annals.search) return resolve(annals.search(base));
            const element = doc.createElement("script");
            element.src = script;
            element.onload = () => (annals.search ? resolve(annals.search(base)) : reject(new Error("no search")));
            element.onerror = reject;
            doc.head.append(element);
          }).then((search) => search.find(annals.address.empty()).then(() => search));
        }
        return engine;
      },
    };
  };

  /* ---- The filter panel. The track, era and tag links become toggle
     buttons that filter the list in place, with "Key moments only", the
     search field, a live count, the "Filters" button of small screens and
     the buttons that clear it all. A query shows the matching events of
     the whole site, best first, each with an excerpt, in place of the
     list; filters without a query list the matching events that are not
     on this page (a split timeline). ---- */
  // Returns `clear(quietly)`, which deep links use to show a hidden event.
  annals.filters = (panel, list, overview) => {
    const { doc, $, $all, fill, address } = annals;
    const { entries } = list;
    const search = $("#timeline-search", panel);
    const highlights = $("#timeline-highlights", panel);
    const status = $("[data-status]", panel);
    const toggle = $("[data-facets-toggle]", panel);
    const toggleCount = $("[data-facets-count]", panel);
    const clearButtons = $all("[data-clear]");
    const noMatches = $("[data-no-matches]");
    const results = $("[data-results]");
    const section = results && results.closest("section");
    const groups = $all(".timeline > .group");
    const gaps = $all(".timeline .gap");
    const root = panel.getAttribute("data-root") || "";
    // The index of a split timeline lists parts, not events: count those.
    const split = panel.hasAttribute("data-split");
    const partTotal = $all("[data-part-count]").reduce((sum, part) => sum + Number(part.getAttribute("data-part-count")), 0);
    const index = annals.searchIndex(list, panel);
    const PAGE = 20;
    let state = address.empty();
    let offline = false; // the index cannot be had: the page's text is searched
    let asked = 0; // the latest search asked for; older answers are dropped
    let found = null; // { ids, total, marks, query } of the latest answer
    let listed = 0; // how many of `found` the results list shows

    // The links become toggle buttons; without the script they lead to the track, era and tag pages.
    const chips = $all("a.chip[data-filter]", panel).map((link) => {
      const button = doc.createElement("button");
      button.type = "button";
      button.innerHTML = link.innerHTML;
      for (const name of ["class", "style", "title", "data-filter", "data-value"]) {
        if (link.hasAttribute(name)) button.setAttribute(name, link.getAttribute(name));
      }
      button.setAttribute("aria-pressed", "false");
      link.replaceWith(button);
      button.addEventListener("click", () => {
        const chosen = state[button.dataset.filter];
        const at = chosen.indexOf(button.dataset.value);
        if (at < 0) chosen.push(button.dataset.value);
        else chosen.splice(at, 1);
        update(true);
      });
      return button;
    });

    const picked = () => state.track.length + state.era.length + state.tag.length;
    const active = () => picked() > 0 || state.q !== "" || state.highlights;
    const searching = () => state.q !== "" && !offline;

    // One result: its title (a link to its page), date, and with a query an
    // excerpt of its text, the matched words marked.
    const resultItem = (event, search) => {
      const item = doc.createElement("li");
      item.className = "search-result";
      item.setAttribute("data-slug", event.s);
      const link = doc.createElement("a");
      link.href = root + event.u;
      const date = doc.createElement("span");
      date.className = "related-date";
      date.textContent = event.d;
      if (!search) {
        link.textContent = event.t;
        item.append(link, " ", date);
        return item;
      }
      const title = doc.createElement("p");
      title.className = "search-result-title";
      link.append(...search.highlight(event.t, found.marks, found.query));
      title.append(link, " ", date);
      const excerpt = doc.createElement("p");
      excerpt.className = "search-excerpt";
      excerpt.append(...search.highlight(event.x, found.marks, found.query, 220));
      item.append(title, excerpt);
      return item;
    };

    // Shows `events` in the results list, after what it shows when `more`;
    // `left` more can be asked for.
    const showResults = (events, search, more, left) => {
      let items = $("ol", results);
      if (!more) {
        results.textContent = "";
        const heading = doc.createElement("h2");
        heading.textContent = panel.getAttribute("data-results-heading");
        items = doc.createElement("ol");
        items.className = "search-results";
        results.append(heading, items);
      }
      events.forEach((event) => items.append(resultItem(event, search)));
      listed += events.length;
      const oldMore = $(".search-more", results);
      if (oldMore) oldMore.remove();
      if (left > 0 && !search) {
        const more = doc.createElement("p");
        more.className = "search-more";
        more.textContent = fill(panel.getAttribute("data-results-more"), { n: annals.number(left) });
        results.append(more);
      } else if (left > 0) {
        const button = doc.createElement("button");
        button.type = "button";
        button.className = "search-more link-button";
        button.textContent = fill(panel.getAttribute("data-results-more"), { n: annals.number(left) });
        button.addEventListener("click", () => showMore(search));
        results.append(button);
      }
      results.hidden = false;
    };

    // The next results of the current query.
    const showMore = (search) => {
      const question = asked;
      const next = found.ids.slice(listed, listed + PAGE);
      search.results(next).then((events) => {
        if (question !== asked) return;
        const first = listed;
        showResults(events, search, true, found.ids.length - listed - events.length);
        const link = $all(".search-result a", results)[first];
        if (link) link.focus();
        lightMarks();
      });
    };

    // The overview lights the events the results list shows.
    const lightMarks = () => {
      const shown = new Set($all(".search-result", results).map((item) => item.getAttribute("data-slug")));
      for (const entry of entries) entry.hidden = !shown.has(entry.id);
      if (overview) overview.refresh(true);
    };

    const setStatus = (shown, total) => {
      // The phrase agrees with the total: "1 of 1 event shown", "All 21 events shown".
      const numbers = { shown: annals.number(shown), total: annals.number(total) };
      const text = fill(annals.phrase(panel, active() ? "status-some" : "status-all", total), numbers);
      if (status && status.textContent !== text) status.textContent = text;
    };

    // Of the filters' matches (ids in timeline order), the events not on
    // this page, read a few at a time until 50 are found; `more` counts
    // the matches left unread.
    const elsewhere = (search, ids) => {
      const onPage = entries.filter((entry) => !entry.hidden).length;
      const found = [];
      const next = (from) => {
        if (found.length >= 50 || from >= ids.length || ids.length - from <= onPage - (from - found.length)) {
          found.more = Math.max(0, ids.length - from - Math.max(0, onPage - (from - found.length)));
          return Promise.resolve(found);
        }
        return search.results(ids.slice(from, from + 50)).then((events) => {
          found.push(...events.filter((event) => !list.bySlug[event.s]));
          return next(from + 50);
        });
      };
      return next(0);
    };

    // Asks the index for the query's (or the filters') matches, then shows
    // them. Without a query, only events not on this page are listed.
    const askIndex = () => {
      const question = ++asked;
      const wanted = { ...state };
      results.setAttribute("aria-busy", "true");
      let search;
      index
        .engine()
        .then((engine) => {
          search = engine;
          return search.find(wanted);
        })
        .then((answer) => {
          if (question !== asked) return null;
          found = { ...answer, query: wanted.q };
          listed = 0;
          if (wanted.q) return search.results(answer.ids.slice(0, PAGE)).then((events) => ({ answer, events }));
          return elsewhere(search, answer.ids).then((events) => ({ answer, events }));
        })
        .then((made) => {
          if (!made || question !== asked) return;
          results.removeAttribute("aria-busy");
          const { answer, events } = made;
          if (wanted.q) {
            showResults(events, search, false, answer.ids.length - events.length);
            lightMarks();
            if (noMatches) noMatches.hidden = answer.ids.length > 0;
            setStatus(answer.ids.length, answer.total);
            return;
          }
          if (events.length) showResults(events.slice(0, 50), null, false, Math.max(0, events.length - 50) + events.more);
          else results.hidden = true;
          if (!entries.length) setStatus(answer.ids.length, answer.total);
        })
        .catch(() => {
          if (question !== asked) return;
          results.removeAttribute("aria-busy");
          if (wanted.q && !offline) {
            // No index (a page opened from disk): the page's own text.
            offline = true;
            apply();
          }
        });
    };

    const apply = () => {
      let shown = 0;
      const inIndex = searching();
      if (section) section.classList.toggle("is-searching", inIndex);
      for (const entry of entries) {
        entry.hidden = !index.matches(state, index.describe(entry), !inIndex);
        if (!entry.hidden) shown++;
      }
      for (const group of groups) {
        group.hidden = !$(".event-entry:not([hidden])", group);
        const heading = $(".group-heading", group);
        const jump = heading && $('.group-jump a[href="#' + CSS.escape(heading.id) + '"]');
        if (jump) jump.parentNode.hidden = group.hidden;
      }
      const filtering = active();
      gaps.forEach((gap) => (gap.hidden = filtering));
      for (const chip of chips) {
        const on = state[chip.dataset.filter].includes(chip.dataset.value);
        chip.setAttribute("aria-pressed", String(on));
        const details = on && chip.closest("details");
        if (details) details.open = true;
      }
      if (toggleCount) toggleCount.textContent = picked() ? String(picked()) : "";
      if (highlights) highlights.checked = state.highlights;
      clearButtons.forEach((button) => button.closest("[data-explore]") && (button.hidden = !filtering));
      if (noMatches) noMatches.hidden = inIndex || !(filtering && shown === 0);
      if (overview) overview.refresh(filtering);
      if (results && (inIndex || (filtering && !offline && (split || !entries.length)))) {
        askIndex();
      } else {
        asked++;
        found = null;
        if (results) results.hidden = true;
      }
      if (inIndex) return; // the status waits for the index's answer
      setStatus(shown, entries.length || partTotal);
    };

    const update = (push) => {
      address.write(state, push);
      apply();
    };
    // The state from the address, on load and on back / forward.
    const restore = () => {
      state = address.read();
      if (search) search.value = state.q;
      apply();
    };
    const clear = (quietly) => {
      state = address.empty();
      if (search) search.value = "";
      if (quietly) {
        address.write(state, false);
        apply();
      } else update(true);
    };

    let typing = 0;
    if (search) {
      search.addEventListener("input", () => {
        clearTimeout(typing);
        typing = setTimeout(() => {
          state.q = search.value.trim();
          update(false);
        }, 150);
      });
      search.addEventListener("keydown", (event) => {
        if (event.key === "Enter") {
          clearTimeout(typing);
          state.q = search.value.trim();
          update(false);
        }
        if (event.key !== "Escape" || !search.value) return;
        clearTimeout(typing);
        search.value = state.q = "";
        update(false);
      });
    }
    if (highlights) {
      highlights.addEventListener("change", () => {
        state.highlights = highlights.checked;
        update(true);
      });
    }
    if (toggle) {
      toggle.addEventListener("click", () =>
        toggle.setAttribute("aria-expanded", String(toggle.getAttribute("aria-expanded") !== "true"))
      );
    }
    clearButtons.forEach((button) =>
      button.addEventListener("click", () => {
        clear(false);
        if (search) search.focus();
      })
    );
    addEventListener("popstate", restore);
    restore();
    return { clear };
  };
})();
