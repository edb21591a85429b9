/* annals default theme, filters and search: their state kept in the query
   string, what an event is compared with (the page's text, then the site's
   events.json), and the filter panel that drives it all. Adds `address`,
   `searchIndex` and `filters` to window.annals; assets/annals.js sets them
   up. */
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

  /* ---- What the filters and the search compare. Every word typed must
     appear in an event's title, summary or tags, ignoring case and accents.
     The page's own text is searched at first; the site's events.json,
     fetched once when it can help, adds richer text and the events of the
     other parts of a split timeline. Opened from disk, the fetch fails and
     the page's text is enough. ---- */
  // `root` leads to the site root, where events.json is; `onLoad` runs once
  // it has arrived.
  annals.searchIndex = (list, root, onLoad) => {
    const { $, fold, words } = annals;
    const texts = {}; // slug → searchable text, folded
    list.entries.forEach((entry) => {
      const parts = [".event-title", ".event-summary", ".tag-list"].map((selector) => ($(selector, entry) || {}).textContent);
      texts[entry.id] = fold(parts.join(" "));
    });

    let loading = false;
    const index = {
      // Every event of the site, from events.json; null until it is loaded.
      all: null,

      // An event entry of the page, in the shape of the events of `all`.
      describe: (entry) => ({
        track: entry.getAttribute("data-track") || "",
        eras: words(entry.getAttribute("data-eras")),
        tags: words(entry.getAttribute("data-tags")),
        importance: Number(entry.getAttribute("data-importance")),
        text: texts[entry.id],
      }),

      matches: (state, event) =>
        (!state.track.length || state.track.includes(event.track)) &&
        (!state.era.length || event.eras.some((era) => state.era.includes(era))) &&
        (!state.tag.length || event.tags.some((tag) => state.tag.includes(tag))) &&
        (!state.highlights || event.importance >= 4) &&
        words(fold(state.q)).every((term) => event.text.includes(term)),

      // The matching events that are not on this page (a split timeline).
      elsewhere: (state) =>
        index.all ? index.all.filter((event) => !list.bySlug[event.slug] && index.matches(state, event)) : [],

      load: () => {
        if (loading) return;
        loading = true;
        fetch(root + "events.json")
          .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
          .then((data) => {
            index.all = (data.events || []).map((event) => {
              const tags = event.tags || [];
              const text = fold([event.title, event.summary_text].concat(tags.map((tag) => tag.name)).join(" "));
              if (list.bySlug[event.slug]) texts[event.slug] = text + " " + texts[event.slug];
              return {
                slug: event.slug,
                title: event.title,
                url: event.url,
                timeline_url: event.timeline_url,
                date_label: event.date_label,
                track: event.track ? event.track.id : "",
                eras: (event.eras || []).map((era) => era.slug),
                tags: tags.map((tag) => tag.slug),
                importance: event.importance || 0,
                text,
              };
            });
            onLoad();
          })
          .catch(() => {});
      },
    };
    return index;
  };

  /* ---- The filter panel. The track, era and tag links become toggle
     buttons that filter the list in place, with "Key moments only", the
     search field, a live count, the "Filters" button of small screens and
     the buttons that clear it all. ---- */
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
    const groups = $all(".timeline > .group");
    const gaps = $all(".timeline .gap");
    const root = panel.getAttribute("data-root") || "";
    // The index of a split timeline lists parts, not events: count those.
    const partTotal = $all("[data-part-count]").reduce((sum, part) => sum + Number(part.getAttribute("data-part-count")), 0);
    const index = annals.searchIndex(list, root, () => apply());
    let state = address.empty();

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

    // Events that match but are not on this page (a split timeline): links to them.
    const showOtherMatches = (filtering) => {
      if (!results) return 0;
      const found = filtering ? index.elsewhere(state) : [];
      results.hidden = !found.length;
      results.textContent = "";
      if (!found.length) return 0;
      const heading = doc.createElement("h2");
      heading.textContent = panel.getAttribute("data-results-heading");
      const links = doc.createElement("ul");
      for (const event of found.slice(0, 50)) {
        const item = doc.createElement("li");
        const link = doc.createElement("a");
        link.href = root + (event.timeline_url || event.url);
        link.textContent = event.title;
        const date = doc.createElement("span");
        date.className = "related-date";
        date.textContent = event.date_label;
        item.append(link, " ", date);
        links.append(item);
      }
      results.append(heading, links);
      if (found.length > 50) {
        const more = doc.createElement("p");
        more.textContent = fill(panel.getAttribute("data-results-more"), { n: annals.number(found.length - 50) });
        results.append(more);
      }
      return found.length;
    };

    const apply = () => {
      let shown = 0;
      for (const entry of entries) {
        entry.hidden = !index.matches(state, index.describe(entry));
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
      if (noMatches) noMatches.hidden = !(filtering && shown === 0);
      const elsewhere = showOtherMatches(filtering);
      let total = entries.length;
      if (!entries.length) {
        total = index.all ? index.all.length : partTotal;
        shown = filtering && index.all ? elsewhere : total;
      }
      // The phrase agrees with the total: "1 of 1 event shown", "All 21 events shown".
      const numbers = { shown: annals.number(shown), total: annals.number(total) };
      const text = fill(annals.phrase(panel, filtering ? "status-some" : "status-all", total), numbers);
      if (status && status.textContent !== text) status.textContent = text;
      if (overview) overview.refresh(filtering);
    };

    const update = (push) => {
      address.write(state, push);
      apply();
      if (!entries.length && active()) index.load();
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
      // events.json is fetched only when it can help: a search, or a page
      // without the events (the index of a split timeline).
      search.addEventListener("focus", index.load);
      search.addEventListener("input", () => {
        clearTimeout(typing);
        typing = setTimeout(() => {
          state.q = search.value.trim();
          update(false);
        }, 120);
      });
      search.addEventListener("keydown", (event) => {
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
    if (state.q || (!entries.length && active())) index.load();
    return { clear };
  };
})();
