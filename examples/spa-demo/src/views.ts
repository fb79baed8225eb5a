import type { AccessTokenClaims } from '@gatehouse/spa';
import type { ApiResult } from './api.js';
import { config, type RealmInfo, type RealmKey, type TokenStoreName } from './config.js';
import { h } from './dom.js';
import type { Notice } from './messages.js';

/** A notice; errors are announced at once (`alert`), other news politely (`status`). */
export function noticeView(notice: Notice): HTMLElement {
  return h(
    'div',
    { class: `notice notice-${notice.tone}`, role: notice.tone === 'error' ? 'alert' : 'status', tabindex: -1 },
    h('h2', { class: 'notice-title' }, notice.title),
    h('p', {}, notice.text),
  );
}

export interface SignInHandlers {
  onSignIn(realm: RealmKey, scope: string, options: { popup: boolean }): Promise<void>;
}

/** The signed-out page: pick the permissions, then sign in as an agent or as a customer. */
export function signedOutView({ onSignIn }: SignInHandlers): HTMLElement {
  const scopeError = h(
    'p',
    { class: 'field-error', id: 'scope-error', hidden: true },
    'Choose at least one permission.',
  );
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'sign-in-heading', novalidate: true },
    h('h2', { id: 'sign-in-heading' }, 'Sign in'),
    h(
      'p',
      {},
      'Agents and customers of tenant ',
      h('code', {}, config.tenant),
      ' sign in to separate Gatehouse realms. You will see Gatehouse’s sign-in page, then its consent page, and come back here with an access token.',
    ),
    h(
      'fieldset',
      { 'aria-describedby': 'scope-error' },
      h('legend', {}, 'Permissions to request'),
      ...config.scopes.map((scope) =>
        h(
          'label',
          { class: 'check' },
          h('input', { type: 'checkbox', name: 'scope', value: scope.name, checked: true }),
          ` ${scope.label} `,
          h('code', {}, scope.name),
        ),
      ),
      h(
        'p',
        { class: 'hint' },
        'Always requested too: ',
        h('code', {}, config.identityScopes),
        ', to show your username and to sign you out of Gatehouse.',
      ),
    ),
    scopeError,
    h(
      'label',
      { class: 'check' },
      h('input', { type: 'checkbox', name: 'popup', value: 'yes' }),
      ' Sign in in a popup window (this page stays open)',
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', name: 'realm', value: 'agent', class: 'primary' }, 'Sign in as agent'),
      h('button', { type: 'submit', name: 'realm', value: 'customer', class: 'primary' }, 'Sign in as customer'),
    ),
    h(
      'p',
      { class: 'hint' },
      'Demo accounts: agent ',
      h('code', {}, 'agent'),
      ' / ',
      h('code', {}, 'agent-demo-pass'),
      ', customer ',
      h('code', {}, 'customer'),
      ' / ',
      h('code', {}, 'customer-demo-pass'),
      '.',
    ),
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const submitter = event.submitter as HTMLButtonElement | null;
    const realm: RealmKey = submitter?.value === 'customer' ? 'customer' : 'agent';
    const data = new FormData(form);
    const scope = data.getAll('scope').join(' ');
    const popup = data.get('popup') === 'yes';
    scopeError.hidden = scope !== '';
    if (scope === '') return;
    form.setAttribute('aria-busy', 'true');
    for (const button of form.querySelectorAll('button')) button.disabled = true;
    if (submitter) submitter.textContent = popup ? 'Signing in in the popup…' : 'Redirecting to Gatehouse…';
    // Called synchronously, inside the click: a popup may only be opened there.
    void onSignIn(realm, scope, { popup });
  });
  return form;
}

const TOKEN_STORE_HINTS: Record<TokenStoreName, string> = {
  memory: 'The token lives in this page’s memory only: reloading the page signs you out here.',
  session:
    'The tokens are kept in this tab’s sessionStorage: they survive a reload, and any script on this page could read them.',
  indexeddb:
    'The tokens are kept in IndexedDB: every tab of this app shares the session and it survives a reload, but any script on this page could read them.',
  local:
    'The tokens are kept in localStorage: the session survives a reload and any script on this page could read it. Use one tab at a time: tabs refreshing at once can end the session.',
};

export interface SignedInState {
  readonly realm: RealmInfo;
  readonly claims: AccessTokenClaims;
  readonly username: string | undefined;
}

export interface SignedInHandlers {
  onCall(method: 'GET' | 'POST', question: string, output: HTMLElement): Promise<void>;
  onSignOut(): Promise<void>;
}

/** The signed-in page: who is signed in, with which scopes, the API buttons, and sign-out. */
export function signedInView(
  { realm, claims, username }: SignedInState,
  { onCall, onSignOut }: SignedInHandlers,
): HTMLElement {
  const scopes = claims.scope.split(' ').filter(Boolean);
  const signOut = h('button', { type: 'button' }, 'Sign out');
  signOut.addEventListener('click', () => {
    signOut.disabled = true;
    void onSignOut();
  });

  const who = h(
    'section',
    { class: 'card', 'aria-labelledby': 'who-heading' },
    h('h2', { id: 'who-heading', tabindex: -1 }, `Signed in as ${username ?? realm.article}`),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Role'),
      h('dd', { 'data-fact': 'role' }, `${realm.key === 'agent' ? 'Agent' : 'Customer'} of tenant ${config.tenant}`),
      h('dt', {}, 'Realm'),
      h('dd', {}, h('code', {}, realm.id)),
      h('dt', {}, 'Subject (sub)'),
      h('dd', { 'data-claim': 'sub' }, h('code', {}, claims.sub)),
      h('dt', {}, 'Actor claim'),
      h('dd', { 'data-claim': 'actor' }, h('code', {}, claims.actor ?? '—')),
      h('dt', {}, 'Client'),
      h('dd', {}, h('code', {}, claims.client_id)),
      h('dt', {}, 'Token expires'),
      h(
        'dd',
        { 'data-claim': 'exp' },
        h(
          'time',
          { datetime: new Date(claims.exp * 1000).toISOString() },
          new Date(claims.exp * 1000).toLocaleTimeString(),
        ),
      ),
    ),
    h('h3', { id: 'scopes-heading' }, 'Granted scopes'),
    h(
      'ul',
      { class: 'scopes', 'aria-labelledby': 'scopes-heading' },
      ...scopes.map((scope) => h('li', {}, h('code', {}, scope))),
    ),
    h('p', { class: 'hint' }, TOKEN_STORE_HINTS[config.tokenStore]),
    h('div', { class: 'actions' }, signOut),
  );

  const output = h('div', { class: 'result', id: 'api-result', 'aria-live': 'polite', 'aria-busy': 'false' });
  const question = h('input', {
    id: 'question',
    name: 'question',
    type: 'text',
    value: 'What are your opening hours?',
    maxlength: 500,
    required: true,
  });
  const getButton = h('button', { type: 'button', class: 'primary' }, 'GET /v1/answers');
  const postButton = h('button', { type: 'submit', class: 'primary' }, 'POST /v1/answers');
  const buttons = [getButton, postButton];
  const call = async (method: 'GET' | 'POST') => {
    for (const button of buttons) button.disabled = true;
    try {
      await onCall(method, question.value, output);
    } finally {
      for (const button of buttons) button.disabled = false;
    }
  };
  getButton.addEventListener('click', () => void call('GET'));
  const ask = h(
    'form',
    { class: 'ask' },
    h('label', { for: 'question' }, 'Question'),
    h('div', { class: 'inline' }, question, postButton),
    h('p', { class: 'hint' }, 'POST needs ', h('code', {}, 'core.aiservices.write'), '.'),
  );
  ask.addEventListener('submit', (event) => {
    event.preventDefault();
    void call('POST');
  });

  const api = h(
    'section',
    { class: 'card', 'aria-labelledby': 'api-heading' },
    h('h2', { id: 'api-heading' }, 'Call the demo API'),
    h(
      'p',
      {},
      'Requests go to ',
      h('code', {}, `${config.apiUrl}/v1/answers`),
      ' with the access token in the ',
      h('code', {}, 'Authorization: Bearer'),
      ' header.',
    ),
    h(
      'div',
      { class: 'actions' },
      getButton,
      h('span', { class: 'hint' }, 'needs ', h('code', {}, 'core.aiservices.read')),
    ),
    ask,
    output,
  );
  return h('div', { class: 'stack' }, who, api);
}

/** Shows when the access token in use expires; after a refresh, that is the new token's expiry. */
export function showTokenExpiry(exp: number): void {
  const time = document.querySelector<HTMLTimeElement>('[data-claim="exp"] time');
  if (!time) return;
  time.dateTime = new Date(exp * 1000).toISOString();
  time.textContent = new Date(exp * 1000).toLocaleTimeString();
}

/** Fills the result area with the API's answer: status line, a one-line summary, the JSON. */
export function showApiResult(output: HTMLElement, result: ApiResult): void {
  const ok = result.status >= 200 && result.status < 300;
  output.replaceChildren(
    h(
      'p',
      { class: `status ${ok ? 'status-ok' : 'status-refused'}`, 'data-status': result.status },
      `${result.request} → ${result.status} ${result.statusText}`,
    ),
    h('p', { class: 'summary' }, summarize(result)),
    h('pre', {}, h('code', {}, JSON.stringify(result.body, null, 2))),
  );
  output.setAttribute('aria-busy', 'false');
}

export function showApiProblem(output: HTMLElement, request: string, message: string): void {
  output.replaceChildren(
    h('p', { class: 'status status-refused', role: 'alert' }, `${request} failed`),
    h('p', { class: 'summary' }, message),
  );
  output.setAttribute('aria-busy', 'false');
}

export function showApiBusy(output: HTMLElement, request: string): void {
  output.setAttribute('aria-busy', 'true');
  output.replaceChildren(h('p', { class: 'status' }, `${request} …`));
}

function summarize(result: ApiResult): string {
  const body = result.body as {
    caller?: { actor?: string; scopes?: string[] };
    answers?: unknown[];
    error_description?: string;
  };
  if (result.status === 200 || result.status === 201) {
    const caller = body.caller;
    const what = result.status === 201 ? 'recorded your question' : `returned ${body.answers?.length ?? 0} answer(s)`;
    return `The API ${what}. It saw actor “${caller?.actor}” with scopes ${caller?.scopes?.join(' ')}.`;
  }
  if (result.challenge?.error === 'insufficient_scope') {
    return `Refused: this endpoint needs ${result.challenge.scope ?? 'a scope'} your token was not granted.`;
  }
  if (result.challenge?.error === 'invalid_token') return 'Refused: the API did not accept the access token.';
  return body.error_description ?? 'The API refused the request.';
}

export function busyView(text: string): HTMLElement {
  return h('p', { class: 'busy', role: 'status' }, text);
}
