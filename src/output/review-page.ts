/**
 * The review page: one self-contained HTML file (inline CSS and one inline script, no network) in
 * which a reviewer authorised for both halves of a review packet loads the CoC's half and the plan's
 * half (written by `bloomlink review-sheet`), sees each pair side by side with the differences
 * marked, accepts or rejects it, and saves a decisions file `PersonalID,MemberID,Decision` (the input
 * of `match --decisions`). The files are read by the browser from the reviewer's disk and never sent
 * anywhere: the page's Content-Security-Policy forbids every connection and allows only its own
 * script, by hash. The page itself holds no data; the halves do.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { VERSION } from '../version.js';

const CSS = `
:root{color-scheme:light;--diff:#fde68a;--line:#d4d4d8;--muted:#52525b}
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#18181b;background:#fafafa}
main{max-width:1100px;margin:0 auto;padding:1rem 1.25rem 4rem}
h1{font-size:1.4rem;margin:.5rem 0}
.privacy{background:#eef2ff;border-left:4px solid #4f46e5;padding:.5rem .75rem}
.load{display:flex;gap:1.5rem;flex-wrap:wrap;margin:1rem 0}
.load label{display:flex;flex-direction:column;gap:.25rem;font-weight:600}
#status{min-height:1.5em;font-weight:600}
#status.error{color:#b91c1c}
.bar{position:sticky;top:0;background:#fafafa;padding:.5rem 0;border-bottom:1px solid var(--line);display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
button{font:inherit;padding:.35rem .8rem;cursor:pointer}
section.pair{background:#fff;border:1px solid var(--line);border-radius:6px;margin:1rem 0;padding:.5rem .75rem}
section.pair h2{font-size:1rem;margin:.25rem 0 .5rem;display:flex;gap:1rem;flex-wrap:wrap}
section.pair.accept{border-color:#16a34a}
section.pair.reject{border-color:#dc2626}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.2rem .5rem;border-bottom:1px solid #f0f0f0;vertical-align:top}
th[scope=row]{color:var(--muted);font-weight:500;width:12rem}
td.diff{background:var(--diff)}
td.missing{color:var(--muted);font-style:italic}
.decide{display:flex;gap:1rem;margin:.5rem 0 .25rem}
.muted{color:var(--muted)}
`;

/** Runs in the browser: plain ES2020, every value put in the page through textContent, never as HTML. */
const SCRIPT = `
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const halves = { coc: null, mcp: null };
  const decisions = new Map();
  let pairs = [];

  const FIELDS = [
    ['FirstName', 'First name'], ['MiddleName', 'Middle name'], ['LastName', 'Last name'],
    ['NameSuffix', 'Suffix'], ['DOB', 'Date of birth'], ['Sex', 'Sex'], ['SSNLast4', 'SSN, last 4'],
    ['NameDataQuality', 'Name data quality'], ['DOBDataQuality', 'DOB data quality'],
    ['SSNDataQuality', 'SSN data quality'],
  ];
  const FORMULA = /^[=+\\-@\\t\\r]/;
  const PLAIN_NUMBER = /^-?\\d+(?:\\.\\d+)?$/;

  function parseCsv(text) {
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const rows = [];
    let row = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (quoted) {
        if (c === '"') {
          if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
        } else field += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') { row.push(field); field = ''; }
      else if (c === '\\n' || c === '\\r') {
        if (c === '\\r' && text[i + 1] === '\\n') i++;
        row.push(field); field = '';
        if (row.length > 1 || row[0] !== '') rows.push(row);
        row = [];
      } else field += c;
    }
    if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
    return rows;
  }
  // bloomlink writes a formula-like value with a leading apostrophe (spreadsheet safety): undo it.
  function restore(v) {
    let i = 0;
    while (v.charCodeAt(i) === 39) i++;
    return i > 0 && FORMULA.test(v.slice(i)) && !PLAIN_NUMBER.test(v.slice(i)) ? v.slice(1) : v;
  }
  function neutralise(v) {
    let i = 0;
    while (v.charCodeAt(i) === 39) i++;
    const rest = v.slice(i);
    return FORMULA.test(rest) && !PLAIN_NUMBER.test(rest) ? "'" + v : v;
  }
  function csvCell(v) {
    const s = neutralise(v);
    return /[",\\r\\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  const pairKey = (p, m) => p + '\\u0000' + m;

  function readHalf(text, name) {
    const rows = parseCsv(text);
    if (rows.length === 0) throw new Error(name + ': the file is empty');
    const header = rows[0].map((h) => h.trim().toLowerCase());
    const col = (n) => header.indexOf(n.toLowerCase());
    for (const n of ['Side', 'PersonalID', 'MemberID'])
      if (col(n) < 0) throw new Error(name + ": not a review-sheet half (no column '" + n + "')");
    const records = new Map();
    let side = null;
    for (let r = 1; r < rows.length; r++) {
      const get = (n) => { const i = col(n); return i < 0 ? '' : restore((rows[r][i] || '').trim()); };
      const s = get('Side').toLowerCase();
      if (s !== 'coc' && s !== 'mcp') throw new Error(name + ': line ' + (r + 1) + ': Side must be coc or mcp');
      if (side !== null && s !== side) throw new Error(name + ': line ' + (r + 1) + ': a half holds one side only');
      side = s;
      const rec = {};
      for (const [f] of FIELDS) rec[f] = get(f);
      rec.PersonalID = get('PersonalID');
      rec.MemberID = get('MemberID');
      rec.MatchProbability = get('MatchProbability');
      rec.MCPMemberID = get('MCPMemberID');
      if (rec.PersonalID === '' || rec.MemberID === '') throw new Error(name + ': line ' + (r + 1) + ': PersonalID or MemberID is blank');
      records.set(pairKey(rec.PersonalID, rec.MemberID), rec);
    }
    if (side === null) throw new Error(name + ': the half holds no pairs');
    return { side, records, name };
  }

  function setStatus(text, error) {
    const s = $('status');
    s.textContent = text;
    s.className = error ? 'error' : '';
  }

  async function load(input, expected) {
    const file = input.files && input.files[0];
    if (!file) return;
    try {
      const half = readHalf(await file.text(), file.name);
      if (half.side !== expected) {
        input.value = '';
        halves[expected] = null;
        setStatus(file.name + ' is the ' + (half.side === 'coc' ? 'CoC' : 'plan') + "'s half: load it in the other box", true);
        render();
        return;
      }
      halves[expected] = half;
      setStatus('');
      render();
    } catch (e) {
      input.value = '';
      halves[expected] = null;
      setStatus(e.message, true);
      render();
    }
  }

  async function loadDecisions(input) {
    const file = input.files && input.files[0];
    if (!file) return;
    const rows = parseCsv(await file.text());
    const header = (rows[0] || []).map((h) => h.trim().toLowerCase());
    const [p, m, d] = ['personalid', 'memberid', 'decision'].map((n) => header.indexOf(n));
    if (p < 0 || m < 0 || d < 0) { setStatus(file.name + ': not a decisions file (PersonalID,MemberID,Decision)', true); return; }
    let n = 0;
    for (const row of rows.slice(1)) {
      const dec = (row[d] || '').trim().toLowerCase();
      if (dec !== 'accept' && dec !== 'reject') continue;
      const pid = restore((row[p] || '').trim());
      const mid = restore((row[m] || '').trim());
      if (pid === '' || mid === '') continue;
      decisions.set(pairKey(pid, mid), { p: pid, m: mid, d: dec });
      n++;
    }
    setStatus(n + ' earlier decisions loaded from ' + file.name);
    render();
  }

  const same = (a, b) => a.replace(/\\s+/g, ' ').trim().toUpperCase() === b.replace(/\\s+/g, ' ').trim().toUpperCase();

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function render() {
    const list = $('pairs');
    list.replaceChildren();
    const { coc, mcp } = halves;
    if (!coc || !mcp) {
      $('count').textContent = 'Load both halves to see the pairs.';
      $('save').disabled = true;
      pairs = [];
      return;
    }
    const keys = [...coc.records.keys()];
    for (const k of mcp.records.keys()) if (!coc.records.has(k)) keys.push(k);
    pairs = keys.map((k) => ({ key: k, c: coc.records.get(k), m: mcp.records.get(k) }));
    pairs.forEach((pair, i) => list.append(pairSection(pair, i)));
    update();
  }

  function pairSection(pair, i) {
    const any = pair.c || pair.m;
    const sec = el('section', { class: 'pair', 'data-personal-id': any.PersonalID, 'data-member-id': any.MemberID });
    const h = el('h2');
    h.append(el('span', {}, 'Pair ' + (i + 1) + ': PersonalID ' + any.PersonalID + ' ↔ MemberID ' + any.MemberID));
    if (any.MatchProbability) h.append(el('span', { class: 'muted' }, 'match probability ' + any.MatchProbability));
    sec.append(h);
    const table = el('table');
    const head = el('tr');
    head.append(el('th', {}, ''), el('th', { scope: 'col' }, 'CoC (HMIS)'), el('th', { scope: 'col' }, 'Plan'));
    table.append(head);
    const rows = FIELDS.map(([f, label]) => [label, pair.c ? pair.c[f] : null, pair.m ? pair.m[f] : null]);
    if (pair.c && pair.c.MCPMemberID) rows.push(['Plan member ID', pair.c.MCPMemberID, pair.m ? pair.m.MemberID : null]);
    let diffs = 0;
    for (const [label, a, b] of rows) {
      const tr = el('tr');
      tr.append(el('th', { scope: 'row' }, label));
      const differ = a !== null && b !== null && a !== '' && b !== '' && !same(a, b);
      if (differ) diffs++;
      for (const v of [a, b]) {
        const td = v === null ? el('td', { class: 'missing' }, 'not in this half') : el('td', {}, v);
        if (differ) { td.classList.add('diff'); td.title = 'differs'; }
        tr.append(td);
      }
      table.append(tr);
    }
    sec.dataset.differences = String(diffs);
    sec.append(table);
    const decide = el('div', { class: 'decide', role: 'radiogroup', 'aria-label': 'Decision for pair ' + (i + 1) });
    for (const [value, text] of [['accept', 'Same person (accept)'], ['reject', 'Different people (reject)']]) {
      const label = el('label');
      const radio = el('input', { type: 'radio', name: 'd' + i, value });
      if (decisions.get(pair.key)?.d === value) { radio.checked = true; sec.classList.add(value); }
      radio.addEventListener('change', () => {
        decisions.set(pair.key, { p: any.PersonalID, m: any.MemberID, d: value });
        sec.classList.remove('accept', 'reject');
        sec.classList.add(value);
        update();
      });
      label.append(radio, document.createTextNode(' ' + text));
      decide.append(label);
    }
    if (!pair.c || !pair.m) sec.append(el('p', { class: 'muted' }, 'This pair is in one half only: its other record was not found in that party\\'s list.'));
    sec.append(decide);
    return sec;
  }

  function update() {
    const d = pairs.filter((p) => decisions.has(p.key)).length;
    const earlier = decisions.size - d;
    $('count').textContent = d + ' of ' + pairs.length + ' pairs decided' + (earlier > 0 ? ' (and ' + earlier + ' earlier decisions kept)' : '');
    $('save').disabled = decisions.size === 0;
  }

  // The decisions file is cumulative: earlier decisions loaded into the page are saved again with the new ones.
  function decisionsCsv() {
    const lines = ['PersonalID,MemberID,Decision'];
    for (const x of decisions.values()) lines.push([x.p, x.m, x.d].map(csvCell).join(','));
    return lines.join('\\r\\n') + '\\r\\n';
  }

  function save() {
    const blob = new Blob([decisionsCsv()], { type: 'text/csv' });
    const a = el('a', { href: URL.createObjectURL(blob), download: 'decisions.csv' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  $('coc-half').addEventListener('change', (e) => load(e.target, 'coc'));
  $('mcp-half').addEventListener('change', (e) => load(e.target, 'mcp'));
  $('earlier').addEventListener('change', (e) => loadDecisions(e.target));
  $('save').addEventListener('click', save);
  render();
})();
`;

let scriptHash: string | undefined;

function scriptSource(): string {
  if (scriptHash === undefined) {
    const digest = sha256(new TextEncoder().encode(SCRIPT));
    scriptHash = `'sha256-${btoa(String.fromCharCode(...digest))}'`;
  }
  return scriptHash;
}

/**
 * The review page, one HTML file with no data in it (the reviewer loads the two halves into it).
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * writeFileSync('review.html', renderReviewPage());
 * ```
 */
export function renderReviewPage(): string {
  // connect-src 'none' (via default-src): the loaded files cannot be sent anywhere from this page.
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src ${scriptSource()}; base-uri 'none'; form-action 'none'`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="bloomlink ${VERSION}">
<title>bloomlink: review pairs</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>Review the pairs the model could not decide</h1>
<p class="privacy">This page holds no data. The two halves you load are read by this browser tab from
your disk and are never sent anywhere (the page is not allowed to connect to any server). Close the tab
when you are done; keep the halves and the saved decisions where your data-sharing agreement says.</p>
<div class="load">
<label for="coc-half"><span>CoC half (written with <code>--side coc</code>)</span><input type="file" id="coc-half" accept=".csv,text/csv"></label>
<label for="mcp-half"><span>Plan half (written with <code>--side mcp</code>)</span><input type="file" id="mcp-half" accept=".csv,text/csv"></label>
<label for="earlier"><span>Earlier decisions (optional)</span><input type="file" id="earlier" accept=".csv,text/csv"></label>
</div>
<p id="status" role="status"></p>
<div class="bar"><span id="count"></span><button type="button" id="save" disabled>Save decisions.csv</button>
<span class="muted">Saved: every pair you decided, and the earlier decisions you loaded. Differences are highlighted.</span></div>
<div id="pairs"></div>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
