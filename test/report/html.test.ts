import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build.js';
import { renderReportHtml } from '../../src/report/html.js';
import { REPORT_SCRIPT } from '../../src/report/style.js';
import type { MatchReport } from '../../src/report/types.js';
import { emptyResult, reportFixture } from './fixture.js';

const AT = '2026-01-01T00:00:00.000Z';
const VOID = new Set(['meta', 'link', 'br', 'hr', 'img', 'input', 'col', 'wbr', 'source', 'area', 'base']);

/**
 * Checks that markup is well formed: every tag closed in order, attributes quoted, no stray `<`
 * or `>` in text. Returns the problems found (empty when well formed).
 */
function wellFormed(html: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  // Raw-text elements hold CSS/JS; their content is not markup.
  const body = html.replace(/<(style|script)>[\s\S]*?<\/\1>/g, '<$1></$1>').replace(/^<!DOCTYPE html>\n/, '');
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+(?:="[^"<>]*")?)*)\s*(\/?)>/y;
  let i = 0;
  while (i < body.length) {
    const lt = body.indexOf('<', i);
    const text = body.slice(i, lt === -1 ? body.length : lt);
    if (text.includes('>')) problems.push(`stray '>' near ${i}`);
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(body);
    if (!m) {
      problems.push(`malformed tag at ${lt}: ${body.slice(lt, lt + 40)}`);
      break;
    }
    const [, close, name, , self] = m;
    const n = name!.toLowerCase();
    if (close) {
      const open = stack.pop();
      if (open !== n) problems.push(`</${n}> closes <${open}>`);
    } else if (!self && !VOID.has(n)) stack.push(n);
    i = tag.lastIndex;
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(' > ')}`);
  return problems;
}

describe('renderReportHtml', () => {
  const f = reportFixture();
  const report = buildReport(f.result, { truth: f.truth, generatedAt: AT });
  const html = renderReportHtml(report);

  it('is one well-formed HTML document', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(wellFormed(html)).toEqual([]);
    expect(html.match(/<html/g)).toHaveLength(1);
    expect(html).toContain('<meta charset="utf-8">');
  });

  it('has every section, each with a heading and a one-sentence lead, and its charts', () => {
    for (const id of [
      'summary',
      'stages',
      'scores',
      'model',
      'training',
      'thresholds',
      'explanations',
      'glossary',
    ]) {
      expect(html).toMatch(
        new RegExp(`<section id="${id}" aria-labelledby="${id}-h"[^>]*><h2 id="${id}-h">`),
      );
    }
    expect(html.match(/<p class="lead">/g)!.length).toBeGreaterThanOrEqual(8);
    for (const id of [
      'chart-passes',
      'chart-histogram',
      'chart-thresholds',
      'chart-weights-0',
      'chart-training-0',
    ]) {
      expect(html).toContain(`id="${id}"`);
    }
    const comparisons = report.model.comparisons.length;
    expect(html.match(/id="chart-weights-\d+"/g)).toHaveLength(comparisons);
    expect(html.match(/id="wf-review-\d+"/g)).toHaveLength(report.explanations.review.length);
    expect(html.match(/id="wf-match-\d+"/g)).toHaveLength(report.explanations.matches.length);
    expect(html).toContain('Measured precision');
    // Every chart is an accessible image with a title and a description.
    const charts = html.match(/<svg [^>]*>/g)!;
    for (const c of charts) expect(c).toMatch(/role="img" aria-labelledby="([\w-]+)-t \1-d"/);
  });

  it('escapes identifiers (they may hold any character)', () => {
    const hostile = report.explanations.review
      .concat(report.explanations.matches)
      .flatMap((w) => [w.personalId, w.memberId])
      .filter((id) => /[<>&"']/.test(id));
    expect(hostile.length).toBeGreaterThan(0);
    for (const id of hostile) expect(html.includes(id)).toBe(false);
    expect(html).not.toMatch(/<img|<b>|<[^>]*\sonerror=/);
    expect(html).toContain('M&lt;img src=x onerror=alert(');
  });

  it('holds no clear-text value of either list', () => {
    for (const v of f.values) expect(html.includes(v), 'a clear-text value leaked').toBe(false);
  });

  it('needs no network: nothing to load, and a policy that forbids loading', () => {
    const urls = html.match(/(?:https?:)?\/\/[^\s"'<>)]+/g) ?? [];
    expect(urls.filter((u) => u !== 'http://www.w3.org/2000/svg')).toEqual([]);
    expect(html).not.toMatch(/<[^>]*\s(src|srcset|data|action)=|@import|url\(/);
    for (const href of html.match(/href="[^"]*"/g) ?? []) expect(href).toMatch(/^href="#[\w-]+"$/);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/
      .exec(html)![1]!
      .replaceAll('&#39;', "'");
    expect(csp).toContain("default-src 'none'");
    const hash = createHash('sha256').update(REPORT_SCRIPT).digest('base64');
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).toContain(`<script>${REPORT_SCRIPT}</script>`);
  });

  it('says when identifiers are pseudonymised', () => {
    const p = renderReportHtml(buildReport(f.result, { generatedAt: AT, pseudonymiseIds: true }));
    expect(p).toContain('replaced by labels that exist only in this report');
    expect(p).toContain('client-0001');
    for (const [a, b] of f.truth) {
      expect(p.includes(`>${a} ↔`)).toBe(false);
      expect(p.includes(`↔ ${b}<`)).toBe(false);
    }
  });

  it('is deterministic for a given report', () => {
    expect(renderReportHtml(report)).toBe(html);
    expect(renderReportHtml(JSON.parse(JSON.stringify(report)) as MatchReport)).toBe(html);
  });

  it('renders a run that found nothing', () => {
    const e = renderReportHtml(buildReport(emptyResult(f.result), { generatedAt: AT }));
    expect(wellFormed(e)).toEqual([]);
    expect(e).toContain('No pair needs review.');
    expect(e).toContain('No match to show.');
    expect(e).not.toContain('NaN');
  });

  it('never prints NaN or Infinity', () => {
    expect(html).not.toMatch(/NaN|Infinity/);
  });

  it('refuses a report of another version', () => {
    const other = { ...report, reportVersion: 2 } as unknown as MatchReport;
    expect(() => renderReportHtml(other)).toThrow(RangeError);
  });
});
