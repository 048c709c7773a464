/**
 * Secrets never reach a client or a log (design §9): every URL Spanlens shows or logs goes through
 * `redactUrl` (one URL) or `redactUrlsInText` (a message that may hold several). Pure string work, so
 * the rest of the URL stays exactly as it was written (no trailing slash added, no re-encoding).
 */

const REDACTED = '***';

/** Query-string parameter names whose values are secrets: token, api_key, X-Amz-Signature, password… */
const SECRET_PARAM = /token|key|secret|passw(or)?d|pwd|auth|signature|sig$|credential|session/i;

/** `scheme://userinfo@`: WHATWG takes the last `@` before the path, so the userinfo may itself hold `@`. */
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i;

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

function redactQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals < 0) return pair;
      const name = pair.slice(0, equals);
      return SECRET_PARAM.test(decodedName(name)) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
}

/** `http://user:pass@host/p?token=x&service=a` → `http://***@host/p?token=***&service=a`. */
export function redactUrl(url: string): string {
  const withoutUserinfo = url.replace(USERINFO, `$1${REDACTED}@`);
  const hash = withoutUserinfo.indexOf('#');
  const beforeHash = hash < 0 ? withoutUserinfo : withoutUserinfo.slice(0, hash);
  const fragment = hash < 0 ? '' : withoutUserinfo.slice(hash);
  const question = beforeHash.indexOf('?');
  if (question < 0) return withoutUserinfo;
  return `${beforeHash.slice(0, question + 1)}${redactQuery(beforeHash.slice(question + 1))}${fragment}`;
}

/** A URL for a browser to open: the userinfo is dropped (the browser asks for credentials itself). */
export function withoutUserinfo(url: string): string {
  return url.replace(USERINFO, '$1');
}

// A URL ends at a space or a quote, and never with the sentence's own punctuation (`…/api/services: is it`).
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]*[^\s"'<>`.,:;!?)\]]/gi;

/** Every URL inside a message (an error, a log line), redacted; the rest of the text is unchanged. */
export function redactUrlsInText(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => redactUrl(url));
}

/**
 * What the server log gets: strings and errors (message, stack and causes) with their URLs redacted.
 * An error becomes its redacted stack as text, since a stack is the message plus the frames.
 */
export function redactForLog(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactUrlsInText(value);
  if (value instanceof Error) {
    const text = redactUrlsInText(value.stack ?? `${value.name}: ${value.message}`);
    if (value.cause === undefined || depth >= 4) return text;
    return `${text}\n[cause] ${String(redactForLog(value.cause, depth + 1))}`;
  }
  return value;
}

/** console.error with every URL's secrets redacted: the one way lib/http logs. */
export function logServerError(...args: unknown[]): void {
  console.error(...args.map((arg) => redactForLog(arg)));
}
