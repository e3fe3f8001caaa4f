import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandboxSecret } from '../../src/config/sandbox-secret';

describe('the sandbox secret', () => {
  it('is made once, readable only by its owner, and the same on every later start', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'hf-secret-')), 'data');
    const first = sandboxSecret(dir);
    expect(first).toMatch(/^[0-9a-f]{48}$/);
    expect(statSync(join(dir, 'sandbox-secret')).mode & 0o777).toBe(0o600);
    expect(sandboxSecret(dir)).toBe(first);
  });
});
