/* annals default theme, story mode: the page's events one at a time, like
   slides. A copy of an event's entry with its full text unfolded fills the
   window; ← / → (and j / k), swipes and two buttons move between events; a
   live line says where the reader is ("7 / 21"); the address names the
   event (#slug) and back / forward step through what was read. The rest of
   the page is inert meanwhile. In the embed, story mode is what the reader
   sees first. Adds `story` to window.annals; assets/annals.js sets it up. */
(() => {
  "use strict";

  const annals = (window.annals = window.annals || {});

  // Returns `{ open, close }`, or null on a page without events.
  annals.story = (list) => {
    const { doc, html, $, $all, embedded, fill, isTyping } = annals;
    const panel = $("[data-story]");
    const opener = $("[data-story-open]");
    if (!panel || !list.entries.length) return null;
    const slide = $("[data-story-slide]", panel);
    const count = $("[data-story-count]", panel);
    const countLong = $("[data-story-count-long]", panel);
    const steps = $all("[data-story-step]", panel);
    const closer = $("[data-story-close]", panel);
    const colon = panel.getAttribute("data-colon") || ": ";
    const number = (n) => n.toLocaleString(html.lang || undefined);
    const titleOf = (entry) => ($(".event-title", entry) || entry).textContent.trim();

    // Out of <main>, so that everything else can be made inert while it shows.
    doc.body.append(panel);
    let current = null; // the entry shown; null while the list shows
    let inerted = [];

    // The events the reader steps through: the ones the filters leave shown
    // (all of them, if the one shown is filtered out).
    const sequence = () => {
      const shown = list.visible();
      return current && !shown.includes(current) ? list.entries : shown;
    };

    // Each step has its address. In the embed the step replaces the frame's
    // address instead of adding to the history, which the frame shares with
    // the page around it: Back there should leave the article, not the slide.
    const remember = (slug, reading, push) => {
      const url = location.pathname + location.search + "#" + encodeURIComponent(slug);
      try {
        history[push && !embedded ? "pushState" : "replaceState"]({ annalsStory: reading ? slug : null }, "", url);
      } catch (error) {
        // Some browsers refuse history changes on file://; story mode still works.
      }
    };

    // A copy of the entry's article: ids removed (they must stay unique on
    // the page), its title named as the slide's, the full text unfolded.
    const copy = (entry) => {
      const article = ($("article", entry) || entry).cloneNode(true);
      article.removeAttribute("id");
      $all("[id]", article).forEach((element) => element.removeAttribute("id"));
      const title = $(".event-title", article);
      if (title) {
        title.id = "story-title";
        title.tabIndex = -1;
        article.setAttribute("aria-labelledby", "story-title");
      } else {
        article.removeAttribute("aria-labelledby");
      }
      $all("details", article).forEach((details) => {
        const unfolded = doc.createElement("div");
        unfolded.className = details.className;
        Array.from(details.childNodes).forEach((node) => node.nodeName !== "SUMMARY" && unfolded.append(node));
        details.replaceWith(unfolded);
      });
      return article;
    };

    const focusTitle = () => ($("#story-title", slide) || slide).focus({ preventScroll: true });

    const show = (entry) => {
      // The focus on the old slide's title moves to the new one's.
      const focused = slide.contains(doc.activeElement);
      current = entry;
      slide.replaceChildren(copy(entry));
      if (focused) focusTitle();
      slide.scrollTop = 0;
      const order = sequence();
      const at = order.indexOf(entry);
      const place = { n: number(at + 1), total: number(order.length) };
      count.textContent = fill(panel.getAttribute("data-position"), place);
      countLong.textContent = fill(panel.getAttribute("data-position-long"), place) + colon + titleOf(entry);
      steps.forEach((button) => {
        const next = order[at + Number(button.getAttribute("data-story-step"))];
        button.setAttribute("aria-disabled", String(!next));
        $("[data-story-step-title]", button).textContent = next ? titleOf(next) : "";
      });
    };

    const open = (entry, { push, focus }) => {
      if (!current) {
        inerted = Array.from(doc.body.children).filter((element) => element !== panel && !element.inert);
        inerted.forEach((element) => (element.inert = true));
        html.classList.add("is-story");
        panel.hidden = false;
      }
      show(entry);
      if (push !== undefined) remember(entry.id, true, push);
      if (focus) focusTitle();
    };

    // Back to the list, at the event the reader stopped on.
    const close = ({ push, focus }) => {
      if (!current) return;
      const entry = current;
      current = null;
      panel.hidden = true;
      html.classList.remove("is-story");
      inerted.forEach((element) => (element.inert = false));
      inerted = [];
      slide.replaceChildren();
      if (push !== undefined) remember(entry.id, false, push);
      list.entries.forEach((other) => other.classList.remove("is-targeted", "is-flash"));
      entry.classList.add("is-targeted");
      entry.scrollIntoView({ block: "start" });
      if (focus) ($(".event-title a", entry) || entry).focus({ preventScroll: true });
    };

    const step = (direction) => {
      const order = sequence();
      const next = order[order.indexOf(current) + direction];
      if (next) open(next, { push: true });
      return Boolean(next);
    };

    // Where the reader starts: the event the address names, else the first.
    const start = () => {
      let slug = "";
      try {
        slug = decodeURIComponent(location.hash.slice(1));
      } catch (error) {
        // A malformed address: start at the first event.
      }
      const named = list.bySlug[slug];
      return named && !named.hidden ? named : sequence()[0];
    };

    if (opener) opener.addEventListener("click", () => open(start(), { push: true, focus: true }));
    closer.addEventListener("click", () => close({ push: true, focus: true }));
    steps.forEach((button) =>
      button.addEventListener("click", () => {
        if (button.getAttribute("aria-disabled") !== "true") step(Number(button.getAttribute("data-story-step")));
      })
    );

    // Before the list's own keys (j / k), which must not move the list behind.
    doc.addEventListener(
      "keydown",
      (event) => {
        if (!current || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
        if (isTyping(event.target) || /^(AUDIO|VIDEO)$/.test(event.target.tagName)) return;
        const direction = { ArrowRight: 1, ArrowLeft: -1, j: 1, k: -1 }[event.key];
        if (direction) {
          event.preventDefault();
          step(direction);
        } else if (event.key === "Escape") {
          event.preventDefault();
          close({ push: true, focus: true });
        }
      },
      true
    );

    // A swipe sideways on a touch screen; vertical moves still scroll.
    let touch = null;
    slide.addEventListener("pointerdown", (event) => {
      touch = event.isPrimary && event.pointerType !== "mouse" ? { x: event.clientX, y: event.clientY } : null;
    });
    slide.addEventListener("pointercancel", () => (touch = null));
    slide.addEventListener("pointerup", (event) => {
      if (!touch) return;
      const dx = event.clientX - touch.x;
      const dy = event.clientY - touch.y;
      touch = null;
      if (Math.abs(dx) > 50 && Math.abs(dx) > 2 * Math.abs(dy)) step(dx < 0 ? 1 : -1);
    });

    // Back and forward: a step of the story, or the list.
    addEventListener("popstate", (event) => {
      const slug = event.state && event.state.annalsStory;
      const entry = slug && list.bySlug[slug];
      if (entry) open(entry, { focus: !panel.contains(doc.activeElement) });
      else close({ focus: true });
    });

    // A reload in story mode stays there; the embed starts in it, without
    // taking the focus from the page around it.
    const reading = history.state && history.state.annalsStory;
    if (reading && list.bySlug[reading]) open(list.bySlug[reading], { focus: !embedded });
    else if (embedded) open(start(), {});

    return { open, close };
  };
})();
