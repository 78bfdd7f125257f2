import { type ComponentChildren, createContext } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, request } from '../api/client.js';
import type { Session } from '../api/types.js';

export type SessionState =
  | { status: 'loading' }
  | { status: 'unreachable'; message: string }
  | { status: 'signed-out'; expired: boolean }
  | { status: 'signed-in'; session: Session };

export interface SessionControl {
  state: SessionState;
  /** Signs in; throws the API's error (INVALID_CREDENTIALS, TOO_MANY_SIGN_IN_ATTEMPTS...). */
  signIn(email: string, password: string): Promise<Session>;
  signOut(): Promise<void>;
  /** A store call answered 401: the session ended (expired, or signed out in another tab). */
  expired(): void;
  retry(): void;
}

const SessionContext = createContext<SessionControl | null>(null);

export function useSession(): SessionControl {
  const control = useContext(SessionContext);
  if (!control) throw new Error('useSession outside SessionProvider');
  return control;
}

/** Holds who is signed in, read from `GET /v1/session` when the app opens. */
export function SessionProvider({ children }: { children: ComponentChildren }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    request<Session>('/v1/session').then(
      (session) => live && setState({ status: 'signed-in', session }),
      (error: unknown) => {
        if (!live) return;
        if (error instanceof ApiError && error.status === 401) setState({ status: 'signed-out', expired: false });
        else setState({ status: 'unreachable', message: (error as Error).message });
      },
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  const signIn = useCallback(async (email: string, password: string) => {
    const session = await request<Session>('/v1/session', { method: 'POST', body: { email, password } });
    setState({ status: 'signed-in', session });
    return session;
  }, []);

  const signOut = useCallback(async () => {
    const csrfToken = state.status === 'signed-in' ? state.session.csrfToken : undefined;
    try {
      await request('/v1/session', { method: 'DELETE', csrfToken });
    } catch (error) {
      // Already ended (401) is what we wanted; anything else is shown to the user.
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
    setState({ status: 'signed-out', expired: false });
  }, [state]);

  const expired = useCallback(() => setState({ status: 'signed-out', expired: true }), []);
  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  const control = useMemo(() => ({ state, signIn, signOut, expired, retry }), [state, signIn, signOut, expired, retry]);
  return <SessionContext.Provider value={control}>{children}</SessionContext.Provider>;
}
