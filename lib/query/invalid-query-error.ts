/**
 * A dashboard query (URL search params or an API request) that cannot be used as given.
 * `field` names the offending param so the page can point at it and /api routes answer 400 with it.
 */
export class InvalidQueryError extends Error {
  override readonly name = 'InvalidQueryError';
  readonly code = 'invalid_query';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
