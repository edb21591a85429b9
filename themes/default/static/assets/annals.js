/* annals default theme: enhancements for pages that already work without it.
   Filters, search and "key moments only" kept in the URL; a live count;
   j / k between events; #slug highlighted; the overview's tooltip, reading
   position and arrow keys; click-to-load videos; the embed's links; a
   language switch that keeps the filters, the search and the #fragment;
   story mode, one event at a time.
   No dependencies; the only requests are for the search index (search/),
   when the reader searches or filters.

   Each feature is a file of assets/annals/, loaded before this one (see
   base.html); this file, loaded last, sets them up in order. */
(() => {
  "use strict";

  const annals = window.annals || {};
  const features = ["eventList", "stickyOverview", "keyboard", "overview", "address", "searchIndex", "filters", "deepLinks", "players", "embed", "languageLinks", "story"];
  const missing = features.filter((name) => !annals[name]);
  if (missing.length) {
    // A template that links this file alone (a base.html written before the
    // script was split): the page stays as it is without the script.
    console.error("annals.js: the theme's scripts for " + missing.join(", ") + " are not loaded; link every file of assets/annals/ before annals.js");
    return;
  }
  const { html, $, $all } = annals;
  html.classList.add("js");

  const sticky = annals.stickyOverview();
  const list = annals.eventList();
  annals.keyboard(list, sticky);

  // Controls that only work with this script.
  $all("[data-js-only]").forEach((element) => {
    element.hidden = !list.entries.length && element.hasAttribute("data-needs-events");
  });

  const svg = $("svg.overview");
  const overview = svg ? annals.overview(svg, list, sticky) : null;
  const explore = $("[data-explore]");
  const filters = explore ? annals.filters(explore, list, overview) : null;
  annals.deepLinks(list, filters);
  annals.players();
  annals.embed();
  annals.languageLinks();
  annals.story(list);
})();
