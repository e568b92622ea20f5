"""The HTML report's inline stylesheet: system fonts only, nothing fetched."""

from __future__ import annotations

STYLE = """
:root {
  --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa;
  --pass: #1a7f37; --exempt: #4f7cbf; --partial: #d4a72c; --fail: #cf222e;
  --na: #d8dee4; --error: #6e40c9; --unknown: #ddf4ff;
  --band-a: #1a7f37; --band-b: #4c9a2a; --band-c: #d4a72c; --band-d: #cf222e; --band-none: #8c959f;
}
* { box-sizing: border-box; }
body {
  margin: 0 auto; max-width: 1200px; padding: 24px; color: var(--ink); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
h1 { font-size: 28px; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 {
  font-size: 20px; margin: 32px 0 12px; padding-bottom: 4px;
  border-bottom: 1px solid var(--line);
}
a { color: #0969da; }
.muted { color: var(--muted); }
header { display: flex; gap: 24px; align-items: center; flex-wrap: wrap; }
.score-card {
  min-width: 170px; padding: 16px 20px; border-radius: 12px; color: #fff; text-align: center;
}
.score-card .score { font-size: 48px; font-weight: 700; line-height: 1.1; }
.score-card .level { font-size: 18px; text-transform: capitalize; }
.band-a { background: var(--band-a); color: #fff; }
.band-b { background: var(--band-b); color: #fff; }
.band-c { background: var(--band-c); color: #1f2328; }
.band-d { background: var(--band-d); color: #fff; }
.band-none { background: var(--band-none); color: #fff; }
.facts { display: flex; gap: 12px; flex-wrap: wrap; margin-top: 8px; }
.fact {
  background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 6px 12px;
}
.fact b { font-size: 18px; }
section.note { margin-top: 16px; }
.note { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 8px; padding: 8px 12px; }
.panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 24px; }
svg.chart rect.bar-band-a { fill: var(--band-a); }
svg.chart rect.bar-band-b { fill: var(--band-b); }
svg.chart rect.bar-band-c { fill: var(--band-c); }
svg.chart rect.bar-band-d { fill: var(--band-d); }
svg.chart { width: 100%; height: auto; max-width: 640px; }
svg.chart circle.bar-band-a { fill: var(--band-a); }
svg.chart circle.bar-band-b { fill: var(--band-b); }
svg.chart circle.bar-band-c { fill: var(--band-c); }
svg.chart circle.bar-band-d { fill: var(--band-d); }
svg.spark { vertical-align: middle; background: #f6f8fa; border-radius: 3px; }
table { border-collapse: collapse; width: 100%; }
th, td {
  text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line);
}
th { background: var(--panel); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.msg { overflow-wrap: anywhere; }
#rules td:first-child { white-space: nowrap; }
.bar { background: var(--na); border-radius: 4px; height: 10px; min-width: 80px; }
.bar span { display: block; height: 10px; border-radius: 4px; background: var(--pass); }
.heatmap-wrap { overflow-x: auto; }
table.heatmap { width: auto; }
table.heatmap th.rule {
  height: 150px; white-space: nowrap; vertical-align: bottom; padding: 4px 2px;
}
table.heatmap th.rule div { writing-mode: vertical-rl; transform: rotate(180deg); margin: 0 auto; }
table.heatmap td.cell {
  width: 30px; min-width: 30px; text-align: center; font-weight: 700; border: 2px solid #fff;
  padding: 4px 0;
}
table.heatmap td.name {
  white-space: nowrap; max-width: 320px; overflow: hidden; text-overflow: ellipsis;
}
.o-pass { background: var(--pass); color: #fff; }
.o-exempt { background: var(--exempt); color: #fff; }
.o-partial { background: var(--partial); color: #1f2328; }
.o-fail { background: var(--fail); color: #fff; }
.o-not-applicable { background: var(--na); color: #59636e; }
.o-unknown { background: var(--unknown); color: #0a3069; }
.o-error { background: var(--error); color: #fff; }
.o-none { background: #fff; color: #8c959f; }
.legend { display: flex; gap: 14px; flex-wrap: wrap; margin: 8px 0 12px; }
.legend span.swatch {
  display: inline-block; width: 22px; text-align: center; font-weight: 700; border-radius: 4px;
  margin-right: 4px;
}
.pill {
  display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 13px; font-weight: 600;
  white-space: nowrap;
}
details.repo { border: 1px solid var(--line); border-radius: 8px; margin: 8px 0; }
details.repo > summary {
  cursor: pointer; padding: 8px 12px; background: var(--panel); border-radius: 8px;
}
details.repo > div { padding: 8px 12px; }
ul.evidence { margin: 0; padding-left: 18px; }
code {
  font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere;
}
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.card.status-not-evidenced, .card.status-declared { background: var(--panel); }
.card-head { display: flex; gap: 10px; align-items: flex-start; }
.item-score { font-size: 18px; padding: 2px 10px; min-width: 80px; text-align: center; }
.card p { margin: 6px 0; }
ul.item-rules { margin: 4px 0; padding-left: 18px; }
table.grid { width: auto; }
footer { margin-top: 32px; color: var(--muted); font-size: 13px; }
@media print { details.repo { break-inside: avoid; } }
"""
