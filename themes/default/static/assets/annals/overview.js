/* annals default theme, the overview (the strip of marks above the
   timeline): pinned at the top of the window on large screens when it fits;
   zoom and pan (buttons, + and − keys, pinch, ctrl or ⌘ with the wheel,
   dragging), the view kept in the address (?view=1998_2026); counted groups
   that split as room allows and list their events when chosen; finer
   periods on a large timeline as room allows; a tooltip, arrow keys between
   its marks, a line at the reading position, and the marks the filters dim.
   Adds `stickyOverview` and `overview` to window.annals; assets/annals.js
   sets them up.

   The drawing places everything in percentages of its width (see
   docs/themes.md, "The overview"): zooming shows a part of that width
   across the whole drawing by rewriting those percentages. */
(() => {
  "use strict";

  const annals = (window.annals = window.annals || {});

  /* ---- The overview stays in view on large screens when it fits; other
     sticky things and scrolled-to events sit below it. Measured when the
     browser has laid the page out anyway (ResizeObserver), not at once. ---- */
  // Returns `top()`, the height the pinned overview takes (0 when it is not
  // pinned), and `onChange`, which the overview replaces to hear of changes.
  annals.stickyOverview = () => {
    const { html, embedded, $ } = annals;
    const section = $(".overview-section");
    let height = 0;
    const sticky = { top: () => height, onChange: () => {} };
    if (!section) return sticky;
    const measure = () => {
      const was = html.classList.contains("has-sticky-overview");
      const tall = section.offsetHeight;
      const fits = !embedded && innerWidth >= 960 && tall <= innerHeight * (was ? 0.33 : 0.3);
      html.classList.toggle("has-sticky-overview", fits);
      html.style.setProperty("--sticky-top", fits ? tall + "px" : "0px");
      if (height !== (fits ? tall : 0)) {
        height = fits ? tall : 0;
        sticky.onChange();
      }
    };
    addEventListener("resize", measure);
    if (window.ResizeObserver) new ResizeObserver(measure).observe(section);
    else measure();
    return sticky;
  };

  const NS = "http://www.w3.org/2000/svg";
  // The least size of a mark, in CSS pixels (WCAG 2.2, 2.5.8), as the
  // generator lays marks out.
  const TARGET = 24;
  // How far in the reader may zoom: a 64th of the whole.
  const MOST_ZOOM = 64;

  /* ---- The axis as the drawing describes it: pieces `from to left right`
     (years to percentages), and how years and counts are written. ---- */
  const axisOf = (svg) => {
    const pieces = (svg.getAttribute("data-scale") || "")
      .split(",")
      .map((piece) => piece.trim().split(/\s+/).map(Number))
      .filter((piece) => piece.length === 4 && piece.every(isFinite));
    if (!pieces.length) pieces.push([0, 1, 0, 100]);
    // The parts of the axis: pieces joined where they meet in time.
    const parts = [];
    for (const piece of pieces) {
      const last = parts[parts.length - 1];
      if (last && piece[0] <= last[1]) {
        last[1] = piece[1];
        last[3] = piece[3];
      } else parts.push(piece.slice());
    }
    // Year → percentage, as the generator maps it (a moment in a break
    // falls inside the break).
    const toX = (year) => {
      let before = null;
      for (const [from, to, left, right] of pieces) {
        if (year < from) {
          if (!before) return left;
          return before[3] + ((year - before[1]) / (from - before[1])) * (left - before[3]);
        }
        if (year <= to) return to > from ? left + ((year - from) / (to - from)) * (right - left) : (left + right) / 2;
        before = [from, to, left, right];
      }
      return before ? before[3] : 0;
    };
    // Percentage → year.
    const toYear = (x) => {
      let before = null;
      for (const [from, to, left, right] of pieces) {
        if (x < left) {
          if (!before) return from;
          return before[1] + ((x - before[3]) / (left - before[3])) * (from - before[1]);
        }
        if (x <= right) return right > left ? from + ((x - left) / (right - left)) * (to - from) : from;
        before = [from, to, left, right];
      }
      return before ? before[1] : 0;
    };
    const [ce, bce] = (svg.getAttribute("data-years") || "{y}").split("|");
    const year = (astronomical) => (astronomical >= 1 ? ce.replace("{y}", astronomical) : (bce || ce).replace("{y}", 1 - astronomical));
    const rangePattern = svg.getAttribute("data-range") || "{0} – {1}";
    const range = (first, last) => (first === last ? first : rangePattern.replace("{0}", first).replace("{1}", last));
    const forms = {};
    (svg.getAttribute("data-events") || "other:{0}").split("|").forEach((pair) => {
      const at = pair.indexOf(":");
      forms[pair.slice(0, at)] = pair.slice(at + 1);
    });
    let plural = () => "other";
    try {
      const rules = new Intl.PluralRules(document.documentElement.lang || undefined);
      plural = (n) => rules.select(n);
    } catch (error) {
      // An unknown language tag: every count takes the "other" form.
    }
    const events = (n) => (forms[plural(n)] || forms.other || "{0}").replace("{0}", n);
    const groupPattern = svg.getAttribute("data-group") || "{0}, {1}: {2}";
    const group = (lane, years, n) => {
      const values = { 0: lane, 1: years, 2: events(n) };
      return groupPattern.replace(/\{([012])\}/g, (whole, at) => values[at]);
    };
    return { parts, toX, toYear, year, range, events, group };
  };

  // How wide a label is, roughly (as the generator estimates it): wide
  // (CJK) characters take an em, others six tenths.
  const labelWidth = (text, font) =>
    Array.from(text).reduce((sum, c) => sum + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(c) ? 1 : 0.62), 0) * font;

  /* ---- The overview's zoom, groups, tooltip, arrow keys, the line at the
     reading position, and the marks the filters dim. ---- */
  // Returns `refresh(filtering)`, which the filters call after each change.
  annals.overview = (svg, list, sticky) => {
    const { doc, $, $all, embedded, isTyping } = annals;
    const { entries, bySlug } = list;
    const frame = svg.closest(".overview-frame") || svg.parentNode;
    const section = svg.closest(".overview-section") || frame;
    const axis = axisOf(svg);
    const dense = svg.classList.contains("is-dense");

    // The groups the generator drew for a narrow screen make way for the
    // ones this script draws at the width it has.
    const clusters = $all(".overview-cluster", svg).map((cluster) => {
      const drawn = $(".overview-group", cluster);
      const box = drawn && $(".overview-group-box", drawn);
      const members = $all(".is-member", cluster).map((mark) => ({
        mark,
        x: parseFloat(mark.querySelector("[cx]").getAttribute("cx")),
      }));
      const shape = {
        y: box ? parseFloat(box.getAttribute("y")) : 0,
        fill: box ? box.getAttribute("fill") : "",
        lane: cluster.getAttribute("data-lane") || "",
      };
      if (drawn) drawn.remove();
      return { cluster, members, shape, groups: [] };
    });

    // Every percentage the drawing places things at, but the lanes' guide
    // lines (always the whole width) and the ticks (drawn again).
    const placedAt = [];
    $all("*", svg).forEach((element) => {
      if (element.closest(".overview-lanes, .overview-ticks")) return;
      for (const name of ["x", "cx", "x1", "x2", "width"]) {
        const value = element.getAttribute(name);
        if (value && value.endsWith("%")) placedAt.push([element, name, parseFloat(value), name === "width"]);
      }
    });

    let view = [0, 100];
    const zoom = () => 100 / (view[1] - view[0]);
    const at = (x) => ((x - view[0]) * zoom()).toFixed(3) + "%";
    const width = () => svg.getBoundingClientRect().width || 1;
    // Pixels per percentage of the whole, at the current width and zoom.
    const scale = () => (width() * zoom()) / 100;

    const element = (name, attributes, parent) => {
      const made = doc.createElementNS(NS, name);
      for (const [key, value] of Object.entries(attributes)) made.setAttribute(key, value);
      if (parent) parent.appendChild(made);
      return made;
    };

    const yearOf = (mark) => {
      const entry = bySlug[mark.getAttribute("data-slug")];
      const year = entry && parseInt(entry.getAttribute("data-year"), 10);
      return isFinite(year) ? axis.year(year) : "";
    };

    // A counted capsule for points too close to tell apart.
    const groupOf = (cluster, chain) => {
      const { shape } = cluster;
      const first = chain[0].mark;
      const years = axis.range(yearOf(first), yearOf(chain[chain.length - 1].mark));
      const name = axis.group(shape.lane, years, chain.length);
      const group = element("a", {
        class: "overview-mark overview-group",
        href: first.getAttribute("href"),
        "aria-label": name,
      });
      group.members = chain.map((member) => member.mark);
      group.span = [chain[0].x, chain[chain.length - 1].x];
      const y = shape.y;
      element("rect", { class: "overview-group-box", y, height: TARGET, fill: shape.fill }, group);
      element("circle", { class: "overview-group-end", cy: y + TARGET / 2, r: TARGET / 2, fill: shape.fill }, group);
      element("circle", { class: "overview-group-end", cy: y + TARGET / 2, r: TARGET / 2, fill: shape.fill }, group);
      element("text", { class: "overview-count", y: y + TARGET / 2 + 4, "text-anchor": "middle" }, group).textContent = chain.length;
      if (embedded) group.setAttribute("target", "_self");
      cluster.cluster.insertBefore(group, first);
      return group;
    };

    const placeGroup = (group) => {
      const [from, to] = group.span;
      const [box, start, end, count] = group.children;
      box.setAttribute("x", at(from));
      box.setAttribute("width", ((to - from) * zoom()).toFixed(3) + "%");
      start.setAttribute("cx", at(from));
      end.setAttribute("cx", at(to));
      count.setAttribute("x", at((from + to) / 2));
    };

    // Points a target apart stand alone; closer ones make a group. Groups
    // are made again only when the zoom changes what they hold (so panning
    // keeps them, and the focus with them).
    const regroup = () => {
      const pixels = scale();
      const focused = doc.activeElement;
      let refocus = null;
      for (const cluster of clusters) {
        const chains = [];
        let chain = [];
        for (const member of cluster.members) {
          if (chain.length && (member.x - chain[chain.length - 1].x) * pixels >= TARGET) {
            chains.push(chain);
            chain = [];
          }
          chain.push(member);
        }
        if (chain.length) chains.push(chain);
        const signature = chains.map((c) => c.length).join(",");
        if (signature !== cluster.signature) {
          cluster.signature = signature;
          for (const group of cluster.groups) {
            if (group === focused) refocus = group.members[0];
            group.remove();
          }
          cluster.groups = [];
          for (const c of chains) {
            c.forEach((member) => member.mark.classList.toggle("is-loose", c.length === 1));
            if (c.length > 1) cluster.groups.push(groupOf(cluster, c));
          }
        }
        cluster.groups.forEach(placeGroup);
      }
      if (refocus) {
        const group = clusters.flatMap((cluster) => cluster.groups).find((g) => g.members.includes(refocus));
        (group || refocus).focus();
      }
    };

    // Large timelines: a period opens into its finer periods once each is a
    // target wide.
    const bins = $all(".overview-bin-group", svg).map((group) => {
      const members = Array.from(group.children).filter((child) => child.classList.contains("overview-bin-members"));
      const widths = members.length
        ? $all(":scope > .overview-bin-group > .overview-bin > .overview-hit", members[0]).map((hit) => parseFloat(hit.getAttribute("width")))
        : [];
      return { group, widths };
    });
    // Each count shows where its bar is wide enough for it.
    const counts = $all(".overview-bin-count", svg).map((text) => {
      const hit = text.parentNode.querySelector(".overview-hit");
      return { text, width: hit ? parseFloat(hit.getAttribute("width")) : 0, needs: labelWidth(text.textContent, 11) + 4 };
    });
    const openBins = () => {
      const pixels = scale();
      for (const { group, widths } of bins) {
        group.classList.toggle("is-open", widths.length > 0 && widths.every((w) => w * pixels >= TARGET - 0.5));
      }
      for (const { text, width, needs } of counts) text.classList.toggle("is-tight", width * pixels < needs);
    };

    // An era's label goes at the start of the part of its band in view when
    // it fits there (zoomed in, the band may start off screen; on a wide
    // screen, a label the narrow layout put at the band's end fits at its
    // start); else where the generator put it.
    const eras = $all(".overview-era", svg).map((band) => {
      const label = band.nextElementSibling;
      return {
        label,
        left: parseFloat(band.getAttribute("x")),
        right: parseFloat(band.getAttribute("x")) + parseFloat(band.getAttribute("width")),
        end: label && label.getAttribute("text-anchor") === "end",
      };
    });
    const placeEras = () => {
      const pixels = scale();
      for (const { label, left, right, end } of eras) {
        if (!label) continue;
        const from = Math.max(left, view[0]);
        const to = Math.min(right, view[1]);
        const fits = (to - from) * pixels >= label.getComputedTextLength() + 8;
        const atStart = fits || !end;
        label.setAttribute("x", at(atStart ? (fits ? from : left) : right));
        label.setAttribute("text-anchor", atStart ? "start" : "end");
        label.setAttribute("dx", atStart ? 4 : -4);
      }
    };

    // Whether a mark is drawn now.
    const shown = (mark) => {
      if (mark.classList.contains("is-member")) return mark.classList.contains("is-loose");
      if (!mark.classList.contains("overview-bin")) return true;
      let group = mark.parentNode;
      if (group.classList.contains("is-open")) return false;
      for (let up = group.parentNode; up && up !== svg; up = up.parentNode) {
        if (up.classList.contains("overview-bin-group") && !up.classList.contains("is-open")) return false;
      }
      return true;
    };
    const marks = () => $all(".overview-mark", svg).filter(shown);

    /* -- The ticks, drawn again for the width and the zoom: round years
       (or months), as many as fit without their labels touching. -- */
    const ticks = $(".overview-ticks", svg);
    const axisLine = $(".overview-axis-line", svg);
    const axisY = axisLine ? parseFloat(axisLine.getAttribute("y1")) : 0;
    const lang = doc.documentElement.lang || undefined;
    const steps = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000];
    let monthName = null;
    try {
      const format = new Intl.DateTimeFormat(lang, { month: "short", year: "numeric" });
      monthName = (year, month) => format.format(new Date(Date.UTC(year, month, 15)));
    } catch (error) {
      // Without Intl, whole years only.
    }
    const drawTicks = () => {
      if (!ticks) return;
      const pixels = scale();
      const total = width();
      const placed = [];
      let right = -Infinity;
      const fits = (candidates) => {
        let edge = right;
        const out = [];
        for (const [year, label] of candidates) {
          const x = (axis.toX(year) - view[0]) * pixels;
          const w = labelWidth(label, 12);
          const anchor = x < w / 2 ? "start" : x > total - w / 2 ? "end" : "middle";
          const start = anchor === "start" ? x : anchor === "end" ? x - w : x - w / 2;
          if (start < edge + 10) return null;
          edge = start + w;
          out.push([year, label, anchor]);
        }
        return { out, edge };
      };
      for (const [from, to] of axis.parts) {
        const first = Math.max(from, axis.toYear(view[0]));
        const last = Math.min(to, axis.toYear(view[1]));
        if (last < first) continue;
        const options = [];
        if (last - first < 2 && monthName && first >= 1) {
          for (const step of [1, 3, 6]) {
            const months = [];
            for (let m = Math.ceil(first * 12); m / 12 <= last; m++) {
              if (m % step === 0) months.push([m / 12, monthName(Math.floor(m / 12), ((m % 12) + 12) % 12)]);
            }
            if (months.length) options.push(months);
          }
        }
        for (const step of steps) {
          const years = [];
          // Round numbers as printed: there is no year 0.
          const printed = (x) => (x >= 1 ? x : x - 1);
          const astronomical = (p) => (p >= 1 ? p : p + 1);
          for (let p = Math.ceil(printed(first) / step) * step; astronomical(p) <= last; p += step) {
            if (p !== 0) years.push([astronomical(p), axis.year(astronomical(p))]);
          }
          if (years.length) options.push(years);
        }
        let chosen = null;
        for (const option of options) if ((chosen = fits(option))) break;
        if (!chosen) chosen = fits([[first, axis.year(Math.floor(first))]]);
        if (chosen) {
          placed.push(...chosen.out);
          right = chosen.edge;
        }
      }
      ticks.textContent = "";
      for (const [year, label, anchor] of placed) {
        const x = at(axis.toX(year));
        element("line", { class: "overview-tick-line", x1: x, x2: x, y1: axisY, y2: axisY + 4 }, ticks);
        element("text", { class: "overview-tick", x, y: axisY + 17, "text-anchor": anchor }, ticks).textContent = label;
      }
    };

    /* -- The tooltip. -- */
    const tip = doc.createElement("div");
    tip.className = "overview-tip";
    tip.setAttribute("aria-hidden", "true");
    tip.hidden = true;
    frame.appendChild(tip);
    let hideTimer = 0;
    const show = (mark) => {
      clearTimeout(hideTimer);
      const label = mark.getAttribute("aria-label");
      if (!label || !pop.hidden) return;
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
    svg.addEventListener("mouseover", (event) => {
      const mark = event.target.closest(".overview-mark");
      if (mark) show(mark);
    });
    svg.addEventListener("mouseout", (event) => {
      if (event.target.closest(".overview-mark")) hide(true);
    });
    svg.addEventListener("focusout", () => hide(false));

    /* -- A group, chosen, lists its events. -- */
    const pop = doc.createElement("div");
    pop.className = "overview-pop";
    pop.setAttribute("role", "dialog");
    pop.hidden = true;
    frame.appendChild(pop);
    let popFor = null;
    const closePop = (focusGroup) => {
      if (pop.hidden) return;
      pop.hidden = true;
      if (focusGroup && popFor && popFor.isConnected) popFor.focus();
      popFor = null;
    };
    const openPop = (group) => {
      hide(false);
      popFor = group;
      pop.setAttribute("aria-label", group.getAttribute("aria-label"));
      pop.textContent = "";
      const items = doc.createElement("ul");
      for (const member of group.members) {
        const item = doc.createElement("li");
        const link = doc.createElement("a");
        link.href = member.getAttribute("href");
        link.textContent = member.getAttribute("aria-label");
        if (embedded) link.target = "_self";
        item.appendChild(link);
        items.appendChild(item);
      }
      pop.appendChild(items);
      pop.hidden = false;
      const box = group.getBoundingClientRect();
      const outer = frame.getBoundingClientRect();
      const left = Math.max(0, Math.min(outer.width - pop.offsetWidth, box.left + box.width / 2 - outer.left - pop.offsetWidth / 2));
      pop.style.left = left + "px";
      pop.style.top = box.bottom - outer.top + 6 + "px";
      items.querySelector("a").focus();
    };
    pop.addEventListener("click", (event) => {
      if (event.target.closest("a")) closePop(false);
    });
    pop.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        closePop(true);
      }
    });
    pop.addEventListener("focusout", (event) => {
      if (!pop.contains(event.relatedTarget)) closePop(false);
    });
    doc.addEventListener("pointerdown", (event) => {
      if (!pop.hidden && !pop.contains(event.target) && !event.target.closest(".overview-group")) closePop(false);
    });

    /* -- One tab stop for the whole overview; the arrow keys move between
       marks (in time order), skipping the ones the filters dimmed; a mark
       out of view brings the view to it. -- */
    const rove = (to) => marks().forEach((mark) => mark.setAttribute("tabindex", mark === to ? "0" : "-1"));
    let roving = null;
    const keepRoving = () => {
      const now = marks();
      if (!roving || !now.includes(roving)) roving = now[0] || null;
      rove(roving);
    };
    if ($("#overview-keys")) svg.setAttribute("aria-describedby", "overview-keys");
    const moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: -Infinity, End: Infinity };
    svg.addEventListener("keydown", (event) => {
      const from = event.target.closest(".overview-mark");
      const move = moves[event.key];
      if (!from || move === undefined || event.altKey || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      const lit = marks().filter((mark) => mark === from || !mark.classList.contains("is-dimmed"));
      const step = isFinite(move) ? lit.indexOf(from) + move : move > 0 ? lit.length - 1 : 0;
      const to = lit[Math.max(0, Math.min(lit.length - 1, step))];
      roving = to;
      rove(to);
      to.focus();
    });
    // Where a mark is, as a percentage of the whole.
    const baseOf = (mark) => {
      if (mark.span) return (mark.span[0] + mark.span[1]) / 2;
      const found = placedAt.find(([element]) => mark.contains(element));
      return found ? found[2] : 50;
    };
    svg.addEventListener("focusin", (event) => {
      const mark = event.target.closest(".overview-mark");
      if (!mark) return;
      roving = mark;
      rove(mark);
      const x = baseOf(mark);
      const margin = (view[1] - view[0]) * 0.05;
      if (x < view[0] + margin || x > view[1] - margin) setView(x - (view[1] - view[0]) / 2, x + (view[1] - view[0]) / 2);
      show(mark);
    });

    /* -- The reading position: a line at the first event in view. -- */
    const markBySlug = {};
    $all(".overview-mark[data-slug]", svg).forEach((mark) => (markBySlug[mark.getAttribute("data-slug")] = mark));
    const markOf = (entry) => {
      const mark = markBySlug[entry.id];
      if (mark) {
        if (shown(mark)) return mark;
        for (const cluster of clusters) for (const group of cluster.groups) if (group.members.includes(mark)) return group;
        return null;
      }
      const year = parseInt(entry.getAttribute("data-year"), 10);
      return (
        marks().find(
          (bin) => bin.hasAttribute("data-from") && +bin.getAttribute("data-from") <= year && year < +bin.getAttribute("data-to")
        ) || null
      );
    };
    const cursor = doc.createElementNS(NS, "line");
    cursor.setAttribute("class", "overview-cursor");
    cursor.setAttribute("y1", 0);
    cursor.setAttribute("y2", axisY);
    cursor.style.display = "none";
    svg.insertBefore(cursor, $(".overview-marks, .overview-bins", svg) || null);
    const inView = new Set();
    let current = null;
    let currentEntry = null;
    const drawCursor = () => {
      cursor.style.display = current ? "" : "none";
      if (!current) return;
      const shape = $(".overview-point, .overview-span, .overview-group-box, .overview-bar", current) || current;
      const box = shape.getBBox();
      const start = shape.classList.contains("overview-span");
      const x = start ? box.x : box.x + box.width / 2;
      cursor.setAttribute("x1", x);
      cursor.setAttribute("x2", x);
    };
    const place = () => {
      currentEntry = entries.find((entry) => inView.has(entry) && !entry.hidden) || null;
      const mark = (currentEntry && markOf(currentEntry)) || null;
      if (mark !== current) {
        if (current) current.classList.remove("is-current");
        current = mark;
        if (current) {
          current.classList.add("is-current");
          if (!svg.contains(doc.activeElement)) {
            roving = current;
            rove(current);
          }
        }
      }
      drawCursor();
    };
    if (window.IntersectionObserver && entries.length) {
      let observer = null;
      let watchedTop = null;
      const watch = () => {
        const top = Math.round(sticky.top());
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
      sticky.onChange = watch;
    }

    /* -- Filtered: marks without a shown event fade. -- */
    let filtering = false;
    const dim = () => {
      if (dense) return;
      const lit = new Set(list.visible().map((entry) => markBySlug[entry.id]));
      for (const mark of marks()) {
        const members = mark.members || [mark];
        mark.classList.toggle("is-dimmed", filtering && !members.some((member) => lit.has(member)));
      }
    };

    /* -- Zoom and pan: the view is the part of the whole (in percentages)
       shown across the drawing. -- */
    const buttons = {};
    $all("[data-zoom]", section).forEach((button) => (buttons[button.getAttribute("data-zoom")] = button));
    const rangeText = $(".overview-range", section);
    const zoomed = () => view[1] - view[0] < 99.999;
    const readView = () => {
      const text = new URLSearchParams(location.search).get("view") || "";
      const [from, to] = text.split("_").map(Number);
      if (!text || !isFinite(from) || !isFinite(to) || to <= from) return [0, 100];
      return [axis.toX(from), axis.toX(to)];
    };
    let writeTimer = 0;
    const writeView = () => {
      clearTimeout(writeTimer);
      writeTimer = setTimeout(() => {
        const params = new URLSearchParams(location.search);
        const round = (x) => String(Math.round(axis.toYear(x) * 1000) / 1000);
        if (zoomed()) params.set("view", round(view[0]) + "_" + round(view[1]));
        else params.delete("view");
        const query = params.toString();
        const url = location.pathname + (query ? "?" + query : "") + location.hash;
        if (url === location.pathname + location.search + location.hash) return;
        try {
          history.replaceState(history.state, "", url);
        } catch (error) {
          // Some browsers refuse history changes on file://; zoom still works.
        }
      }, 150);
    };
    const apply = (write) => {
      for (const [element, name, base, isWidth] of placedAt) {
        element.setAttribute(name, isWidth ? (base * zoom()).toFixed(3) + "%" : at(base));
      }
      regroup();
      placeEras();
      openBins();
      drawTicks();
      dim();
      keepRoving();
      if (current) current.classList.remove("is-current");
      current = null;
      place();
      svg.classList.toggle("is-zoomed", zoomed());
      if (buttons.in) buttons.in.disabled = zoom() >= MOST_ZOOM - 0.01;
      if (buttons.out) buttons.out.disabled = !zoomed();
      if (buttons.reset) buttons.reset.disabled = !zoomed();
      if (rangeText) {
        const first = axis.year(Math.floor(axis.toYear(view[0])));
        const last = axis.year(Math.floor(axis.toYear(view[1]) - 1e-9));
        rangeText.textContent = zoomed() ? axis.range(first, last) : "";
      }
      if (write) writeView();
    };
    const setView = (from, to, write = true) => {
      const span = Math.min(100, Math.max(100 / MOST_ZOOM, to - from));
      let start = (from + to) / 2 - span / 2;
      start = Math.max(0, Math.min(100 - span, start));
      const next = [start, start + span];
      if (Math.abs(next[0] - view[0]) < 1e-9 && Math.abs(next[1] - view[1]) < 1e-9) return;
      view = next;
      closePop(false);
      hide(false);
      apply(write);
    };
    // Zooms by `factor` keeping the point `x` (a percentage of the whole)
    // where it is; by default the middle of the view.
    const zoomBy = (factor, x) => {
      const span = view[1] - view[0];
      const point = x === undefined ? view[0] + span / 2 : x;
      const share = (point - view[0]) / span;
      const next = Math.min(100, Math.max(100 / MOST_ZOOM, span / factor));
      setView(point - share * next, point - share * next + next);
    };
    const panBy = (delta) => setView(view[0] + delta, view[1] + delta);
    // The point under a pointer, as a percentage of the whole.
    const pointAt = (clientX) => {
      const box = svg.getBoundingClientRect();
      return view[0] + ((clientX - box.left) / (box.width || 1)) * (view[1] - view[0]);
    };

    if (buttons.in) buttons.in.addEventListener("click", () => zoomBy(2));
    if (buttons.out) buttons.out.addEventListener("click", () => zoomBy(0.5));
    if (buttons.reset) buttons.reset.addEventListener("click", () => setView(0, 100));
    doc.addEventListener("keydown", (event) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      if (event.key === "+" || event.key === "=") zoomBy(2);
      else if (event.key === "-" || event.key === "_" || event.key === "−") zoomBy(0.5);
      else if (event.key === "0" && zoomed()) setView(0, 100);
      else return;
      event.preventDefault();
    });
    // Ctrl or ⌘ with the wheel (and a touchpad's pinch) zooms; a sideways
    // wheel (or shift with it) pans once zoomed; the plain wheel scrolls.
    svg.addEventListener(
      "wheel",
      (event) => {
        if (event.ctrlKey || event.metaKey) {
          event.preventDefault();
          const delta = event.deltaMode === 1 ? event.deltaY * 20 : event.deltaY;
          zoomBy(Math.exp(-Math.max(-100, Math.min(100, delta)) * 0.01), pointAt(event.clientX));
          return;
        }
        const sideways = event.shiftKey ? event.deltaY : Math.abs(event.deltaX) > Math.abs(event.deltaY) ? event.deltaX : 0;
        if (!sideways || !zoomed()) return;
        event.preventDefault();
        panBy((sideways / width()) * (view[1] - view[0]));
      },
      { passive: false }
    );
    // Dragging pans once zoomed; two fingers pinch.
    const pointers = new Map();
    let drag = null;
    let pinch = null;
    let dragged = false;
    svg.addEventListener("pointerdown", (event) => {
      if (event.button) return;
      pointers.set(event.pointerId, event.clientX);
      if (pointers.size === 1) {
        drag = { x: event.clientX, view: view.slice(), id: event.pointerId };
        dragged = false;
      } else if (pointers.size === 2) {
        const [a, b] = Array.from(pointers.values());
        pinch = { distance: Math.max(10, Math.abs(a - b)), view: view.slice(), point: pointAt((a + b) / 2), share: ((a + b) / 2 - svg.getBoundingClientRect().left) / width() };
        drag = null;
        dragged = true;
      }
    });
    svg.addEventListener("pointermove", (event) => {
      if (!pointers.has(event.pointerId)) return;
      pointers.set(event.pointerId, event.clientX);
      if (pinch && pointers.size === 2) {
        const [a, b] = Array.from(pointers.values());
        const span = (pinch.view[1] - pinch.view[0]) / (Math.max(10, Math.abs(a - b)) / pinch.distance);
        const next = Math.min(100, Math.max(100 / MOST_ZOOM, span));
        setView(pinch.point - pinch.share * next, pinch.point - pinch.share * next + next);
      } else if (drag && drag.id === event.pointerId && zoomed()) {
        const moved = event.clientX - drag.x;
        if (!dragged && Math.abs(moved) < 5) return;
        if (!dragged) {
          dragged = true;
          svg.classList.add("is-dragging");
          try {
            svg.setPointerCapture(event.pointerId);
          } catch (error) {
            // The pointer is gone already.
          }
        }
        const delta = (-moved / width()) * (drag.view[1] - drag.view[0]);
        setView(drag.view[0] + delta, drag.view[1] + delta);
      }
    });
    const release = (event) => {
      pointers.delete(event.pointerId);
      if (pointers.size < 2) pinch = null;
      if (!pointers.size) {
        drag = null;
        svg.classList.remove("is-dragging");
      }
    };
    svg.addEventListener("pointerup", release);
    svg.addEventListener("pointercancel", release);
    // A drag or a pinch is not a click; a click on a group lists its events.
    svg.addEventListener(
      "click",
      (event) => {
        if (dragged) {
          dragged = false;
          event.preventDefault();
          event.stopPropagation();
          return;
        }
        const group = event.target.closest(".overview-group");
        if (!group) return;
        event.preventDefault();
        if (popFor === group) closePop(true);
        else openPop(group);
      },
      true
    );
    if (embedded) $all(".overview-mark", svg).forEach((mark) => mark.setAttribute("target", "_self"));

    addEventListener("popstate", () => {
      const [from, to] = readView();
      setView(from, to, false);
    });
    let lastWidth = width();
    if (window.ResizeObserver) {
      new ResizeObserver(() => {
        if (Math.abs(width() - lastWidth) < 0.5) return;
        lastWidth = width();
        apply(false);
      }).observe(svg);
    }
    const [from, to] = readView();
    const span = Math.min(100, Math.max(100 / MOST_ZOOM, to - from));
    const start = Math.max(0, Math.min(100 - span, (from + to) / 2 - span / 2));
    view = [start, start + span];
    apply(false);
    svg.classList.add("is-ready");

    const refresh = (now) => {
      filtering = now;
      dim();
      place();
    };
    return { refresh };
  };
})();
