import type { ComponentChildren } from 'preact';
import { signOut } from '../auth.js';
import type { Me } from '../types.js';
import { Link } from './link.js';

export interface Section {
  readonly tenant?: string;
  /** 'tenants' | 'audit' | 'clients' | 'scopes' | 'users' | 'keys' */
  readonly area: string;
}

const TENANT_AREAS = [
  ['clients', 'Client applications'],
  ['scopes', 'Scopes'],
  ['users', 'Users'],
  ['keys', 'Signing keys'],
] as const;

/** Header, navigation and main landmark around every signed-in view; a skip link leads to main. */
export function Layout({ me, section, children }: { me: Me; section: Section; children: ComponentChildren }) {
  const tenant = section.tenant;
  return (
    <>
      <a
        class="skip-link"
        href={`${window.location.pathname}#main`}
        onClick={(event) => {
          // A bare "#main" resolves against <base href="/admin/">, leaving the view: focus in place.
          event.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="top">
        <p class="brand">
          <Link to="">Gatehouse console</Link>
        </p>
        <p class="who">
          Signed in as <strong>{me.username}</strong> ({me.role === 'operator' ? 'operator' : 'tenant administrator'})
          <button type="button" class="secondary small" onClick={() => void signOut()}>
            Sign out
          </button>
        </p>
      </header>
      <nav class="main-nav" aria-label="Console">
        <ul>
          <li>
            <Link to="tenants" current={section.area === 'tenants'}>
              Tenants
            </Link>
          </li>
          <li>
            <Link to="audit" current={section.area === 'audit'}>
              Audit events
            </Link>
          </li>
        </ul>
        {tenant && (
          <>
            <p class="nav-tenant" id="nav-tenant">
              Tenant <strong>{tenant}</strong>
            </p>
            <ul aria-labelledby="nav-tenant">
              {TENANT_AREAS.map(([area, label]) => (
                <li key={area}>
                  <Link to={`tenants/${encodeURIComponent(tenant)}/${area}`} current={section.area === area}>
                    {label}
                  </Link>
                </li>
              ))}
            </ul>
          </>
        )}
      </nav>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
