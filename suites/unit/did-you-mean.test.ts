import { describe, expect, test } from 'vitest';
import { closestName, didYouMean, editDistance } from '../../src/base/did-you-mean.ts';
import { FAMILY_IDS, scenarios, selectScenarios } from '../../src/families/registry.ts';

describe('did you mean: the closest valid name, only when it is close', () => {
  test('an edit is an insertion, a deletion, a substitution or two neighbours swapped; case does not count', () => {
    expect(editDistance('familly', 'family')).toBe(1);
    expect(editDistance('prxy', 'proxy')).toBe(1);
    expect(editDistance('postgress', 'postgres')).toBe(1);
    expect(editDistance('lsit', 'list')).toBe(1);
    expect(editDistance('Headers', 'headers')).toBe(0);
    expect(editDistance('', 'run')).toBe(3);
  });

  test('a mistyped option, family, command or scenario id gets the name it most likely meant', () => {
    expect(closestName('--familly', ['--n8n', '--family', '--only'])).toBe('--family');
    expect(closestName('header', FAMILY_IDS)).toBe('headers');
    expect(closestName('lsit', ['run', 'list', 'lab'])).toBe('list');
    expect(
      closestName(
        'headers.missing-heade',
        scenarios.map((s) => s.id),
      ),
    ).toBe('headers.missing-header');
  });

  test('nothing is suggested when no name is close, or two are as close', () => {
    expect(closestName('nope', FAMILY_IDS)).toBeUndefined();
    expect(closestName('3.9', ['3.1', '3.2'])).toBeUndefined();
    expect(didYouMean('banana', ['sqlite', 'postgres'])).toBe('');
    expect(didYouMean('sqlit', ['sqlite', 'postgres'])).toBe(' (did you mean sqlite?)');
  });
});

describe('selecting scenarios', () => {
  test('an id prefix such as headers. (run --help says so) selects the family, as headers does', () => {
    const headers = scenarios.filter((s) => s.family === 'headers').map((s) => s.id);
    expect(selectScenarios({ ids: ['headers.'] }).map((s) => s.id)).toEqual(headers);
    expect(selectScenarios({ ids: ['headers'] }).map((s) => s.id)).toEqual(headers);
  });
});
