// Reads a filter pattern left to right and reports errors with their position in it.
import { FilterPatternError } from './errors.js';

const SPACE = /\s/;

/** The parsers' shared cursor over the pattern text. */
export class Scanner {
  pos = 0;

  constructor(readonly text: string) {}

  get atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }

  startsWith(prefix: string): boolean {
    return this.text.startsWith(prefix, this.pos);
  }

  atSpace(): boolean {
    return SPACE.test(this.peek());
  }

  skipSpaces(): void {
    while (!this.atEnd && this.atSpace()) this.pos++;
  }

  /** The next character as an error message names it. */
  describeNext(): string {
    return this.atEnd ? 'the end of the pattern' : `'${this.peek()}'`;
  }

  fail(problem: string, at = this.pos, cause?: unknown): never {
    throw new FilterPatternError(this.text, at, problem, cause === undefined ? undefined : { cause });
  }

  /** Reads the longest run of characters that `allowed` accepts. */
  readWhile(allowed: RegExp): string {
    const start = this.pos;
    while (!this.atEnd && allowed.test(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /**
   * Reads a double-quoted string at the cursor. AWS does not document escapes; `\"` and `\\` are
   * read as a quote and a backslash so a phrase can hold a quote, any other backslash is kept.
   */
  readQuoted(): string {
    const open = this.pos;
    let text = '';
    this.pos++;
    while (!this.atEnd) {
      const c = this.peek();
      if (c === '\\' && (this.peek(1) === '"' || this.peek(1) === '\\')) {
        text += this.peek(1);
        this.pos += 2;
      } else if (c === '"') {
        this.pos++;
        return text;
      } else {
        text += c;
        this.pos++;
      }
    }
    return this.fail('the double quote opened here is never closed', open);
  }

  /** Reads a `%regex%` at the cursor: the body and where it starts. `\%` does not close it. */
  readRegex(): { body: string; at: number } {
    const open = this.pos;
    const at = ++this.pos;
    while (!this.atEnd) {
      const c = this.peek();
      if (c === '\\') {
        this.pos += 2;
      } else if (c === '%') {
        const body = this.text.slice(at, this.pos);
        this.pos++;
        return { body, at };
      } else {
        this.pos++;
      }
    }
    return this.fail("the regex opened here has no closing '%'", open);
  }
}
