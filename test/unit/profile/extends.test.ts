import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMergedProfile, originOf } from '../../../src/profile/extends.js';
import { tempDir } from '../../helpers.js';

describe('loadMergedProfile', () => {
  it('deep-merges mappings, replaces lists, and does not inherit abstract or extends', async () => {
    const dir = tempDir({
      'base/root.yaml':
        'abstract: true\ndocumentControl:\n  reviewIntervalMonths: 24\n  reviewTriggers: [a, b]\n',
      'base/mid.yaml':
        'extends: root.yaml\nabstract: true\ndocumentControl:\n  owner: Director\nkeyWorking:\n  sharedRole: false\n',
      'clients/leaf.yaml':
        'extends: ../base/mid.yaml\ndocumentControl:\n  reviewTriggers: [c]\nkeyWorking:\n  sharedRole: true\n',
    });
    const { merged, diagnostics } = await loadMergedProfile(path.join(dir, 'clients/leaf.yaml'));
    expect(diagnostics).toEqual([]);
    expect(merged?.data).toEqual({
      extends: '../base/mid.yaml',
      documentControl: { reviewIntervalMonths: 24, reviewTriggers: ['c'], owner: 'Director' },
      keyWorking: { sharedRole: true },
    });
    expect(merged?.chain.map((s) => path.basename(s.file))).toEqual(['leaf.yaml', 'mid.yaml', 'root.yaml']);
    // Each value is located in the file that wrote it, with paths relative to that file.
    expect(path.basename(originOf(merged!, '/documentControl/reviewIntervalMonths').file)).toBe('root.yaml');
    expect(path.basename(originOf(merged!, '/documentControl/owner').file)).toBe('mid.yaml');
    expect(path.basename(originOf(merged!, '/documentControl/reviewTriggers/0').file)).toBe('leaf.yaml');
  });

  it('names the whole chain when a base is missing', async () => {
    const dir = tempDir({ 'a.yaml': 'extends: b.yaml\n', 'b.yaml': 'extends: missing.yaml\n' });
    const { merged, diagnostics } = await loadMergedProfile(path.join(dir, 'a.yaml'));
    expect(merged).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'KP_EXTENDS_NOT_FOUND', line: 1, column: 10 });
    expect(path.basename(diagnostics[0]!.file)).toBe('b.yaml');
    expect(diagnostics[0]!.message).toContain('a.yaml → b.yaml → missing.yaml');
  });

  it('detects a cycle and names it', async () => {
    const dir = tempDir({ 'a.yaml': 'extends: b.yaml\n', 'b.yaml': 'extends: ./a.yaml\n' });
    const { diagnostics } = await loadMergedProfile(path.join(dir, 'a.yaml'));
    expect(diagnostics.map((d) => d.code)).toEqual(['KP_EXTENDS_CYCLE']);
    expect(diagnostics[0]!.message).toContain('a.yaml → b.yaml → a.yaml');
  });

  it('detects a profile that extends itself', async () => {
    const dir = tempDir({ 'a.yaml': 'extends: a.yaml\n' });
    expect((await loadMergedProfile(path.join(dir, 'a.yaml'))).diagnostics[0]?.code).toBe('KP_EXTENDS_CYCLE');
  });

  it('never pollutes prototypes through a merge', async () => {
    const dir = tempDir({
      'base.yaml': 'organisation:\n  name: Base\n',
      'leaf.yaml':
        'extends: base.yaml\norganisation:\n  __proto__:\n    polluted: yes\n  constructor:\n    prototype:\n      polluted: yes\n',
    });
    const { merged, diagnostics } = await loadMergedProfile(path.join(dir, 'leaf.yaml'));
    expect(diagnostics.map((d) => d.code)).toEqual([
      'KP_FORBIDDEN_KEY',
      'KP_FORBIDDEN_KEY',
      'KP_FORBIDDEN_KEY',
    ]);
    expect(merged).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});
