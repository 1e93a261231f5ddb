/**
 * The match report in a real browser (headless Chromium): it loads with no console error and no
 * network request, its charts are drawn with a size, its one script runs under the page's
 * Content-Security-Policy, and it prints. Leaves out/report.html, out/report.pdf,
 * out/report-screenshot.png (first screen) and out/report-screenshot-full.png for a person (or a CI
 * artefact) to look at.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build.js';
import { renderReportHtml } from '../../src/report/html.js';
import type { MatchReport } from '../../src/report/types.js';
import { reportFixture } from '../report/fixture.js';
import { type Browser, launchChromium } from './chromium.js';

const OUT = fileURLToPath(new URL('../../out/', import.meta.url));

describe('match report in headless Chromium', () => {
  let browser: Browser;
  let report: MatchReport;
  const problems: string[] = [];
  const requests: string[] = [];
  let url = '';

  beforeAll(async () => {
    const f = reportFixture();
    report = buildReport(f.result, { truth: f.truth, generatedAt: '2026-01-01T00:00:00.000Z' });
    await mkdir(OUT, { recursive: true });
    const path = `${OUT}report.html`;
    await writeFile(path, renderReportHtml(report));
    url = pathToFileURL(path).href;
    browser = await launchChromium();
    const { page } = browser;
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(url, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('loads with no console error and requests nothing but itself', () => {
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
  });

  it('draws every chart that is open with a non-zero size', async () => {
    const charts = await browser.page.$$eval('svg.chart', (els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return {
          id: e.id,
          inClosedDetails: e.closest('details:not([open])') !== null,
          width: r.width,
          height: r.height,
          shapes: e.querySelectorAll('rect, line, polyline, circle').length,
          name: (e.getAttribute('aria-labelledby') ?? '')
            .split(' ')
            .map((id) => document.getElementById(id)?.textContent ?? '')
            .join(' ')
            .trim(),
        };
      }),
    );
    const visible = charts.filter((c) => !c.inClosedDetails);
    const ids = visible.map((c) => c.id);
    for (const id of [
      'chart-passes',
      'chart-histogram',
      'chart-thresholds',
      'chart-weights-0',
      'chart-training-0',
    ]) {
      expect(ids).toContain(id);
    }
    expect(ids).toContain('wf-review-0');
    expect(ids).toContain('wf-match-0');
    expect(charts.filter((c) => c.id.startsWith('chart-weights-'))).toHaveLength(
      report.model.comparisons.length,
    );
    for (const c of visible) {
      expect(c.width, c.id).toBeGreaterThan(100);
      expect(c.height, c.id).toBeGreaterThan(50);
      expect(c.shapes, c.id).toBeGreaterThan(3);
      expect(c.name.length, c.id).toBeGreaterThan(10);
    }
    const bars = await browser.page.$$eval(
      '#chart-histogram rect',
      (els) => els.filter((e) => e.getBoundingClientRect().height > 0).length,
    );
    expect(bars).toBeGreaterThan(10);
  });

  it('fits a phone-width screen without horizontal scrolling', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 400, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await page.setViewportSize({ width: 1000, height: 900 });
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it('opens every explanation for printing, and prints', async () => {
    const { page } = browser;
    await page.emulateMedia({ media: 'print' });
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    const closed = await page.$$eval('details:not([open])', (els) => els.length);
    expect(closed).toBe(0);
    const sizes = await page.$$eval('details svg.chart', (els) =>
      els.map((e) => e.getBoundingClientRect().height),
    );
    expect(sizes.length).toBe(report.explanations.review.length + report.explanations.matches.length);
    for (const h of sizes) expect(h).toBeGreaterThan(50);
    const pdf = await page.pdf({ format: 'Letter', printBackground: true });
    await writeFile(`${OUT}report.pdf`, pdf);
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    await page.emulateMedia({ media: 'screen' });
    expect(problems).toEqual([]);
  });

  it('saves screenshots: the first screen, and the whole page', async () => {
    const { page } = browser;
    await page.evaluate(() => window.scrollTo(0, 0));
    for (const [name, fullPage] of [
      ['report-screenshot.png', false],
      ['report-screenshot-full.png', true],
    ] as const) {
      await page.screenshot({ path: `${OUT}${name}`, fullPage });
      const png = await readFile(`${OUT}${name}`);
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(png.length).toBeGreaterThan(20_000);
    }
  });
});
