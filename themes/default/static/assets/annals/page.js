/* annals default theme, the rest of the page: j / k between events, the
   event named by #slug highlighted, players loaded on a click, the
   embed's links, and a language switch that keeps the reader's place.
   Adds `keyboard`, `deepLinks`, `players`, `embed` and `languageLinks` to
   window.annals; assets/annals.js sets them up. */
(() => {
  "use strict";

  const annals = (window.annals = window.annals || {});

  /* ---- j / k move to the next and previous event on any page that lists
     events, and the arrow keys do the same inside the list. ---- */
  annals.keyboard = (list, sticky) => {
    const { doc, $, behaviour, isTyping } = annals;
    if (!list.entries.length) return;

    const step = (direction) => {
      const shown = list.visible();
      const focused = doc.activeElement && doc.activeElement.closest(".event-entry");
      let index;
      if (focused && !focused.hidden) {
        index = shown.indexOf(focused) + direction;
      } else {
        // Nothing focused yet: j goes to the first event in view, k to the one before it.
        const near = shown.findIndex((entry) => entry.getBoundingClientRect().bottom > sticky.top() + 8);
        index = near < 0 ? shown.length - 1 : near + (direction > 0 ? 0 : -1);
      }
      const entry = shown[index];
      if (!entry) return false;
      ($(".event-title a", entry) || entry).focus({ preventScroll: true });
      entry.scrollIntoView({ block: "start", behavior: behaviour() });
      return true;
    };

    doc.addEventListener("keydown", (event) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      const inList = event.target.closest && event.target.closest(".timeline, .event-list");
      let direction = 0;
      if (event.key === "j" || (inList && event.key === "ArrowDown")) direction = 1;
      if (event.key === "k" || (inList && event.key === "ArrowUp")) direction = -1;
      if (direction && step(direction)) event.preventDefault();
    });
  };

  /* ---- #slug in the address highlights that event (CSS :target does the
     rest without the script), flashing it unless the reader prefers reduced
     motion, and clears the filters that would hide it. ---- */
  annals.deepLinks = (list, filters) => {
    const { $all, reducedMotion } = annals;
    const highlightTarget = (scroll) => {
      let id = "";
      try {
        id = decodeURIComponent(location.hash.slice(1));
      } catch (error) {
        return;
      }
      $all(".event-entry.is-targeted").forEach((entry) => entry.classList.remove("is-targeted", "is-flash"));
      const entry = list.bySlug[id];
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
  };

  /* ---- Players (videos, sound, maps): nothing loads from their site until
     the reader presses play; the link is then replaced by the player. One
     listener for the whole page, so copies (story mode) play too. ---- */
  annals.players = () => {
    const { doc } = annals;
    doc.addEventListener("click", (event) => {
      const link = event.target.closest && event.target.closest("a.video-play[data-embed]");
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button) return;
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
  };

  /* ---- The language switch leads to the same page in the other language
     (the built links do that already); with the script it also keeps the
     filters, the search and the #fragment, which live in the address.
     Each link is brought up to date just before it can be used: pointed
     at, focused, or pressed. ---- */
  annals.languageLinks = () => {
    const { $all } = annals;
    const links = $all(".lang-nav a[hreflang]");
    const built = links.map((link) => link.getAttribute("href").split(/[?#]/)[0]);
    const follow = () => links.forEach((link, at) => link.setAttribute("href", built[at] + location.search + location.hash));
    for (const link of links) {
      for (const type of ["pointerenter", "pointerdown", "focus"]) link.addEventListener(type, follow);
    }
    follow();
  };

  /* ---- The embed page (class="is-embed" on <html>): in-page links stay in
     the frame. The page fits the frame it is given (the stylesheet scrolls
     the timeline inside it, and story mode shows one event at a time), so
     it has no height to tell the page around it. ---- */
  annals.embed = () => {
    const { $all, embedded } = annals;
    if (!embedded) return;
    $all('a[href^="#"]').forEach((link) => link.setAttribute("target", "_self"));
  };
})();
