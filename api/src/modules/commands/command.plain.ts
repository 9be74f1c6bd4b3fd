// Terminal escape sequences removed from output as it streams: a sequence cut across two chunks
// is held back until its end arrives, so the plain download never shows half an escape.

// CSI (colours, cursor moves), OSC (titles, links) ended by BEL or ST, and two-byte escapes
const ESCAPE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;
// an escape that may still be going on at the end of a chunk
const UNFINISHED = /\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*\x1b?)?$/;
// an unfinished OSC longer than this is not an escape worth waiting for
const MAX_HELD = 4096;

export class PlainText {
  private held = '';

  /** The text of `data` without escapes; an unfinished escape at its end waits for the next call. */
  push(data: string): string {
    const text = this.held + data;
    const cut = UNFINISHED.exec(text);
    const keep = cut && text.length - cut.index <= MAX_HELD ? cut.index : text.length;
    this.held = text.slice(keep);
    return text.slice(0, keep).replace(ESCAPE, '');
  }

  /** Whatever was held back, once no more output comes. */
  end(): string {
    const rest = this.held.replace(ESCAPE, '');
    this.held = '';
    return rest;
  }
}
