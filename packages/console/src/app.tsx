import { useEffect, useRef } from 'preact/hooks';
import { Layout, type Section } from './components/layout.js';
import { match, useRoute } from './router.js';
import type { Me } from './types.js';
import { AuditView } from './views/audit.js';
import { ClientDetailView, RegisterClientView } from './views/client-detail.js';
import { ClientsView } from './views/clients.js';
import { KeysView } from './views/keys.js';
import { ScopesView } from './views/scopes.js';
import { TenantsView } from './views/tenants.js';
import { UserDetailView } from './views/user-detail.js';
import { UsersView } from './views/users.js';
import { useTitle } from './views/title.js';

interface Resolved {
  readonly section: Section;
  readonly view: preact.JSX.Element;
}

type Params = Record<string, string>;

type Route = readonly [string, (p: Params, me: Me) => Resolved];

/**
 * Route patterns and their views, tried in order: `clients/new` before `clients/:c`, so a
 * client can never be named "new" by the router.
 */
const ROUTES: readonly Route[] = [
  ['', (_, me) => ({ section: { area: 'tenants' }, view: <TenantsView me={me} /> })],
  ['tenants', (_, me) => ({ section: { area: 'tenants' }, view: <TenantsView me={me} /> })],
  ['audit', () => ({ section: { area: 'audit' }, view: <AuditView /> })],
  ['tenants/:t', (p) => ({ section: { tenant: p.t!, area: 'clients' }, view: <ClientsView tenant={p.t!} /> })],
  ['tenants/:t/clients', (p) => ({ section: { tenant: p.t!, area: 'clients' }, view: <ClientsView tenant={p.t!} /> })],
  [
    'tenants/:t/clients/new',
    (p) => ({ section: { tenant: p.t!, area: 'clients' }, view: <RegisterClientView tenant={p.t!} /> }),
  ],
  ...(['overview', 'metadata', 'edit'] as const).map(
    (tab) =>
      [
        tab === 'overview' ? 'tenants/:t/clients/:c' : `tenants/:t/clients/:c/${tab}`,
        (p: Params) => ({
          section: { tenant: p.t!, area: 'clients' },
          view: <ClientDetailView tenant={p.t!} clientId={p.c!} tab={tab} />,
        }),
      ] as const,
  ),
  ['tenants/:t/scopes', (p) => ({ section: { tenant: p.t!, area: 'scopes' }, view: <ScopesView tenant={p.t!} /> })],
  ['tenants/:t/users', (p) => ({ section: { tenant: p.t!, area: 'users' }, view: <UsersView tenant={p.t!} /> })],
  [
    'tenants/:t/users/:u',
    (p) => ({ section: { tenant: p.t!, area: 'users' }, view: <UserDetailView tenant={p.t!} userId={p.u!} /> }),
  ],
  ['tenants/:t/keys', (p) => ({ section: { tenant: p.t!, area: 'keys' }, view: <KeysView tenant={p.t!} /> })],
];

function resolve(route: string, me: Me): Resolved {
  for (const [pattern, view] of ROUTES) {
    const params = match(pattern, route);
    if (params) return view(params, me);
  }
  return { section: { area: '' }, view: <NotFound /> };
}

function NotFound() {
  useTitle('Not found');
  return (
    <>
      <h1>Not found</h1>
      <p>There is no console page at this address.</p>
    </>
  );
}

/** The signed-in console. After each navigation the focus moves to the new view's main heading. */
export function App({ me }: { me: Me }) {
  const route = useRoute();
  const { section, view } = resolve(route, me);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('main')?.focus();
  }, [route]);
  return (
    <Layout me={me} section={section}>
      {view}
    </Layout>
  );
}
