/**
 * A dashboard query (URL search params or an API request) that cannot be used as given.
 * `field` names the offending param so the page can point at it and /api routes answer 400 with it.
 * (No constructor parameter properties: scripts run this through node's type stripping.)
 */
export class InvalidQueryError extends Error {
  override readonly name = 'InvalidQueryError';
  readonly code = 'invalid_query';
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}
