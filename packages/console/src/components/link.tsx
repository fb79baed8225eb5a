import type { ComponentChildren } from 'preact';
import { href, navigate } from '../router.js';

interface LinkProps {
  readonly to: string;
  readonly children: ComponentChildren;
  readonly class?: string;
  readonly current?: boolean;
}

/** An ordinary link (new tab, copy address all work) that navigates in place on a plain click. */
export function Link({ to, children, class: className, current }: LinkProps) {
  return (
    <a
      href={href(to)}
      class={className}
      aria-current={current ? 'page' : undefined}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}
