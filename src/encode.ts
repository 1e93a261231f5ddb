/**
 * bloomlink/encode — the only entry point that takes a secret key.
 * @packageDocumentation
 */
export {};
