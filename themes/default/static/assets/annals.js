/* annals default theme: enhancements for pages that already work without it.
   - Timeline: filters by track, era and tag, search, "key moments only",
     all kept in the URL (?track=…&era=…&tag=…&q=…&highlights=1) and restored
     on load and with back/forward; a live count of the events shown.
   - Keyboard: j / k (and the arrow keys inside the list) move between events.
   - #slug: the event is highlighted, also on first load.
   - Overview: a tooltip on marks, the reading position, filtered marks dimmed.
   - Videos load from YouTube or Vimeo only when the reader asks.
   - Embedded (embed/index.html): tells the parent page its height.
   No dependencies, no requests except events.json from this site. */
(function () {
  "use strict";

  var doc = document;
  var html = doc.documentElement;
  html.classList.add("js");
  var reducedMotion = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : { matches: false };

  function $(selector, scope) { return (scope || doc).querySelector(selector); }
  function $all(selector, scope) { return Array.prototype.slice.call((scope || doc).querySelectorAll(selector)); }
  function words(text) { return (text || "").split(/\s+/).filter(Boolean); }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) { return name in values ? values[name] : whole; });
  }
  function fold(text) {
    return (text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function scrollBehaviour() { return reducedMotion.matches ? "auto" : "smooth"; }
  function isTyping(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  /* ---- The overview stays in view on large screens, when it fits; other
     sticky things and scrolled-to events sit below it ---- */
  var overviewSection = $(".overview-section");
  function measureSticky() {
    var was = html.classList.contains("has-sticky-overview");
    var fits = !html.classList.contains("is-embed") && window.innerWidth >= 960 &&
      overviewSection.offsetHeight <= window.innerHeight * (was ? 0.33 : 0.3);
    html.classList.toggle("has-sticky-overview", fits);
    html.style.setProperty("--sticky-top", fits ? overviewSection.offsetHeight + "px" : "0px");
  }
  if (overviewSection) {
    measureSticky();
    window.addEventListener("resize", measureSticky);
    if (window.ResizeObserver) new ResizeObserver(measureSticky).observe(overviewSection);
  }

  /* ---- Event lists: entries, visibility, keyboard ---- */
  var entries = $all(".event-entry");
  var bySlug = {};
  entries.forEach(function (entry) { bySlug[entry.id] = entry; });

  function visibleEntries() { return entries.filter(function (entry) { return !entry.hidden; }); }

  function currentEntry() {
    var focused = doc.activeElement && doc.activeElement.closest && doc.activeElement.closest(".event-entry");
    if (focused && !focused.hidden) return focused;
    var top = parseFloat(getComputedStyle(html).getPropertyValue("--sticky-top")) || 0;
    var shown = visibleEntries();
    for (var i = 0; i < shown.length; i++) {
      if (shown[i].getBoundingClientRect().bottom > top + 8) return { near: shown[i] };
    }
    return null;
  }

  function focusEntry(entry) {
    var link = $(".event-title a", entry) || entry;
    link.focus({ preventScroll: true });
    entry.scrollIntoView({ block: "start", behavior: scrollBehaviour() });
  }

  function step(direction) {
    var shown = visibleEntries();
    if (!shown.length) return false;
    var current = currentEntry();
    var index;
    if (!current) {
      index = direction > 0 ? 0 : shown.length - 1;
    } else if (current.near) {
      // Nothing focused yet: j goes to the first event in view, k to the one before it.
      index = shown.indexOf(current.near) + (direction > 0 ? 0 : -1);
    } else {
      index = shown.indexOf(current) + direction;
    }
    if (index < 0 || index >= shown.length) return false;
    focusEntry(shown[index]);
    return true;
  }

  if (entries.length) {
    doc.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      var inList = event.target.closest && event.target.closest(".timeline, .event-list");
      var direction = 0;
      if (event.key === "j" || (inList && event.key === "ArrowDown")) direction = 1;
      if (event.key === "k" || (inList && event.key === "ArrowUp")) direction = -1;
      if (direction && step(direction)) event.preventDefault();
    });
  }

  /* ---- #slug: highlight the event (CSS :target does the rest without JS) ---- */
  function highlightTarget(scroll) {
    var id = "";
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (error) { return; }
    $all(".event-entry.is-targeted").forEach(function (entry) { entry.classList.remove("is-targeted", "is-flash"); });
    var entry = id && bySlug[id];
    if (!entry) return;
    if (entry.hidden && filters) filters.clear(true);
    entry.classList.add("is-targeted");
    if (!reducedMotion.matches) {
      void entry.offsetWidth; // restart the animation
      entry.classList.add("is-flash");
    }
    if (scroll) entry.scrollIntoView({ block: "start" });
  }

  /* ---- Overview: tooltip, reading position, dimmed marks ---- */
  var overview = null;
  var svg = $("svg.overview");
  if (svg) overview = setUpOverview(svg);

  function setUpOverview(svg) {
    var frame = svg.closest(".overview-frame") || svg.parentNode;
    var scroller = svg.closest(".overview-scroll");
    var marks = $all(".overview-mark", svg);
    var tip = doc.createElement("div");
    tip.className = "overview-tip";
    tip.setAttribute("aria-hidden", "true");
    tip.hidden = true;
    frame.appendChild(tip);
    var hideTimer = 0;

    function show(mark) {
      clearTimeout(hideTimer);
      var label = mark.getAttribute("aria-label");
      if (!label) return;
      tip.textContent = label;
      tip.hidden = false;
      var box = mark.getBoundingClientRect();
      var outer = frame.getBoundingClientRect();
      var half = tip.offsetWidth / 2;
      var x = box.left + box.width / 2 - outer.left;
      x = Math.max(half, Math.min(outer.width - half, x));
      tip.style.left = x + "px";
      tip.style.top = box.top - outer.top + "px";
    }
    function hide(soon) {
      clearTimeout(hideTimer);
      if (soon) hideTimer = setTimeout(function () { tip.hidden = true; }, 150);
      else tip.hidden = true;
    }
    marks.forEach(function (mark) {
      mark.addEventListener("mouseenter", function () { show(mark); });
      mark.addEventListener("mouseleave", function () { hide(true); });
      mark.addEventListener("focus", function () { show(mark); });
      mark.addEventListener("blur", function () { hide(false); });
      // In an embed, <base target="_top"> would send in-page links to the parent.
      if (html.classList.contains("is-embed")) mark.setAttribute("target", "_self");
    });
    doc.addEventListener("keydown", function (event) { if (event.key === "Escape") hide(false); });
    if (scroller) scroller.addEventListener("scroll", function () { hide(false); }, { passive: true });

    // The reading position: a line at the first event in view.
    var cursor = doc.createElementNS("http://www.w3.org/2000/svg", "line");
    cursor.setAttribute("class", "overview-cursor");
    cursor.setAttribute("aria-hidden", "true");
    var view = svg.viewBox && svg.viewBox.baseVal;
    var height = view && view.height ? view.height : svg.getBBox().height;
    cursor.setAttribute("y1", view ? view.y : 0);
    cursor.setAttribute("y2", (view ? view.y : 0) + height);
    cursor.style.display = "none";
    svg.insertBefore(cursor, svg.firstChild ? svg.firstChild.nextSibling : null);
    // Each event's mark: by data-slug, or, when the generator draws one bar
    // per lane and year (very many events), the bar of the event's lane and year.
    var markBySlug = {};
    var markByLaneYear = {};
    var laneYear = function (entry) { return (entry.getAttribute("data-track") || "") + " " + entry.getAttribute("data-year"); };
    marks.forEach(function (mark) {
      var slug = mark.getAttribute("data-slug");
      if (slug) { markBySlug[slug] = mark; return; }
      var target = bySlug[decodeURIComponent((mark.getAttribute("href") || "").split("#")[1] || "")];
      if (target) markByLaneYear[laneYear(target)] = mark;
    });
    var markOf = function (entry) { return markBySlug[entry.id] || markByLaneYear[laneYear(entry)] || null; };
    var inView = new Set();
    var current = null;

    function place() {
      var first = null;
      for (var i = 0; i < entries.length; i++) {
        if (inView.has(entries[i]) && !entries[i].hidden) { first = entries[i]; break; }
      }
      var mark = first && markOf(first);
      if (mark === current) return;
      if (current) current.classList.remove("is-current");
      current = mark || null;
      if (!current) { cursor.style.display = "none"; return; }
      current.classList.add("is-current");
      var shape = current.firstElementChild || current;
      var box = shape.getBBox();
      var bar = shape.tagName.toLowerCase() === "rect" && !current.classList.contains("overview-bucket");
      var x = bar ? box.x : box.x + box.width / 2;
      cursor.setAttribute("x1", x);
      cursor.setAttribute("x2", x);
      cursor.style.display = "";
      if (scroller && scroller.scrollWidth > scroller.clientWidth) {
        var markBox = current.getBoundingClientRect();
        var frameBox = scroller.getBoundingClientRect();
        if (markBox.left < frameBox.left + 20 || markBox.right > frameBox.right - 20) {
          scroller.scrollBy({ left: markBox.left - frameBox.left - frameBox.width / 2, behavior: scrollBehaviour() });
        }
      }
    }

    if (window.IntersectionObserver && entries.length) {
      var observer = null;
      var watch = function () {
        if (observer) observer.disconnect();
        var top = parseFloat(getComputedStyle(html).getPropertyValue("--sticky-top")) || 0;
        observer = new IntersectionObserver(function (changes) {
          changes.forEach(function (change) {
            if (change.isIntersecting) inView.add(change.target); else inView.delete(change.target);
          });
          place();
        }, { rootMargin: -Math.round(top) + "px 0px -55% 0px" });
        entries.forEach(function (entry) { observer.observe(entry); });
      };
      watch();
      var lastTop = html.style.getPropertyValue("--sticky-top");
      window.addEventListener("resize", function () {
        var now = html.style.getPropertyValue("--sticky-top");
        if (now !== lastTop) { lastTop = now; watch(); }
      });
    }
    // Filtered: marks without a shown event fade.
    function refresh(filtering) {
      var lit = new Set();
      entries.forEach(function (entry) { if (!entry.hidden) lit.add(markOf(entry)); });
      marks.forEach(function (mark) { mark.classList.toggle("is-dimmed", filtering && !lit.has(mark)); });
      place();
    }
    return { refresh: refresh };
  }

  /* ---- Filters, search and the URL ---- */
  var filters = null;
  var explore = $("[data-explore]");
  if (explore) filters = setUpFilters(explore);

  function setUpFilters(panel) {
    var facets = ["track", "era", "tag"];
    var search = $("#timeline-search", panel);
    var highlights = $("#timeline-highlights", panel);
    var status = $("[data-status]", panel);
    var clearButtons = $all("[data-clear]");
    var noMatches = $("[data-no-matches]");
    var results = $("[data-results]");
    var groups = $all(".timeline > .group");
    var gaps = $all(".timeline .gap");
    var root = panel.getAttribute("data-root") || "";
    var state = emptyState();
    var texts = {}; // slug → folded searchable text
    var allEvents = null; // from events.json, for matches outside this page

    entries.forEach(function (entry) {
      var parts = [".event-title", ".event-summary", ".tag-list"].map(function (selector) {
        var found = $(selector, entry);
        return found ? found.textContent : "";
      });
      texts[entry.id] = fold(parts.join(" "));
    });

    // The links become toggle buttons; without the script they lead to the track, era and tag pages.
    var chips = $all("a.chip[data-filter]", panel).map(function (link) {
      var button = doc.createElement("button");
      button.type = "button";
      button.className = link.className;
      button.innerHTML = link.innerHTML;
      button.setAttribute("data-filter", link.getAttribute("data-filter"));
      button.setAttribute("data-value", link.getAttribute("data-value"));
      button.setAttribute("aria-pressed", "false");
      if (link.getAttribute("style")) button.setAttribute("style", link.getAttribute("style"));
      link.parentNode.replaceChild(button, link);
      button.addEventListener("click", function () {
        var list = state[button.getAttribute("data-filter")];
        var value = button.getAttribute("data-value");
        var at = list.indexOf(value);
        if (at < 0) list.push(value); else list.splice(at, 1);
        update(true);
      });
      return button;
    });
    $all("[data-js-only]", panel).forEach(function (element) {
      element.hidden = !entries.length && element.hasAttribute("data-needs-events");
    });
    // The index of a split timeline lists parts, not events: count those.
    var partTotal = $all("[data-part-count]").reduce(function (sum, part) {
      return sum + (Number(part.getAttribute("data-part-count")) || 0);
    }, 0);

    var toggle = $("[data-facets-toggle]", panel);
    var toggleCount = $("[data-facets-count]", panel);
    if (toggle) {
      toggle.addEventListener("click", function () {
        toggle.setAttribute("aria-expanded", toggle.getAttribute("aria-expanded") === "true" ? "false" : "true");
      });
    }

    var typing = 0;
    if (search) {
      search.addEventListener("input", function () {
        clearTimeout(typing);
        typing = setTimeout(function () { state.q = search.value.trim(); update(false); }, 120);
      });
      search.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && search.value) { search.value = ""; state.q = ""; update(false); }
      });
    }
    if (highlights) {
      highlights.addEventListener("change", function () { state.highlights = highlights.checked; update(true); });
    }
    clearButtons.forEach(function (button) {
      button.addEventListener("click", function () {
        clear(false);
        if (search) search.focus();
      });
    });
    window.addEventListener("popstate", function () {
      state = readState();
      apply();
    });

    state = readState();
    apply();
    loadEvents();

    function emptyState() { return { track: [], era: [], tag: [], q: "", highlights: false }; }

    function readState() {
      var params = new URLSearchParams(location.search);
      var read = emptyState();
      facets.forEach(function (name) {
        params.getAll(name).forEach(function (value) {
          words(value.replace(/,/g, " ")).forEach(function (one) { if (read[name].indexOf(one) < 0) read[name].push(one); });
        });
      });
      read.q = (params.get("q") || "").trim();
      read.highlights = params.get("highlights") === "1";
      return read;
    }

    function active() {
      return state.track.length + state.era.length + state.tag.length > 0 || state.q !== "" || state.highlights;
    }

    function writeState(push) {
      var params = new URLSearchParams(location.search);
      facets.concat(["q", "highlights"]).forEach(function (name) { params.delete(name); });
      facets.forEach(function (name) { state[name].forEach(function (value) { params.append(name, value); }); });
      if (state.q) params.set("q", state.q);
      if (state.highlights) params.set("highlights", "1");
      var query = params.toString();
      var url = location.pathname + (query ? "?" + query : "") + location.hash;
      if (url === location.pathname + location.search + location.hash) return;
      try {
        history[push ? "pushState" : "replaceState"](null, "", url);
      } catch (error) {
        // file:// in some browsers refuses history changes; the filters still work.
      }
    }

    function update(push) {
      writeState(push);
      apply();
    }

    function clear(replace) {
      state = emptyState();
      if (replace) { writeState(false); apply(); } else update(true);
    }

    function matches(event) {
      if (state.track.length && state.track.indexOf(event.track) < 0) return false;
      if (state.era.length && !event.eras.some(function (era) { return state.era.indexOf(era) >= 0; })) return false;
      if (state.tag.length && !event.tags.some(function (tag) { return state.tag.indexOf(tag) >= 0; })) return false;
      if (state.highlights && event.importance < 4) return false;
      if (state.q) {
        var text = event.text;
        return words(fold(state.q)).every(function (term) { return text.indexOf(term) >= 0; });
      }
      return true;
    }

    function describe(entry) {
      return {
        track: entry.getAttribute("data-track") || "",
        eras: words(entry.getAttribute("data-eras")),
        tags: words(entry.getAttribute("data-tags")),
        importance: Number(entry.getAttribute("data-importance")) || 0,
        text: texts[entry.id] || ""
      };
    }

    function apply() {
      var shown = 0;
      entries.forEach(function (entry) {
        var visible = matches(describe(entry));
        entry.hidden = !visible;
        if (visible) shown++;
      });
      groups.forEach(function (group) { group.hidden = !$(".event-entry:not([hidden])", group); });
      var filtering = active();
      gaps.forEach(function (gap) { gap.hidden = filtering; });
      chips.forEach(function (chip) {
        var on = state[chip.getAttribute("data-filter")].indexOf(chip.getAttribute("data-value")) >= 0;
        chip.setAttribute("aria-pressed", on ? "true" : "false");
        if (on) {
          var details = chip.closest("details");
          if (details) details.open = true;
        }
      });
      if (toggleCount) {
        var picked = state.track.length + state.era.length + state.tag.length;
        toggleCount.textContent = picked ? String(picked) : "";
      }
      if (search && search.value.trim() !== state.q) search.value = state.q;
      if (highlights) highlights.checked = state.highlights;
      clearButtons.forEach(function (button) { if (button.closest("[data-explore]")) button.hidden = !filtering; });
      if (noMatches) noMatches.hidden = !(filtering && shown === 0);
      var elsewhere = showOtherMatches(filtering);
      var total = entries.length;
      if (!entries.length) {
        total = allEvents ? allEvents.length : partTotal;
        shown = filtering && allEvents ? elsewhere : total;
      }
      if (status) {
        var text = filtering
          ? fill(panel.getAttribute("data-status-some"), { shown: shown, total: total })
          : fill(panel.getAttribute("data-status-all"), { total: total });
        if (status.textContent !== text) status.textContent = text;
      }
      if (overview) overview.refresh(filtering);
    }

    // Events that match but are not on this page (a split timeline): links to them.
    function showOtherMatches(filtering) {
      if (!results) return;
      var found = [];
      if (filtering && allEvents) {
        allEvents.forEach(function (event) { if (!bySlug[event.slug] && matches(event)) found.push(event); });
      }
      results.hidden = found.length === 0;
      results.textContent = "";
      if (!found.length) return 0;
      var heading = doc.createElement("h2");
      heading.textContent = panel.getAttribute("data-results-heading");
      var list = doc.createElement("ul");
      found.slice(0, 50).forEach(function (event) {
        var item = doc.createElement("li");
        var link = doc.createElement("a");
        link.href = root + (event.timeline_url || event.url);
        link.textContent = event.title;
        var date = doc.createElement("span");
        date.className = "related-date";
        date.textContent = event.date_label;
        item.appendChild(link);
        item.appendChild(date);
        list.appendChild(item);
      });
      results.appendChild(heading);
      results.appendChild(list);
      if (found.length > 50) {
        var more = doc.createElement("p");
        more.textContent = fill(panel.getAttribute("data-results-more"), { n: found.length - 50 });
        results.appendChild(more);
      }
      return found.length;
    }

    // events.json has every event of the site: richer search text, and the
    // events of other parts. Opened from disk, fetch fails: the page's own text is enough.
    function loadEvents() {
      if (!window.fetch) return;
      fetch(root + "events.json").then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      }).then(function (data) {
        allEvents = (data.events || []).map(function (event) {
          var tags = event.tags || [];
          var text = fold([event.title, event.summary_text, tags.map(function (tag) { return tag.name; }).join(" ")].join(" "));
          if (bySlug[event.slug]) texts[event.slug] = text + " " + texts[event.slug];
          return {
            slug: event.slug,
            title: event.title,
            url: event.url,
            timeline_url: event.timeline_url,
            date_label: event.date_label,
            track: event.track ? event.track.id : "",
            eras: (event.eras || []).map(function (era) { return era.slug; }),
            tags: tags.map(function (tag) { return tag.slug; }),
            importance: event.importance || 0,
            text: text
          };
        });
        apply();
      }).catch(function () {});
    }

    return { clear: clear };
  }

  /* ---- Videos: click to load ---- */
  $all("a.video-play[data-embed]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button) return;
      event.preventDefault();
      var source = link.getAttribute("data-embed");
      var frame = doc.createElement("iframe");
      frame.src = source + (source.indexOf("?") < 0 ? "?" : "&") + "autoplay=1";
      frame.title = link.getAttribute("data-title") || link.textContent;
      frame.allow = "autoplay; encrypted-media; fullscreen; picture-in-picture";
      frame.setAttribute("allowfullscreen", "");
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      var box = doc.createElement("div");
      box.className = "video-frame";
      box.appendChild(frame);
      var facade = link.closest(".video-facade") || link;
      facade.parentNode.replaceChild(box, facade);
      frame.focus();
    });
  });

  /* ---- Embedded: in-page links stay in the frame; the parent learns our height ---- */
  if (html.classList.contains("is-embed")) {
    $all('a[href^="#"]').forEach(function (link) { link.setAttribute("target", "_self"); });
    if (window.parent !== window) {
      var lastHeight = 0;
      var postHeight = function () {
        // The body, not the viewport: the frame must be able to shrink when filters hide events.
        var height = Math.ceil(doc.body.getBoundingClientRect().height);
        if (height === lastHeight) return;
        lastHeight = height;
        window.parent.postMessage({ type: "annals:height", height: height }, "*");
      };
      postHeight();
      window.addEventListener("load", postHeight);
      window.addEventListener("resize", postHeight);
      if (window.ResizeObserver) new ResizeObserver(postHeight).observe(doc.body);
    }
  }

  highlightTarget(location.hash !== "");
  window.addEventListener("hashchange", function () { highlightTarget(false); });
})();
