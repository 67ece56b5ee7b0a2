import { describe, expect, it } from 'vitest';
import { DID_YOU_MEAN, didYouMean, nearest, suggest } from '../../../src/diagnostics/suggest.js';

describe('nearest', () => {
  it('offers the closest candidate within 2 edits or a third of its length', () => {
    expect(nearest('organisaton', ['organisation', 'nation'])).toBe('organisation');
    expect(nearest('nme', ['name', 'nation'])).toBe('name');
    expect(nearest('xyzzy', ['name', 'nation'])).toBeUndefined();
    expect(nearest('anything', [])).toBeUndefined();
  });

  it('counts a change of case as an edit unless told to ignore case', () => {
    expect(nearest('NAME', ['name'])).toBeUndefined();
    expect(nearest('NAME', ['name'], { ignoreCase: true })).toBe('name');
  });
});

describe('suggest', () => {
  it('matches ignoring case, hyphens and underscores first', () => {
    expect(suggest('Care_Home', ['supported-living', 'care-home', 'domiciliary'])).toBe('care-home');
  });

  it('takes the one candidate a word starts with', () => {
    expect(suggest('keyworker', ['key', 'link'])).toBe('key');
  });

  it('falls back to the nearest candidate, ignoring case', () => {
    expect(suggest('scotlnd', ['england', 'wales'])).toBeUndefined();
    expect(suggest('Englnd', ['england', 'wales'])).toBe('england');
    expect(suggest('x', [])).toBeUndefined();
  });
});

describe('didYouMean', () => {
  it('ends a message with the guess, or with a full stop, and the guess can be read back', () => {
    const message = `\`nme\` is not a field${didYouMean('name')}`;
    expect(message).toBe('`nme` is not a field; did you mean `name`?');
    expect(DID_YOU_MEAN.exec(message)?.[1]).toBe('name');
    expect(`\`zz\` is not a field${didYouMean(undefined)}`).toBe('`zz` is not a field.');
  });
});
