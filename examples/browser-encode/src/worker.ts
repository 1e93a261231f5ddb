/**
 * The encoding Web Worker: receives the picked files, runs {@link encodeJob} off the page's thread
 * (so the page stays responsive on lists of millions of rows) and posts progress and the results.
 *
 * The page starts it from a `blob:` URL, so it inherits the page's Content-Security-Policy
 * (`connect-src 'none'`): this code could not send anything anywhere even if it tried.
 */
// First: it must run before any library module loads (see csp-safe.ts).
import './csp-safe.js';
import { BloomlinkError } from '../../../src/errors.js';
import { encodeJob } from './encode-job.js';
import type { EncodeRequest, WorkerMessage } from './protocol.js';

/** Progress messages at most this often: the page cannot show more, and each one costs a clone. */
const PROGRESS_INTERVAL_MS = 100;

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(message: WorkerMessage): void {
  scope.postMessage(message);
}

async function run(request: EncodeRequest): Promise<void> {
  let last = 0;
  const result = await encodeJob(request, (p) => {
    const now = performance.now();
    if (now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    post({ type: 'progress', ...p });
  });
  post({ type: 'done', format: request.format, ...result });
}

function failure(e: unknown): WorkerMessage {
  if (e instanceof BloomlinkError) return { type: 'failed', code: e.code, message: e.message };
  if (e instanceof DOMException && e.name === 'NotReadableError') {
    return {
      type: 'failed',
      message: 'A picked file could not be read (it may have been moved or changed since); pick it again.',
    };
  }
  // Library errors never carry values, but a bug's message is not written for administrators: say
  // what kind of failure it was and leave the details to the browser console.
  console.error(e);
  const kind = e instanceof Error ? e.name : 'Error';
  return {
    type: 'failed',
    message: `Unexpected ${kind} while encoding; see the browser console for details.`,
  };
}

// Chromium does not show a worker's CSP violations in the page's console; log them so they are seen
// (and so the browser test, which fails on any console error, catches one).
scope.addEventListener('securitypolicyviolation', (event) => {
  const e = event as SecurityPolicyViolationEvent;
  console.error(
    `Blocked by the page's security policy: ${e.effectiveDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
  );
});

scope.onmessage = (event: MessageEvent<EncodeRequest>) => {
  if (event.data?.type !== 'encode') return;
  run(event.data).catch((e: unknown) => post(failure(e)));
};
