/** Errors that carry the HTTP status they map to; the one error handler in http/errors.ts renders them. */
export class HttpError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
}

export const badRequest = (message: string): HttpError => new HttpError(400, message);
export const notFound = (message: string): HttpError => new HttpError(404, message);
export const conflict = (message: string): HttpError => new HttpError(409, message);
export const tooLarge = (message: string): HttpError => new HttpError(413, message);
