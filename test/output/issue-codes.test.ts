import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ISSUE_CODES } from '../../src/issue-codes.js';
import { OUTPUT_ISSUE_CODES } from '../../src/output/issue-codes.js';
import { issueInfo } from '../../src/output/issues.js';

describe('output issue codes', () => {
  it('do not reuse a reader code', () => {
    for (const code of Object.keys(OUTPUT_ISSUE_CODES))
      expect(Object.hasOwn(ISSUE_CODES, code), code).toBe(false);
  });

  it('are all documented in docs/formats-outputs.md, with their severity', () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'formats-outputs.md'), 'utf8');
    for (const [code, info] of Object.entries(OUTPUT_ISSUE_CODES)) {
      expect(doc, code).toMatch(new RegExp(`\\| \`${code}\` \\| ${info.severity} \\|`));
    }
  });

  it('resolve through issueInfo, reader codes included', () => {
    expect(issueInfo('LINK_DUPLICATE').severity).toBe('error');
    expect(issueInfo('DATE_UNPARSEABLE').severity).toBe('warning');
    expect(() => issueInfo('NOPE' as 'LINK_DUPLICATE')).toThrow(TypeError);
  });
});
