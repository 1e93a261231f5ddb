/**
 * Small HTML building blocks shared by the report's sections: sections with a plain-language lead
 * sentence, data tables, figures. Callers pass cell content already escaped (or built by these).
 */
import { esc } from './format.js';

/** A table cell: text (escaped here) or `{ html }` (trusted markup built by the report), optionally numeric. */
export type Cell = string | { readonly html: string; readonly num?: boolean };

/**
 * A numeric cell (right-aligned, escaped).
 * @example
 * ```ts
 * num('1,234');
 * ```
 */
export function num(s: string): Cell {
  return { html: esc(s), num: true };
}

/**
 * A data table with a caption and column headers.
 * @example
 * ```ts
 * table('Blocking rules', ['Rule', 'Pairs'], [['dob', num('1,138')]]);
 * ```
 */
export function table(
  caption: string,
  headers: readonly Cell[],
  rows: readonly (readonly Cell[])[],
  rowClass?: (i: number) => string | undefined,
): string {
  const cell = (c: Cell, tag: 'td' | 'th', scope = ''): string => {
    const isNum = typeof c !== 'string' && c.num === true;
    const content = typeof c === 'string' ? esc(c) : c.html;
    return `<${tag}${scope}${isNum ? ' class="num"' : ''}>${content}</${tag}>`;
  };
  const head = headers.map((h) => cell(h, 'th', ' scope="col"')).join('');
  const body = rows
    .map((r, i) => {
      const cls = rowClass?.(i);
      return `<tr${cls ? ` class="${cls}"` : ''}>${r.map((c, k) => (k === 0 ? cell(c, 'th', ' scope="row"') : cell(c, 'td'))).join('')}</tr>`;
    })
    .join('\n');
  return `<div class="table-wrap"><table><caption>${esc(caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/**
 * A numbered report section: heading, one plain-language sentence saying what it shows, content.
 * @example
 * ```ts
 * section('scores', '2. How the scores are spread', 'Every compared pair gets a score.', chartHtml);
 * ```
 */
export function section(id: string, heading: string, lead: string, content: string): string {
  return `<section id="${esc(id)}" aria-labelledby="${esc(id)}-h"><h2 id="${esc(id)}-h">${esc(heading)}</h2><p class="lead">${esc(lead)}</p>\n${content}\n</section>`;
}

/**
 * A figure around a chart, with a caption in words.
 * @example
 * ```ts
 * figure(svgMarkup, 'Most pairs score far below the thresholds.');
 * ```
 */
export function figure(chart: string, caption: string): string {
  return `<figure>${chart}<figcaption>${esc(caption)}</figcaption></figure>`;
}

/**
 * A paragraph of escaped text.
 * @example
 * ```ts
 * para('No pair needs review.');
 * ```
 */
export function para(s: string, cls?: string): string {
  return `<p${cls ? ` class="${cls}"` : ''}>${esc(s)}</p>`;
}
