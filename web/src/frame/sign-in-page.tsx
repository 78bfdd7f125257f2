import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, NETWORK_ERROR } from '../api/client.js';
import { navigate } from '../router/history.js';
import { safeNext } from '../router/safe-next.js';
import { useSession } from './session.js';
import { Logo } from '../ui/logo.js';

const NOTICES: Record<string, string> = {
  link_expired:
    'That sign-in link has expired or was already used: a link works once, for 15 minutes. Sign in with your email and password below, or ask a store owner for a new link (storewire users sign-in-link).',
  expired: 'Your session has ended. Sign in again to carry on where you were.',
  signed_out: 'You are signed out.',
};

function describe(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'INVALID_CREDENTIALS')
      return 'That email and password do not match an account. Check both and try again; if you forgot your password, a store owner can reset it (storewire users reset-password).';
    if (error.code === 'TOO_MANY_SIGN_IN_ATTEMPTS') {
      const minutes = error.retryAfterSeconds ? Math.max(1, Math.ceil(error.retryAfterSeconds / 60)) : 15;
      return `Too many failed attempts. Wait ${minutes} minute${minutes === 1 ? '' : 's'}, then try again.`;
    }
    if (error.code === NETWORK_ERROR) return error.message;
    return `Signing in did not work: ${error.message}`;
  }
  return 'Signing in did not work. Try again.';
}

export function SignInPage({ search }: { search: URLSearchParams }) {
  const { signIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{ email?: string; password?: string }>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const notice = NOTICES[search.get('error') ?? ''] ?? NOTICES[search.get('reason') ?? ''];

  useEffect(() => {
    document.title = 'Sign in · Storewire';
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const problems: { email?: string; password?: string } = {};
    if (!email.trim()) problems.email = 'Enter the email address of your Storewire account.';
    else if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) problems.email = 'Enter an email address, like name@shop.com.';
    if (!password) problems.password = 'Enter your password.';
    setFieldErrors(problems);
    setError(null);
    if (problems.email || problems.password) {
      document.getElementById(problems.email ? 'sign-in-email' : 'sign-in-password')?.focus();
      return;
    }
    setBusy(true);
    try {
      await signIn(email.trim(), password);
      navigate(safeNext(search.get('next')), { replace: true, focus: true });
    } catch (failure) {
      setError(describe(failure));
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <main id="main" class="sign-in">
      <div class="sign-in-card">
        <p class="brand brand-large">
          <Logo size={36} />
          <span>Storewire</span>
        </p>
        <h1 ref={heading} tabIndex={-1}>
          Sign in
        </h1>
        {notice ? (
          <p class="notice notice-info" role="status">
            {notice}
          </p>
        ) : null}
        <form onSubmit={submit} noValidate>
          <div class="field">
            <label for="sign-in-email">Email</label>
            <input
              id="sign-in-email"
              type="email"
              name="email"
              autoComplete="username"
              value={email}
              onInput={(e) => setEmail((e.currentTarget as HTMLInputElement).value)}
              aria-invalid={fieldErrors.email ? true : undefined}
              aria-describedby={fieldErrors.email ? 'sign-in-email-error' : undefined}
            />
            {fieldErrors.email ? (
              <p class="field-error" id="sign-in-email-error">
                {fieldErrors.email}
              </p>
            ) : null}
          </div>
          <div class="field">
            <label for="sign-in-password">Password</label>
            <input
              id="sign-in-password"
              type="password"
              name="password"
              autoComplete="current-password"
              value={password}
              onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)}
              aria-invalid={fieldErrors.password ? true : undefined}
              aria-describedby={fieldErrors.password ? 'sign-in-password-error' : undefined}
            />
            {fieldErrors.password ? (
              <p class="field-error" id="sign-in-password-error">
                {fieldErrors.password}
              </p>
            ) : null}
          </div>
          {error ? (
            <p class="notice notice-bad" role="alert">
              {error}
            </p>
          ) : null}
          <button type="submit" class="button button-primary button-wide" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p class="sign-in-help">
          No account yet? A store owner adds you with <code>storewire users create</code>. On a fresh install,{' '}
          <code>npm start</code> prints a one-click sign-in link.
        </p>
      </div>
    </main>
  );
}
