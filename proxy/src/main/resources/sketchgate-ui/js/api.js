// Calls to Sketchgate's API with the Basic credentials typed at login. They live in sessionStorage only:
// gone when the tab closes, never in a cookie (so no other site can make the browser send them).
const KEY = 'sketchgate.credentials';

export function login(user, password) {
  sessionStorage.setItem(KEY, JSON.stringify({ user, authorization: basic(user, password) }));
}

export function logout() {
  sessionStorage.removeItem(KEY);
}

export function session() {
  const stored = sessionStorage.getItem(KEY);
  return stored ? JSON.parse(stored) : null;
}

export function basic(user, password) {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  return 'Basic ' + btoa(String.fromCharCode(...bytes));
}

/** An answer that is not 2xx: status, Elasticsearch's error body and a sentence for people. */
export class ApiError extends Error {
  constructor(status, body) {
    super(describe(status, body));
    this.status = status;
    this.body = body;
  }
  get problems() {
    return (this.body && this.body.error && this.body.error.problems) || [];
  }
}

function describe(status, body) {
  const reason = body && body.error ? (body.error.reason || body.error.type) : (typeof body === 'string' ? body : '');
  switch (status) {
    case 401: return `Not logged in (401): wrong user name or password. ${reason}`;
    case 403: return `Not allowed (403): ${reason}`;
    case 409: return `Someone else changed this entry (409 conflict): ${reason}`;
    case 0: return `The proxy cannot be reached: ${reason}`;
    default: return `${status}: ${reason}`;
  }
}

/** fetch() with the session's credentials; resolves to {status, body, headers}, rejects with ApiError. */
export async function call(method, path, { body, headers = {}, authorization } = {}) {
  const auth = authorization || (session() && session().authorization);
  const all = { Accept: 'application/json', ...headers };
  if (auth) all.Authorization = auth;
  if (body !== undefined) all['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers: all, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store', credentials: 'omit' });
  } catch (e) {
    throw new ApiError(0, String(e));
  }
  const text = await response.text();
  let parsed = text;
  try { parsed = text ? JSON.parse(text) : null; } catch (notJson) { /* keep the text */ }
  if (!response.ok) throw new ApiError(response.status, parsed);
  return { status: response.status, body: parsed, headers: response.headers };
}
