// The upload queue shows a file's name cleaned by web/src/features/files/file.name.ts before the
// server answers: it must clean exactly as the server does, or the name would change on arrival.
import { describe, expect, it } from 'vitest';
import { cleanDisplayName } from '../api/src/modules/files/file.name.js';
import { cleanFileName } from '../web/src/features/files/file.name.js';

const NAMES = [
  'report.pdf',
  'invoice\u202Egnp.exe',
  'x\u2066y\u2069z\u200f\u061c.txt',
  'line\nbreak\r\n.txt',
  '\ud800lone.txt',
  '../../etc/passwd',
  'C:\\Users\\me\\notes.txt',
  '...',
  '\u202E',
  '  spaced   out  .csv ',
  'b'.repeat(400) + '.tar.gz',
  '😀'.repeat(300),
  'e\u0301te\u0301.txt',
  '\ufeffbom.txt',
];

describe('the web cleans upload names as the server does', () => {
  it.each(NAMES.map((n) => [JSON.stringify(n).slice(0, 40), n]))('%s', (_label, name) => {
    expect(cleanFileName(name)).toBe(cleanDisplayName(name));
  });

  it('drops the bidi override that would show "invoice‮gnp.exe" as "invoiceexe.png"', () => {
    expect(cleanFileName('invoice\u202Egnp.exe')).toBe('invoicegnp.exe');
  });
});
