import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { Logo } from '../ui/logo.js';

/** A page outside any store's frame: starting up, no store, an unknown address. */
export function StandalonePage(props: { title: string; children: ComponentChildren }) {
  useEffect(() => {
    document.title = `${props.title} · Storewire`;
  }, [props.title]);
  return (
    <main id="main" class="sign-in">
      <div class="sign-in-card">
        <p class="brand brand-large">
          <Logo size={36} />
          <span>Storewire</span>
        </p>
        <h1>{props.title}</h1>
        {props.children}
      </div>
    </main>
  );
}
