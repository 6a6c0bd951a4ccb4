/** What an error may say beyond its code and message: `commentId` names the comment it is about. */
export interface ErrorDetails {
  commentId?: number;
}

/**
 * A failure the caller can act on. Services throw these; the HTTP layer turns them into
 * `{error:{code,message}}` with `status`. Anything else is a bug and becomes a bare 500.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Fields a client can act on, sent beside code and message (listed in the ErrorBody schema). */
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string) => new AppError(400, code, message);
export const unauthorized = (message: string) => new AppError(401, 'unauthenticated', message);
export const forbidden = (code: string, message: string) => new AppError(403, code, message);
export const notFound = (code: string, message: string) => new AppError(404, code, message);
export const conflict = (code: string, message: string, details?: ErrorDetails) => new AppError(409, code, message, {}, details);
