import { describe, expect, it } from 'vitest';
import * as encodeEntry from '../src/encode.js';
import { BloomlinkError } from '../src/errors.js';
import * as rootEntry from '../src/index.js';
import * as nodeEntry from '../src/node.js';
import * as synthEntry from '../src/synth-entry.js';

describe('BloomlinkError', () => {
  it('is exported by every entry point, the same class', () => {
    for (const entry of [rootEntry, encodeEntry, nodeEntry, synthEntry])
      expect(entry.BloomlinkError).toBe(BloomlinkError);
  });

  it('instanceof holds for an error from another copy of the class (another bundle), by its brand', () => {
    // What a second bundle's copy of the class makes: same brand, another prototype chain.
    const brand = Symbol.for('bloomlink.error');
    class OtherCopy extends Error {
      readonly code = 'KEY_WEAK';
      constructor() {
        super('x');
        Object.defineProperty(this, brand, { value: true });
      }
    }
    const foreign = new OtherCopy();
    expect(foreign instanceof BloomlinkError).toBe(true);
    expect(new BloomlinkError('KEY_WEAK', 'x') instanceof BloomlinkError).toBe(true);
    // Without the brand, nothing else passes: plain errors, look-alikes, primitives.
    expect(new Error('x') instanceof BloomlinkError).toBe(false);
    expect(
      Object.assign(new Error('x'), { name: 'BloomlinkError', code: 'KEY_WEAK' }) instanceof BloomlinkError,
    ).toBe(false);
    for (const v of [null, undefined, 'BloomlinkError', 42] as unknown[])
      expect(v instanceof BloomlinkError).toBe(false);
  });

  it('a subclass keeps the ordinary prototype check', () => {
    class Sub extends BloomlinkError {}
    const base = new BloomlinkError('INPUT_INVALID', 'x');
    const sub = new Sub('INPUT_INVALID', 'y');
    expect(sub instanceof Sub).toBe(true);
    expect(sub instanceof BloomlinkError).toBe(true);
    expect(base instanceof Sub).toBe(false);
  });
});
