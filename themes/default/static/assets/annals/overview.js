/* annals default theme, the overview (the strip of marks above the
   timeline): pinned at the top of the window on large screens when it fits,
   with a tooltip, arrow keys between its marks, a line at the reading
   position, and the marks the filters dim. Adds `stickyOverview` and
   `overview` to window.annals; assets/annals.js sets them up. */
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

  /* ---- The overview's tooltip, its arrow keys, the line at the reading
     position, and the marks the filters dim. ---- */
  // Returns `refresh(filtering)`, which the filters call after each change.
  annals.overview = (svg, list, sticky) => {
    const { doc, $, $all, embedded, behaviour } = annals;
    const { entries, bySlug } = list;
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

    // Filtered: marks without a shown event fade.
    const refresh = (filtering) => {
      const lit = new Set(list.visible().map(markOf));
      marks.forEach((mark) => mark.classList.toggle("is-dimmed", filtering && !lit.has(mark)));
      place();
    };
    return { refresh };
  };
})();
