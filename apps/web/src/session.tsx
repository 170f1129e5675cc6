import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, endSession, tokenStore, type Session } from './api';

interface SessionState {
  session: Session | null;
  loading: boolean;
  login(username: string, password: string): Promise<Session>;
  /** Takes newly issued tokens (after a password change) and reloads the user. */
  adopt(token: string, refreshToken?: string | null): Promise<Session>;
  logout(): void;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const [loading, setLoading] = useState(() => tokenStore.get() !== null);

  useEffect(() => {
    const token = tokenStore.get();
    if (!token) return;
    api<Session['user']>('GET', '/auth/me')
      .then((user) => setSession({ token, user }))
      .catch(() => tokenStore.clear())
      .finally(() => setLoading(false));
  }, []);

  const adopt = useCallback(async (token: string, refreshToken?: string | null) => {
    tokenStore.set(token, refreshToken ?? null);
    const user = await api<Session['user']>('GET', '/auth/me');
    const next = { token: tokenStore.get() ?? token, user };
    setSession(next);
    return next;
  }, []);

  const login = useCallback(
    async (username: string, password: string) => {
      const { accessToken, refreshToken } = await api<{ accessToken: string; refreshToken?: string }>(
        'POST',
        '/auth/login',
        { username, password },
      );
      return adopt(accessToken, refreshToken ?? null);
    },
    [adopt],
  );

  const logout = useCallback(() => {
    endSession();
    setSession(null);
  }, []);

  const value = useMemo(
    () => ({ session, loading, login, adopt, logout }),
    [session, loading, login, adopt, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** Where each role starts after logging in. */
export function homeOf(role: string, mustChangePassword = false): string {
  if (mustChangePassword) return '/workbench/password';
  switch (role) {
    case 'township_officer':
      return '/workbench/cases';
    case 'health_officer':
      return '/workbench/health/referrals';
    case 'housing_officer':
      return '/workbench/housing/referrals';
    case 'education_officer':
      return '/workbench/education/referrals';
    case 'government_liaison':
      return '/workbench/government/reports';
    case 'joint_meeting_viewer':
      return '/workbench/oversight/dashboard';
    case 'auditor':
      return '/workbench/audit/cases';
    case 'admin':
      return '/workbench/admin/users';
    case 'county_civil_affairs':
      return '/workbench/civil-affairs/dibao';
    case 'village_verifier':
      return '/workbench/village/reported';
    case 'social_worker':
      return '/workbench/civil-affairs/social-forces';
    default:
      return '/workbench';
  }
}
