import { describe, expect, it } from 'vitest';
import {
  emptySections,
  linkProblem,
  linksIn,
  placeholdersIn,
} from '../../../src/pipeline/submission-text.js';

describe('placeholdersIn', () => {
  it('finds each kind of placeholder once, in order, with its offset', () => {
    const text = 'Call {{org_field_phone}} or [insert name], TBC. XXXX lorem  ipsum org_field_fax }}';
    expect(placeholdersIn(text).map((p) => [p.index, p.text])).toEqual([
      [5, '{{org_field_phone}}'],
      [28, '[insert name]'],
      [43, 'TBC'],
      [48, 'XXXX'],
      [53, 'lorem  ipsum'],
      [66, 'org_field_fax'],
      [80, '}}'],
    ]);
  });

  it('leaves ordinary words alone', () => {
    expect(placeholdersIn('Insert the plan into the file; TBCs and the XX group; Lorem is a name.')).toEqual(
      [],
    );
  });
});

describe('emptySections', () => {
  it('finds a heading with nothing before the next heading of the same or a higher level', () => {
    const markdown = [
      '## Purpose', // 1
      '',
      'Text.',
      '## Scope', // 4: empty
      '<!-- a comment prints nothing -->',
      '## Roles', // 6: its subsection holds the content
      '### Key worker', // 7
      'Text.',
      '### Manager', // 9: empty, at the end of its parent
      '## Last', // 10: empty at the end
      '',
    ].join('\n');
    expect(emptySections(markdown)).toEqual([
      { line: 4, heading: '## Scope', text: 'Scope' },
      { line: 9, heading: '### Manager', text: 'Manager' },
      { line: 10, heading: '## Last', text: 'Last' },
    ]);
  });

  it('reads a # inside a code block as content, not a heading', () => {
    expect(emptySections('## Example\n\n```\n# not a heading\n```\n')).toEqual([]);
  });

  it('reports a parent whose subsections are empty only through them', () => {
    expect(emptySections('## A\n### B\n## C\nText\n').map((s) => s.line)).toEqual([2]);
  });
});

describe('links', () => {
  it('finds link targets and written-out addresses, without trailing punctuation', () => {
    expect(
      linksIn('See [CQC](https://www.cqc.org.uk/guidance) and https://socialcare.wales/.').map((l) => l.url),
    ).toEqual(['https://www.cqc.org.uk/guidance', 'https://socialcare.wales/']);
    expect(linksIn('[x](htps://cqc.org.uk)')[0]?.url).toBe('htps://cqc.org.uk');
  });

  it('accepts a real address and says what is wrong with a bad one', () => {
    expect(linkProblem('https://www.cqc.org.uk/guidance-providers')).toBeUndefined();
    expect(linkProblem('http://gov.wales')).toBeUndefined();
    expect(linkProblem('htps://cqc.org.uk')).toMatch(/not a well-formed web address/);
    expect(linkProblem('https://intranet/policies')).toMatch(/not a domain name/);
    expect(linkProblem('https://www.example.com/policy')).toMatch(/reserved for examples/);
    expect(linkProblem('https://bad_host.org.uk')).toMatch(/not a domain name/);
  });
});
