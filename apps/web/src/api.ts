// The platform's JSON API, same origin. Errors carry the server's Chinese message.
const TOKEN_KEY = 'sap.token';

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

export const tokenStore = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const token = tokenStore.get();
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: {
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
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
      // The session ended (expired or revoked): log in again.
      tokenStore.clear();
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

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Downloads a file the API renders (CSV, …) with the session's token and hands it to the browser. */
export async function download(path: string, filename: string): Promise<void> {
  const token = tokenStore.get();
  let res: Response;
  try {
    res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
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
  const token = tokenStore.get();
  let res: Response;
  try {
    res = await fetch(path, {
      headers: { accept: 'text/html', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
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
