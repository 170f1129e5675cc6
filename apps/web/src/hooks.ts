import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, apiErrorText, type Page } from './api';
import { useSession } from './session';

/**
 * A server-paginated list: GET `path` with `filters` and the page; a change of filters goes back to the
 * first page. `reload` after a change the list should show.
 */
export function useServerPage<T>(path: string, filters: Record<string, string | undefined>, pageSize = 20) {
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<T> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const key = JSON.stringify(filters);
  const [shownKey, setShownKey] = useState(key);
  // Only the latest request's answer is shown: an earlier one may arrive after it.
  const latest = useRef(0);
  if (shownKey !== key) {
    setShownKey(key);
    setPage(1);
  }
  const reload = useCallback(() => {
    const seq = ++latest.current;
    setLoading(true);
    const q = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
    for (const [k, v] of Object.entries(JSON.parse(key) as Record<string, string | undefined>))
      if (v) q.set(k, v);
    api<Page<T>>('GET', `${path}?${q}`)
      .then((d) => {
        if (seq !== latest.current) return;
        setData(d);
        setError(null);
      })
      .catch((e) => {
        if (seq === latest.current) setError(e instanceof ApiError ? e.message : '加载失败');
      })
      .finally(() => {
        if (seq === latest.current) setLoading(false);
      });
  }, [path, key, page, pageSize]);
  useEffect(reload, [reload]);
  return {
    items: data?.items ?? [],
    error,
    loading,
    reload,
    pagination: {
      current: page,
      pageSize,
      total: data?.total ?? 0,
      showSizeChanger: false,
      showTotal: (t: number) => `共 ${t} 项`,
      onChange: setPage,
    },
  };
}

/** A form's submission: busy while it runs, the server's refusal in Chinese (fields named) when it fails. */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async <T>(send: () => Promise<T>, fallback = '提交失败'): Promise<T | undefined> => {
      setBusy(true);
      setError(null);
      try {
        return await send();
      } catch (e) {
        setError(apiErrorText(e, fallback));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [],
  );
  return { busy, error, setError, run };
}

/** A county's code: 6 digits of county, then zeros (a city's ends in 8 zeros). */
export const isCounty = (code: string) => code.endsWith('000000') && !code.endsWith('00000000');

/**
 * The county a record belongs to: an officer of a county (or below) works in their own (`own`); an officer
 * of the city chooses among its counties (`counties`, by name; `own` is null).
 */
export function useCounties(onError: (text: string) => void) {
  const { session } = useSession();
  const jurisdiction = session?.user.jurisdiction ?? '';
  const cityWide = jurisdiction.endsWith('00000000');
  const [counties, setCounties] = useState<{ value: string; label: string }[]>([]);
  // Read when a load fails: a caller's handler need not be stable (no reload per render).
  const reportError = useRef(onError);
  reportError.current = onError;
  useEffect(() => {
    if (!cityWide) return;
    api<{ items: { code: string; name: string }[] }>('GET', `/places?parentCode=${jurisdiction}&pageSize=100`)
      .then((p) => setCounties(p.items.map((c) => ({ value: c.code, label: c.name }))))
      .catch((e) => reportError.current(apiErrorText(e, '旗县区加载失败')));
  }, [jurisdiction, cityWide]);
  return { own: cityWide || !jurisdiction ? null : `${jurisdiction.slice(0, 6)}000000`, counties };
}

/** A place in a cascading picker, its children loaded when the officer opens it. */
export interface Place {
  value: string;
  label: string;
  isLeaf?: boolean;
  children?: Place[];
}

/**
 * The places of the officer's own jurisdiction, for a Cascader: `reset` starts from the officer's own node,
 * `load` fetches the places below one when it is opened (from the staff place names, not the public
 * rate-limited ones). A failed load shows a message, and opening the place again tries again.
 */
export function usePlaces(onError: (text: string) => void) {
  const { session } = useSession();
  const [options, setOptions] = useState<Place[]>([]);
  const reset = useCallback(() => {
    const own = session?.user.jurisdiction;
    setOptions(own ? [{ value: own, label: session?.user.jurisdictionName ?? own, isLeaf: false }] : []);
  }, [session]);
  const load = useCallback(
    async (path: Place[]) => {
      const target = path[path.length - 1]!;
      const page = await api<{ items: { code: string; name: string; level: string }[] }>(
        'GET',
        `/places?parentCode=${target.value}&pageSize=100`,
      ).catch(() => null);
      if (!page) {
        onError('地名加载失败，请稍后再点一次');
        return;
      }
      target.children = page.items.map((p) => ({
        value: p.code,
        label: p.name,
        isLeaf: p.level === 'village',
      }));
      if (target.children.length === 0) target.isLeaf = true;
      setOptions((ps) => [...ps]);
    },
    [onError],
  );
  return { options, reset, load };
}

/**
 * A record opened in a drawer and the steps taken on it. `show` loads it with the purpose the access log
 * records; `step` posts one action, says `done` and loads the record again (and `onChange`, the list);
 * the server's refusal is `submit.error`. Resolves whether the step was taken.
 */
export function useRecordDrawer<T>(
  base: string,
  purpose: string,
  idOf: (record: T) => string,
  onChange: () => void,
  say: (done: string) => void,
) {
  const [open, setOpen] = useState<T | null>(null);
  const submit = useSubmit();
  const show = useCallback(
    async (id: string) => {
      submit.setError(null);
      setOpen(await api<T>('GET', `${base}/${id}?purpose=${encodeURIComponent(purpose)}`));
    },
    [base, purpose, submit],
  );
  const step = async (path: string, body: unknown, done: string): Promise<boolean> => {
    if (!open) return false;
    const id = idOf(open);
    const next = await submit.run(() => api<unknown>('POST', `${base}/${id}${path}`, body));
    if (next === undefined) return false;
    say(done);
    await show(id);
    onChange();
    return true;
  };
  return { open, setOpen, show, step, submit };
}
