/**
 * The page script: reads the form, starts a fresh encoding worker per run, and turns the worker's
 * messages into progress, downloads or an error. Files are handed to the worker as `File` handles;
 * the page itself never reads them.
 */
import workerSource from 'virtual:encode-worker';
import { localDay, outputNames } from './names.js';
import type { EncodeRequest, WorkerMessage } from './protocol.js';
import { PageView } from './view.js';

const view = new PageView();
view.today.value = localDay();

// A blob: URL rather than a worker file: a worker from a local URL inherits the page's CSP (no
// connections), and the page also works when opened straight from a folder, where file: workers fail.
const workerUrl = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
let worker: Worker | undefined;

/** Ends the current run; terminating the worker also drops its key material and buffers. */
function stop(): void {
  worker?.terminate();
  worker = undefined;
}

/** The request for the form's current values, or the reason the run cannot start. */
function readForm(): EncodeRequest | string {
  const list = view.list.files?.[0];
  const key = view.key.files?.[0];
  const schema = view.schema.files?.[0];
  if (list === undefined) return 'Pick the client list (step 1).';
  if (key === undefined) return 'Pick the key file (step 2).';
  const today = view.today.value;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) return 'Enter a reference date (under "More options").';
  return {
    type: 'encode',
    list,
    listName: list.name,
    key,
    keyName: key.name,
    ...(schema ? { schema, schemaName: schema.name } : {}),
    format: view.format.value === 'jsonl' ? 'jsonl' : 'arrow',
    today,
  };
}

function start(): void {
  const request = readForm();
  if (typeof request === 'string') {
    view.failed(request);
    return;
  }
  stop();
  view.running();
  const w = new Worker(workerUrl, { name: 'bloomlink-encode' });
  worker = w;
  w.onmessage = (event: MessageEvent<WorkerMessage>) => {
    if (worker !== w) return; // a late message from a cancelled run
    const m = event.data;
    if (m.type === 'progress') {
      view.progress(m);
    } else if (m.type === 'done') {
      stop();
      const names = outputNames(request.listName, m.format);
      view.done(m, {
        encoded: m.encoded,
        encodedName: names.encoded,
        rejects: m.rejects,
        rejectsName: names.rejects,
      });
    } else {
      stop();
      view.failed(m.message);
    }
  };
  w.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    if (worker !== w) return;
    stop();
    console.error(event.message);
    view.failed('The encoder could not run in this browser; use a current Chrome, Edge, Firefox or Safari.');
  };
  w.postMessage(request);
}

view.form.addEventListener('submit', (event) => {
  event.preventDefault();
  start();
});
view.cancel.addEventListener('click', () => {
  stop();
  view.cancelled();
});
