/**
 * The bundled worker's JavaScript as text, provided by build.ts: the page starts the worker from a
 * `blob:` URL made of it, so the worker inherits the page's Content-Security-Policy.
 */
declare module 'virtual:encode-worker' {
  const source: string;
  export default source;
}
