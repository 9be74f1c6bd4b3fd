import { describe, expect, it } from 'vitest';
import { readResult } from './file.result';

describe('readResult', () => {
  it('reads a text preview', () => {
    expect(readResult('{"preview":"hi","previewTruncated":false}')).toMatchObject({
      preview: 'hi',
      previewTruncated: false,
      errors: [],
    });
  });

  it('describes images, archives, summaries and errors', () => {
    const r = readResult(
      JSON.stringify({
        image: { format: 'png', width: 640, height: 480 },
        archive: { format: 'zip', entries: 7, names: ['a', 'b', 'c', 'd', 'e', 'f'] },
        summary: 'A cat.',
        errors: [{ processor: 'ai', message: 'timed out' }, {}],
      }),
    );
    expect(r?.image).toBe('PNG 640×480');
    expect(r?.archive).toBe('zip, 7 entries: a, b, c, d, e, …');
    expect(r?.summary).toBe('A cat.');
    expect(r?.errors).toEqual(['ai: timed out', 'failed']);
  });

  it('keeps anything else as raw text', () => {
    expect(readResult('not json <b>')?.raw).toBe('not json <b>');
    expect(readResult('[1,2]')?.raw).toBe('[1,2]');
    expect(readResult(null)).toBeNull();
  });
});
