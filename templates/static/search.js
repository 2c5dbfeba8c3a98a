// Search page: Pagefind's JS API behind an accessible, labelled form.
// The index is built at build time under <base>/pagefind/, one Pagefind bundle per shard
// (pagefind/0/, pagefind/1/, …, listed in data-shards); nothing is fetched from elsewhere.
const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const status = document.getElementById("search-status");
const results = document.getElementById("search-results");
const selects = [...form.querySelectorAll("select[data-filter]")];
const params = new URLSearchParams(location.search);

let pagefind;
try {
  // The data attributes may be page-relative: resolve them against the page, not this script.
  const bundle = new URL(form.dataset.bundle, document.baseURI);
  const base = new URL(form.dataset.base, document.baseURI);
  const [first, ...others] = (form.dataset.shards || "0").split(" ");
  pagefind = await import(new URL(`${first}/pagefind.js`, bundle).href);
  await pagefind.options({ baseUrl: base.pathname });
  for (const shard of others) await pagefind.mergeIndex(new URL(`${shard}/`, bundle).href, { baseUrl: base.pathname });
  await pagefind.init();
} catch (err) {
  status.textContent = "The search index is not available.";
  throw err;
}

// Fill each filter with the values found in the index.
const available = await pagefind.filters();
for (const select of selects) {
  const values = Object.keys(available[select.dataset.filter] || {}).sort((a, b) => a.localeCompare(b));
  for (const value of values) {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = `${value} (${available[select.dataset.filter][value]})`;
    select.append(option);
  }
  select.value = params.get(select.name) || "";
}
input.value = params.get("q") || "";
form.dataset.ready = "";

function element(tag, props = {}, children = []) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

// Pagefind excerpts are escaped text with <mark> around hits; rebuild them without innerHTML.
function excerptNodes(excerpt) {
  const nodes = [];
  const parts = excerpt.split(/<mark>|<\/mark>/);
  // A detached <textarea> decodes entities as text and keeps edge spaces; nothing is rendered as HTML.
  const box = document.createElement("textarea");
  const decode = (s) => { box.innerHTML = s; return box.value; };
  parts.forEach((part, i) => nodes.push(i % 2 ? element("mark", { textContent: decode(part) }) : decode(part)));
  return nodes;
}

// "RT · 18 September 2009 · Anders Fogh Rasmussen, …": where and when, and who is quoted.
function resultMeta(d) {
  const f = d.filters || {};
  const people = f.speaker || [];
  const who = people.slice(0, 3).join(", ") + (people.length > 3 ? ` and ${people.length - 3} more` : "");
  return [(f.source || [])[0], d.meta.date, who].filter(Boolean).join(" · ");
}

let pending = 0;
async function run() {
  const query = input.value.trim();
  const filters = {};
  for (const select of selects) if (select.value) filters[select.dataset.filter] = select.value;
  const ticket = ++pending;
  results.setAttribute("aria-busy", "true");
  if (!query && !Object.keys(filters).length) {
    results.replaceChildren();
    status.textContent = "";
    results.setAttribute("aria-busy", "false");
    return;
  }
  const search = await pagefind.search(query || null, { filters });
  const data = await Promise.all(search.results.slice(0, 30).map((r) => r.data()));
  if (ticket !== pending) return;
  results.setAttribute("aria-busy", "false");
  status.textContent = `${search.results.length} result${search.results.length === 1 ? "" : "s"}`;
  results.replaceChildren(...data.map((d) => element("li", {}, [
    element("a", { href: d.url, textContent: d.meta.title || d.url }),
    element("p", { className: "result-meta", textContent: resultMeta(d) }),
    element("p", { className: "excerpt" }, excerptNodes(d.excerpt || "")),
  ])));
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const url = new URL(location.href);
  url.searchParams.set("q", input.value);
  for (const select of selects) {
    if (select.value) url.searchParams.set(select.name, select.value);
    else url.searchParams.delete(select.name);
  }
  history.replaceState(null, "", url);
  run();
});
input.addEventListener("input", () => run());
for (const select of selects) select.addEventListener("change", () => run());
run();
