/**
 * Makes the library run under a Content-Security-Policy without 'unsafe-eval'. Import it first, before
 * any bloomlink module: some of them parse schemas with zod while they load (the default linkage
 * schema), and zod decides once, on first use, whether to compile validators with `new Function`.
 * Under this page's CSP that probe is refused and reported as a violation; interpreted validation
 * gives the same results.
 */
import { config } from 'zod';

config({ jitless: true });
