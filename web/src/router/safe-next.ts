/**
 * Where to go after signing in (`/sign-in?next=…`): only a path of this site. Anything that could
 * leave it — another origin, a protocol-relative `//host`, a backslash browsers read as a slash —
 * goes home instead, so a crafted sign-in link cannot send a user elsewhere.
 */
export function safeNext(next: string | null): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/';
  if (next === '/sign-in' || next.startsWith('/sign-in?') || next.startsWith('/sign-in/')) return '/';
  return next;
}
