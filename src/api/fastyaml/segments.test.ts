import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasUntaken, Lines, segments } from './segments.ts';

describe('segments', () => {
  it('cuts a stream at --- and ... lines, keeping what the yaml package would read for each document', () => {
    const text = 'a: 1\n--- # c\nb: 2\n...\nc: 3\n---\n';
    const segs = segments(text) ?? [];
    const bodies = segs.map((s) => text.slice(s.body, s.end));
    assert.deepEqual(bodies, ['a: 1\n', 'b: 2\n', 'c: 3\n', '']);
    assert.deepEqual(
      segs.map((s) => text.slice(s.start, s.end)),
      ['a: 1\n', '--- # c\nb: 2\n', 'c: 3\n', '---\n'],
    );
    assert.ok(segs.every((s) => s.fast));
  });

  it('does not cut at --- that is not a marker, and leaves content on a marker line to the yaml package', () => {
    const text = 'a: ---\n---x: 1\n--- |\n  text\n';
    const segs = segments(text) ?? [];
    assert.equal(segs.length, 2);
    assert.deepEqual(
      segs.map((s) => s.fast),
      [true, false],
    );
  });

  it('gives streams with directives to the yaml package whole', () => {
    assert.equal(segments('%YAML 1.1\n---\na: yes\n'), undefined);
    assert.equal(segments('a: 1\n... junk\nb: 2\n'), undefined);
  });

  it('marks only the documents holding characters the fast reader does not take', () => {
    const text = 'a: 1\n---\nb:\tc\n---\nd: \u2028\n---\ne: 😀\n---\nf: \ud800\n---\ng: 1\r\n---\nh: 1\rx\n';
    assert.deepEqual(
      (segments(text) ?? []).map((s) => s.fast),
      [true, false, false, true, false, true, false],
    );
    assert.equal(hasUntaken('\ufeff{}'), true);
    assert.equal(hasUntaken('{"a": "😀"}\r\n'), false);
  });
});

describe('Lines', () => {
  it('numbers lines from 1 (a line break belongs to the line it ends), in any order of asking', () => {
    const lines = new Lines('a\nbc\n\nd');
    const offsets = [0, 1, 2, 4, 5, 6, 7, 2, 0, 6, 1];
    assert.deepEqual(
      offsets.map((o) => lines.at(o)),
      [1, 1, 2, 2, 3, 4, 4, 2, 1, 4, 1],
    );
    const blank = new Lines('\n\nx');
    assert.deepEqual(
      [2, 0, 1, 0].map((o) => blank.at(o)),
      [3, 1, 2, 1],
    );
  });
});
