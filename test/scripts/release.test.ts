/**
 * The pure parts of scripts/release.ts: arguments, version order, CHANGELOG sections and the version
 * bumps of package.json, package-lock.json and src/version.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  changelogProblem,
  changelogSection,
  compareVersions,
  parseReleaseArgs,
  withJsonVersion,
  withVersionConstant,
} from '../../scripts/release.js';

const CHANGELOG = `# Changelog

Intro.

## [Unreleased]

- Next thing.

## [0.2.0] - 2026-12-24

### Added

- A feature.

## [0.1.0] - 2026-11-22

- First version.

[0.2.0]: https://example.org/compare/v0.1.0...v0.2.0
`;

describe('parseReleaseArgs', () => {
  it('takes a version and --dry-run in either order', () => {
    expect(parseReleaseArgs(['0.2.0'])).toEqual({ version: '0.2.0', dryRun: false });
    expect(parseReleaseArgs(['--dry-run', '1.0.0-rc.1'])).toEqual({ version: '1.0.0-rc.1', dryRun: true });
  });
  it('refuses a missing, extra, unknown or non-semver argument', () => {
    expect(() => parseReleaseArgs([])).toThrow(/usage/);
    expect(() => parseReleaseArgs(['--dry-run'])).toThrow(/usage/);
    expect(() => parseReleaseArgs(['0.2.0', '0.3.0'])).toThrow(/usage/);
    expect(() => parseReleaseArgs(['--publish', '0.2.0'])).toThrow(/usage/);
    for (const v of ['v0.2.0', '0.2', '01.2.3', '0.2.0+build']) {
      expect(() => parseReleaseArgs([v])).toThrow(/semantic version/);
    }
  });
});

describe('compareVersions', () => {
  it('orders versions by semver precedence', () => {
    const ordered = [
      '0.1.0',
      '0.1.1',
      '0.2.0-alpha',
      '0.2.0-alpha.1',
      '0.2.0-alpha.beta',
      '0.2.0-beta.2',
      '0.2.0-beta.11',
      '0.2.0-rc.1',
      '0.2.0',
      '0.10.0',
      '1.0.0',
    ];
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) {
        expect(Math.sign(compareVersions(ordered[i] ?? '', ordered[j] ?? ''))).toBe(Math.sign(i - j));
      }
    }
  });
  it('refuses a non-version', () => {
    expect(() => compareVersions('1.0', '1.0.0')).toThrow(TypeError);
  });
});

describe('changelogSection', () => {
  it('returns a version’s date and text up to the next section', () => {
    expect(changelogSection(CHANGELOG, '0.2.0')).toEqual({
      version: '0.2.0',
      date: '2026-12-24',
      body: '### Added\n\n- A feature.',
    });
  });
  it('leaves out link definitions at the end of the last section', () => {
    expect(changelogSection(CHANGELOG, '0.1.0')?.body).toBe('- First version.');
  });
  it('matches the version exactly (dots are not wildcards, no prefix matches)', () => {
    expect(changelogSection(CHANGELOG, '0.2.00')).toBeUndefined();
    expect(changelogSection(CHANGELOG.replace('[0.2.0]', '[0x2x0]'), '0.2.0')).toBeUndefined();
    expect(changelogSection(CHANGELOG, '0.2')).toBeUndefined();
  });
});

describe('changelogProblem', () => {
  it('accepts a dated section with entries', () => {
    expect(changelogProblem(CHANGELOG, '0.2.0')).toBeUndefined();
  });
  it('names what is missing', () => {
    expect(changelogProblem(CHANGELOG, '0.3.0')).toMatch(/no section "## \[0.3.0\]/);
    expect(changelogProblem('## [0.3.0]\n\n- x\n', '0.3.0')).toMatch(/release date/);
    expect(changelogProblem('## [0.3.0] - 2026-02-30\n\n- x\n', '0.3.0')).toMatch(/release date/);
    expect(changelogProblem('## [0.3.0] - 2026-02-01\n\n## [0.2.0] - 2026-01-01\n\n- x\n', '0.3.0')).toMatch(
      /lists no changes/,
    );
  });
  it('finds the repository CHANGELOG’s 0.1.0 section complete', () => {
    const text = readFileSync(new URL('../../CHANGELOG.md', import.meta.url), 'utf8');
    expect(changelogProblem(text, '0.1.0')).toBeUndefined();
    expect(changelogSection(text, 'Unreleased')?.body).toMatch(/^- /m);
  });
});

describe('version bumps', () => {
  it('sets package.json and the lockfile’s root package version, nothing else', () => {
    const lock = `${JSON.stringify(
      {
        name: 'bloomlink',
        version: '0.1.0',
        lockfileVersion: 3,
        packages: { '': { name: 'bloomlink', version: '0.1.0' }, 'node_modules/zod': { version: '0.1.0' } },
      },
      null,
      2,
    )}\n`;
    const bumped = JSON.parse(withJsonVersion(lock, '0.2.0'));
    expect(bumped.version).toBe('0.2.0');
    expect(bumped.packages[''].version).toBe('0.2.0');
    expect(bumped.packages['node_modules/zod'].version).toBe('0.1.0');
    expect(withJsonVersion(withJsonVersion(lock, '0.2.0'), '0.1.0')).toBe(lock);
    expect(() => withJsonVersion('{}', '0.2.0')).toThrow(/version/);
  });
  it('keeps the repository’s package.json byte for byte apart from the version', () => {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const version = JSON.parse(text).version;
    expect(withJsonVersion(text, version)).toBe(text);
  });
  it('sets VERSION in src/version.ts', () => {
    const text = readFileSync(new URL('../../src/version.ts', import.meta.url), 'utf8');
    const bumped = withVersionConstant(text, '9.8.7');
    expect(bumped).toContain("export const VERSION = '9.8.7';");
    expect(bumped.replace("'9.8.7'", "'X'")).toBe(text.replace(/VERSION = '[^']*'/, "VERSION = 'X'"));
    expect(() => withVersionConstant('const V = 1;', '1.0.0')).toThrow(/VERSION/);
  });
});
