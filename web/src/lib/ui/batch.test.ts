import { describe, expect, it } from 'vitest';
import { frameBatch } from './batch';

describe('frameBatch', () => {
  it('hands over everything pushed before the frame, once', () => {
    const frames: (() => void)[] = [];
    const got: number[][] = [];
    const b = frameBatch<number>(
      (items) => got.push(items),
      (cb) => frames.push(cb),
    );
    b.push(1);
    b.push(2);
    expect(frames).toHaveLength(1);
    frames[0]();
    b.push(3);
    b.flush();
    frames[1]();
    expect(got).toEqual([[1, 2], [3]]);
  });

  it('drops what is waiting when cancelled', () => {
    const frames: (() => void)[] = [];
    const got: number[][] = [];
    const b = frameBatch<number>(
      (items) => got.push(items),
      (cb) => frames.push(cb),
    );
    b.push(1);
    b.cancel();
    frames[0]();
    expect(got).toEqual([]);
  });
});
