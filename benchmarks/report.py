"""Turn benchmark results into Markdown tables (pure functions of the results dict)."""
from __future__ import annotations

ROWS = [("digest", "cold_nosearch", "digest cold, no search (Hugo's work)"),
        ("digest", "cold_peer", "digest cold, no search, on Hugo's layouts"),
        ("digest", "cold", "digest cold, with search index"), ("digest", "warm", "digest no-op"),
        ("digest", "edit", "digest 1-article edit (CLI)"),
        ("digest", "edit_inprocess", "digest 1-article edit (in-process)"),
        ("hugo", None, "Hugo"), ("pelican", None, "Pelican")]
HUGO_ONLY = ("cold_peer",)      # digest on Hugo's layouts: Pelican renders its own default theme


def _entry(row: dict, tool: str, mode: str | None) -> dict | None:
    entry = row.get(tool)
    if entry is not None and mode:
        entry = entry.get(mode)
    if not entry or entry.get("available") is False or "wall" not in entry:
        return None
    return entry


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a and b else "–"


def _mib(entry: dict, key: str) -> str:
    return f"{entry[key]:.0f}" if key in entry else "–"


def size_table(n: int, row: dict) -> str:
    """One Markdown table for one corpus size."""
    hugo, pelican = _entry(row, "hugo", None), _entry(row, "pelican", None)
    lines = [f"**{n:,} articles**", "",
             "| build | wall s | CPU s | peak MiB | largest proc MiB | pages | ÷ Hugo | ÷ Pelican |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for tool, mode, label in ROWS:
        entry = _entry(row, tool, mode)
        if entry is None:
            failed = "error" in (row.get(tool) or {}).get(mode or "", {})
            if tool == "digest" and (mode in ("cold", "warm", "edit") or failed):
                lines.append(f"| {label} | {'failed' if failed else 'pending'} | | | | | | |")
            continue
        lines.append(
            f"| {label} | {entry['wall']:.3f} | {entry['cpu']:.2f} |"
            if "cpu" in entry else f"| {label} | {entry['wall']:.3f} | – |")
        lines[-1] += (f" {_mib(entry, 'peak_mib')} | {_mib(entry, 'maxrss_mib')} |"
                      f" {entry.get('pages', '')} |")
        if tool == "digest" and mode.startswith("cold"):   # peers: cold builds only
            lines[-1] += f" {_ratio(entry['wall'], hugo and hugo['wall'])} |"
            lines[-1] += " |" if mode in HUGO_ONLY else f" {_ratio(entry['wall'], pelican and pelican['wall'])} |"
        else:
            lines[-1] += " | |"
    return "\n".join(lines)


def targets(row: dict) -> list[str]:
    """Issue 7's targets at one size, each PASS or MISS with the factor."""
    cold, warm = _entry(row, "digest", "cold"), _entry(row, "digest", "warm")
    edit = _entry(row, "digest", "edit_inprocess") or _entry(row, "digest", "edit")
    hugo, pelican = _entry(row, "hugo", None), _entry(row, "pelican", None)
    out = []

    def check(name, ok, detail):
        out.append(f"- {'PASS' if ok else 'MISS'} {name}: {detail}")

    for mode, what in (("cold_nosearch", "pages only"), ("cold_peer", "on Hugo's layouts"), ("cold", "with search")):
        entry = _entry(row, "digest", mode)
        if entry and hugo:
            r = entry["wall"] / hugo["wall"]
            check(f"cold ≤ 1.0× Hugo ({what})", r <= 1.0, f"{r:.2f}×")
            m = entry["peak_mib"] / hugo["peak_mib"]
            check(f"peak memory ≤ Hugo ({what})", m <= 1.0,
                  f"{entry['peak_mib']:.0f} vs {hugo['peak_mib']:.0f} MiB ({m:.2f}×)")
        if entry and pelican and mode not in HUGO_ONLY:
            r = pelican["wall"] / entry["wall"]
            check(f"≥ 8× faster than Pelican ({what})", r >= 8, f"Pelican ÷ digest = {r:.1f}×")
    if cold and warm:
        r = warm["wall"] / cold["wall"]
        check("no-op ≤ 0.1× cold", r <= 0.1, f"{r:.3f}×")
    if edit:
        check("1-article edit ≤ 100 ms", edit["wall"] <= 0.1, f"{edit['wall'] * 1000:.0f} ms")
    return out


def growth_table(results: dict) -> str:
    """Wall time and peak memory per size, with time per 1,000 articles (flat = linear)."""
    sizes = sorted(results["sizes"], key=int)
    if len(sizes) < 2:
        return ""
    lines = ["| build | " + " | ".join(f"{int(n):,}: s (s/1k) · MiB" for n in sizes) + " |",
             "|---|" + "---:|" * len(sizes)]
    for tool, mode, label in ROWS:
        cells = []
        for n in sizes:
            entry = _entry(results["sizes"][n], tool, mode)
            cells.append(f"{entry['wall']:.2f} ({entry['wall'] / int(n) * 1000:.2f}) · "
                         f"{_mib(entry, 'peak_mib')}" if entry else "–")
        if any(c != "–" for c in cells):
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def full_report(results: dict) -> str:
    m, v = results["machine"], results["versions"]
    parts = [f"Date {results['date']}; {m['nproc']} cores ({m['cpu']}), {m['memory_gib']} GiB; "
             f"Python {m['python']}; Hugo {v.get('hugo')}, Pelican {v.get('pelican')} "
             f"(Markdown {v.get('markdown')}), digest {v.get('digest')}. "
             f"Median of {results['runs']} runs (peers: {results['peer_runs']})."]
    in_turn = {tuple(row.get("in_turn", ())) for row in results["sizes"].values()} - {()}
    if len(in_turn) == 1:
        names = {"digest": "digest's (cold, no search)", "hugo": "Hugo's", "pelican": "Pelican's"}
        listed = [names[n] for n in ("digest", "hugo", "pelican") if n in next(iter(in_turn))]
        parts[0] += f" The compared builds were timed in turn: {', '.join(listed[:-1])} and {listed[-1]}."
    for note in results.get("skipped", []):
        parts.append(f"> {note}")
    for n, row in sorted(results["sizes"].items(), key=lambda kv: int(kv[0])):
        parts.append(size_table(int(n), row))
        checks = targets(row)
        if checks:
            parts.append("\n".join(checks))
    growth = growth_table(results)
    if growth:
        parts.append("**Growth**\n\n" + growth)
    ing = results.get("ingest")
    if ing:
        ok = "PASS" if ing["per_second"] >= 200 else "MISS"
        parts.append(f"**Ingest**: {ing['seeds']} raw seeds in {ing['wall']:.2f} s wall "
                     f"({ing['cpu']:.2f} s CPU, {ing['peak_mib']:.0f} MiB) = "
                     f"{ing['per_second']:.0f} articles/s, {ing['written']} files written "
                     f"— {ok} ≥ 200/s, {'PASS' if ing['wall'] < 10 else 'MISS'} 1,000 in < 10 s")
    return "\n\n".join(parts)


def merge(results: list[dict]) -> dict:
    """Several results.json files (e.g. sizes run separately) as one; later files win."""
    merged = dict(results[0], sizes={}, skipped=[])
    for r in results:
        merged["sizes"].update(r["sizes"])
        merged["skipped"] += r.get("skipped", [])
        if r.get("ingest"):
            merged["ingest"] = r["ingest"]
    return merged


if __name__ == "__main__":
    import json
    import sys

    # python benchmarks/report.py work/a/results.json work/b/results.json > table.md
    print(full_report(merge([json.load(open(p)) for p in sys.argv[1:]])))
