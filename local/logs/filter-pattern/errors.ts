// The error a filter pattern that CloudWatch Logs would refuse raises when it is compiled.
import { AppError } from '../../../shared/errors.js';

/**
 * A filter pattern is not valid CloudWatch Logs syntax, or uses a form the local pipeline does not
 * support. `column` is the 1-based character position in the pattern where the problem was found.
 */
export class FilterPatternError extends AppError {
  override name = 'FilterPatternError';

  readonly pattern: string;
  readonly column: number;

  constructor(pattern: string, index: number, problem: string, options?: { cause?: unknown }) {
    super(`Invalid filter pattern at ${index + 1}: ${problem}`, options);
    this.pattern = pattern;
    this.column = index + 1;
  }
}
