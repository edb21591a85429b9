/* annals default theme: enhancements for pages that already work without it.
   Filters, search and "key moments only" kept in the URL; a live count;
   j / k between events; #slug highlighted; the overview's tooltip, reading
   position and arrow keys; click-to-load videos; the embed's height.
   No dependencies; the only request is this site's events.json, on search. */
(() => {
  "use strict";

  const doc = document;
  const html = doc.documentElement;
  html.classList.add("js");
  const embedded = html.classList.contains("is-embed");
  const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");

  const $ = (selector, scope) => (scope || doc).querySelector(selector);
  const $all = (selector, scope) => Array.from((scope || doc).querySelectorAll(selector));
  const words = (text) => (text || "").split(/\s+/).filter(Boolean);
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));
  const fold = (text) => (text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const behaviour = () => (reducedMotion.matches ? "auto" : "smooth");
  const isTyping = (target) => /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable;

  /* ---- The overview stays in view on large screens when it fits; other
     sticky things and scrolled-to events sit below it. Measured when the
     browser has laid the page out anyway (ResizeObserver), not at once. ---- */
  const overviewSection = $(".overview-section");
  let stickyHeight = 0;
  let onStickyChange = () => {};
  const stickyTop = () => stickyHeight;
  const measureSticky = () => {
    const was = html.classList.contains("has-sticky-overview");
    const height = overviewSection.offsetHeight;
    const fits = !embedded && innerWidth >= 960 && height <= innerHeight * (was ? 0.33 : 0.3);
    html.classList.toggle("has-sticky-overview", fits);
    html.style.setProperty("--sticky-top", fits ? height + "px" : "0px");
    if (stickyHeight !== (fits ? height : 0)) {
      stickyHeight = fits ? height : 0;
      onStickyChange();
    }
  };
  if (overviewSection) {
    addEventListener("resize", measureSticky);
    if (window.ResizeObserver) new ResizeObserver(measureSticky).observe(overviewSection);
    else measureSticky();
  }

  /* ---- Event lists: j / k, and the arrow keys inside the list ---- */
  const entries = $all(".event-entry");
  const bySlug = {};
  entries.forEach((entry) => (bySlug[entry.id] = entry));
  const visibleEntries = () => entries.filter((entry) => !entry.hidden);

  const step = (direction) => {
    const shown = visibleEntries();
    const focused = doc.activeElement && doc.activeElement.closest(".event-entry");
    let index;
    if (focused && !focused.hidden) {
      index = shown.indexOf(focused) + direction;
    } else {
      // Nothing focused yet: j goes to the first event in view, k to the one before it.
      const near = shown.findIndex((entry) => entry.getBoundingClientRect().bottom > stickyTop() + 8);
      index = near < 0 ? shown.length - 1 : near + (direction > 0 ? 0 : -1);
    }
    const entry = shown[index];
    if (!entry) return false;
    ($(".event-title a", entry) || entry).focus({ preventScroll: true });
    entry.scrollIntoView({ block: "start", behavior: behaviour() });
    return true;
  };

  if (entries.length) {
    doc.addEventListener("keydown", (event) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      const inList = event.target.closest && event.target.closest(".timeline, .event-list");
      let direction = 0;
      if (event.key === "j" || (inList && event.key === "ArrowDown")) direction = 1;
      if (event.key === "k" || (inList && event.key === "ArrowUp")) direction = -1;
      if (direction && step(direction)) event.preventDefault();
    });
  }

  // Controls that only work with this script.
  $all("[data-js-only]").forEach((element) => {
    element.hidden = !entries.length && element.hasAttribute("data-needs-events");
  });

  /* ---- Overview: tooltip, arrow keys, reading position, dimmed marks ---- */
  const setUpOverview = (svg) => {
    const frame = svg.closest(".overview-frame") || svg.parentNode;
    const scroller = svg.closest(".overview-scroll");
    const marks = $all(".overview-mark", svg);
    const tip = doc.createElement("div");
    tip.className = "overview-tip";
    tip.setAttribute("aria-hidden", "true");
    tip.hidden = true;
    frame.appendChild(tip);
    let hideTimer = 0;

    const show = (mark) => {
      clearTimeout(hideTimer);
      const label = mark.getAttribute("aria-label");
      if (!label) return;
      tip.textContent = label;
      tip.hidden = false;
      const box = mark.getBoundingClientRect();
      const outer = frame.getBoundingClientRect();
      const half = tip.offsetWidth / 2;
      const x = box.left + box.width / 2 - outer.left;
      tip.style.left = Math.max(half, Math.min(outer.width - half, x)) + "px";
      tip.style.top = box.top - outer.top + "px";
    };
    const hide = (soon) => {
      clearTimeout(hideTimer);
      if (soon) hideTimer = setTimeout(() => (tip.hidden = true), 150);
      else tip.hidden = true;
    };
    marks.forEach((mark) => {
      mark.addEventListener("mouseenter", () => show(mark));
      mark.addEventListener("mouseleave", () => hide(true));
      mark.addEventListener("focus", () => show(mark));
      mark.addEventListener("blur", () => hide(false));
      // In an embed, <base target="_top"> would send in-page links to the parent.
      if (embedded) mark.setAttribute("target", "_self");
    });
    doc.addEventListener("keydown", (event) => event.key === "Escape" && hide(false));
    if (scroller) scroller.addEventListener("scroll", () => hide(false), { passive: true });

    // One tab stop for the whole overview; the arrow keys move between marks
    // (in time order), skipping the ones the filters dimmed.
    const rove = (to) => marks.forEach((mark) => mark.setAttribute("tabindex", mark === to ? "0" : "-1"));
    if (marks.length) rove(marks[0]);
    if ($("#overview-keys")) svg.setAttribute("aria-describedby", "overview-keys");
    const moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: -Infinity, End: Infinity };
    svg.addEventListener("keydown", (event) => {
      const from = event.target.closest(".overview-mark");
      const move = moves[event.key];
      if (!from || move === undefined || event.altKey || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      const lit = marks.filter((mark) => mark === from || !mark.classList.contains("is-dimmed"));
      const at = isFinite(move) ? lit.indexOf(from) + move : move > 0 ? lit.length - 1 : 0;
      const to = lit[Math.max(0, Math.min(lit.length - 1, at))];
      rove(to);
      to.focus();
    });

    // Each event's mark: by data-slug or, when the generator draws one bar per
    // lane and year (very many events), the bar of the event's lane and year.
    const markBySlug = {};
    const markByLaneYear = {};
    const laneYear = (entry) => (entry.getAttribute("data-track") || "") + " " + entry.getAttribute("data-year");
    marks.forEach((mark) => {
      const slug = mark.getAttribute("data-slug");
      if (slug) return (markBySlug[slug] = mark);
      const target = bySlug[decodeURIComponent((mark.getAttribute("href") || "").split("#")[1] || "")];
      if (target) markByLaneYear[laneYear(target)] = mark;
    });
    const markOf = (entry) => markBySlug[entry.id] || markByLaneYear[laneYear(entry)] || null;

    // The reading position: a line at the first event in view.
    const cursor = doc.createElementNS("http://www.w3.org/2000/svg", "line");
    const view = svg.viewBox.baseVal;
    cursor.setAttribute("class", "overview-cursor");
    cursor.setAttribute("y1", view.y);
    cursor.setAttribute("y2", view.y + view.height);
    cursor.style.display = "none";
    svg.insertBefore(cursor, $(".overview-marks", svg) || null);
    const inView = new Set();
    let current = null;

    const place = () => {
      const first = entries.find((entry) => inView.has(entry) && !entry.hidden);
      const mark = (first && markOf(first)) || null;
      if (mark === current) return;
      if (current) current.classList.remove("is-current");
      current = mark;
      cursor.style.display = current ? "" : "none";
      if (!current) return;
      current.classList.add("is-current");
      if (!svg.contains(doc.activeElement)) rove(current);
      const shape = current.firstElementChild || current;
      const box = shape.getBBox();
      const bar = shape.tagName === "rect" && !current.classList.contains("overview-bucket");
      const x = bar ? box.x : box.x + box.width / 2;
      cursor.setAttribute("x1", x);
      cursor.setAttribute("x2", x);
      // On a phone the overview scrolls sideways: keep the position in sight.
      if (scroller && scroller.scrollWidth > scroller.clientWidth) {
        const markBox = current.getBoundingClientRect();
        const frameBox = scroller.getBoundingClientRect();
        if (markBox.left < frameBox.left + 20 || markBox.right > frameBox.right - 20) {
          scroller.scrollBy({ left: markBox.left - frameBox.left - frameBox.width / 2, behavior: behaviour() });
        }
      }
    };

    if (window.IntersectionObserver && entries.length) {
      let observer = null;
      let watchedTop = null;
      const watch = () => {
        const top = Math.round(stickyTop());
        if (top === watchedTop) return;
        watchedTop = top;
        if (observer) observer.disconnect();
        observer = new IntersectionObserver(
          (changes) => {
            changes.forEach((change) => (change.isIntersecting ? inView.add(change.target) : inView.delete(change.target)));
            place();
          },
          { rootMargin: -top + "px 0px -55% 0px" }
        );
        entries.forEach((entry) => observer.observe(entry));
      };
      watch();
      onStickyChange = watch;
    }

    // Filtered: marks without a shown event fade.
    const refresh = (filtering) => {
      const lit = new Set(visibleEntries().map(markOf));
      marks.forEach((mark) => mark.classList.toggle("is-dimmed", filtering && !lit.has(mark)));
      place();
    };
    return { refresh };
  };
  const svg = $("svg.overview");
  const overview = svg ? setUpOverview(svg) : null;

  /* ---- Filters, search and the URL ---- */
  const setUpFilters = (panel) => {
    const facets = ["track", "era", "tag"];
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
    const emptyState = () => ({ track: [], era: [], tag: [], q: "", highlights: false });
    let state = emptyState();
    let allEvents = null; // every event of the site, from events.json
    const texts = {}; // slug → searchable text, folded
    entries.forEach((entry) => {
      const parts = [".event-title", ".event-summary", ".tag-list"].map((selector) => ($(selector, entry) || {}).textContent);
      texts[entry.id] = fold(parts.join(" "));
    });

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
        const list = state[button.dataset.filter];
        const at = list.indexOf(button.dataset.value);
        if (at < 0) list.push(button.dataset.value);
        else list.splice(at, 1);
        update(true);
      });
      return button;
    });

    const readState = () => {
      const params = new URLSearchParams(location.search);
      const read = emptyState();
      for (const name of facets) {
        for (const value of params.getAll(name).flatMap((value) => words(value.replace(/,/g, " ")))) {
          if (!read[name].includes(value)) read[name].push(value);
        }
      }
      read.q = (params.get("q") || "").trim();
      read.highlights = params.get("highlights") === "1";
      return read;
    };
    const picked = () => state.track.length + state.era.length + state.tag.length;
    const active = () => picked() > 0 || state.q !== "" || state.highlights;

    const writeState = (push) => {
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
    };

    const matches = (event) =>
      (!state.track.length || state.track.includes(event.track)) &&
      (!state.era.length || event.eras.some((era) => state.era.includes(era))) &&
      (!state.tag.length || event.tags.some((tag) => state.tag.includes(tag))) &&
      (!state.highlights || event.importance >= 4) &&
      words(fold(state.q)).every((term) => event.text.includes(term));

    const describe = (entry) => ({
      track: entry.getAttribute("data-track") || "",
      eras: words(entry.getAttribute("data-eras")),
      tags: words(entry.getAttribute("data-tags")),
      importance: Number(entry.getAttribute("data-importance")),
      text: texts[entry.id],
    });

    // Events that match but are not on this page (a split timeline): links to them.
    const showOtherMatches = (filtering) => {
      if (!results) return 0;
      const found = filtering && allEvents ? allEvents.filter((event) => !bySlug[event.slug] && matches(event)) : [];
      results.hidden = !found.length;
      results.textContent = "";
      if (!found.length) return 0;
      const heading = doc.createElement("h2");
      heading.textContent = panel.getAttribute("data-results-heading");
      const list = doc.createElement("ul");
      for (const event of found.slice(0, 50)) {
        const item = doc.createElement("li");
        const link = doc.createElement("a");
        link.href = root + (event.timeline_url || event.url);
        link.textContent = event.title;
        const date = doc.createElement("span");
        date.className = "related-date";
        date.textContent = event.date_label;
        item.append(link, " ", date);
        list.append(item);
      }
      results.append(heading, list);
      if (found.length > 50) {
        const more = doc.createElement("p");
        more.textContent = fill(panel.getAttribute("data-results-more"), { n: found.length - 50 });
        results.append(more);
      }
      return found.length;
    };

    const apply = () => {
      let shown = 0;
      for (const entry of entries) {
        entry.hidden = !matches(describe(entry));
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
        total = allEvents ? allEvents.length : partTotal;
        shown = filtering && allEvents ? elsewhere : total;
      }
      const text = filtering
        ? fill(panel.getAttribute("data-status-some"), { shown, total })
        : fill(panel.getAttribute("data-status-all"), { total });
      if (status && status.textContent !== text) status.textContent = text;
      if (overview) overview.refresh(filtering);
    };

    // events.json has every event of the site: richer search text, and the
    // events of other parts. Opened from disk, fetch fails: the page's own
    // text is enough.
    let loading = false;
    const loadEvents = () => {
      if (loading) return;
      loading = true;
      fetch(root + "events.json")
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
        .then((data) => {
          allEvents = (data.events || []).map((event) => {
            const tags = event.tags || [];
            const text = fold([event.title, event.summary_text].concat(tags.map((tag) => tag.name)).join(" "));
            if (bySlug[event.slug]) texts[event.slug] = text + " " + texts[event.slug];
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
          apply();
        })
        .catch(() => {});
    };

    const update = (push) => {
      writeState(push);
      apply();
      if (!entries.length && active()) loadEvents();
    };
    // The state from the address, on load and on back / forward.
    const restore = () => {
      state = readState();
      if (search) search.value = state.q;
      apply();
    };
    const clear = (quietly) => {
      state = emptyState();
      if (search) search.value = "";
      if (quietly) {
        writeState(false);
        apply();
      } else update(true);
    };

    let typing = 0;
    if (search) {
      // events.json is fetched only when it can help: a search, or a page
      // without the events (the index of a split timeline).
      search.addEventListener("focus", loadEvents);
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
    if (state.q || (!entries.length && active())) loadEvents();
    return { clear };
  };
  const explore = $("[data-explore]");
  const filters = explore ? setUpFilters(explore) : null;

  /* ---- #slug: highlight the event (CSS :target does the rest without JS) ---- */
  const highlightTarget = (scroll) => {
    let id = "";
    try {
      id = decodeURIComponent(location.hash.slice(1));
    } catch (error) {
      return;
    }
    $all(".event-entry.is-targeted").forEach((entry) => entry.classList.remove("is-targeted", "is-flash"));
    const entry = bySlug[id];
    if (!entry) return;
    if (entry.hidden && filters) filters.clear(true);
    entry.classList.add("is-targeted");
    if (!reducedMotion.matches) {
      void entry.offsetWidth; // restart the animation
      entry.classList.add("is-flash");
    }
    if (scroll) entry.scrollIntoView({ block: "start" });
  };
  highlightTarget(location.hash !== "");
  addEventListener("hashchange", () => highlightTarget(false));

  /* ---- Players (videos, sound, maps): nothing loads from their site until the reader asks ---- */
  $all("a.video-play[data-embed]").forEach((link) => {
    link.addEventListener("click", (event) => {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button) return;
      event.preventDefault();
      const frame = doc.createElement("iframe");
      // The address already asks to play at once (and where to start).
      frame.src = link.getAttribute("data-embed");
      frame.title = link.getAttribute("data-title") || link.textContent;
      frame.allow = "autoplay; encrypted-media; fullscreen; picture-in-picture";
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      const box = doc.createElement("div");
      box.className = "video-frame player-frame player-" + (link.getAttribute("data-kind") || "video");
      box.append(frame);
      (link.closest(".video-facade") || link).replaceWith(box);
      frame.focus();
    });
  });

  /* ---- Embedded: in-page links stay in the frame; the parent learns our height ---- */
  if (embedded) {
    $all('a[href^="#"]').forEach((link) => link.setAttribute("target", "_self"));
    if (parent !== window) {
      let lastHeight = 0;
      const postHeight = () => {
        // The body, not the viewport: the frame must shrink when filters hide events.
        const height = Math.ceil(doc.body.getBoundingClientRect().height);
        if (height === lastHeight) return;
        lastHeight = height;
        parent.postMessage({ type: "annals:height", height }, "*");
      };
      addEventListener("load", postHeight);
      addEventListener("resize", postHeight);
      if (window.ResizeObserver) new ResizeObserver(postHeight).observe(doc.body);
      else postHeight();
    }
  }
})();
