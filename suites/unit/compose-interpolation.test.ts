import { describe, expect, test } from 'vitest';
import { interpolate, MissingVariableError, projectVariables } from '../../src/features/check/interpolate.ts';

describe('compose interpolation, as docker compose does it', () => {
  const vars = { SET: 'v', EMPTY: '' };

  test.each([
    ['${SET}', 'v'],
    ['$SET/x', 'v/x'],
    ['${UNSET}', ''],
    ['${UNSET:-d}', 'd'],
    ['${EMPTY:-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${UNSET-d}', 'd'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET+alt}', ''],
    ['${UNSET:-${SET}-x}', 'v-x'],
    ['${UNSET:-${ALSO_UNSET:-deep}}', 'deep'],
    ['$$SET and $${SET}', '$SET and ${SET}'],
    ['cost: 5$', 'cost: 5$'],
    ['docker.n8n.io/n8nio/n8n:${N8N_VERSION:-stable}', 'docker.n8n.io/n8nio/n8n:stable'],
  ])('%s -> %s', (text, expected) => {
    expect(interpolate(text, vars)).toBe(expected);
  });

  test('a required variable: ${VAR:?msg} refuses unset and empty, ${VAR?msg} only unset', () => {
    expect(() => interpolate('${UNSET:?set it in .env}', vars)).toThrow(MissingVariableError);
    expect(() => interpolate('${EMPTY:?set it}', vars)).toThrow(/requires EMPTY: set it/);
    expect(interpolate('${EMPTY?set it}', vars)).toBe('');
    expect(interpolate('${SET:?set it}', vars)).toBe('v');
  });

  test('an unclosed or invalid ${...} is refused, as compose refuses it', () => {
    expect(() => interpolate('${SET', vars)).toThrow(/unclosed/);
    expect(() => interpolate('${9X}', vars)).toThrow(/invalid interpolation/);
    expect(() => interpolate('${SET:x}', vars)).toThrow(/invalid interpolation/);
  });

  test("the shell's variables win over .env; a .env value may use the ones before it", () => {
    const v = projectVariables({ A: 'from-env', B: '${A}-b', C: '${SHELL_ONLY:-none}' }, { A: 'from-shell', SHELL_ONLY: 's' });
    expect([v.A, v.B, v.C]).toEqual(['from-shell', 'from-shell-b', 's']);
  });
});
