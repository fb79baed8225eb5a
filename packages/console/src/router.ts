import { useEffect, useState } from 'preact/hooks';
import { config } from './config.js';

/**
 * A small history-API router. Routes are paths relative to the console's base (`/admin/`), e.g.
 * `tenants/ACME/clients`; the server answers index.html for all of them, so a reload keeps the view.
 */

const CHANGE = 'gatehouse:navigate';

/** The current route, relative to the console's base, without leading or trailing slashes. */
export function currentRoute(): string {
  const path = window.location.pathname;
  const relative = path.startsWith(config.basePath) ? path.slice(config.basePath.length) : '';
  return relative.replace(/^\/+|\/+$/g, '');
}

export function href(route: string): string {
  return `${config.basePath}${route}`;
}

export function navigate(route: string, options: { replace?: boolean } = {}): void {
  const url = href(route);
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new Event(CHANGE));
}

/** Re-renders its component whenever the route changes (links, back/forward). */
export function useRoute(): string {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    window.addEventListener(CHANGE, update);
    window.addEventListener('popstate', update);
    return () => {
      window.removeEventListener(CHANGE, update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return route;
}

export { match } from './lib/route-match.js';
