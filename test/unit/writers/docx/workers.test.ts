import { describe, expect, it } from 'vitest';
import { renderDocx } from '../../../../src/writers/docx/docx.js';
import { DocxWorkers } from '../../../../src/writers/docx/workers.js';
import { draftVersion, model } from './fixtures.js';

describe('DOCX worker threads', () => {
  it('give the bytes this thread gives, and fail what they hold when stopped', async () => {
    const doc = await model('wales-care-home', draftVersion(['Manager']));
    const workers = new DocxWorkers(2);
    try {
      const [a, b] = await Promise.all([workers.render(doc), workers.render(doc)]);
      const here = await renderDocx(doc);
      expect(a.equals(here) && b.equals(here)).toBe(true);
      // Watched before the close that rejects it, so the rejection is never unhandled.
      const held = expect(workers.render(doc)).rejects.toMatchObject({ code: 'KP_DOCX_FAILED' });
      await workers.close();
      await held;
      await expect(workers.render(doc)).rejects.toMatchObject({ code: 'KP_DOCX_FAILED' });
    } finally {
      await workers.close();
    }
  });
});
