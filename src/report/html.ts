/**
 * Renders a {@link MatchReport} as one self-contained HTML file: inline CSS, inline SVG charts and
 * one tiny inline script; no network access at all (a Content-Security-Policy forbids every fetch,
 * and allows only that one script by its hash, so even a mis-escaped value could not run code).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { dateTime, esc, int } from './format.js';
import { explanationsSection, glossarySection } from './sections-explain.js';
import { histogramSection, stagesSection, summarySection } from './sections-flow.js';
import { comparisonsSection, thresholdsSection, trainingSection } from './sections-model.js';
import { trustSection } from './sections-trust.js';
import { REPORT_CSS, REPORT_SCRIPT } from './style.js';
import type { MatchReport } from './types.js';

let scriptHash: string | undefined;

/** CSP source of the inline script: 'sha256-<base64>' of its exact text. */
function scriptSource(): string {
  if (scriptHash === undefined) {
    const digest = sha256(new TextEncoder().encode(REPORT_SCRIPT));
    scriptHash = `'sha256-${btoa(String.fromCharCode(...digest))}'`;
  }
  return scriptHash;
}

const TOC: readonly (readonly [string, string])[] = [
  ['trust', 'Can I trust these links?'],
  ['stages', 'From the two lists to linked pairs'],
  ['scores', 'How the scores are spread'],
  ['model', 'What each comparison tells us'],
  ['training', 'How the model learned from the data'],
  ['thresholds', 'Choosing the thresholds'],
  ['explanations', 'Why pairs were linked or sent for review'],
  ['glossary', 'Words used in this report'],
];

/**
 * Renders the match report as one self-contained, printable HTML page (no network, no external
 * files): first how far to trust the links (expected and measured wrong and missed links, model
 * warnings), then counts at each stage, the weight histogram with the thresholds, m and u per comparison
 * level, training convergence, the threshold table and a waterfall per explained pair.
 *
 * @throws RangeError if `report.reportVersion` is not 1.
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { buildReport, match, renderReportHtml } from 'bloomlink';
 * writeFileSync('report.html', renderReportHtml(buildReport(match(coc, mcp))));
 * ```
 */
export function renderReportHtml(report: MatchReport): string {
  if (report.reportVersion !== 1) throw new RangeError('report.reportVersion must be 1');
  const s = report.stages;
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src ${scriptSource()}; base-uri 'none'; form-action 'none'`;
  const privacy = report.idsPseudonymised
    ? 'This report holds no names, dates of birth, SSNs or other personal details, and record identifiers ' +
      'are replaced by labels that exist only in this report.'
    : 'This report holds no names, dates of birth, SSNs or other personal details: only record identifiers ' +
      '(PersonalID, MemberID) and how the encoded fields agreed. Treat it as confidential all the same, since ' +
      'the identifiers point to people in your systems.';
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<meta name="generator" content="bloomlink ${esc(report.libraryVersion)}">`,
    `<title>${esc(report.title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    '<header>',
    `<h1>${esc(report.title)}</h1>`,
    `<p>CoC client list (${esc(int(s.coc.encoded))} records) ↔ plan member list (${esc(int(s.mcp.encoded))} records)</p>`,
    `<p>Made on <time datetime="${esc(report.generatedAt)}">${esc(dateTime(report.generatedAt))}</time> by bloomlink ${esc(report.libraryVersion)}</p>`,
    `<p class="privacy">${esc(privacy)}</p>`,
    '</header>',
    trustSection(report),
    `<nav class="toc" aria-label="Contents"><strong>Contents</strong><ol>${TOC.map(([id, t]) => `<li><a href="#${id}">${esc(t)}</a></li>`).join('')}</ol></nav>`,
    summarySection(report),
    stagesSection(report),
    histogramSection(report),
    comparisonsSection(report),
    trainingSection(report),
    thresholdsSection(report),
    explanationsSection(report),
    glossarySection(),
    `<footer>Made by bloomlink ${esc(report.libraryVersion)}. This file is complete in itself: it needs no ` +
      'network connection and loads nothing from anywhere.</footer>',
    '</main>',
    `<script>${REPORT_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
