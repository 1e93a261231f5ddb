/**
 * The report's inline style sheet and script. Colours are a blue/orange scheme readable with the
 * common colour-vision deficiencies, with at least 4.5:1 contrast for text; the charts never rely on
 * colour alone (every mark is labelled or has a table next to it).
 */

/**
 * The report's CSS (screen and print).
 * @example
 * ```ts
 * `<style>${REPORT_CSS}</style>`;
 * ```
 */
export const REPORT_CSS = `
:root{--ink:#1d1d1f;--muted:#5a5a5f;--line:#c9c9cf;--bg:#fff;--soft:#f4f5f7;--match:#1f5fa8;--review:#c15f00;
--non:#9a9aa2;--pos:#1f5fa8;--neg:#c43d2b;--prior:#6e6e76}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:920px;margin:0 auto;padding:24px 20px 48px}
header h1{margin:0 0 4px;font-size:1.9rem}
header p{margin:2px 0;color:var(--muted)}
h2{margin:40px 0 6px;font-size:1.4rem;border-bottom:2px solid var(--line);padding-bottom:4px}
h3{margin:28px 0 6px;font-size:1.1rem}
p.lead{font-size:1.05rem;margin-top:4px}
.note,.muted{color:var(--muted);font-size:.93rem}
.verdict{background:var(--soft);border-left:4px solid var(--match);padding:8px 12px;margin:10px 0}
.verdict.warn{border-left-color:var(--neg)}
ul.warnings li{margin:4px 0}
.reason{margin:6px 0;font-size:.93rem}
.privacy{background:var(--soft);border-left:4px solid var(--match);padding:8px 12px;margin:14px 0}
nav.toc ol{margin:6px 0 0;padding-left:22px;columns:2}
.cards{list-style:none;padding:0;margin:12px 0;display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:10px}
.cards li{background:var(--soft);border-radius:6px;padding:10px 12px;line-height:1.3}
.cards .big{display:block;font-size:1.6rem;font-weight:700}
figure{margin:14px 0 18px}
figcaption{color:var(--muted);font-size:.9rem;margin-top:4px}
svg.chart{display:block;max-width:100%;height:auto}
svg.chart text{font:12px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:var(--ink)}
svg.chart text.tick,svg.chart text.legend{fill:var(--muted);font-size:11px}
svg.chart text.label{font-weight:600}
svg.chart text.value{fill:var(--muted);font-size:11px}
svg.chart text.mark{font-size:11px;font-weight:600}
.axis{stroke:#6e6e76;stroke-width:1}
.gridline{stroke:#e3e3e8;stroke-width:1}
.zero{stroke:#6e6e76;stroke-width:1}
.threshold{stroke:var(--ink);stroke-width:1.5;stroke-dasharray:5 3}
.connector{stroke:#8a8a92;stroke-width:1;stroke-dasharray:2 2}
.z-match,.bar-new,.w-pos{fill:var(--match)}
.z-review{fill:var(--review)}
.z-non,.bar-old{fill:var(--non)}
.bar-old{opacity:.45}
.w-neg{fill:var(--neg)}
.w-prior{fill:var(--prior)}
.w-zero{fill:#b5b5bb}
polyline,.key-a,.key-b{fill:none;stroke-width:2}
.series-a,.key-a{stroke:var(--match)}
.series-b,.key-b{stroke:var(--review)}
.dashed{stroke-dasharray:6 4}
.dot-a{fill:var(--match)}
div.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:8px;margin:10px 0}
.table-wrap{overflow-x:auto;margin:10px 0 18px}
table{border-collapse:collapse;width:100%;font-size:.93rem}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
thead th{border-bottom:2px solid var(--ink)}
tbody th{font-weight:normal}
.num{text-align:right;font-variant-numeric:tabular-nums}
tr.chosen{background:#e8f0fa;font-weight:600}
details{border:1px solid var(--line);border-radius:6px;padding:6px 10px;margin:8px 0}
summary{cursor:pointer;font-size:.95rem}
.ids{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-weight:600}
dl dt{font-weight:700;margin-top:8px}
dl dd{margin:0 0 0 18px}
footer{margin-top:40px;color:var(--muted);font-size:.85rem;border-top:1px solid var(--line);padding-top:8px}
a{color:var(--match)}
:focus-visible{outline:3px solid var(--review);outline-offset:2px}
@media print{
  @page{margin:14mm}
  body{font-size:11pt}
  main{max-width:none;padding:0}
  nav.toc{display:none}
  figure,table,details,.cards,tr{break-inside:avoid}
  h2,h3{break-after:avoid}
  a{color:inherit;text-decoration:none}
  details{border:none;padding:0}
}
`;

/**
 * The report's only script: opens every collapsed explanation before printing, so a printed report
 * holds every waterfall. The page works without it.
 * @example
 * ```ts
 * `<script>${REPORT_SCRIPT}</script>`;
 * ```
 */
export const REPORT_SCRIPT =
  "addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true})});";
