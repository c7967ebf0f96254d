// Errors of the offline stack's reading of the packaged templates (local/template/).
import { AppError } from '../../shared/errors.js';

/** The templates hold something the offline stack cannot resolve or run; the message says where. */
export class TemplateError extends AppError {
  override name = 'TemplateError';
}
