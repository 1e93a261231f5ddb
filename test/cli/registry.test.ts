/**
 * The dispatcher's list of commands (src/cli/registry.ts) names each command as its module does: the
 * main help is printed from the list without loading any command.
 */
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/registry.js';

describe('command registry', () => {
  it('has unique names', () => {
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
  });

  for (const entry of COMMANDS)
    it(`${entry.name}: the loaded command has the entry's name and summary`, async () => {
      const cmd = await entry.load();
      expect({ name: cmd.name, summary: cmd.summary }).toEqual({ name: entry.name, summary: entry.summary });
    });
});
