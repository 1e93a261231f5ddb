/**
 * The page's DOM: finds the elements index.html declares and renders the run's states (idle,
 * running, done, failed). Holds no encoding logic and never sees a value from the list.
 */
import { formatKeyCheck } from '../../../src/encoded/key-check.js';
import type { EncodeDone, EncodeProgress } from './protocol.js';

const count = new Intl.NumberFormat('en-US');
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 0 });

function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new TypeError(`index.html must have a <${type.name}> with id '${id}'`);
  return el;
}

/** A finished run's files, ready to download under these names. */
export interface Downloads {
  readonly encoded: Blob;
  readonly encodedName: string;
  readonly rejects: Blob;
  readonly rejectsName: string;
}

/**
 * The page's elements and how each state of a run looks.
 *
 * @example
 * ```ts
 * const view = new PageView();
 * view.running();
 * view.progress({ type: 'progress', rowsRead: 5000, bytesRead: 1e6, totalBytes: 4e6, encoded: 4990 });
 * ```
 */
export class PageView {
  readonly form = byId('form', HTMLFormElement);
  readonly list = byId('list', HTMLInputElement);
  readonly key = byId('key', HTMLInputElement);
  readonly schema = byId('schema', HTMLInputElement);
  readonly format = byId('format', HTMLSelectElement);
  readonly today = byId('today', HTMLInputElement);
  readonly cancel = byId('cancel', HTMLButtonElement);
  readonly #inputs = byId('inputs', HTMLFieldSetElement);
  readonly #start = byId('start', HTMLButtonElement);
  readonly #progressPanel = byId('progress-panel', HTMLElement);
  readonly #bar = byId('bar', HTMLProgressElement);
  readonly #status = byId('status', HTMLParagraphElement);
  readonly #errorPanel = byId('error-panel', HTMLElement);
  readonly #errorMessage = byId('error-message', HTMLParagraphElement);
  readonly #resultPanel = byId('result-panel', HTMLElement);
  readonly #counts = byId('counts', HTMLDListElement);
  readonly #keyCheck = byId('key-check', HTMLElement);
  readonly #downloads = byId('downloads', HTMLParagraphElement);
  /** Object URLs of the shown downloads, revoked when they are replaced so their Blobs can be freed. */
  #urls: string[] = [];

  /** Shows an empty progress bar and locks the inputs. */
  running(): void {
    this.#clearResult();
    this.#errorPanel.hidden = true;
    this.#inputs.disabled = true;
    this.#start.disabled = true;
    this.cancel.hidden = false;
    this.#bar.removeAttribute('value'); // indeterminate until the first report
    this.#status.textContent = 'Reading the key and starting…';
    this.#progressPanel.hidden = false;
  }

  /** Moves the bar: by bytes read, which is what a user can relate to the file size. */
  progress(p: EncodeProgress): void {
    const share = p.totalBytes > 0 ? Math.min(1, p.bytesRead / p.totalBytes) : 0;
    this.#bar.value = share;
    this.#status.textContent = `Encoding… ${count.format(p.rowsRead)} rows read (${percent.format(share)})`;
  }

  /** Shows the counts and the download links. */
  done(result: EncodeDone, files: Downloads): void {
    this.#unlock();
    this.#bar.value = 1;
    this.#status.textContent = `Finished: ${count.format(result.summary.rowsRead)} rows read.`;
    const s = result.summary;
    const who = result.kind === 'coc' ? 'CoC clients' : 'plan members';
    const rows: [string, string][] = [
      ['Rows read', count.format(s.rowsRead)],
      [`Encoded (${who})`, count.format(result.records)],
      ['Rejected rows', count.format(s.rejected)],
      ['Warnings', count.format(s.warnings)],
    ];
    this.#counts.replaceChildren(
      ...rows.flatMap(([term, value]) => [element('dt', term), element('dd', value)]),
    );
    // The same display as the CLI's `key check:` line (keygen, encode, match), to compare by phone.
    this.#keyCheck.textContent = formatKeyCheck(result.keyCheck);
    this.#downloads.replaceChildren(
      this.#downloadLink('download-encoded', files.encoded, files.encodedName),
      this.#downloadLink('download-rejects', files.rejects, files.rejectsName),
    );
    this.#resultPanel.hidden = false;
  }

  /** Shows why the run stopped; the message names files and columns, never values. */
  failed(message: string): void {
    this.#unlock();
    this.#progressPanel.hidden = true;
    this.#errorMessage.textContent = message;
    this.#errorPanel.hidden = false;
  }

  /** Back to the form after a cancelled run. */
  cancelled(): void {
    this.#unlock();
    this.#progressPanel.hidden = true;
  }

  #unlock(): void {
    this.#inputs.disabled = false;
    this.#start.disabled = false;
    this.cancel.hidden = true;
  }

  #downloadLink(id: string, blob: Blob, name: string): HTMLAnchorElement {
    const url = URL.createObjectURL(blob);
    this.#urls.push(url);
    const link = document.createElement('a');
    link.id = id;
    link.className = id === 'download-encoded' ? 'button' : 'button secondary';
    link.href = url;
    link.download = name;
    link.textContent = `Download ${name}`;
    return link;
  }

  #clearResult(): void {
    for (const url of this.#urls) URL.revokeObjectURL(url);
    this.#urls = [];
    this.#resultPanel.hidden = true;
    this.#downloads.replaceChildren();
  }
}

function element(tag: 'dt' | 'dd', text: string): HTMLElement {
  const el = document.createElement(tag);
  el.textContent = text;
  return el;
}
