// The platform's JSON API, same origin. Errors carry the server's Chinese message.
const TOKEN_KEY = 'sap.token';
const REFRESH_KEY = 'sap.refresh';

export interface Session {
  token: string;
  user: {
    id: string;
    name: string;
    role: string;
    roleName: string;
    /** Division code of the user's jurisdiction. */
    jurisdiction?: string;
    jurisdictionName: string;
    department?: string;
    /** First login or a reset password: every other call is refused until the password is changed. */
    mustChangePassword?: boolean;
  };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: { field: string; problems: string[] }[] = [],
  ) {
    super(message);
  }
}

/** What a form shows for a failed call: the server's Chinese message, with the fields' problems it does not already name. */
export function apiErrorText(e: unknown, fallback: string): string {
  if (!(e instanceof ApiError)) return fallback;
  const fields = e.fields.flatMap((f) => f.problems).join('；');
  return fields && !e.message.includes(fields) ? `${e.message}（${fields}）` : e.message;
}

/** The tab's tokens: the access token (minutes) and the refresh token that renews it (single use). */
export const tokenStore = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  refresh: (): string | null => sessionStorage.getItem(REFRESH_KEY),
  set: (token: string, refresh?: string | null) => {
    sessionStorage.setItem(TOKEN_KEY, token);
    if (refresh) sessionStorage.setItem(REFRESH_KEY, refresh);
    else if (refresh === null) sessionStorage.removeItem(REFRESH_KEY);
  },
  clear: () => {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(REFRESH_KEY);
  },
};

/** The refresh in progress: requests that find their token expired at the same moment share one exchange. */
let refreshing: Promise<boolean> | null = null;

/**
 * Exchanges the refresh token for a new pair. A refusal ends the session (false); 409 means this tab's
 * token was exchanged a moment ago (another request of the tab did it): the newer tokens are in storage.
 */
function renewSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const refreshToken = tokenStore.refresh();
    if (!refreshToken) return false;
    try {
      const res = await fetch('/auth/refresh', {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      });
      if (res.status === 409) return tokenStore.refresh() !== refreshToken;
      if (!res.ok) return false;
      const pair = (await res.json()) as { accessToken: string; refreshToken: string };
      tokenStore.set(pair.accessToken, pair.refreshToken);
      return true;
    } catch {
      return false;
    }
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** Ends the session on the server too (the refresh token stops working); the access token runs out by itself. */
export function endSession(): void {
  const refreshToken = tokenStore.refresh();
  tokenStore.clear();
  if (refreshToken)
    void fetch('/auth/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
      keepalive: true,
    }).catch(() => undefined);
}

/** A fresh Idempotency-Key (random, 128 bits). `crypto.randomUUID` needs a secure context; this does not. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Read-your-writes: where this tab's last changes committed, per event log, as the server said in
 * `Commit-Position`. Every read carries them in `Read-After`, so the server answers only once its read
 * models show them (waiting at most a few seconds): an officer never sees their own action missing.
 */
const committed = new Map<string, { xid: bigint; pos: bigint; text: string }>();

function remember(header: string | null): void {
  if (!header) return;
  for (const item of header.split(',')) {
    const [schema, xid, pos] = item.trim().split(':');
    if (!schema || !xid || !pos || !/^\d+$/.test(xid) || !/^\d+$/.test(pos)) continue;
    const next = { xid: BigInt(xid), pos: BigInt(pos), text: item.trim() };
    const known = committed.get(schema);
    if (!known || next.xid > known.xid || (next.xid === known.xid && next.pos > known.pos)) {
      committed.set(schema, next);
    }
  }
}

function readAfter(): Record<string, string> {
  return committed.size > 0 ? { 'read-after': [...committed.values()].map((c) => c.text).join(',') } : {};
}
/** Waits before each automatic retry of a change whose answer was lost on the way. */
const RETRY_DELAYS_MS = [500, 1500, 3000];

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls the API. Every change carries an Idempotency-Key, and a change whose answer is lost (no
 * connection, or the server still busy with the same request) is sent again with the same key: the
 * server then answers what it answered the first time instead of doing the work twice.
 */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let token = tokenStore.get();
  const unsafe = UNSAFE.has(method.toUpperCase());
  const key = unsafe && token ? newIdempotencyKey() : null;
  let res: Response | null;
  let renewed = false;
  for (let attempt = 0; ; attempt++) {
    try {
      res = await fetch(path, {
        method,
        headers: {
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(key ? { 'idempotency-key': key } : {}),
          ...(unsafe ? {} : readAfter()),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch {
      // No answer: the change may or may not have been done; the same key makes a retry safe.
      res = null;
    }
    // The access token ran out: renew it once and send the same request again (with the same key).
    if (res?.status === 401 && token && !renewed && (await expired(res)) && (await renewSession())) {
      renewed = true;
      token = tokenStore.get();
      attempt--;
      continue;
    }
    const retry =
      key !== null &&
      attempt < RETRY_DELAYS_MS.length &&
      (res === null || (res.status === 409 && res.headers.get('retry-after') !== null));
    if (!retry) break;
    await pause(RETRY_DELAYS_MS[attempt]!);
  }
  if (res === null) throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  remember(res.headers.get('commit-position'));
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const e = (data ?? {}) as { code?: string; message?: string | string[]; fields?: ApiError['fields'] };
    const message = Array.isArray(e.message) ? e.message.join('；') : e.message;
    if (res.status === 401 && token) {
      // The session ended (revoked, or past its longest life): log in again.
      endSession();
      window.location.assign('/login');
    }
    throw new ApiError(
      res.status,
      e.code ?? `HTTP_${res.status}`,
      message ?? `请求失败（${res.status}）`,
      e.fields,
    );
  }
  return data as T;
}

/** Whether a 401 says the access token expired (a refresh can go on) rather than that the session ended. */
async function expired(res: Response): Promise<boolean> {
  try {
    return ((await res.clone().json()) as { code?: string }).code === 'TOKEN_EXPIRED';
  } catch {
    return false;
  }
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** A GET with the session's token; an expired token is renewed once and the GET sent again. */
async function authedGet(path: string, headers: Record<string, string> = {}): Promise<Response> {
  const send = () => {
    const token = tokenStore.get();
    return fetch(path, {
      headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}), ...readAfter() },
    });
  };
  const res = await send();
  if (res.status === 401 && (await expired(res)) && (await renewSession())) return send();
  return res;
}

/** Downloads a file the API renders (CSV, …) with the session's token and hands it to the browser. */
export async function download(path: string, filename: string): Promise<void> {
  let res: Response;
  try {
    res = await authedGet(path);
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
  if (!res.ok) {
    const e = (await res.json().catch(() => ({}))) as { code?: string; message?: string | string[] };
    const message = Array.isArray(e.message) ? e.message.join('；') : e.message;
    throw new ApiError(res.status, e.code ?? `HTTP_${res.status}`, message ?? `下载失败（${res.status}）`);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Opens a printable document the API renders (notices, decisions: Chinese HTML for A4) in a new tab. The
 * API needs the session's token, so a plain link cannot open it: the tab is opened at once (a tab opened
 * after an await is blocked as a pop-up), then given the fetched page as a blob.
 */
export async function openPrintable(path: string): Promise<void> {
  const tab = window.open('', '_blank');
  let res: Response;
  try {
    res = await authedGet(path, { accept: 'text/html' });
  } catch {
    tab?.close();
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
  if (!res.ok) {
    tab?.close();
    const e = (await res.json().catch(() => ({}))) as { code?: string; message?: string | string[] };
    const message = Array.isArray(e.message) ? e.message.join('；') : e.message;
    throw new ApiError(res.status, e.code ?? `HTTP_${res.status}`, message ?? `打开失败（${res.status}）`);
  }
  const url = URL.createObjectURL(new Blob([await res.text()], { type: 'text/html;charset=utf-8' }));
  if (tab) tab.location.href = url;
  else window.location.assign(url);
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
