import type { ApiErrorBody, LoginResult, SessionUser } from './types';

/**
 * The dashboard's one way to the API: the bearer token lives in sessionStorage (gone with the tab) or, when
 * the user ticks "记住本设备", in localStorage until the token expires (a DingTalk or WeCom web view is
 * closed after every link, and people should not type their password again each time); signing out
 * forgets both. Every error becomes an ApiError carrying the API's Chinese `message`, and a 401 on
 * anything but the sign-in itself ends the session and sends the user to the login page.
 */
const TOKEN_KEY = 'rectification.token';
const USER_KEY = 'rectification.user';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly messageEn?: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Seconds since the epoch at which a JWT expires (its `exp`), or null when it cannot be read. */
function expiryOf(token: string): number | null {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp : null;
  } catch {
    return null;
  }
}

/** The store holding the session: this tab's, else the remembered one while its token lasts. */
function store(): Storage | null {
  if (sessionStorage.getItem(TOKEN_KEY)) return sessionStorage;
  const remembered = localStorage.getItem(TOKEN_KEY);
  if (!remembered) return null;
  const exp = expiryOf(remembered);
  if (exp !== null && exp * 1000 <= Date.now()) {
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(USER_KEY);
    return null;
  }
  return localStorage;
}

export const session = {
  get token(): string | null {
    return store()?.getItem(TOKEN_KEY) ?? null;
  },
  get user(): SessionUser | null {
    const raw = store()?.getItem(USER_KEY);
    if (!raw) return null;
    try {
      return JSON.parse(raw) as SessionUser;
    } catch {
      return null;
    }
  },
  /** Keeps the session for this tab, or on this device for the token's life when `remember`. */
  save(result: LoginResult, remember = false): void {
    this.clear();
    const target = remember ? localStorage : sessionStorage;
    target.setItem(TOKEN_KEY, result.accessToken);
    target.setItem(USER_KEY, JSON.stringify(result.user));
  },
  /** The API says the password is a one-time one: the app keeps to 修改密码 until it is changed. */
  markMustChangePassword(): void {
    const target = store();
    const user = this.user;
    if (target && user && !user.mustChangePassword) target.setItem(USER_KEY, JSON.stringify({ ...user, mustChangePassword: true }));
  },
  /** After a password change: the API's new token (every earlier one is refused), kept where the old one was. */
  replace(result: LoginResult): void {
    const remember = store() === localStorage;
    this.save(result, remember);
  },
  clear(): void {
    for (const s of [sessionStorage, localStorage]) {
      s.removeItem(TOKEN_KEY);
      s.removeItem(USER_KEY);
    }
  },
};

let unauthorizedHandler: () => void = () => undefined;
let passwordChangeHandler: () => void = () => undefined;

/** What to do when the API answers 401 (set by main.ts: go to the login page). */
export function onUnauthorized(handler: () => void): void {
  unauthorizedHandler = handler;
}

/** What to do when the API answers 403 PASSWORD_CHANGE_REQUIRED (set by main.ts: go to 修改密码). */
export function onPasswordChangeRequired(handler: () => void): void {
  passwordChangeHandler = handler;
}

async function errorOf(res: Response): Promise<ApiError> {
  let body: Partial<ApiErrorBody> = {};
  try {
    body = (await res.json()) as Partial<ApiErrorBody>;
  } catch {
    // not JSON (a proxy's error page)
  }
  const message = body.message ?? (res.status >= 500 ? '服务器暂时无法处理，请稍后重试' : `请求失败（${res.status}）`);
  return new ApiError(res.status, body.code ?? `HTTP_${res.status}`, message, body.messageEn, body.details);
}

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = session.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  // A file goes as multipart/form-data: the browser writes the Content-Type with its boundary.
  if (body !== undefined && !(body instanceof FormData)) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', '无法连接服务器，请检查网络后重试');
  }
  if (res.status === 401 && path !== '/api/auth/login') {
    session.clear();
    unauthorizedHandler();
  }
  if (!res.ok) {
    const error = await errorOf(res);
    if (error.code === 'PASSWORD_CHANGE_REQUIRED') {
      session.markMustChangePassword();
      passwordChangeHandler();
    }
    throw error;
  }
  return res;
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const res = await send(method, path, body);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}) => api<T>('POST', path, body);

/** Query string of the defined values. */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export async function login(username: string, password: string, remember = false): Promise<SessionUser> {
  const result = await api<LoginResult>('POST', '/api/auth/login', { username, password });
  session.save(result, remember);
  return result.user;
}

/** Uploads one file as the form field `file` (the imports), answering the API's JSON. */
export async function upload<T>(path: string, file: File): Promise<T> {
  const form = new FormData();
  form.append('file', file, file.name);
  const res = await send('POST', path, form);
  return (await res.json()) as T;
}

/** Changes my password; every token issued before is refused, so the new one replaces the session's. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<SessionUser> {
  const result = await api<LoginResult>('POST', '/api/auth/password', { currentPassword, newPassword });
  session.replace(result);
  return result.user;
}

/** Signs out on the server too (every token issued to me so far is refused), then forgets the session here. */
export async function logout(): Promise<void> {
  try {
    if (session.token) await api<void>('POST', '/api/auth/logout');
  } catch {
    // Signed out here regardless: an expired token or no network must not keep anyone signed in.
  } finally {
    session.clear();
  }
}

/** The file name of a Content-Disposition header, preferring RFC 5987's `filename*=UTF-8''…`. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(disposition);
  return plain ? plain[1] : fallback;
}

/** Downloads a file of the API (with the bearer token) and saves it under the name the API gives; a body makes it a POST. */
export async function download(path: string, fallbackName: string, body?: unknown): Promise<string> {
  const res = await send(body === undefined ? 'GET' : 'POST', path, body);
  const name = fileNameOf(res.headers.get('Content-Disposition'), fallbackName);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
