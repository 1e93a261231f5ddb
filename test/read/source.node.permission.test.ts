/**
 * A permission error maps to FILE_UNREADABLE. Tests (and CI) run as root, where chmod 000 does not
 * stop a read, so the file system is made to fail the way it does for an ordinary user.
 */
import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    createReadStream: () =>
      new Readable({
        read() {
          this.destroy(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }));
        },
      }),
  };
});

const { fileBytes } = await import('../../src/read/source.node.js');

describe('fileBytes permission errors', () => {
  it('maps EACCES to FILE_UNREADABLE without the error text', async () => {
    const read = async () => {
      for await (const _ of fileBytes('/data/secret.csv')) {
        // drain
      }
    };
    await expect(read()).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
  });
});
