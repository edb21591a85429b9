/* annals default theme: what every script of the theme shares. Each file
   adds its feature to `window.annals`; assets/annals.js, loaded last, sets
   them up in order. Classic scripts loaded with `defer`, not ES modules:
   Chromium refuses modules on pages opened straight from disk (file://),
   and the site must work there too. */
(() => {
  "use strict";

  const annals = (window.annals = window.annals || {});
  const doc = document;
  const html = doc.documentElement;
  const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");
  const $all = (selector, scope) => Array.from((scope || doc).querySelectorAll(selector));

  Object.assign(annals, {
    doc,
    html,
    embedded: html.classList.contains("is-embed"),
    reducedMotion,
    $: (selector, scope) => (scope || doc).querySelector(selector),
    $all,
    words: (text) => (text || "").split(/\s+/).filter(Boolean),
    fill: (template, values) => template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole)),
    fold: (text) => (text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase(),
    // A number as the page's language writes it ("10,000", "10.000"), and
    // its CLDR plural category ("one", "few", "other"): the same data the
    // pages were built with, through the browser's Intl.
    number: (n) => (window.Intl ? new Intl.NumberFormat(html.lang || undefined).format(n) : String(n)),
    plural: (n) => (window.Intl && Intl.PluralRules ? new Intl.PluralRules(html.lang || undefined).select(n) : "other"),
    // The phrase `data-<name>-<category>` of `element` for the number `n`,
    // else `data-<name>` (the form for any number).
    phrase: (element, name, n) =>
      element.getAttribute("data-" + name + "-" + annals.plural(n)) || element.getAttribute("data-" + name) || "",
    behaviour: () => (reducedMotion.matches ? "auto" : "smooth"),
    isTyping: (target) => /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable,

    // The page's event entries, by slug, and the ones the filters leave shown.
    eventList: () => {
      const entries = $all(".event-entry");
      const bySlug = {};
      entries.forEach((entry) => (bySlug[entry.id] = entry));
      return { entries, bySlug, visible: () => entries.filter((entry) => !entry.hidden) };
    },
  });
})();
